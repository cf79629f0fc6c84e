package dev.paver.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the golden paths are: the configured folder; else {@code ./templates} when it exists (a checkout, or a
 * folder mounted beside the jar); else the templates inside the jar, copied to a temporary folder.
 */
public final class TemplatesLocation {

    private TemplatesLocation() {
    }

    /**
     * @param configured {@code paver.templates.dir} ({@code PAVER_TEMPLATES_DIR}), or null/blank when not set
     * @return an absolute, normalized folder
     * @throws IllegalStateException when the configured folder is not a folder
     */
    public static Path resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path dir = Path.of(configured);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("paver.templates.dir " + dir.toAbsolutePath() + " is not a folder");
            }
            return dir.toAbsolutePath().normalize();
        }
        Path local = Path.of("templates");
        if (Files.isDirectory(local)) {
            return local.toAbsolutePath().normalize();
        }
        return ClasspathFolder.extract("templates", "paver-templates-");
    }
}

package dev.paver.config;

import dev.paver.core.run.RepositoryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Reads a folder of the classpath (inside the jar or on disk) with Spring's resource resolver. */
final class ClasspathFolder {

    private ClasspathFolder() {
    }

    /** Every file under {@code folder}, by path relative to it, as UTF-8 text. */
    static Map<String, String> read(String folder) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Resource> e : resources(folder).entrySet()) {
                try (InputStream in = e.getValue().getInputStream()) {
                    files.put(e.getKey(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath folder " + folder, e);
        }
        return files;
    }

    /** Copies {@code folder} to a new temporary folder and returns it. */
    static Path extract(String folder, String prefix) {
        try {
            Path target = Files.createTempDirectory(prefix).toAbsolutePath().normalize();
            for (Map.Entry<String, Resource> e : resources(folder).entrySet()) {
                Path file;
                try {
                    file = RepositoryNames.within(target, e.getKey());
                } catch (IllegalArgumentException outside) {
                    continue;
                }
                Files.createDirectories(file.getParent());
                try (InputStream in = e.getValue().getInputStream()) {
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy classpath folder " + folder, e);
        }
    }

    private static Map<String, Resource> resources(String folder) throws IOException {
        Map<String, Resource> out = new LinkedHashMap<>();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (Resource r : resolver.getResources("classpath*:" + folder + "/**")) {
            if (!r.isReadable()) {
                continue;
            }
            String url = r.getURL().toString();
            int at = url.lastIndexOf("/" + folder + "/");
            if (at < 0 || url.endsWith("/")) {
                continue;
            }
            out.put(url.substring(at + folder.length() + 2), r);
        }
        return out;
    }
}

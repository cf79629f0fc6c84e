package dev.paver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The recorded payloads and manifests in {@code ../shared/fixtures/} (tests run in the project root). */
public final class SharedFixtures {

    public static final Path ROOT = Path.of("..", "shared", "fixtures");

    private SharedFixtures() {
    }

    public static Path path(String first, String... more) {
        return ROOT.resolve(Path.of(first, more));
    }

    public static String text(String first, String... more) {
        Path file = path(first, more);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + file.toAbsolutePath(), e);
        }
    }
}

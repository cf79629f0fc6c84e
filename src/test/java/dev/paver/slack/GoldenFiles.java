package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Block Kit JSON compared with {@code src/test/resources/golden/*.json}. With {@code UPDATE_GOLDEN=true} in the
 * environment the files are rewritten from the output instead: check the diff before committing it.
 */
public final class GoldenFiles {

    public static final Path FOLDER = Path.of("src", "test", "resources", "golden");

    private GoldenFiles() {
    }

    /** What Bolt sends to Slack for these objects, pretty-printed. */
    public static String slackJson(Object value) {
        String json = GsonFactory.createSnakeCase().toJson(value);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(JsonParser.parseString(json)) + "\n";
    }

    public static void assertMatches(String name, Object value) {
        String actual = slackJson(value);
        Path file = FOLDER.resolve(name);
        try {
            if ("true".equals(System.getenv("UPDATE_GOLDEN"))) {
                Files.createDirectories(FOLDER);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertThat(file).as("golden file %s (run with UPDATE_GOLDEN=true to write it)", file).exists();
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(JsonParser.parseString(actual)).as("Block Kit of %s", name)
                    .withFailMessage("%s differs from the output:%n%s", file, actual)
                    .isEqualTo(JsonParser.parseString(expected));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FetchTemplateActionTest {

    private static final String LIST = """
            environments:
              {% for env in values.envs %}
              - ${{ env }}
              {% endfor %}
            """;

    @TempDir
    Path template;

    @Test
    void keepsTheWhitespaceAroundBlockTagsAsBackstageDoesUnlessTheStepAsksToTrimIt() throws IOException {
        Files.createDirectories(template.resolve("skeleton"));
        Files.writeString(template.resolve("skeleton/envs.yaml"), LIST);

        assertThat(fetch(Map.of()).get("envs.yaml")).isEqualTo(
                "environments:\n  \n  - dev\n  \n  - prod\n  \n");
        assertThat(fetch(Map.of("trimBlocks", true, "lstripBlocks", true)).get("envs.yaml")).isEqualTo(
                "environments:\n  - dev\n  - prod\n");
        assertThat(fetch(Map.of("trimBlocks", true)).get("envs.yaml")).isEqualTo(
                "environments:\n    - dev\n    - prod\n  ");
    }

    @Test
    void refusesATrimBlocksThatIsNotTrueOrFalse() throws IOException {
        Files.createDirectories(template.resolve("skeleton"));
        Files.writeString(template.resolve("skeleton/envs.yaml"), LIST);

        ActionResult result = execute(Map.of("trimBlocks", "yes"), new TreeMap<>());

        assertThat(result).isInstanceOfSatisfying(ActionResult.Failed.class, failed -> assertThat(failed.reason())
                .isEqualTo("step fetch: trimBlocks and lstripBlocks must be true or false, got yes and false"));
    }

    private Map<String, String> fetch(Map<String, Object> extra) {
        Map<String, String> workspace = new TreeMap<>();
        ActionResult result = execute(extra, workspace);
        assertThat(result).isInstanceOf(ActionResult.Done.class);
        return workspace;
    }

    private ActionResult execute(Map<String, Object> extra, Map<String, String> workspace) {
        Map<String, Object> input = new LinkedHashMap<>(Map.of("url", "./skeleton", "values",
                Map.of("envs", List.of("dev", "prod"))));
        input.putAll(extra);
        GoldenPath path = new GoldenPath("envs", "Envs", "", ParameterSchema.read(List.of()), List.of(), Map.of(),
                List.of(), template);
        RunRequest request = new RunRequest("envs", Map.of(), Map.of(), "U0PAVER01", RunRequest.Origin.TYPED, "C0PAVER01");
        Instant now = Instant.now();
        return new FetchTemplateAction(new TemplateRenderer()).execute(new ActionContext("run", "fetch", now, now, request,
                path, input, workspace, Clock.systemUTC()));
    }
}

package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.config.BuiltInActions;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.TemplateProblem;
import dev.paver.slack.SlackRenderer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Backstage's own templates ({@code src/test/resources/backstage-templates/}, unmodified copies of
 * backstage/software-templates and backstage/demo) load in Paver with its built-in actions and appear in
 * {@code /platform help}, the demo template with its GitHub and notification actions.
 */
class BackstageTemplatesInPaverTest {

    private static final Path TEMPLATES = Path.of("src", "test", "resources", "backstage-templates");

    @Test
    void theTemplatesLoadWithPaversActionsAndAppearInHelp() {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(TEMPLATES, BuiltInActions.ids());

        assertThat(catalog.all()).extracting(GoldenPath::id)
                .containsExactly("demo-template", "docs-template", "pull-request", "springboot-template");
        assertThat(catalog.turnedOff()).as("the demo's github:pages:enable, github:actions:dispatch and "
                + "notification:send are Paver's").isEmpty();
        assertThat(catalog.problems()).extracting(TemplateProblem::message).noneMatch(m -> m.contains("not registered"));
        String help = SlackRenderer.help("/platform", catalog, "");
        assertThat(help).contains("*docs-template*: Documentation Template")
                .contains("*springboot-template*: Spring Boot gRPC Service")
                .contains("*pull-request*: Pull Request Action template")
                .contains("*demo-template*: Demo Template");
    }
}

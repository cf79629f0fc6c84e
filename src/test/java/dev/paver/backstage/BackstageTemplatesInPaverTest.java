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
 * {@code /platform help}; what does not load says why.
 */
class BackstageTemplatesInPaverTest {

    private static final Path TEMPLATES = Path.of("src", "test", "resources", "backstage-templates");

    @Test
    void theSoftwareTemplatesLoadWithPaversActionsAndAppearInHelp() {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(TEMPLATES, BuiltInActions.ids());

        assertThat(catalog.all()).extracting(GoldenPath::id)
                .containsExactly("docs-template", "pull-request", "springboot-template");
        String help = SlackRenderer.help("/platform", catalog, "");
        assertThat(help).contains("*docs-template*: Documentation Template")
                .contains("*springboot-template*: Spring Boot gRPC Service")
                .contains("*pull-request*: Pull Request Action template");
    }

    @Test
    void theDemoTemplateIsTurnedOffForTheGitHubAndNotificationActionsPaverDoesNotHave() {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(TEMPLATES, BuiltInActions.ids());

        assertThat(catalog.turnedOff()).containsExactly("demo-template");
        assertThat(catalog.problems()).extracting(TemplateProblem::message)
                .contains("step enable-pages uses action github:pages:enable, which is not registered in Paver",
                        "step dispatch-workflow uses action github:actions:dispatch, which is not registered in Paver",
                        "step notify uses action notification:send, which is not registered in Paver")
                .noneMatch(message -> message.contains("debug:log") && message.contains("not registered")
                        || message.contains("publish:github,") && message.contains("not registered"));
    }
}

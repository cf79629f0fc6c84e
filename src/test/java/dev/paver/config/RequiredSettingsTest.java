package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.mock.env.MockEnvironment;

/** Paver refuses to start without its Slack settings, says which and where to find them, and creates nothing. */
class RequiredSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void startingWithoutSlackSettingsNamesEachAndCreatesNoData() {
        String[] args = {"--server.port=0", "--paver.slack.bot-token=", "--paver.slack.signing-secret=",
                "--paver.git.local-root=" + tmp.resolve("git"), "--spring.datasource.url=jdbc:h2:file:" + tmp.resolve("db/paver"),
                "--logging.level.root=OFF"};
        assertThatThrownBy(() -> new SpringApplicationBuilder(PaverApplication.class).run(args))
                .isInstanceOf(RequiredSettings.MissingSettingsException.class)
                .satisfies(e -> assertThat(((RequiredSettings.MissingSettingsException) e).missing())
                        .anySatisfy(m -> assertThat(m).startsWith("paver.slack.bot-token (PAVER_SLACK_BOT_TOKEN)"))
                        .anySatisfy(m -> assertThat(m).startsWith("paver.slack.signing-secret (PAVER_SLACK_SIGNING_SECRET)")));
        assertThat(Files.exists(tmp.resolve("git"))).as("no repository created").isFalse();
        assertThat(Files.exists(tmp.resolve("db"))).as("no database created").isFalse();
    }

    @Test
    void theStartUpReportSaysWhereSettingsGoAndHowToTryPaverWithoutSlack() {
        var analysis = new MissingSettingsFailureAnalyzer().analyze(new RequiredSettings.MissingSettingsException(
                java.util.List.of("paver.slack.bot-token (PAVER_SLACK_BOT_TOKEN): the Bot User OAuth Token")));
        assertThat(analysis.getDescription()).contains("paver.slack.bot-token").doesNotContain("Exception");
        assertThat(analysis.getAction()).contains("/run/secrets/").contains("exec:java@demo");
    }

    @Test
    void theContextProcessedAheadOfTimeNeedsAManagementPortOfItsOwnAndSaysHowToGiveOne() {
        assertThatThrownBy(() -> RequiredSettings.aheadOfTimeManagementPort(new MockEnvironment()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("management.server.port (MANAGEMENT_SERVER_PORT) is not set")
                .hasMessageContaining("e.g. 8081 as deploy/ does")
                .hasMessageContaining("or start without -Dspring.aot.enabled=true");
        for (String port : new String[] {"8080", "-1", "http", "70000"}) {
            assertThatThrownBy(() -> RequiredSettings.aheadOfTimeManagementPort(
                    new MockEnvironment().withProperty("management.server.port", port)))
                    .as(port).isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("is '" + port + "', server.port is '8080'");
        }
        assertThatThrownBy(() -> RequiredSettings.aheadOfTimeManagementPort(new MockEnvironment()
                .withProperty("server.port", "9090").withProperty("management.server.port", "9090")))
                .isInstanceOf(InvalidSettingException.class);
        // a port of its own, or any free one (0), as deploy/, the image and the archive's training give
        RequiredSettings.aheadOfTimeManagementPort(new MockEnvironment().withProperty("management.server.port", "8081"));
        RequiredSettings.aheadOfTimeManagementPort(new MockEnvironment().withProperty("server.port", "0")
                .withProperty("management.server.port", "0"));
    }
}

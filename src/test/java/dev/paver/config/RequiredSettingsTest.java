package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

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
}

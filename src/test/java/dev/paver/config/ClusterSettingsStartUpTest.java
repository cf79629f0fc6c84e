package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A cluster named for an environment the conventions do not have stops the start, naming it and the known ones. */
class ClusterSettingsStartUpTest {

    @TempDir
    Path tmp;

    @Test
    void aClusterOfAnUnknownEnvironmentStopsTheStartNamingTheEnvironmentsOfTheConventions() {
        String[] args = {"--server.port=0", "--server.address=127.0.0.1", "--paver.slack.bot-token=xoxb-test",
                "--paver.slack.signing-secret=secret", "--paver.slack.api-url=http://127.0.0.1:1/api/",
                "--paver.git.local-root=" + tmp.resolve("git"), "--paver.git.work-dir=" + tmp.resolve("git-work"),
                "--spring.datasource.url=jdbc:h2:file:" + tmp.resolve("db/paver"), "--logging.level.root=OFF",
                "--paver.kubernetes.enabled=false", "--paver.conventions.environments=dev,qa,prod",
                "--paver.conventions.automated-sync=dev,qa",
                "--paver.kubernetes.clusters.staging.api-url=http://127.0.0.1:1"};

        assertThatThrownBy(() -> new SpringApplicationBuilder(PaverApplication.class).run(args))
                .rootCause().isInstanceOf(InvalidSettingException.class)
                .hasMessage("paver.kubernetes.clusters.<env>: staging is not an environment of the conventions; the "
                        + "environments are [dev, qa, prod] (paver.conventions.environments): name the cluster of one of them");
    }

    @Test
    void theStartUpReportIsTheSettingsMessageWithoutAStackTrace() {
        FailureAnalysis analysis = new InvalidSettingFailureAnalyzer().analyze(new InvalidSettingException(
                "paver.kubernetes.clusters.prod.context: kubeconfig has no context production; its contexts are [dev, prod]"));

        assertThat(analysis.getDescription()).isEqualTo("Paver cannot start with this setting: "
                + "paver.kubernetes.clusters.prod.context: kubeconfig has no context production; its contexts are [dev, prod]");
        assertThat(analysis.getAction()).contains("docs/configuration.md");
    }
}

package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * {@code paver.embedded-defaults: refuse}, as {@code deploy/kubernetes} sets it: Paver does not start on the laptop
 * defaults (local repositories seeded with the demo's payments-gitops, H2), names each setting to give and creates
 * nothing; with them it starts. Without the setting (a laptop, the demo) the defaults stay.
 */
class EmbeddedDefaultsGuardTest {

    @TempDir
    Path tmp;

    @Test
    void refusesTheEmbeddedDefaultsNamingEachMissingSettingAndCreatesNothing() {
        var failure = startFails("paver.embedded-defaults=refuse", "paver.slack.bot-token=", "paver.slack.signing-secret=");
        assertThat(failure).isInstanceOf(RequiredSettings.MissingSettingsException.class);
        var missing = (RequiredSettings.MissingSettingsException) failure;
        assertThat(missing.missing()).hasSize(4)
                .anySatisfy(m -> assertThat(m).startsWith("paver.slack.bot-token (PAVER_SLACK_BOT_TOKEN)"))
                .anySatisfy(m -> assertThat(m).startsWith("paver.slack.signing-secret (PAVER_SLACK_SIGNING_SECRET)"))
                .anySatisfy(m -> assertThat(m).startsWith("paver.github.token (PAVER_GITHUB_TOKEN), or paver.github.app-id")
                        .contains("paver.git.remote-url").contains("payments-gitops"))
                .anySatisfy(m -> assertThat(m).startsWith("spring.datasource.url (SPRING_DATASOURCE_URL)")
                        .contains("jdbc:postgresql://").contains("H2"));
        assertThat(Files.exists(tmp.resolve("git"))).as("no repository seeded").isFalse();
        assertThat(Files.exists(tmp.resolve("db"))).as("no database created").isFalse();

        var analysis = new MissingSettingsFailureAnalyzer().analyze(missing);
        assertThat(analysis.getDescription()).contains("paver.embedded-defaults is refuse")
                .contains("\n  - spring.datasource.url").contains("\n  - paver.github.token");
    }

    @Test
    void anAppWithoutOrganizationOrKeyAndAnH2UrlAreNamedEachOnce() {
        var failure = startFails("paver.embedded-defaults=refuse", "paver.github.app-id=104729");
        assertThat(failure).isInstanceOf(RequiredSettings.MissingSettingsException.class);
        assertThat(((RequiredSettings.MissingSettingsException) failure).missing()).hasSize(3)
                .anySatisfy(m -> assertThat(m).startsWith("paver.github.private-key-file (PAVER_GITHUB_PRIVATE_KEY_FILE)"))
                .anySatisfy(m -> assertThat(m).startsWith("paver.github.organization (PAVER_GITHUB_ORGANIZATION)"))
                .anySatisfy(m -> assertThat(m).startsWith("spring.datasource.url"));
    }

    @Test
    void aTokenAndAnAppTogetherAreRefusedAtStartUp() {
        var failure = startFails("paver.github.token=ghp_notARealTokenForThisTest00000001", "paver.github.app-id=104729",
                "paver.github.private-key-file=" + tmp.resolve("key.pem"), "paver.github.organization=acme");
        assertThat(failure).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("paver.github.token").hasMessageContaining("paver.github.app-id")
                .hasMessageNotContaining("ghp_notARealToken");
        assertThat(Files.exists(tmp.resolve("db"))).isFalse();
    }

    @Test
    void anUnknownValueSaysWhichOnesExist() {
        assertThat(startFails("paver.embedded-defaults=production")).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("paver.embedded-defaults").hasMessageContaining("refuse").hasMessageContaining("allow");
    }

    @Test
    void startsWithGitHubAndPostgresqlInsteadOfTheEmbeddedDefaults() throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             Testbed testbed = new Testbed(tmp, false);
             GitHubStandIn github = new GitHubStandIn("acme", Clock.systemUTC())) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            testbed.property("paver.embedded-defaults", "refuse");
            testbed.property("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
            testbed.property("spring.datasource.username", "postgres");
            testbed.property("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", "acme");
            testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
            testbed.startPaver();

            HttpResponse<String> health = testbed.http().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + testbed.paver().managementPort() + "/actuator/health/liveness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(Files.exists(tmp.resolve("git").resolve("payments-gitops.git"))).as("no demo repository seeded").isFalse();
            assertThat(Files.exists(tmp.resolve("db"))).as("no H2 file").isFalse();
        }
    }

    @Test
    void theDeploymentsConfigurationRefusesTheEmbeddedDefaults() throws IOException {
        List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
                new FileSystemResource(Path.of("deploy/kubernetes/base/application.yml")));
        assertThat(sources).extracting(s -> s.getProperty("paver.embedded-defaults")).contains("refuse");
        // and Paver's own application.yml (a laptop, the demo) keeps them
        List<PropertySource<?>> own = new YamlPropertySourceLoader().load("application.yml",
                new FileSystemResource(Path.of("src/main/resources/application.yml")));
        assertThat(own).extracting(s -> s.getProperty("paver.embedded-defaults")).containsOnlyNulls();
    }

    /**
     * Starts Paver with harmless settings (loopback, folders of this test, Slack's values) overridden by {@code args}
     * ({@code key=value}) and returns why it failed.
     */
    private Throwable startFails(String... args) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.port", "0");
        settings.put("server.address", "127.0.0.1");
        settings.put("paver.slack.bot-token", "xoxb-not-a-real-token");
        settings.put("paver.slack.signing-secret", "not-a-real-secret");
        settings.put("paver.kubernetes.enabled", "false");
        settings.put("paver.git.local-root", tmp.resolve("git").toString());
        settings.put("paver.git.work-dir", tmp.resolve("git-work").toString());
        settings.put("spring.datasource.url", "jdbc:h2:file:" + tmp.resolve("db/paver"));
        settings.put("logging.level.root", "OFF");
        for (String arg : args) {
            settings.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        String[] argv = settings.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try {
            new SpringApplicationBuilder(PaverApplication.class).run(argv).close();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("Paver started");
    }
}

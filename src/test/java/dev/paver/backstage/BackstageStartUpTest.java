package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import dev.paver.config.InvalidSettingException;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * Paver's start with {@code paver.backstage.url}: a token file that cannot be read stops it, naming the setting; a
 * Backstage that is down does not, and its catalog is taken once it answers.
 */
class BackstageStartUpTest {

    @TempDir
    Path tmp;

    private String[] args(String... more) {
        return Stream.concat(Stream.of("--server.port=0", "--server.address=127.0.0.1", "--paver.slack.bot-token=xoxb-test",
                "--paver.slack.signing-secret=secret", "--paver.slack.api-url=http://127.0.0.1:1/api/",
                "--paver.git.local-root=" + tmp.resolve("git"), "--paver.git.work-dir=" + tmp.resolve("git-work"),
                "--spring.datasource.url=jdbc:h2:file:" + tmp.resolve("db/paver"), "--logging.level.root=OFF",
                "--paver.kubernetes.enabled=false"), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void aTokenFileThatCannotBeReadStopsTheStartNamingTheSetting() {
        String[] args = args("--paver.backstage.url=http://127.0.0.1:1",
                "--paver.backstage.token-file=" + tmp.resolve("no-such-token"));

        assertThatThrownBy(() -> new SpringApplicationBuilder(PaverApplication.class).run(args))
                .rootCause().isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("paver.backstage.token-file").hasMessageContaining("cannot be read");
    }

    @Test
    void aBackstageThatIsDownLeavesPaverReadyAndItsCatalogIsTakenOnceItAnswers() throws Exception {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, "static-token");
        try (BackstageCatalogStandIn backstage = new BackstageCatalogStandIn("static-token");
             Testbed testbed = new Testbed(tmp.resolve("testbed"), false)) {
            backstage.add("Group", "team-portal", "e1", Map.of("type", "team"));
            backstage.add("User", "robin", "e1", Map.of("memberOf", List.of("team-portal")));
            backstage.mode(BackstageCatalogStandIn.Mode.ERROR);
            testbed.property("paver.backstage.url", backstage.url().toString());
            testbed.property("paver.backstage.token-file", tokenFile.toString());
            testbed.property("paver.backstage.catalog-refresh", "1h");
            testbed.startPaver();

            CatalogSource catalog = testbed.paver().bean(CatalogSource.class);
            assertThat(catalog.current().groups()).as("the seeded repository's, until Backstage answers")
                    .containsKey("team-payments");
            assertThat(backstage.queries()).as("asked before the server listened").isNotEmpty();
            HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + testbed.paver().managementPort() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);

            backstage.mode(BackstageCatalogStandIn.Mode.NORMAL);
            PlatformCatalog now = catalog.refreshEntities();

            assertThat(now.groups()).containsOnlyKeys("team-portal");
            assertThat(now.users()).containsOnlyKeys("robin");
            assertThat(now.systems()).as("Backstage has no System").isEmpty();
        }
    }
}

package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.Testbed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paver's probes on the management port as Kubernetes reads them: readiness ({@code /actuator/health/readiness}) is
 * the database, Slack's verdict on the bot token and every golden path loaded; liveness
 * ({@code /actuator/health/liveness}) stays UP whatever Slack or the templates do, since a restart fixes neither.
 */
class ReadinessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void notReadyOnceSlackRefusesTheBotTokenAndReadyAgainOnceItAcceptsItWhileAliveThroughout() throws Exception {
        try (Testbed testbed = testbed(tmp)) {
            testbed.property("paver.slack.recheck", "300ms");
            testbed.startPaver();
            assertThat(probe(testbed, "readiness", 200).path("components").path("slack").path("status").asText()).isEqualTo("UP");

            testbed.slack().refuseToken("invalid_auth");
            Thread.sleep(400); // past Bolt's cached verdict: the next request asks auth.test again
            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform help", "T1", "valid");

            JsonNode readiness = probe(testbed, "readiness", 503);
            assertThat(readiness.path("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("slack").path("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("db").path("status").asText()).isEqualTo("UP");
            assertThat(readiness.path("components").path("goldenPaths").path("status").asText()).isEqualTo("UP");
            assertThat(probe(testbed, "liveness", 200).path("status").asText()).isEqualTo("UP");
            Thread.sleep(1000); // rechecks that Slack still refuses keep it so
            assertThat(get(testbed, "readiness").status()).isEqualTo(503);

            testbed.slack().refuseToken(null);
            Answer ready = get(testbed, "readiness");
            for (int i = 0; i < 100 && ready.status() != 200; i++) {
                Thread.sleep(100);
                ready = get(testbed, "readiness");
            }
            assertThat(ready.status()).as("ready once Slack accepts the token: %s", ready.body()).isEqualTo(200);
            assertThat(ready.body().path("components").path("slack").path("status").asText()).isEqualTo("UP");
            assertThat(probe(testbed, "liveness", 200).path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void notReadyWhenATemplateDoesNotLoadWhileAlive() throws Exception {
        Path templates = tmp.resolve("templates");
        copy(Path.of("templates"), templates);
        Files.writeString(templates.resolve("create-system").resolve("template.yaml"),
                "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: create-system\nspec: [\n");
        try (Testbed testbed = testbed(tmp.resolve("work"))) {
            testbed.property("paver.templates.dir", templates.toString());
            testbed.startPaver();

            JsonNode readiness = probe(testbed, "readiness", 503);
            assertThat(readiness.path("components").path("goldenPaths").path("status").asText()).isEqualTo("DOWN");
            assertThat(readiness.path("components").path("slack").path("status").asText()).isEqualTo("UP");
            assertThat(probe(testbed, "liveness", 200).path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void readyWithEverythingInPlace() throws Exception {
        try (Testbed testbed = testbed(tmp)) {
            testbed.startPaver();

            JsonNode readiness = probe(testbed, "readiness", 200);
            assertThat(readiness.path("components").fieldNames()).toIterable()
                    .contains("db", "slack", "goldenPaths", "readinessState");
        }
    }

    private static Testbed testbed(Path work) {
        Testbed testbed = new Testbed(work, false);
        testbed.property("management.server.port", "0");
        testbed.property("management.server.address", "127.0.0.1");
        return testbed;
    }

    private static JsonNode probe(Testbed testbed, String group, int status) throws Exception {
        Answer answer = get(testbed, group);
        assertThat(answer.status()).as("%s: %s", group, answer.body()).isEqualTo(status);
        return answer.body();
    }

    private record Answer(int status, JsonNode body) {
    }

    private static Answer get(Testbed testbed, String group) throws Exception {
        HttpResponse<String> response = testbed.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + testbed.paver().managementPort() + "/actuator/health/" + group)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}

package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The class data sharing archive of {@code deploy/Dockerfile}, made as the image build makes it: {@code
 * deploy/cds-archive.sh} on the packaged jar, with the JVM of the tests as the image's JVM and nothing of the
 * environment but {@code PATH} and {@code JAVA_HOME}. Paver then starts on the extracted jar with the archive and the
 * context processed ahead of time, as the image's command runs it (with its {@code MANAGEMENT_SERVER_PORT}), with
 * {@code -Xshare:on} (a JVM that cannot map the archive refuses to start instead of going on without it), becomes
 * ready, its own classes come from the archive, and a create-service opens its pull requests.
 */
class CdsArchiveJarIT {

    private Path root;
    private SlackWorkspace slack;
    private PaverJar paver;

    @RegisterExtension
    final PrintOnFailure printOnFailure = new PrintOnFailure(() -> paver, () -> slack);

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {paver, slack}) {
            if (c != null) {
                c.close();
            }
        }
        PaverJar.delete(root);
    }

    @Test
    void theImagesArchiveIsMadeFromTheJarAndPaverStartsOnItWithItsClassesFromTheArchive() throws Exception {
        root = Files.createTempDirectory("paver-jar-cds-");
        Path app = root.resolve("app");
        Path script = Path.of("deploy", "cds-archive.sh").toAbsolutePath();
        Path output = root.resolve("cds-archive.log");
        ProcessBuilder archive = new ProcessBuilder("sh", script.toString(), PaverJar.jar().toString(), app.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        String path = archive.environment().get("PATH");
        archive.environment().clear();
        archive.environment().put("PATH", path);
        archive.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = archive.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("deploy/cds-archive.sh ended within 10 minutes").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        assertThat(app.resolve("paver.jsa")).isRegularFile();
        assertThat(app.resolve("paver.jar")).isRegularFile();
        assertThat(app.resolve("lib")).isDirectory();
        // the training ran in a folder of its own, now gone: nothing beside the destination
        try (var left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app", "cds-archive.log");
        }

        slack = new SlackWorkspace("C0PAYMENTS", Map.of("U0DANA", "Dana (developer)"));
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        // the image's ENV and ENTRYPOINT: health and probes on a port of their own, the context processed ahead of time
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(PaverJar.freePort()));
        Path classes = root.resolve("classes.log");
        paver = PaverJar.start(Files.createDirectories(root.resolve("run")), env, PaverJar.START_TIMEOUT, List.of(
                "-Xshare:on", "-XX:SharedArchiveFile=" + app.resolve("paver.jsa"), "-Xlog:class+load=info:file=" + classes,
                "-Dspring.aot.enabled=true", "-jar", app.resolve("paver.jar").toString()));

        HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                paver.managementUrl("/actuator/health/readiness")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(paver.log()).as("the start used the context processed ahead of time")
                .contains("Starting AOT-processed PaverApplication");

        // a create-service as a developer types it, through the generated bean definitions
        slack.connect(paver);
        HttpResponse<String> ack = slack.types("U0DANA", "/platform create-service cdsapi --system checkout "
                + "--owner team-payments --profile small");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting *create-service* for `cdsapi`");
        slack.awaitThread("opened in payments-gitops", "Repository cdsapi is ready", "opened in cdsapi");
        assertThat(paver.log()).as("the JVM's warnings about the archive").doesNotContain("[cds");
        List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertThat(loaded).as("Paver's own classes, Spring's and Tomcat's come from the archive")
                .anyMatch(l -> l.contains(" dev.paver.PaverApplication source: shared objects file"))
                .anyMatch(l -> l.contains(" dev.paver.config.Starter source: shared objects file"))
                .anyMatch(l -> l.contains(" org.springframework.context.support.AbstractApplicationContext source: shared objects file"))
                .anyMatch(l -> l.contains(" org.apache.catalina.core.StandardContext source: shared objects file"));
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        System.out.printf("classes loaded: %d, %d of them from the archive%n", loaded.size(), shared);
        assertThat(shared).as("classes from the archive, of %d loaded", loaded.size()).isGreaterThan(loaded.size() / 2);
    }
}

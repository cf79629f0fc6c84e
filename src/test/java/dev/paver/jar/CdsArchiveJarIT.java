package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image's start-up cache, made as the image build makes it: {@code deploy/cds-archive.sh} on the packaged jar,
 * with nothing of the environment but {@code PATH} and {@code JAVA_HOME}. On the tests' Java 17 it writes a class data
 * sharing archive ({@code paver.jsa}); on a Java 25, the image's runtime ({@code deploy/Dockerfile}), the
 * ahead-of-time cache ({@code paver.aot}). Paver then starts on the extracted jar with it and the context processed
 * ahead of time, as the image's command runs it (with its {@code MANAGEMENT_SERVER_PORT}): the JVM refuses to start
 * rather than go on without the archive or cache ({@code -Xshare:on}, {@code -XX:AOTMode=on}), Paver becomes ready, its
 * own classes come from the archive or cache, and a create-service opens its pull requests. With
 * {@code PAVER_BACKSTAGE_URL} set, the processed context has Backstage's beans, though the build was made without it.
 *
 * <p>The Java 25 is looked for beside the tests' JVM (a folder of the same parent whose {@code release} file says
 * {@code JAVA_VERSION="25...}), or given as {@code -Dpaver.java25.home}; without one that case is skipped, saying so.
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
    void onTheTestsJava17TheArchiveIsMadeFromTheJarAndTheImagesCommandStartsOnIt() throws Exception {
        assumeTrue(Runtime.version().feature() < 25, "the tests run on Java " + Runtime.version().feature()
                + ": the script writes the ahead-of-time cache there, which the Java 25 case tests");
        Path app = makeCache(Path.of(System.getProperty("java.home")));
        assertThat(app.resolve("paver.jsa")).isRegularFile();
        List<String> archive = List.of("-Xshare:on", "-XX:SharedArchiveFile=" + app.resolve("paver.jsa"));
        startAsTheImageAndCreateAService(Path.of(System.getProperty("java.home")), archive, app);

        // a deployment with Backstage: its beans are in the processed context too, though the build was made without it
        paver.close();
        paver = null;
        int backstage = PaverJar.freePort(); // nothing listens there: a Backstage that is down does not stop the start
        Map<String, String> env = imageEnv();
        env.put("PAVER_BACKSTAGE_URL", "http://127.0.0.1:" + backstage);
        env.put("PAVER_BACKSTAGE_TOKEN_FILE", Files.writeString(root.resolve("backstage-token"), "static-token").toString());
        List<String> launch = new ArrayList<>(archive);
        launch.addAll(List.of(PaverJar.FIRST_TIER_ONLY, "-Dspring.aot.enabled=true", "-jar", app.resolve("paver.jar").toString()));
        paver = PaverJar.start(Files.createDirectories(root.resolve("run-backstage")), env, PaverJar.START_TIMEOUT,
                Path.of(System.getProperty("java.home")), launch);
        assertThat(paver.log()).contains("Starting AOT-processed PaverApplication")
                .contains("domains, systems, groups and users come from the catalog of")
                .contains("golden paths from").contains("127.0.0.1:" + backstage);
    }

    /** The environment of the image's command: Slack's stand-in, no cluster, the management port of the image's ENV. */
    private Map<String, String> imageEnv() {
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        env.put("MANAGEMENT_SERVER_PORT", Integer.toString(PaverJar.freePort()));
        return env;
    }

    @Test
    void onJava25TheAheadOfTimeCacheIsMadeFromTheJarAndTheImagesCommandStartsOnIt() throws Exception {
        Path java25 = java25();
        assumeTrue(java25 != null, "no Java 25 beside " + System.getProperty("java.home")
                + " and no -Dpaver.java25.home: the image's runtime is not tested here");
        Path app = makeCache(java25);
        assertThat(app.resolve("paver.aot")).isRegularFile();
        assertThat(app.resolve("paver.jsa")).doesNotExist();
        startAsTheImageAndCreateAService(java25, List.of("-XX:AOTMode=on", "-XX:AOTCache=" + app.resolve("paver.aot")), app);
    }

    /** Runs deploy/cds-archive.sh with {@code javaHome}'s JVM; returns the destination folder. */
    private Path makeCache(Path javaHome) throws Exception {
        root = Files.createTempDirectory("paver-jar-cds-");
        Path app = root.resolve("app");
        Path script = Path.of("deploy", "cds-archive.sh").toAbsolutePath();
        Path output = root.resolve("cds-archive.log");
        ProcessBuilder archive = new ProcessBuilder("sh", script.toString(), PaverJar.jar().toString(), app.toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        String path = archive.environment().get("PATH");
        archive.environment().clear();
        archive.environment().put("PATH", path);
        archive.environment().put("JAVA_HOME", javaHome.toString());
        Process process = archive.start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("deploy/cds-archive.sh ended within 10 minutes").isTrue();
        assertThat(process.exitValue()).as(Files.readString(output)).isZero();
        assertThat(app.resolve("paver.jar")).isRegularFile();
        assertThat(app.resolve("lib")).isDirectory();
        // the training ran in a folder of its own, now gone: nothing beside the destination
        try (var left = Files.list(root)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("app", "cds-archive.log");
        }
        return app;
    }

    private void startAsTheImageAndCreateAService(Path javaHome, List<String> cache, Path app) throws Exception {
        slack = new SlackWorkspace("C0PAYMENTS", Map.of("U0DANA", "Dana (developer)"));
        // the image's ENV and ENTRYPOINT: health and probes on a port of their own, the context processed ahead of time
        Map<String, String> env = imageEnv();
        Path classes = root.resolve("classes.log");
        List<String> launch = new ArrayList<>(cache);
        launch.addAll(List.of("-Xlog:class+load=info:file=" + classes, PaverJar.FIRST_TIER_ONLY, "-Dspring.aot.enabled=true", "-jar",
                app.resolve("paver.jar").toString()));
        paver = PaverJar.start(Files.createDirectories(root.resolve("run")), env, PaverJar.START_TIMEOUT, javaHome, launch);

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

        assertThat(paver.log()).as("the JVM's warnings about the archive or cache").doesNotContain("[cds").doesNotContain("[aot");
        List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
        assertThat(loaded).as("Paver's own classes, Spring's and Tomcat's come from the archive")
                .anyMatch(l -> l.contains(" dev.paver.PaverApplication source: shared objects file"))
                .anyMatch(l -> l.contains(" dev.paver.config.Starter source: shared objects file"))
                .anyMatch(l -> l.contains(" org.springframework.context.support.AbstractApplicationContext source: shared objects file"))
                .anyMatch(l -> l.contains(" org.apache.catalina.core.StandardContext source: shared objects file"));
        long shared = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        System.out.printf("%s: classes loaded: %d, %d of them from the archive or cache%n", javaHome, loaded.size(), shared);
        assertThat(shared).as("classes from the archive, of %d loaded", loaded.size()).isGreaterThan(loaded.size() / 2);
    }

    /** A Java 25 (or later) home: {@code -Dpaver.java25.home}, else a sibling of the tests' JVM; null when none. */
    static Path java25() throws Exception {
        String given = System.getProperty("paver.java25.home");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path parent = Path.of(System.getProperty("java.home")).toRealPath().getParent();
        if (parent == null) {
            return null;
        }
        try (var homes = Files.list(parent)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin").resolve("java"))).filter(h -> {
                try {
                    Matcher version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(h.resolve("release")));
                    return version.find() && Integer.parseInt(version.group(1)) >= 25;
                } catch (Exception e) {
                    return false;
                }
            }).sorted().findFirst().orElse(null);
        }
    }
}

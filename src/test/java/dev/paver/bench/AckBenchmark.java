package dev.paver.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.Testbed;
import dev.paver.jar.PaverJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Acknowledgement latency of signed slash commands, measured from outside over loopback: Paver on embedded
 * defaults (local git, H2 with its default URL's settings, Slack stand-in, Paver's own poll intervals), {@value #WARMUP}
 * warm-up commands, then {@value #COMMANDS} commands sent 50 at a time ({@code -Dbench.concurrency=N} to change).
 * Two kinds are measured: {@code /platform help} (parse and answer) and a valid
 * {@code /platform create-service svc-N ...} (check, store the run as received, ack; then its intake and a real run
 * go on in the background, on the same two cores). The warm-up's create-service requests take the same path up to
 * the ack and are refused after it (their requester may not run create-service), so the JIT knows the measured path
 * and no run is under way when the clock starts. Bodies and signatures are made before the clock starts; the client
 * (HttpURLConnection, kept-alive connections) shares the machine, so the figures include its cost. Prints p50, p90,
 * p99 and max in milliseconds. Run: {@code mvn -q -DskipTests package} then {@code mvn -q test-compile exec:java@bench};
 * {@code -Dbench.workers=N} sets the run workers.
 *
 * <p>Paver runs as users run it: the packaged jar ({@code target/paver.jar}) started with {@code java -jar} in an empty
 * folder, in a JVM of its own with the JVM's defaults, so that the client's and the stand-in's garbage does not share
 * its heap and its collector; its settings are the benchmark's, handed over as {@code SPRING_APPLICATION_JSON}, and
 * {@code -Dbench.java-options=...} becomes its {@code JAVA_TOOL_OPTIONS} (e.g. {@code -Xlog:gc:file=gc.log}).
 * {@code -Dbench.paver=in-process} runs it inside the benchmark's JVM instead (for a profiler attached to one JVM);
 * {@code -Dbench.java-home=<JDK>} runs the jar on another JVM (the image's Java 25, say).
 */
public final class AckBenchmark {

    static final int WARMUP = Integer.getInteger("bench.warmup", 3000);
    static final int COMMANDS = 1000;
    static final String USER = "U0BENCH";
    static final String WARMUP_USER = "U0WARMUP";
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 50);
    static final boolean IN_PROCESS = "in-process".equals(System.getProperty("bench.paver", "jar"));
    /** The testbed's settings that describe its own folders and port: the jar keeps its defaults for these. */
    static final Set<String> TESTBED_LAYOUT = Set.of("server.port", "server.address", "paver.git.local-root",
            "paver.git.work-dir", "paver.templates.dir", "spring.datasource.url");

    private AckBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // HttpURLConnection keeps at most 5 idle connections per host by default; the benchmark keeps 50 busy
        System.setProperty("http.maxConnections", Integer.toString(CONCURRENCY + 10));
        Path work = Files.createTempDirectory("paver-bench-");
        // -Dbench.db=postgresql: the database of deploy/ (an embedded PostgreSQL), instead of the embedded default H2
        EmbeddedPostgres postgres = "postgresql".equals(System.getProperty("bench.db")) ? EmbeddedPostgres.builder().start() : null;
        try (Testbed testbed = new Testbed(work, false)) {
            if (postgres != null) {
                testbed.property("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
                testbed.property("spring.datasource.username", "postgres");
                testbed.property("spring.datasource.password", "postgres");
            }
            // the runs still queued when the benchmark ends fail at shutdown; their log lines are not the point here
            testbed.property("logging.level.dev.paver", "OFF");
            // Paver's own intervals, not the testbed's quick ones (made for conversations that should not wait)
            testbed.property("paver.git.poll-interval", "15s");
            testbed.property("paver.runs.timer-tick", "5s");
            testbed.property("paver.runs.catalog-refresh", "60s");
            // -Dbench.set.<property>=<value>: any Paver setting, for experiments (e.g. bench.set.server.tomcat.threads.max=4)
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.set."))
                    .forEach(k -> testbed.property(k.substring("bench.set.".length()), System.getProperty(k)));
            String workers = System.getProperty("bench.workers");
            if (workers != null) {
                testbed.property("paver.runs.worker-threads", workers); // the run workers the started runs compete on
            }
            testbed.property("paver.approvals.may-run.create-service.payments[0]", USER);
            if (IN_PROCESS) {
                testbed.startPaver();
                measureAll(testbed, testbed.eventsUrl().toURL(), postgres == null ? "H2" : "PostgreSQL");
            } else {
                // -Dbench.java-home=<JDK>: Paver on another JVM than the benchmark's (e.g. the image's Java 25)
                Path javaHome = Path.of(System.getProperty("bench.java-home", System.getProperty("java.home")));
                try (PaverJar jar = PaverJar.start(Files.createDirectories(work.resolve("jar")), jarEnvironment(testbed),
                        javaHome)) {
                    measureAll(testbed, jar.url("/slack/events").toURL(), postgres == null ? "H2" : "PostgreSQL");
                }
            }
        }
        if (postgres != null) {
            postgres.close();
        }
        System.exit(0);
    }

    /** Warms up, measures {@code help} and {@code create-service} against {@code events} and prints the figures. */
    private static void measureAll(Testbed testbed, URL events, String database) throws Exception {
        // warm the JIT on both code paths: the warm-up create-service requests are checked, stored and
        // acknowledged as the measured ones are, then refused after the ack (their requester may not run
        // create-service in payments), so no run is started before the figures are taken
        measure(testbed, events, "warm-up", WARMUP, WARMUP_USER, i -> i % 2 == 0 ? "/platform help"
                : String.format("/platform create-service warm-%04d --system checkout --owner team-payments", i));
        // and let their intake (refused, each told privately) finish before the clock starts
        int refused = WARMUP / 2;
        for (int wait = 0; wait < 600 && testbed.slack().calls("response_url").size() < refused; wait++) {
            Thread.sleep(100);
        }
        int toldInWarmUp = testbed.slack().calls("response_url").size();
        List<Long> help = measure(testbed, events, "help", COMMANDS, USER, i -> "/platform help");
        List<Long> create = measure(testbed, events, "create-service", COMMANDS, USER,
                i -> String.format("/platform create-service svc-%04d --system checkout --owner team-payments", i));
        System.out.println();
        System.out.println("Acknowledgement latency, " + COMMANDS + " signed slash commands, " + CONCURRENCY
                + " at a time, " + Runtime.getRuntime().availableProcessors() + " cores, "
                + database + ", Paver "
                + (IN_PROCESS ? "in the benchmark's JVM" : "as java -jar paver.jar in a JVM of its own") + ":");
        report("/platform help", help);
        report("/platform create-service (starts a run)", create);
        var all = testbed.slack().calls("response_url");
        var told = all.subList(Math.min(toldInWarmUp, all.size()), all.size());
        if (!told.isEmpty()) {
            System.out.println("  " + told.size() + " requesters were told privately that their run did not start, e.g. "
                    + told.get(0).param("body"));
        }
    }

    private interface Command {
        String text(int i);
    }

    /**
     * The environment of the packaged jar: the testbed's settings but its folders and port (the jar uses its working
     * folder's {@code data/}, its own templates and the port {@link PaverJar} gives it), as {@code SPRING_APPLICATION_JSON};
     * the database of {@code -Dbench.db=postgresql} is kept.
     */
    private static Map<String, String> jarEnvironment(Testbed testbed) throws Exception {
        Map<String, Object> settings = new LinkedHashMap<>(testbed.properties());
        boolean h2 = String.valueOf(settings.get("spring.datasource.url")).startsWith("jdbc:h2:");
        settings.keySet().removeIf(key -> TESTBED_LAYOUT.contains(key) && (h2 || !key.startsWith("spring.datasource.")));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPRING_APPLICATION_JSON", new ObjectMapper().writeValueAsString(settings));
        String options = System.getProperty("bench.java-options", "");
        if (!options.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", options);
        }
        return env;
    }

    private static List<Long> measure(Testbed testbed, URL url, String label, int count, String user, Command command)
            throws Exception {
        List<String> bodies = new ArrayList<>();
        List<Map<String, String>> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bodies.add(testbed.slashCommandBody("C0BENCH", user, "bench", command.text(i), label + "-" + i));
            headers.add(testbed.signedHeaders(bodies.get(i), "valid"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<Future<Long>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                byte[] body = bodies.get(n).getBytes(StandardCharsets.UTF_8);
                long start = System.nanoTime();
                HttpURLConnection connection = (HttpURLConnection) url.openConnection();
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                headers.get(n).forEach(connection::setRequestProperty);
                connection.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
                int status = connection.getResponseCode();
                byte[] answer;
                try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                    answer = in == null ? new byte[0] : in.readAllBytes();
                }
                long micros = (System.nanoTime() - start) / 1000;
                if (status != 200) {
                    throw new IllegalStateException(label + " " + n + ": HTTP " + status + " " + new String(answer));
                }
                return micros;
            }));
        }
        List<Long> out = new ArrayList<>();
        for (Future<Long> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return out;
    }

    private static void report(String label, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("  %-42s p50 %6.1f ms   p90 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n", label,
                pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.get(sorted.size() - 1) / 1000.0);
    }

    private static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}

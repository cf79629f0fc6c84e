package dev.paver.jar;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
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

/**
 * The packaged {@code paver.jar} run as a user runs it: {@code java -jar <jar>} as a separate process, with a given
 * working folder and only the environment variables a test hands it (plus {@code PATH}), its standard output and
 * error captured to a log file outside that folder. The jar is the system property {@code paver.jar} (Failsafe
 * sets it to the jar {@code package} built), else {@code target/paver.jar}. Every wait is bounded.
 */
public final class PaverJar implements AutoCloseable {

    /**
     * How long a server may take to report healthy: about 5 s on a quiet 2-core machine, 40-50 s measured when other
     * builds kept the load at 15.
     */
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /**
     * The JVM option of the README's command and of the image's: the JIT's first tier only. On two cores it starts
     * Paver sooner and answers Slack sooner than the JVM's default tiers, whose second compiler takes a core for
     * minutes after a start (docs/performance.md, "Start-up").
     */
    public static final String FIRST_TIER_ONLY = "-XX:TieredStopAtLevel=1";

    /** How long a command-line run ({@code validate}, {@code audit-export}) may take. */
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final int port;
    private final int managementPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PaverJar(Process process, Path log, int port, int managementPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** What a command-line run of the jar did. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- standard output ---\n" + stdout + "\n--- standard error ---\n" + stderr;
        }
    }

    /** The packaged jar, as an absolute path; fails when it was not built. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("paver.jar", "target/paver.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build it with mvn package (mvn verify does)");
        }
        return jar;
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A free TCP port on loopback (bound once, then released). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the server in {@code folder} with {@code env} plus {@code SERVER_PORT} (a free port) and
     * {@code SERVER_ADDRESS=127.0.0.1}, and waits until {@code /actuator/health} answers UP.
     *
     * @throws AssertionError when it exits or is not healthy within {@link #START_TIMEOUT}, with its output
     */
    public static PaverJar start(Path folder, Map<String, String> env) throws Exception {
        return start(folder, env, START_TIMEOUT);
    }

    /**
     * {@link #start(Path, Map)} with another bound on the wait until healthy.
     *
     * @throws AssertionError when it exits or is not healthy within {@code timeout}, with its output
     */
    public static PaverJar start(Path folder, Map<String, String> env, Duration timeout) throws Exception {
        return start(folder, env, timeout, readmeLaunch());
    }

    /** {@link #start(Path, Map)} on the JVM of {@code javaHome} (e.g. the image's Java 25 beside the tests' own). */
    public static PaverJar start(Path folder, Map<String, String> env, Path javaHome) throws Exception {
        return start(folder, env, START_TIMEOUT, javaHome, readmeLaunch());
    }

    /** What the README's command passes to {@code java}: the JIT's first tier only, {@code -jar}, the jar. */
    private static List<String> readmeLaunch() {
        return List.of(FIRST_TIER_ONLY, "-jar", jar().toString());
    }

    /**
     * {@link #start(Path, Map, Duration)} with another command after {@code java}: {@code launch} is e.g.
     * {@code -XX:SharedArchiveFile=<archive> -jar <extracted>/paver.jar}.
     *
     * @throws AssertionError when it exits or is not healthy within {@code timeout}, with its output
     */
    public static PaverJar start(Path folder, Map<String, String> env, Duration timeout, List<String> launch) throws Exception {
        return start(folder, env, timeout, Path.of(System.getProperty("java.home")), launch);
    }

    /**
     * {@link #start(Path, Map, Duration, List)} on the JVM of {@code javaHome} (e.g. a Java 25 beside the tests' own).
     *
     * @throws AssertionError when it exits or is not healthy within {@code timeout}, with its output
     */
    public static PaverJar start(Path folder, Map<String, String> env, Duration timeout, Path javaHome, List<String> launch)
            throws Exception {
        int port = freePort();
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("SERVER_PORT", Integer.toString(port));
        all.put("SERVER_ADDRESS", "127.0.0.1");
        Path log = Files.createTempFile("paver-jar-", ".log");
        Process process = builder(folder, all, javaHome.resolve("bin").resolve("java").toString(), launch, List.of())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        // health and probes: on the management port when env gives one (MANAGEMENT_SERVER_PORT, as deploy/ and the image)
        int management = env.containsKey("MANAGEMENT_SERVER_PORT") ? Integer.parseInt(env.get("MANAGEMENT_SERVER_PORT")) : port;
        PaverJar jar = new PaverJar(process, log, port, management);
        long started = System.nanoTime();
        try {
            jar.awaitHealthy(timeout);
            System.out.printf("paver.jar healthy after %d ms in %s%n", (System.nanoTime() - started) / 1_000_000, folder);
        } catch (Throwable e) {
            jar.close();
            throw e;
        }
        return jar;
    }

    /**
     * Runs {@code java -jar paver.jar <args>} in {@code folder} with {@code env} and waits for it to exit.
     *
     * @throws AssertionError when it does not exit within {@code timeout} (it is then killed)
     */
    public static Result run(Path folder, Map<String, String> env, Duration timeout, String... args) throws Exception {
        Path out = Files.createTempFile("paver-jar-out-", ".txt");
        Path err = Files.createTempFile("paver-jar-err-", ".txt");
        try {
            Process process = builder(folder, env, java(), List.of("-jar", jar().toString()), List.of(args)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(process);
                throw new AssertionError("java -jar paver.jar " + String.join(" ", args) + " did not exit within " + timeout
                        + "\n" + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static ProcessBuilder builder(Path folder, Map<String, String> env, String java, List<String> launch,
                                          List<String> args) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launch);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        Map<String, String> environment = builder.environment();
        // only what the test gives: nothing of the developer's or the CI's PAVER_*, SPRING_*, KUBECONFIG, ...
        String path = environment.get("PATH");
        environment.clear();
        if (path != null) {
            environment.put("PATH", path);
        }
        environment.putAll(env);
        return builder;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("paver.jar exited with " + process.exitValue() + " while starting:\n" + log());
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(managementUrl("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"UP\"")) {
                    return;
                }
                last = "HTTP " + health.statusCode() + " " + health.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("paver.jar was not healthy within " + timeout + " (" + last + "):\n" + log());
    }

    /** Deletes a folder and everything in it; nothing when it is null or gone. */
    static void delete(Path folder) throws IOException {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A URL of health and probes, e.g. {@code /actuator/health/readiness}: the management port's, else the server's. */
    public URI managementUrl(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** A URL of the server, e.g. {@code /slack/events}. */
    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Everything the process wrote to standard output and error so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Whether the process still runs. */
    public boolean alive() {
        return process.isAlive();
    }

    /** The operating system's id of the process: the JVM itself ({@code java} is started directly, no wrapper). */
    public long pid() {
        return process.pid();
    }

    /** The command line the operating system reports for the process, e.g. {@code /usr/.../bin/java}; "" when unknown. */
    public String command() {
        return process.info().command().orElse("");
    }

    /**
     * Kills the JVM at once, as a node failure or the out-of-memory killer does: {@link Process#destroyForcibly()},
     * which is SIGKILL on Linux (no shutdown hook, no graceful shutdown). Waits up to 10 s for it to be gone.
     *
     * @throws IllegalStateException when it still runs after 10 s
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("paver.jar (pid " + process.pid() + ") still runs 10 s after SIGKILL");
        }
    }

    /**
     * Stops the server as a service manager does (SIGTERM: Spring Boot's graceful shutdown), then kills it when it
     * has not exited after 20 s.
     *
     * @return the exit code, or -1 when it had to be killed
     */
    public int stop() throws InterruptedException {
        return stop(process);
    }

    private static int stop(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return process.exitValue();
        }
        process.destroy();
        if (process.waitFor(20, TimeUnit.SECONDS)) {
            return process.exitValue();
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return -1;
    }

    /** Stops the server ({@link #stop()}) and deletes its log file. */
    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            Files.deleteIfExists(log);
        }
    }
}

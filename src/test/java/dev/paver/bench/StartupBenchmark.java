package dev.paver.bench;

import dev.paver.conversation.SlackStandIn;
import dev.paver.jar.PaverJar;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.springframework.util.FileSystemUtils;

/**
 * The start-up benchmark: the packaged jar ({@code target/paver.jar}) started as a separate process, again and again,
 * each time in a new empty folder, configured only as the README's "Running Paver" and "Metrics and health" say (the
 * Slack bot token and signing secret, here of a Slack Web API stand-in on loopback; {@code MANAGEMENT_SERVER_PORT} as
 * {@code deploy/} sets it; no cluster). Per start it measures, from the instant the process is started: when the
 * server port accepts a connection ("listening"), when {@code /actuator/health/readiness} on the management port
 * answers 200 ("ready": the database, Slack's verdict on the token, every golden path loaded), the resident memory
 * of the process at ready and after {@code startup.idle} seconds of idling ({@code VmRSS} of
 * {@code /proc/<pid>/status}), and what Spring Boot logged ("Started PaverApplication in ... seconds"). It prints
 * every start and, per variant, the minimum, median and maximum; nothing is asserted.
 *
 * <p>Variants ({@code startup.variants}, comma-separated, in this order each round, the first rotating so that
 * every variant meets the same noise):
 * <ul>
 *   <li>{@code jar}: {@code java -XX:TieredStopAtLevel=1 -jar target/paver.jar}, as the README runs it;</li>
 *   <li>{@code extracted}: the jar extracted ({@code java -Djarmode=tools -jar paver.jar extract}) and run as
 *       {@code java -jar <folder>/paver.jar};</li>
 *   <li>{@code cds}: the same with the class data sharing archive, {@code -XX:SharedArchiveFile=<folder>/paver.jsa},
 *       and the context processed ahead of time ({@code -Dspring.aot.enabled=true}) when the jar carries it: the
 *       image's command ({@code -Dstartup.b.java-options=-Dspring.aot.enabled=false} measures a twin without the
 *       latter; that context needs its management port, so {@code cds} is refused with
 *       {@code -Dstartup.management-port=false}). The extracted folder and the archive are made once, before the first start, by
 *       {@code deploy/cds-archive.sh} (the script {@code deploy/Dockerfile} runs), with the JVM running this
 *       benchmark.</li>
 * </ul>
 *
 * <p>Options (system properties): {@code startup.runs} (5 rounds), {@code startup.idle} (60 s; 0 skips the idle
 * sample), {@code startup.variants} ({@code jar,extracted,cds}), {@code startup.management-port} (true: a management
 * port of its own, as {@code deploy/}; false: probes on the server port), {@code startup.java-options} (JVM options for
 * every start, e.g. {@code -Xlog:gc}), {@code startup.set.<ENV_NAME>=<value>} (an environment variable for Paver, e.g.
 * {@code -Dstartup.set.MALLOC_ARENA_MAX=2}), {@code startup.timeout} (120 s per start), {@code startup.restart}
 * (false; true: each timed start is a restart, in the folder of an untimed start before it that created the database
 * and the repositories, as a rolling restart finds them). A twin of every variant,
 * labelled {@code +b} and started right after it in each round, measures a change: {@code startup.b.jar} (another
 * build's jar, e.g. of the commit before), {@code startup.b.set.<ENV_NAME>} and {@code startup.b.java-options}
 * (settings of the twin only; any {@code startup.b.*} property makes the twins); {@code startup.c.*},
 * {@code startup.d.*} and {@code startup.e.*} make more twins ({@code +c}, ...) the same way. {@code startup.java-home}
 * (and {@code startup.b.java-home}, ...) runs a build, its archive included, on another JVM: on Java 25 the archive is
 * the ahead-of-time cache ({@code paver.aot}, {@code -XX:AOTCache}), as in the image.
 * Run: {@code mvn -q -DskipTests package && mvn -q exec:java@startup}; docs/performance.md, "Start-up".
 */
public final class StartupBenchmark {

    private static final Pattern STARTED = Pattern.compile("Started PaverApplication in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
    static final String TOKEN = "xoxb-startup-benchmark";
    static final String SECRET = "startup-benchmark-signing-secret";

    /** The options, from system properties. */
    record Options(int runs, int idleSeconds, List<String> variants, boolean managementPort, List<Build> builds,
                   int timeoutSeconds, boolean restart) {
        static Options read() {
            Build a = Build.read("startup.", "", PaverJar.jar());
            List<Build> builds = new ArrayList<>(List.of(a));
            for (String twin : List.of("b", "c", "d", "e")) {
                String prefix = "startup." + twin + ".";
                if (System.getProperties().stringPropertyNames().stream().anyMatch(k -> k.startsWith(prefix))) {
                    builds.add(Build.read(prefix, "+" + twin, System.getProperty(prefix + "jar") == null ? a.jar()
                            : Path.of(System.getProperty(prefix + "jar")).toAbsolutePath().normalize()));
                }
            }
            Options o = new Options(Integer.getInteger("startup.runs", 5), Integer.getInteger("startup.idle", 60),
                    Arrays.stream(System.getProperty("startup.variants", "jar,extracted,cds").split(",")).map(String::trim)
                            .filter(v -> !v.isEmpty()).toList(),
                    Boolean.parseBoolean(System.getProperty("startup.management-port", "true")), List.copyOf(builds),
                    Integer.getInteger("startup.timeout", 120), Boolean.getBoolean("startup.restart"));
            if (o.runs < 1 || o.idleSeconds < 0 || o.variants.isEmpty() || o.timeoutSeconds < 1
                    || !List.of("jar", "extracted", "cds").containsAll(o.variants)) {
                throw new IllegalArgumentException("startup.runs must be at least 1, startup.idle at least 0 s, "
                        + "startup.timeout at least 1 s, startup.variants some of jar, extracted, cds: got " + o);
            }
            return o;
        }
    }

    /**
     * What is started: a jar, Paver's environment variables on top of the README's, JVM options; {@code suffix} labels
     * its variants ("" or "+b").
     */
    record Build(String suffix, Path jar, Map<String, String> env, List<String> javaOptions, Path javaHome) {
        static Build read(String prefix, String suffix, Path jar) {
            Map<String, String> env = new LinkedHashMap<>();
            System.getProperties().stringPropertyNames().stream().sorted().filter(k -> k.startsWith(prefix + "set."))
                    .forEach(k -> env.put(k.substring((prefix + "set.").length()), System.getProperty(k)));
            String javaOptions = System.getProperty(prefix + "java-options", "").trim();
            String javaHome = System.getProperty(prefix + "java-home", System.getProperty("java.home"));
            return new Build(suffix, jar, env, javaOptions.isEmpty() ? List.of() : List.of(javaOptions.split("\\s+")),
                    Path.of(javaHome).toAbsolutePath().normalize());
        }
    }

    /** One start: milliseconds from the process start to listening and to ready, resident KiB, Spring's figures. */
    record Start(String variant, long listeningMillis, long readyMillis, long rssReadyKib, long rssIdleKib,
                 String springStarted, boolean archiveRefused) {
    }

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Build, Path> extracted = new LinkedHashMap<>();

    private StartupBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.read();
        try {
            new StartupBenchmark(options).run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2); // the benchmark itself failed: no figures
        }
        System.exit(0);
    }

    private void run() throws Exception {
        Path work = Files.createTempDirectory("paver-startup-");
        try (SlackStandIn slack = new SlackStandIn()) {
            List<Build> builds = options.builds();
            Build a = builds.get(0);
            for (Build build : builds) {
                if (options.variants().contains("extracted") || options.variants().contains("cds")) {
                    Path folder = work.resolve("extracted" + build.suffix().replace("+", "-"));
                    Build same = builds.stream().filter(o -> extracted.containsKey(o) && o.jar().equals(build.jar())
                            && o.javaHome().equals(build.javaHome())).findFirst().orElse(null);
                    if (same != null) {
                        folder = extracted.get(same);
                    } else {
                        long began = System.nanoTime();
                        archive(build.jar(), build.javaHome(), folder);
                        System.out.printf("deploy/cds-archive.sh %s: %.1f s (extracted jar and %s, %d MiB, in %s)%n",
                                build.jar(), (System.nanoTime() - began) / 1e9, cache(folder).getFileName(),
                                Files.size(cache(folder)) >> 20, folder);
                    }
                    extracted.put(build, folder);
                }
                System.out.printf("variants %s%s: %s; JVM %s; JVM options %s; environment %s%n", options.variants(),
                        build.suffix(), build.jar(), build.javaHome(), build.javaOptions(), build.env());
            }
            System.out.printf("%d rounds; idle sample after %d s; management port %s; %s%n", options.runs(),
                    options.idleSeconds(), options.managementPort() ? "own" : "shared", options.restart()
                            ? "restarts: each timed start in the folder of an untimed one (its database and repositories)"
                            : "each start in an empty folder");
            List<String> variants = new ArrayList<>();
            for (String variant : options.variants()) {
                for (Build build : builds) {
                    variants.add(variant + build.suffix());
                }
            }
            System.out.printf("%-10s %5s %12s %10s %14s %13s  %s%n", "variant", "round", "listening ms", "ready ms",
                    "RSS ready MiB", "RSS idle MiB", "Spring Boot: started in / process running for (s)");
            List<Start> starts = new ArrayList<>();
            for (int round = 1; round <= options.runs(); round++) {
                List<String> order = new ArrayList<>(variants);
                Collections.rotate(order, -(round - 1));
                for (String variant : order) {
                    Path folder = Files.createDirectory(work.resolve(variant.replace("+", "-") + "-" + round));
                    int plus = variant.indexOf('+');
                    Build build = plus < 0 ? a : builds.stream().filter(o -> o.suffix().equals(variant.substring(plus)))
                            .findFirst().orElseThrow();
                    String kind = plus < 0 ? variant : variant.substring(0, plus);
                    if (options.restart()) {
                        start(variant, kind, build, folder, slack, false); // untimed: the folder then holds its data
                    }
                    Start start = start(variant, kind, build, folder, slack, true);
                    starts.add(start);
                    System.out.printf("%-10s %5d %12d %10d %14d %13s  %s%s%n", variant, round, start.listeningMillis(),
                            start.readyMillis(), start.rssReadyKib() >> 10,
                            start.rssIdleKib() < 0 ? "-" : Long.toString(start.rssIdleKib() >> 10), start.springStarted(),
                            start.archiveRefused() ? "  (the JVM refused the archive: see [cds] lines)" : "");
                    FileSystemUtils.deleteRecursively(folder);
                }
            }
            System.out.println();
            System.out.printf("%-10s %22s %22s %22s %22s%n", "variant", "listening ms", "ready ms", "RSS ready MiB",
                    "RSS idle MiB");
            System.out.printf("%-10s %22s %22s %22s %22s%n", "", "min / median / max", "min / median / max",
                    "min / median / max", "min / median / max");
            for (String variant : variants) {
                List<Start> of = starts.stream().filter(s -> s.variant().equals(variant)).toList();
                System.out.printf("%-10s %22s %22s %22s %22s%n", variant,
                        spread(of.stream().mapToLong(Start::listeningMillis).toArray()),
                        spread(of.stream().mapToLong(Start::readyMillis).toArray()),
                        spread(of.stream().mapToLong(s -> s.rssReadyKib() >> 10).toArray()),
                        options.idleSeconds() == 0 ? "-" : spread(of.stream().mapToLong(s -> s.rssIdleKib() >> 10).toArray()));
            }
        } finally {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    /** The archive or cache that {@code deploy/cds-archive.sh} wrote into {@code folder}: paver.aot on Java 25+, else paver.jsa. */
    private static Path cache(Path folder) {
        Path aot = folder.resolve("paver.aot");
        return Files.exists(aot) ? aot : folder.resolve("paver.jsa");
    }

    /** Runs {@code deploy/cds-archive.sh <jar> <destination>} with {@code javaHome} as {@code JAVA_HOME}. */
    private static void archive(Path jar, Path javaHome, Path destination) throws Exception {
        Path script = Path.of("deploy", "cds-archive.sh").toAbsolutePath();
        Path log = Files.createTempFile("paver-cds-archive-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("sh", script.toString(), jar.toString(), destination.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", javaHome.toString());
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process process = builder.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("deploy/cds-archive.sh did not end within 10 minutes:\n" + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("deploy/cds-archive.sh exited with " + process.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** True when {@code jar} carries the context processed ahead of time (its generated initializer). */
    static boolean aheadOfTime(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.getEntry("dev/paver/PaverApplication__ApplicationContextInitializer.class") != null;
        }
    }

    /** One start in {@code folder}; with {@code measured} false, no idle sample (the untimed start of a restart). */
    private Start start(String variant, String kind, Build build, Path folder, SlackStandIn slack, boolean measured)
            throws Exception {
        int port = PaverJar.freePort();
        int management = options.managementPort() ? PaverJar.freePort() : port;
        // the README's command and the image's both run the JIT's first tier only (-XX:TieredStopAtLevel=4 in
        // startup.b.java-options, which come later, measures a twin with the JVM's default tiers)
        List<String> command = new ArrayList<>(List.of(build.javaHome().resolve("bin").resolve("java").toString(),
                PaverJar.FIRST_TIER_ONLY));
        Path folderOfBuild = extracted.get(build);
        Path jar = kind.equals("jar") ? build.jar() : folderOfBuild.resolve("paver.jar");
        if (kind.equals("cds")) {
            // the image's command: the archive, and the context processed ahead of time when the build has it
            Path cache = cache(folderOfBuild);
            command.add((cache.getFileName().toString().equals("paver.aot") ? "-XX:AOTCache=" : "-XX:SharedArchiveFile=") + cache);
            if (aheadOfTime(jar)) {
                command.add("-Dspring.aot.enabled=true");
            }
        }
        command.addAll(build.javaOptions()); // after: -Dspring.aot.enabled=false here measures without it
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear(); // only what the README says: nothing of the developer's PAVER_*, SPRING_*, KUBECONFIG, JAVA_TOOL_OPTIONS
        if (path != null) {
            env.put("PATH", path);
        }
        env.put("PAVER_SLACK_BOT_TOKEN", TOKEN);
        env.put("PAVER_SLACK_SIGNING_SECRET", SECRET);
        env.put("PAVER_SLACK_API_URL", slack.apiUrl());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_ADDRESS", "127.0.0.1");
        if (options.managementPort()) {
            env.put("MANAGEMENT_SERVER_PORT", Integer.toString(management));
            env.put("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        }
        env.putAll(build.env());
        Path log = Files.createTempFile("paver-startup-", ".log");
        long began = System.nanoTime();
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = began + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
            long listening = -1;
            long ready = -1;
            URI readiness = URI.create("http://127.0.0.1:" + management + "/actuator/health/readiness");
            while (ready < 0) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(variant + ": paver.jar exited with " + process.exitValue()
                            + " while starting:\n" + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(variant + ": paver.jar not ready within " + options.timeoutSeconds()
                            + " s:\n" + Files.readString(log));
                }
                if (listening < 0 && accepts(port)) {
                    listening = System.nanoTime();
                }
                if ((listening >= 0 || management != port) && ready(readiness)) {
                    ready = System.nanoTime();
                    if (listening < 0 && accepts(port)) {
                        listening = ready;
                    }
                }
                Thread.sleep(10);
            }
            long rssReady = rssKib(process.pid());
            long rssIdle = -1;
            if (measured && options.idleSeconds() > 0) {
                Thread.sleep(options.idleSeconds() * 1000L);
                rssIdle = rssKib(process.pid());
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Matcher started = STARTED.matcher(output);
            return new Start(variant, (listening - began) / 1_000_000, (ready - began) / 1_000_000, rssReady, rssIdle,
                    started.find() ? started.group(1) + " / " + started.group(2) : "(not logged)",
                    output.lines().anyMatch(l -> l.contains("[cds")));
        } finally {
            process.destroy(); // SIGTERM: Spring Boot's graceful shutdown
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean ready(URI readiness) throws InterruptedException {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code VmRSS} of {@code /proc/<pid>/status}, in KiB; -1 where there is no such file. */
    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String spread(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        return String.format(Locale.ROOT, "%d / %d / %d", sorted[0], median, sorted[sorted.length - 1]);
    }
}

package dev.paver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.GitStandIn;
import dev.paver.conversation.SlackSigner;
import dev.paver.conversation.Testbed;
import dev.paver.jar.FaultySlack;
import dev.paver.jar.PaverJar;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.springframework.util.FileSystemUtils;

/**
 * The fault benchmark: the packaged jar ({@code target/paver.jar}) run as separate processes in an empty folder, sent
 * signed {@code /platform create-service} commands while it is killed with SIGKILL at random instants and restarted
 * on the same folder, against a Slack stand-in that may answer 429, 500 or slowly ({@link FaultySlack}). A person
 * (this program, with JGit) merges every GitOps branch Paver pushes, so that runs can reach their end. At the end it
 * stops Paver gracefully, reads the runs from the database and prints figures: requests, acknowledgements, runs and
 * cards, kills, things done twice, lost requests, stale cards, peak Slack rates, calls made before a {@code Retry-After} had
 * passed, and what four forged or replayed requests did. docs/performance.md, "Fault benchmark", explains each figure.
 *
 * <p>Options are system properties ({@code -Dfaults.seed=2}): {@code faults.seed} (1), {@code faults.requests} (20),
 * {@code faults.kills} (9), {@code faults.spread} (seconds over which requests are sent, 60), {@code faults.wait}
 * (seconds to wait at the end for runs to finish, 60), {@code faults.slack} ({@code none}, {@code 429},
 * {@code 500}, {@code slow}), {@code faults.slack.fraction} (0.2), {@code faults.slack.retry-after} (5 s),
 * {@code faults.slack.delay} (4 s), {@code faults.replicas} (1; 2 or 3 run on one embedded PostgreSQL),
 * {@code faults.probes} (true), {@code faults.assert} (false: exit 1 when a target is missed), {@code faults.channels}
 * (1: the requests go to this many channels in turn, as people of several teams ask at once),
 * {@code faults.settle} (0: seconds to wait after the runs ended before the last memory sample) and
 * {@code faults.java-options} (none: JVM options for Paver's processes, given as {@code JAVA_TOOL_OPTIONS}, e.g. a JFR
 * recording or {@code -Xmx}). It also prints the heap left after a full collection (through the JDK's {@code jcmd})
 * before the first request and at the end, and the
 * acknowledgement latency of the answered attempts, when the last GitOps branch was pushed (the pull request of plain
 * git) and the resident memory of the (first) Paver process: before the first request, at its peak, and at the end.
 * A burst: {@code -Dfaults.requests=200 -Dfaults.spread=1 -Dfaults.kills=0 -Dfaults.probes=false -Dfaults.channels=50
 * -Dfaults.wait=900 -Dfaults.settle=300}.
 * Run: {@code mvn -q -DskipTests package && mvn -q exec:java@faults -Dfaults.seed=1}.
 */
public final class FaultBenchmark {

    static final String CHANNEL = "C0PAYMENTS";
    static final String DANA = "U0DANA";
    static final String SECRET = "fault-benchmark-signing-secret";
    static final String TOKEN = "xoxb-fault-benchmark";
    static final String PROBE = "probe-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CARD = Pattern.compile("^create-service payments/([a-z0-9-]+): (.*)$", Pattern.DOTALL);
    private static final Set<String> FINAL = Set.of("Done", "Failed", "Denied", "Expired");

    /** The options, from system properties. */
    record Options(long seed, int requests, int kills, int spreadSeconds, int waitSeconds, FaultySlack.Mode slack,
                   double fraction, int retryAfter, int delay, int replicas, boolean probes, boolean assertTargets,
                   int startTimeout, int channels, int settleSeconds, String javaOptions) {
        static Options read() {
            Options o = new Options(Long.getLong("faults.seed", 1), Integer.getInteger("faults.requests", 20),
                    Integer.getInteger("faults.kills", 9), Integer.getInteger("faults.spread", 60),
                    Integer.getInteger("faults.wait", 60), FaultySlack.Mode.parse(System.getProperty("faults.slack", "none")),
                    Double.parseDouble(System.getProperty("faults.slack.fraction", "0.2")),
                    Integer.getInteger("faults.slack.retry-after", 5), Integer.getInteger("faults.slack.delay", 4),
                    Integer.getInteger("faults.replicas", 1), Boolean.parseBoolean(System.getProperty("faults.probes", "true")),
                    Boolean.parseBoolean(System.getProperty("faults.assert", "false")),
                    Integer.getInteger("faults.start-timeout", 300), Integer.getInteger("faults.channels", 1),
                    Integer.getInteger("faults.settle", 0), System.getProperty("faults.java-options", ""));
            if (o.requests < 1 || o.kills < 0 || o.replicas < 1 || o.replicas > 3 || o.fraction < 0 || o.fraction > 1
                    || o.spreadSeconds < 1 || o.waitSeconds < 0 || o.channels < 1 || o.channels > 999 || o.settleSeconds < 0) {
                throw new IllegalArgumentException("faults.requests must be at least 1, faults.kills at least 0, faults.replicas "
                        + "1 to 3, faults.slack.fraction 0 to 1, faults.spread at least 1 s, faults.wait at least 0 s, "
                        + "faults.channels 1 to 999, faults.settle at least 0 s: got " + o);
            }
            return o;
        }
    }

    /** One Paver process slot: its working folder and environment, the process of the moment (null while down). */
    static final class Node {
        final String name;
        final Path work;
        final Map<String, String> env;
        volatile PaverJar jar;
        int starts;
        int failedStarts;
        long warnings;
        long errors;
        /** The distinct messages of the ERROR lines, without their time and thread. */
        final Set<String> errorLines = new java.util.LinkedHashSet<>();

        Node(String name, Path work, Map<String, String> env) {
            this.name = name;
            this.work = work;
            this.env = env;
        }

        boolean up() {
            PaverJar j = jar;
            return j != null && j.alive();
        }

        /** Starts the process and waits until healthy; tries again (up to three times) when a start fails or times out. */
        void start(Duration timeout) throws Exception {
            Files.createDirectories(work);
            PaverJar started = null;
            for (int attempt = 1; started == null; attempt++) {
                try {
                    started = PaverJar.start(work, env, timeout);
                } catch (AssertionError e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    System.err.println(name + " did not start (" + e.getMessage().lines().findFirst().orElse("") + "): again");
                    failedStarts++;
                }
            }
            if (starts++ == 0) {
                System.out.printf("%s: pid %d, %s%n", name, started.pid(), started.command());
            }
            jar = started;
        }

        void kill() throws Exception {
            PaverJar j = jar;
            jar = null;
            j.kill();
            retire(j);
        }

        void stop() throws Exception {
            PaverJar j = jar;
            jar = null;
            if (j != null) {
                j.stop();
                retire(j);
            }
        }

        private void retire(PaverJar j) throws Exception {
            for (String line : j.log().lines().toList()) {
                warnings += line.contains(" WARN ") ? 1 : 0;
                if (line.contains(" ERROR ")) {
                    errors++;
                    errorLines.add(line.substring(line.indexOf(" ERROR ") + 7).replaceFirst("^\\d+ --- \\[[^]]*\\] \\[[^]]*\\] ", ""));
                }
            }
            j.close();
        }
    }

    /** One person's request: a service name, the attempts to get it acknowledged. */
    static final class Request {
        final String service;
        final String channel;
        volatile long ackMillis = -1;
        final List<String> triggers = new CopyOnWriteArrayList<>();
        volatile boolean acknowledged;
        volatile String answer = "";
        int attempts;
        int unavailable;
        int noAnswer;

        Request(String service, String channel) {
            this.service = service;
            this.channel = channel;
        }
    }

    private final Options options;
    private final FaultySlack slack;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger roundRobin = new AtomicInteger();
    private final List<String> kills = new CopyOnWriteArrayList<>();
    private final Map<String, String> merged = new ConcurrentHashMap<>();
    /** When the merger first saw each GitOps branch, seconds since the start (to the merger's 1 s poll). */
    private final Map<String, Double> pushed = new ConcurrentHashMap<>();
    /** The first Paver process's resident memory, sampled every second: MiB. */
    private final List<Double> rss = new CopyOnWriteArrayList<>();
    private volatile double rssBefore;
    private volatile double rssEnd;
    private volatile double liveBefore = -1;
    private volatile double liveAfter = -1;
    private volatile String heapHistogram = "";
    private volatile double sendingFrom;
    private final AtomicInteger mergeFailures = new AtomicInteger();
    private final Map<String, String> probes = new LinkedHashMap<>();
    private final long started = System.nanoTime();
    private volatile boolean stopping;
    private volatile double ended;
    private Path folder;

    private FaultBenchmark(Options options) {
        this.options = options;
        this.slack = new FaultySlack(options.slack(), options.fraction(), options.retryAfter(), options.delay(), options.seed());
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.read();
        FaultBenchmark bench = new FaultBenchmark(options);
        boolean met = false;
        try {
            met = bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(2); // the benchmark itself failed: no figures
        } finally {
            bench.slack.close();
        }
        System.exit(options.assertTargets() && !met ? 1 : 0);
    }

    private boolean run() throws Exception {
        folder = Files.createTempDirectory("paver-faults-");
        EmbeddedPostgres postgres = options.replicas() > 1 ? EmbeddedPostgres.builder().start() : null;
        try {
            Path gitRoot = folder.resolve("data").resolve("git");
            for (int i = 1; i <= options.replicas(); i++) {
                Map<String, String> env = new LinkedHashMap<>();
                env.put("PAVER_SLACK_BOT_TOKEN", TOKEN);
                env.put("PAVER_SLACK_SIGNING_SECRET", SECRET);
                env.put("PAVER_SLACK_API_URL", slack.apiUrl());
                env.put("PAVER_KUBERNETES_ENABLED", "false");
                env.put("PAVER_GIT_LOCAL_ROOT", gitRoot.toString());
                env.put("PAVER_GIT_POLL_INTERVAL", "1s");
                env.put("PAVER_RUNS_CATALOG_REFRESH", "1s");
                if (!options.javaOptions().isBlank()) {
                    env.put("JAVA_TOOL_OPTIONS", options.javaOptions());
                }
                if (postgres != null) {
                    env.put("SPRING_DATASOURCE_URL", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
                    env.put("SPRING_DATASOURCE_USERNAME", "postgres");
                    env.put("SPRING_DATASOURCE_PASSWORD", "postgres");
                }
                nodes.add(new Node("replica-" + i, options.replicas() == 1 ? folder : folder.resolve("replica-" + i), env));
            }
            for (Node node : nodes) {
                node.start(startTimeout()); // one after the other: the first creates the embedded repositories
            }
            GitStandIn git = new GitStandIn(gitRoot);
            Thread merger = thread("merger", () -> merge(git));
            if (options.probes()) {
                probe();
            }
            Thread sampler = thread("memory", this::sampleMemory);
            Thread.sleep(1_500);
            rssBefore = rss.isEmpty() ? 0 : rss.get(rss.size() - 1);
            liveBefore = liveHeap();
            sendingFrom = seconds();
            Thread sender = thread("sender", this::send);
            Thread killer = thread("killer", this::kill);
            sender.join();
            killer.join();
            long deadline = System.nanoTime() + options.waitSeconds() * 1_000_000_000L;
            while (System.nanoTime() < deadline && !allCardsFinal()) {
                Thread.sleep(500);
            }
            ended = seconds();
            Thread.sleep(options.settleSeconds() * 1000L);
            rssEnd = rss.isEmpty() ? 0 : rss.get(rss.size() - 1);
            liveAfter = liveHeap();
            heapHistogram = histogram(12);
            Thread.sleep(2_000); // a sample of the resident memory after the full collection
            stopping = true;
            sampler.join(5_000);
            merger.join(30_000);
            for (Node node : nodes) {
                node.stop();
            }
            List<RunRow> runs = postgres != null ? runs(postgres.getPostgresDatabase().getConnection())
                    : runs(DriverManager.getConnection("jdbc:h2:file:" + folder.resolve("data").resolve("paver") + ";IFEXISTS=TRUE", "sa", ""));
            return report(runs);
        } finally {
            stopping = true;
            for (Node node : nodes) {
                try {
                    node.stop();
                } catch (Exception e) {
                    System.err.println(node.name + " did not stop: " + e);
                }
            }
            if (postgres != null) {
                postgres.close();
            }
            FileSystemUtils.deleteRecursively(folder);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static Thread thread(String name, Work work) {
        Thread t = new Thread(() -> {
            try {
                work.run();
            } catch (Exception e) {
                System.err.println(name + " failed: " + e);
                e.printStackTrace();
            }
        }, name);
        t.start();
        return t;
    }

    private Duration startTimeout() {
        return Duration.ofSeconds(options.startTimeout());
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    // --- the people ----------------------------------------------------------------------------------------------

    /**
     * Sends the requests, one every spread/requests seconds, each by its own person (thread): a person retries a
     * request that got no answer, while the others go on.
     */
    private void send() throws Exception {
        long gapMillis = options.spreadSeconds() * 1000L / options.requests();
        for (int i = 0; i < options.requests(); i++) {
            requests.add(new Request(String.format("svc-%02d", i + 1),
                    options.channels() == 1 ? CHANNEL : String.format("C0TEAM%03d", i % options.channels())));
        }
        List<Thread> people = new ArrayList<>();
        for (int i = 0; i < options.requests(); i++) {
            Request request = requests.get(i);
            long due = i * gapMillis;
            people.add(thread("person-" + request.service, () -> {
                Thread.sleep(due);
                ask(request);
            }));
        }
        for (Thread person : people) {
            person.join();
        }
    }

    private void ask(Request request) throws Exception {
        // a person keeps trying while the service is down, longer than a start may take
        long giveUp = System.nanoTime() + (options.startTimeout() + 120) * 1_000_000_000L;
        while (!request.acknowledged && System.nanoTime() < giveUp) {
            request.attempts++;
            Node node = pick();
            if (node == null) {
                request.unavailable++; // the load balancer has no replica up: Slack shows the person an error
            } else {
                String trigger = "req-" + request.service + "-" + request.attempts;
                request.triggers.add(trigger);
                String body = slashCommand(create(request.service), trigger, request.channel);
                String now = Long.toString(System.currentTimeMillis() / 1000);
                try {
                    long sent = System.nanoTime();
                    HttpResponse<String> answer = send(node, body, List.of(now), List.of(SlackSigner.sign(SECRET, now, body)));
                    request.answer = answer.statusCode() + " " + answer.body();
                    request.acknowledged = answer.statusCode() == 200 && answer.body().contains("Starting");
                    if (request.acknowledged) {
                        request.ackMillis = (System.nanoTime() - sent) / 1_000_000;
                    }
                    if (answer.statusCode() == 200 && !request.acknowledged) {
                        return; // refused by Paver with a reason: a person reads it, does not retry
                    }
                } catch (IOException e) {
                    request.noAnswer++; // killed mid-request or no answer in Slack's 3 s: the person tries again
                }
            }
            if (!request.acknowledged) {
                Thread.sleep(2_000);
            }
        }
    }

    private Node pick() {
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(Math.floorMod(roundRobin.getAndIncrement(), nodes.size()));
            if (node.up()) {
                return node;
            }
        }
        return null;
    }

    /**
     * The heap the first replica's process still uses after a full collection, in MiB, read with the JDK's
     * {@code jcmd} ({@code GC.run}, then {@code GC.heap_info}); -1 when the process or the tool is not there.
     */
    private double liveHeap() throws InterruptedException {
        PaverJar jar = nodes.get(0).jar;
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (jar == null || !jar.alive() || !Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            String pid = Long.toString(jar.pid());
            new ProcessBuilder(jcmd.toString(), pid, "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            Process info = new ProcessBuilder(jcmd.toString(), pid, "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor();
            Matcher used = Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(out);
            return used.find() ? Long.parseLong(used.group(2)) / 1024.0 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The first {@code lines} classes of the first replica's heap histogram ({@code jcmd GC.class_histogram}). */
    private String histogram(int lines) throws InterruptedException {
        PaverJar jar = nodes.get(0).jar;
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (jar == null || !jar.alive() || !Files.isExecutable(jcmd)) {
            return "";
        }
        try {
            Process info = new ProcessBuilder(jcmd.toString(), Long.toString(jar.pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            info.waitFor();
            return out.lines().filter(l -> l.matches("\\s*(num|\\d+:).*")).limit(lines + 1)
                    .collect(Collectors.joining("\n"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Samples the resident memory (VmRSS) of the first replica's process of the moment, every second, until the end. */
    private void sampleMemory() throws Exception {
        while (!stopping) {
            PaverJar jar = nodes.get(0).jar;
            if (jar != null && jar.alive()) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + jar.pid() + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            rss.add(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
                        }
                    }
                } catch (IOException gone) {
                    // killed or stopped between the check and the read
                }
            }
            Thread.sleep(1_000);
        }
    }

    /** Kills a (random) replica at random instants drawn from the seed, and restarts it on the same folder. */
    private void kill() throws Exception {
        Random random = new Random(options.seed());
        // at least 10 s of uptime between kills on average, so that runs make progress between them
        double mean = Math.max(10.0, (double) options.spreadSeconds() / Math.max(1, options.kills()));
        for (int k = 0; k < options.kills(); k++) {
            double gap = 1.0 + random.nextDouble() * (2 * mean - 2.0);
            Node node = nodes.get(random.nextInt(nodes.size()));
            Thread.sleep((long) (gap * 1000));
            double at = seconds();
            node.kill();
            kills.add(String.format("%.1f s (%s)", at, node.name));
            node.start(startTimeout());
        }
    }

    /** A person merges every GitOps branch of Paver's whose head is not on main yet (again when a branch moved). */
    private void merge(GitStandIn git) throws Exception {
        Set<String> failed = ConcurrentHashMap.newKeySet();
        while (!stopping) {
            Thread.sleep(1_000);
            for (String branch : git.paverBranches("payments-gitops")) {
                if (!branch.contains("create-service-")) {
                    continue;
                }
                String head = git.head("payments-gitops", branch);
                pushed.putIfAbsent(branch, seconds());
                if (head.isEmpty() || failed.contains(head) || onMain(git, head)) {
                    continue;
                }
                try {
                    git.merge("payments-gitops", branch, "Alex");
                    merged.put(branch, head);
                } catch (Exception e) {
                    failed.add(head);
                    mergeFailures.incrementAndGet();
                }
            }
        }
    }

    private static boolean onMain(GitStandIn git, String head) throws IOException {
        try (Repository repo = Git.open(git.bare("payments-gitops").toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            ObjectId main = repo.resolve(Constants.R_HEADS + "main");
            return main != null && walk.isMergedInto(walk.parseCommit(ObjectId.fromString(head)), walk.parseCommit(main));
        }
    }

    /** Replayed and forged requests, sent before the faults start; their effect is read from the runs at the end. */
    private void probe() throws Exception {
        Node node = nodes.get(0);
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String replay = slashCommand(create(PROBE + "replay"), "probe-replay");
        String signature = SlackSigner.sign(SECRET, now, replay);
        String first = status(node, replay, List.of(now), List.of(signature));
        String second = status(node, replay, List.of(now), List.of(signature));
        probes.put(PROBE + "replay", "identical signed request sent twice: " + first + ", then " + second);

        String future = Long.toString(System.currentTimeMillis() / 1000 + 360);
        String ahead = slashCommand(create(PROBE + "future"), "probe-future");
        probes.put(PROBE + "future", "timestamp 6 minutes ahead: "
                + status(node, ahead, List.of(future), List.of(SlackSigner.sign(SECRET, future, ahead))));

        String twoSignatures = slashCommand(create(PROBE + "twosig"), "probe-twosig");
        probes.put(PROBE + "twosig", "two X-Slack-Signature headers (valid, then forged): " + status(node, twoSignatures,
                List.of(now), List.of(SlackSigner.sign(SECRET, now, twoSignatures), "v0=" + "0".repeat(64))));

        String twoTimestamps = slashCommand(create(PROBE + "twots"), "probe-twots");
        String old = Long.toString(System.currentTimeMillis() / 1000 - 3600);
        probes.put(PROBE + "twots", "two X-Slack-Request-Timestamp headers (signed one, then an hour old): "
                + status(node, twoTimestamps, List.of(now, old), List.of(SlackSigner.sign(SECRET, now, twoTimestamps))));
    }

    /** The status of a probe's answer, "no answer" when it gave none within 15 s (the probes wait longer than Slack). */
    private String status(Node node, String body, List<String> timestamps, List<String> signatures) throws InterruptedException {
        try {
            return "HTTP " + send(node, body, timestamps, signatures, Duration.ofSeconds(15)).statusCode();
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String create(String service) {
        return "/platform create-service " + service + " --system checkout --owner team-payments --profile small";
    }

    private String slashCommand(String typed, String trigger) throws Exception {
        return slashCommand(typed, trigger, CHANNEL);
    }

    private String slashCommand(String typed, String trigger, String channel) throws Exception {
        int space = typed.indexOf(' ');
        JsonNode fixture = Testbed.fixture("vercel-chat-slash-commands-slack.json").path("slashCommandWithArgs");
        Map<String, String> form = new LinkedHashMap<>();
        fixture.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().asText()));
        form.put("channel_id", channel);
        form.put("user_id", DANA);
        form.put("user_name", "dana");
        form.put("command", typed.substring(0, space));
        form.put("text", typed.substring(space + 1));
        form.put("response_url", slack.responseUrl(trigger));
        form.put("trigger_id", trigger);
        return form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Posts a slash command to {@code /slack/events} with the given header values, as Slack does, waiting 3 s as Slack does. */
    private HttpResponse<String> send(Node node, String body, List<String> timestamps, List<String> signatures)
            throws IOException, InterruptedException {
        return send(node, body, timestamps, signatures, Duration.ofSeconds(3));
    }

    private HttpResponse<String> send(Node node, String body, List<String> timestamps, List<String> signatures, Duration wait)
            throws IOException, InterruptedException {
        PaverJar jar = node.jar;
        if (jar == null) {
            throw new IOException(node.name + " is down");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(jar.url("/slack/events")).timeout(wait)
                .header("Content-Type", "application/x-www-form-urlencoded");
        timestamps.forEach(t -> request.header("X-Slack-Request-Timestamp", t));
        signatures.forEach(s -> request.header("X-Slack-Signature", s));
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- what Slack shows ------------------------------------------------------------------------------------------

    /** A status card: its service, its ts, its state as it reads now. */
    record CardNow(String service, String ts, String state) {
    }

    private List<CardNow> cards() {
        List<CardNow> cards = new ArrayList<>();
        for (FaultySlack.Message m : slack.channels().stream().flatMap(ch -> slack.messages(ch).stream()).toList()) {
            Matcher card = CARD.matcher(m.text());
            if (m.threadTs().isEmpty() && card.matches()) {
                cards.add(new CardNow(card.group(1), m.ts(), card.group(2)));
            }
        }
        return cards;
    }

    private static boolean isFinal(String state) {
        return FINAL.contains(state);
    }

    private boolean allCardsFinal() {
        Map<String, List<CardNow>> byService = cards().stream().collect(Collectors.groupingBy(CardNow::service));
        for (Request r : requests) {
            List<CardNow> cards = byService.getOrDefault(r.service, List.of());
            if (r.acknowledged && (cards.isEmpty() || !isFinal(cards.get(cards.size() - 1).state()))) {
                return false;
            }
        }
        return true;
    }

    // --- the figures -----------------------------------------------------------------------------------------------

    /** A run as the database holds it after the last stop. */
    record RunRow(String id, String service, String state, String channel, String cardTs, String outcome) {
    }

    private static List<RunRow> runs(Connection connection) throws Exception {
        List<RunRow> runs = new ArrayList<>();
        try (connection; Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT id, request_json, state, channel, card_ts, outcome FROM runs ORDER BY created_at")) {
            while (rs.next()) {
                JsonNode request = JSON.readTree(rs.getString("request_json"));
                JsonNode parameters = request.path("parameters");
                String service = parameters.path("service").asText(parameters.path("name").asText(""));
                runs.add(new RunRow(rs.getString("id"), service, rs.getString("state"), rs.getString("channel"), rs.getString("card_ts"),
                        rs.getString("outcome")));
            }
        }
        return runs;
    }

    /** The word the card shows for a run state (CardBuilder): WAITING shows "Waiting..." with what it waits for. */
    private static boolean shows(String cardState, String runState) {
        return switch (runState) {
            case "RUNNING" -> cardState.equals("Running");
            case "WAITING" -> cardState.startsWith("Waiting");
            case "SUCCEEDED" -> cardState.equals("Done");
            case "FAILED" -> cardState.equals("Failed");
            case "DENIED" -> cardState.equals("Denied");
            case "EXPIRED" -> cardState.equals("Expired");
            default -> false;
        };
    }

    private boolean report(List<RunRow> runs) {
        List<FaultySlack.Call> calls = slack.calls();
        List<CardNow> cards = cards();
        Map<String, List<RunRow>> runsOf = runs.stream().collect(Collectors.groupingBy(RunRow::service));
        Map<String, List<CardNow>> cardsOf = cards.stream().collect(Collectors.groupingBy(CardNow::service));
        List<Request> acked = requests.stream().filter(r -> r.acknowledged).toList();

        // done twice
        int twoRuns = 0;
        int twoRunsResent = 0;
        int twoCards = 0;
        for (Request r : requests) {
            int extraRuns = Math.max(0, runsOf.getOrDefault(r.service, List.of()).size() - 1);
            twoRuns += extraRuns;
            twoRunsResent += r.triggers.size() > 1 ? extraRuns : 0;
            twoCards += Math.max(0, cardsOf.getOrDefault(r.service, List.of()).size() - 1);
        }
        List<FaultySlack.Call> posts = calls.stream().filter(c -> c.method().equals("chat.postMessage") && c.applied()).toList();
        Set<String> probeThreads = cards.stream().filter(c -> c.service().startsWith(PROBE)).map(CardNow::ts).collect(Collectors.toSet());
        int twiceInThread = extra(posts.stream().filter(c -> !c.param("thread_ts").isEmpty()
                && !probeThreads.contains(c.param("thread_ts"))).toList(), c -> c.param("channel") + "|" + c.param("thread_ts") + "|" + c.param("text"));
        int twicePrompted = extra(posts.stream().filter(c -> c.param("text").contains("Approval needed")).toList(),
                c -> c.param("channel") + "|" + c.param("text"));
        int twiceTold = extra(calls.stream().filter(c -> c.method().equals("response_url") && c.applied()).toList(),
                c -> c.param("to") + "|" + c.param("body"))
                + extra(calls.stream().filter(c -> c.method().equals("chat.postEphemeral") && c.applied()).toList(),
                c -> c.param("channel") + "|" + c.param("user") + "|" + c.param("text"));

        // lost: acknowledged, never started, nobody told
        List<String> told = calls.stream().filter(c -> c.method().equals("response_url") || c.method().equals("chat.postEphemeral"))
                .map(c -> c.param("to") + " " + c.param("body") + " " + c.param("text")).toList();
        List<String> lost = new ArrayList<>();
        for (Request r : acked) {
            boolean started = runsOf.containsKey(r.service) || cardsOf.containsKey(r.service);
            boolean informed = told.stream().anyMatch(t -> r.triggers.stream().anyMatch(t::startsWith) || t.contains(r.service));
            if (!started && !informed) {
                lost.add(r.service);
            }
        }

        // stale cards: the card of each run against the run's state at the end; cards no run points at
        Map<String, CardNow> cardByTs = cards.stream().collect(Collectors.toMap(CardNow::ts, Function.identity(), (a, b) -> a));
        List<String> stale = new ArrayList<>();
        int noCard = 0;
        int unfinished = 0;
        List<String> failed = new ArrayList<>();
        Set<String> pointed = ConcurrentHashMap.newKeySet();
        for (RunRow run : runs) {
            if (run.service().startsWith(PROBE)) {
                continue;
            }
            unfinished += Set.of("RUNNING", "WAITING").contains(run.state()) ? 1 : 0;
            if (!Set.of("RUNNING", "WAITING", "SUCCEEDED").contains(run.state())) {
                failed.add(run.service() + " " + run.state() + ": " + run.outcome());
            }
            if (run.cardTs() == null) {
                noCard++;
                continue;
            }
            pointed.add(run.cardTs());
            CardNow card = cardByTs.get(run.cardTs());
            if (card == null || !shows(card.state(), run.state())) {
                stale.add(run.service() + " (run " + run.state() + ", card \"" + (card == null ? "missing" : card.state()) + "\")");
            }
        }
        for (CardNow card : cards) {
            if (!pointed.contains(card.ts()) && !card.service().startsWith(PROBE) && !isFinal(card.state())) {
                stale.add(card.service() + " (a card no run points at, \"" + card.state() + "\")");
            }
        }

        // Slack rates
        Map<String, List<Long>> postsPerChannel = new TreeMap<>();
        Map<String, List<Long>> editsPerCard = new TreeMap<>();
        for (FaultySlack.Call c : calls) {
            if (c.method().equals("chat.postMessage")) {
                postsPerChannel.computeIfAbsent(c.param("channel"), k -> new ArrayList<>()).add(c.millis());
            } else if (c.method().equals("chat.update")) {
                editsPerCard.computeIfAbsent(c.param("channel") + " " + c.param("ts"), k -> new ArrayList<>()).add(c.millis());
            }
        }
        int peakPosts = postsPerChannel.values().stream().mapToInt(FaultBenchmark::peakPerSecond).max().orElse(0);
        int peakEdits = editsPerCard.values().stream().mapToInt(FaultBenchmark::peakPerSecond).max().orElse(0);
        long early = calls.stream().filter(FaultySlack.Call::early).count();
        long refused429 = calls.stream().filter(c -> c.status() == 429).count();
        long refused500 = calls.stream().filter(c -> c.status() == 500).count();
        // links to the embedded bare repositories are file:// URLs by design; a path anywhere else is the server's
        String path = folder.toString();
        long showingPaths = slack.channels().stream().flatMap(ch -> slack.messages(ch).stream())
                .filter(m -> (m.text() + m.blocks()).replaceAll("file://[^\\s|>\"]*", "").contains(path)).count();

        // probes
        List<String[]> probeRows = new ArrayList<>();
        boolean probesMet = true;
        for (Map.Entry<String, String> probe : probes.entrySet()) {
            int effects = Math.max(runsOf.getOrDefault(probe.getKey(), List.of()).size(), cardsOf.getOrDefault(probe.getKey(), List.of()).size());
            boolean replay = probe.getKey().endsWith("replay");
            boolean ok = replay ? effects <= 1 : effects == 0;
            probesMet &= ok;
            probeRows.add(new String[] {probe.getValue(), effects + " run(s) started", ok ? "ok" : (replay ? "SECOND EFFECT" : "ACCEPTED")});
        }

        int attempts = requests.stream().mapToInt(r -> r.attempts).sum();
        int unavailable = requests.stream().mapToInt(r -> r.unavailable).sum();
        int noAnswer = requests.stream().mapToInt(r -> r.noAnswer).sum();
        long mainRuns = runs.stream().filter(r -> !r.service().startsWith(PROBE)).count();
        long mainCards = cards.stream().filter(c -> !c.service().startsWith(PROBE)).count();
        int twice = twoRuns + twoCards + twiceInThread + twicePrompted + twiceTold;

        System.out.println();
        System.out.printf("Fault benchmark: seed %d, %d requests over %d s, %d kills, Slack %s%s, %d replica(s), %d cores%n",
                options.seed(), options.requests(), options.spreadSeconds(), options.kills(), options.slack().name().toLowerCase(),
                switch (options.slack()) {
                    case RATE_LIMITED -> String.format(" (%.0f%% of calls, Retry-After %d s)", options.fraction() * 100, options.retryAfter());
                    case SERVER_ERROR -> String.format(" (%.0f%% of calls)", options.fraction() * 100);
                    case SLOW -> " (every answer " + options.delay() + " s late)";
                    case NONE -> "";
                }, options.replicas(), Runtime.getRuntime().availableProcessors());
        String format = "  %-58s %10s   %s%n";
        System.out.printf(format, "figure", "value", "target");
        row(format, "requests sent (distinct services)", requests.size(), "");
        row(format, "  attempts (a person retries an unanswered request)", attempts, "");
        row(format, "  attempts with no replica up / no answer within 3 s", unavailable + " / " + noAnswer, "");
        row(format, "requests acknowledged", acked.size(), "");
        row(format, "runs started (in the database)", mainRuns, "");
        row(format, "status cards posted", mainCards, "");
        row(format, "kills (SIGKILL)", kills.size(), "");
        row(format, "done twice, all kinds", twice, "0");
        row(format, "  requests with two runs or more (extra runs)", twoRuns, "0");
        row(format, "    of which the person had sent the request again", twoRunsResent, "");
        row(format, "  requests with two cards or more (extra cards)", twoCards, "0");
        row(format, "  thread replies posted twice (same text, same thread)", twiceInThread, "0");
        row(format, "  approval prompts posted twice", twicePrompted, "0");
        row(format, "  private answers sent twice", twiceTold, "0");
        row(format, "lost requests (acknowledged, never started, nobody told)", lost.size(), "0");
        row(format, "stale cards at the end", stale.size(), "0");
        row(format, "runs not finished at the end / runs without a card", unfinished + " / " + noCard, "");
        row(format, "runs failed, denied or expired", failed.size(), "");
        row(format, "peak messages per second in one channel", peakPosts, "1");
        row(format, "peak edits per second of one card", peakEdits, "1");
        row(format, "Slack calls / answered 429 / answered 500", calls.size() + " / " + refused429 + " / " + refused500, "");
        row(format, "calls sent before a Retry-After had passed", early, "0");
        row(format, "messages showing a server path", showingPaths, "0");
        row(format, "GitOps merges by a person / merges that failed", merged.size() + " / " + mergeFailures.get(), "");
        row(format, "starts that failed or took longer than faults.start-timeout", nodes.stream().mapToInt(n -> n.failedStarts).sum(), "");
        row(format, "Paver log lines WARN / ERROR", nodes.stream().mapToLong(n -> n.warnings).sum() + " / "
                + nodes.stream().mapToLong(n -> n.errors).sum(), "");
        List<Long> acks = requests.stream().filter(r -> r.ackMillis >= 0).map(r -> r.ackMillis).sorted().toList();
        if (!acks.isEmpty()) {
            row(format, "acknowledgement p50 / p99 / max (answered attempts)", acks.get(acks.size() / 2) + " / "
                    + acks.get(Math.max(0, (int) Math.ceil(acks.size() * 0.99) - 1)) + " / " + acks.get(acks.size() - 1) + " ms", "");
        }
        double lastPush = pushed.entrySet().stream().filter(e -> e.getKey().contains("create-service-svc-"))
                .mapToDouble(Map.Entry::getValue).max().orElse(0);
        row(format, "GitOps branches pushed / last one after the first request", pushed.keySet().stream()
                .filter(b -> b.contains("create-service-svc-")).count() + String.format(" / %.0f s", lastPush - sendingFrom), "");
        row(format, "all cards final after the first request", String.format("%.0f s", ended - sendingFrom), "");
        if (!rss.isEmpty()) {
            row(format, "resident memory before / peak / at the end (MiB)", String.format("%.0f / %.0f / %.0f", rssBefore,
                    rss.stream().mapToDouble(Double::doubleValue).max().orElse(0), rssEnd),
                    options.settleSeconds() > 0 ? "end: " + options.settleSeconds() + " s after the runs" : "");
        }
        if (liveBefore >= 0 && liveAfter >= 0) {
            row(format, "heap after a full GC before / at the end (MiB)", String.format("%.0f / %.0f", liveBefore, liveAfter), "");
            row(format, "resident memory after that full GC (MiB)", String.format("%.0f", rss.get(rss.size() - 1)), "");
        }
        if (!heapHistogram.isEmpty()) {
            System.out.println("  largest classes on the heap at the end (jcmd GC.class_histogram):");
            heapHistogram.lines().forEach(l -> System.out.println("    " + l));
        }
        row(format, "wall time", String.format("%.0f s", seconds()), "");
        for (String[] p : probeRows) {
            System.out.printf("  probe: %-70s %-16s %s%n", p[0], p[1], p[2]);
        }
        System.out.println("  kills at: " + String.join(", ", kills));
        if (!lost.isEmpty()) {
            System.out.println("  lost: " + lost);
        }
        failed.forEach(f -> System.out.println("  ended without success: " + f));
        nodes.stream().flatMap(n -> n.errorLines.stream()).distinct().limit(5)
                .forEach(e -> System.out.println("  log ERROR: " + e));
        if (!stale.isEmpty()) {
            System.out.println("  stale: " + stale);
        }
        List<String> notAcked = requests.stream().filter(r -> !r.acknowledged).map(r -> r.service + ": " + r.answer).toList();
        if (!notAcked.isEmpty()) {
            System.out.println("  not acknowledged: " + notAcked);
        }
        String transcript = System.getProperty("faults.transcript", "");
        if (!transcript.isBlank()) {
            writeTranscript(Path.of(transcript), calls);
        }
        return twice == 0 && lost.isEmpty() && stale.isEmpty() && early == 0 && probesMet && showingPaths == 0;
    }

    /** Every Slack call, one a line: seconds since the first, method, status, channel, thread, ts, text. */
    private static void writeTranscript(Path file, List<FaultySlack.Call> calls) {
        long first = calls.isEmpty() ? 0 : calls.get(0).millis();
        StringBuilder out = new StringBuilder();
        for (FaultySlack.Call c : calls) {
            out.append(String.format("%8.3f %-22s %3d%s %s thread=%s ts=%s %s%n", (c.millis() - first) / 1000.0, c.method(),
                    c.status(), c.early() ? " EARLY" : "", c.param("channel"), c.param("thread_ts"), c.ts(),
                    (c.param("text") + c.param("body")).replace("\n", " | ")));
        }
        try {
            Files.writeString(file, out);
            System.out.println("  every Slack call: " + file.toAbsolutePath());
        } catch (IOException e) {
            System.err.println("could not write " + file + ": " + e);
        }
    }

    private static void row(String format, String label, Object value, String target) {
        System.out.printf(format, label, value, target);
    }

    /** How many calls beyond the first share a key. */
    private static int extra(List<FaultySlack.Call> calls, Function<FaultySlack.Call, String> key) {
        return calls.stream().collect(Collectors.groupingBy(key, Collectors.counting())).values().stream()
                .mapToInt(n -> (int) (n - 1)).sum();
    }

    /** The most calls in any one-second window, from arrival times in milliseconds. */
    static int peakPerSecond(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted(Comparator.naturalOrder()).toList();
        int peak = 0;
        int from = 0;
        for (int to = 0; to < sorted.size(); to++) {
            while (sorted.get(to) - sorted.get(from) >= 1000) {
                from++;
            }
            peak = Math.max(peak, to - from + 1);
        }
        return peak;
    }
}

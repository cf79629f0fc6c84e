package dev.paver.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.paver.backstage.BackstageBackend;
import dev.paver.core.secret.TestKeys;
import dev.paver.git.JGitRepositories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A real Paver server and the stand-ins around it, all on loopback: the Slack Web API (WireMock), local git
 * repositories or the GitHub stand-in ({@link #github()}), and optionally fabric8's mock Kubernetes API server. Sends
 * signed Slack requests to Paver's {@code /slack/events}. Used by the conversation tests, the demo and the benchmark.
 */
public final class Testbed implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SIGNING_SECRET = "testbed-signing-secret";

    private final SlackStandIn slack = new SlackStandIn();
    private final ClusterStandIn cluster;
    private final GitStandIn git;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final MutableClock clock = new MutableClock();
    private final Path workDir;
    private final Map<String, ClusterStandIn> environmentClusters = new LinkedHashMap<>();
    private PaverInstance paver;
    private GitDaemon daemon;
    private GitHubStandIn github;
    /** This testbed's own Backstage backend (with the GitHub stand-in), else null. */
    private BackstageBackend backstage;

    /** The organization that owns the repositories on the GitHub stand-in ({@link #github()}). */
    public static final String GITHUB_ORGANIZATION = "acme";

    /**
     * @param workDir an empty folder for git repositories and the database
     * @param withCluster true to start the mock Kubernetes API server and point Paver at it
     */
    public Testbed(Path workDir, boolean withCluster) {
        this.workDir = workDir;
        this.cluster = withCluster ? new ClusterStandIn("argocd") : null;
        this.git = new GitStandIn(workDir.resolve("git"));
        properties.put("server.port", "0");
        properties.put("server.address", "127.0.0.1");
        properties.put("paver.slack.api-url", slack.apiUrl());
        properties.put("paver.slack.bot-token", "xoxb-testbed-stand-in");
        properties.put("paver.slack.signing-secret", SIGNING_SECRET);
        // the stand-in is not Slack: Slack's pace (2 messages in 2 s per channel, chat.update 3 in 3.6 s) would make
        // every conversation wait for nothing; SlackRateLimitsTest checks the pace with Slack's figures
        properties.put("paver.slack.rate-limits.channel-messages-per-second", "100");
        properties.put("paver.slack.rate-limits.method-rate-factor", "100");
        properties.put("paver.git.local-root", workDir.resolve("git").toString());
        properties.put("paver.git.work-dir", workDir.resolve("git-work").toString());
        properties.put("paver.git.poll-interval", "200ms");
        properties.put("paver.github.poll-interval", "200ms");
        properties.put("paver.runs.timer-tick", "200ms");
        properties.put("paver.runs.catalog-refresh", "200ms");
        properties.put("paver.templates.dir", Path.of("templates").toAbsolutePath().toString());
        // the default URL's settings (application.yml), in this testbed's folder: a commit is written at once
        properties.put("spring.datasource.url", "jdbc:h2:file:" + workDir.resolve("db").resolve("paver").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        properties.put("logging.level.root", "WARN");
        if (cluster != null) {
            properties.put("paver.kubernetes.api-url", cluster.url());
        } else {
            properties.put("paver.kubernetes.enabled", "false");
        }
    }

    /**
     * Gives Paver the certificate of the testbed's Sealed Secrets controller ({@link #sealedSecretsKeyPair}) as
     * {@code paver.sealed-secrets.certificate-file}. Only when asked ({@code sealed_secrets: true} in a conversation):
     * making the key pair takes a second or so of a start-up that most conversations, the demo and the benchmark do
     * not need. Call before {@link #startPaver}.
     */
    public void sealedSecretsController() {
        properties.put("paver.sealed-secrets.certificate-file", sealedSecretsCertificate(workDir).toString());
    }

    /**
     * The Sealed Secrets controller's key pair of the testbed: a 4096-bit RSA pair made once per test run; the private
     * key unseals what Paver sealed ({@code unseals} in a conversation).
     */
    public static java.security.KeyPair sealedSecretsKeyPair() {
        return dev.paver.core.secret.TestKeys.rsa(4096);
    }

    private static Path sealedSecretsCertificate(Path workDir) {
        try {
            java.nio.file.Files.createDirectories(workDir);
            return java.nio.file.Files.writeString(workDir.resolve("sealed-secrets-cert.pem"),
                    dev.paver.core.secret.TestKeys.pem(sealedSecretsKeyPair())).toAbsolutePath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Serves the testbed's git folder with a real {@code git daemon} on loopback and points Paver at it with
     * {@code paver.git.remote-url} ({@code git://127.0.0.1:<port>}), as an operator of another git host does:
     * Paver then cannot create repositories. The folder gets the embedded default's {@code payments-gitops} (the
     * files Paver seeds a local root with), named in {@code paver.git.repositories}. Call before {@link #startPaver}.
     */
    public void gitDaemon() {
        Path base = workDir.resolve("git");
        new JGitRepositories(base.toString(), workDir.resolve("seed-work"), "main", null)
                .seed("payments-gitops", seedFiles(), "Create the payments domain with the checkout system");
        daemon = GitDaemon.start(base);
        properties.put("paver.git.remote-url", daemon.url());
        properties.put("paver.git.repositories", "payments-gitops");
    }

    /**
     * Starts the GitHub stand-in ({@link GitHubStandIn}, organization {@value #GITHUB_ORGANIZATION}, on Paver's clock)
     * and points Paver at it as the README says for GitHub: {@code paver.github.token}, {@code api-url},
     * {@code organization}, and a {@code cache-dir} in this testbed's folder. Paver then works through its GitHub
     * adapter (github-api) only; the stand-in holds the embedded default's {@code payments-gitops}. Content-creating
     * requests are paced at GitHub's secondary limit (80 a minute) rather than Paver's default of 60, which only
     * slows a conversation down. Call before {@link #startPaver}; a second call returns the same stand-in.
     */
    public GitHubStandIn github() {
        if (github == null) {
            try {
                github = new GitHubStandIn(GITHUB_ORGANIZATION, clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            github.seed("payments-gitops", seedFiles());
            properties.put("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
            properties.put("paver.github.api-url", github.baseUrl());
            properties.put("paver.github.organization", GITHUB_ORGANIZATION);
            properties.put("paver.github.cache-dir", workDir.resolve("github-cache").toString());
            properties.put("paver.github.content-per-minute", String.valueOf(GitHubStandIn.PER_MINUTE));
        }
        return github;
    }

    /** The Templates that conversations run as Scaffolder tasks, in the test backend's catalog. */
    public static final Path BACKSTAGE_TEMPLATES = BackstageBackend.FOLDER.resolve("conversation-templates.yaml");
    /** Their tag ({@code metadata.tags}), and their namespace. */
    public static final String BACKSTAGE_TEMPLATE_TAG = "paver-conversation";

    /**
     * The host that the Backstage test backend knows the GitHub stand-in by ({@code integrations.github[].host}, and
     * the host of a Template's {@code repoUrl}); its API is the stand-in's {@link GitHubStandIn#baseUrl()}.
     */
    public static final String BACKSTAGE_GITHUB_HOST = "github.stand-in.test";

    /**
     * Points Paver at a real Backstage backend as the engine ({@code backstage: engine} in a conversation): a backend
     * of this testbed's own ({@link BackstageBackend#start(Map)}, stopped by {@link #close()}), whose catalog holds
     * {@link #BACKSTAGE_TEMPLATES} and whose {@code integrations.github} is the GitHub stand-in (host
     * {@value #BACKSTAGE_GITHUB_HOST}, the stand-in's API URL and a token), so that a Template's
     * {@code publish:github:pull-request} opens its pull request there. The stand-in's address is known only once it
     * runs, hence a backend per testbed. Paver gets {@code paver.backstage.url}, {@code paver.backstage.token-file}
     * (its static token in a file of this testbed's folder, as a mounted secret) and
     * {@code paver.backstage.template-tag} {@value #BACKSTAGE_TEMPLATE_TAG}, as the configuration page says an
     * operator sets them. Waits (at most 60 s) until the catalog lists every Template of that file, since Paver reads
     * them at start-up. Call after {@link #github()} and before {@link #startPaver}; a second call returns the same
     * backend.
     *
     * @throws IllegalStateException when {@link #github()} was not called, the backend cannot start, or its catalog
     *                               does not list the Templates in time
     */
    public BackstageBackend backstage() {
        if (github == null) {
            throw new IllegalStateException("the Backstage test backend publishes to the GitHub stand-in: call github() first");
        }
        if (backstage != null) {
            return backstage;
        }
        ArrayNode integrations = JSON.createArrayNode();
        integrations.addObject().put("host", BACKSTAGE_GITHUB_HOST).put("apiBaseUrl", github.baseUrl())
                .put("token", "ghp_backstageTokenNotARealOne0001");
        backstage = BackstageBackend.start(Map.of("APP_CONFIG_integrations_github", integrations.toString()));
        BackstageBackend backend = backstage;
        try {
            long expected = Files.readAllLines(BACKSTAGE_TEMPLATES).stream().filter(l -> l.equals("kind: Template")).count();
            boolean listed = eventually(() -> {
                HttpResponse<String> answer = backend.get("/api/catalog/entities/by-query?filter=kind=template,"
                        + "metadata.namespace=" + BACKSTAGE_TEMPLATE_TAG, true);
                try {
                    return answer.statusCode() == 200 && JSON.readTree(answer.body()).path("items").size() == expected;
                } catch (IOException e) {
                    return false;
                }
            }, Duration.ofSeconds(60));
            if (!listed) {
                throw new IllegalStateException("the Backstage test backend's catalog does not list the " + expected
                        + " Templates of " + BACKSTAGE_TEMPLATES + " after 60 s; see " + BackstageBackend.LOG);
            }
            Path tokenFile = Files.createDirectories(workDir).resolve("backstage-token");
            Files.writeString(tokenFile, backend.token());
            properties.put("paver.backstage.url", backend.baseUrl().toString());
            properties.put("paver.backstage.token-file", tokenFile.toString());
            properties.put("paver.backstage.template-tag", BACKSTAGE_TEMPLATE_TAG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Backstage test backend's catalog", e);
        }
        return backend;
    }

    /** The git host Paver works with: the GitHub stand-in once {@link #github()} was called, else the bare repositories. */
    public GitHost gitHost() {
        return github != null ? github : git;
    }

    /** The embedded default's {@code payments-gitops}: the files Paver seeds a local root with, path to text. */
    private static Map<String, String> seedFiles() {
        Path seed = Path.of("src", "main", "resources", "seed", "payments-gitops");
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(seed)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(seed.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /**
     * Starts a mock API server of its own for an environment and points {@code paver.kubernetes.clusters.<env>.api-url}
     * at it: that environment's claims, RoleBindings and Sealed Secrets certificate are there, while Argo CD stays in
     * the default cluster. Its Sealed Secrets controller serves the certificate of
     * {@link #sealedSecretsKeyPair(String)}, through the service proxy as {@code kubeseal --fetch-cert} reads it. Call
     * before {@link #startPaver}.
     */
    public ClusterStandIn environmentCluster(String environment) {
        ClusterStandIn cluster = new ClusterStandIn("argocd",
                TestKeys.pem(sealedSecretsKeyPair(environment)));
        environmentClusters.put(environment, cluster);
        properties.put("paver.kubernetes.clusters." + environment + ".api-url", cluster.url());
        return cluster;
    }

    /** The mock API server of an environment ({@link #environmentCluster}), or null when it has none. */
    public ClusterStandIn clusterOf(String environment) {
        return environmentClusters.get(environment);
    }

    private static final Map<String, KeyPair> ENVIRONMENT_KEYS = new ConcurrentHashMap<>();

    /**
     * The Sealed Secrets controller's key pair of an environment's cluster: a 2048-bit RSA pair per environment, made
     * once per test run, so that each cluster's controller has a key of its own.
     */
    public static KeyPair sealedSecretsKeyPair(String environment) {
        return ENVIRONMENT_KEYS.computeIfAbsent(environment, e -> {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    /** Sets or overrides a property for the next {@link #startPaver()}. */
    public void property(String key, String value) {
        properties.put(key, value);
    }

    /** The properties the next {@link #startPaver()} gives Paver, in the order they were set. */
    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** Starts Paver (again, after {@link #stopPaver()}: same database, repositories and stand-ins). */
    public void startPaver() {
        paver = PaverInstance.start(properties, clock);
    }

    public void stopPaver() {
        if (paver != null) {
            paver.close();
            paver = null;
        }
    }

    /** Paver's clock: moved forward by {@code time_passes}. */
    public MutableClock clock() {
        return clock;
    }

    /** Sends an Events API callback (JSON) to {@code /slack/events}, signed. */
    public HttpResponse<String> postEvent(String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUrl()).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        signedHeaders(json, "valid").forEach((k, v) -> request.header(k, k.equals("Content-Type") ? "application/json" : v));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public PaverInstance paver() {
        return paver;
    }

    public SlackStandIn slack() {
        return slack;
    }

    /** The mock API server, or null when the testbed has no cluster. */
    public ClusterStandIn cluster() {
        return cluster;
    }

    /** The bare repositories under the local root (the embedded default and {@link #gitDaemon()}). */
    public GitStandIn git() {
        return git;
    }

    /**
     * Sends a slash command as Slack does: form-encoded with the fields of a recorded real payload
     * ({@code slack/vercel-chat-slash-commands-slack.json}), signed.
     *
     * @param signature {@code valid}, {@code wrong} (another secret) or {@code stale} (10 minutes old)
     */
    public HttpResponse<String> slashCommand(String channel, String user, String userName, String typed, String triggerId,
                                             String signature) throws Exception {
        return post(slashCommandBody(channel, user, userName, typed, triggerId), signature);
    }

    /** The form body of a slash command, as {@link #slashCommand} sends it. */
    public String slashCommandBody(String channel, String user, String userName, String typed, String triggerId) throws Exception {
        int space = typed.indexOf(' ');
        String command = space < 0 ? typed : typed.substring(0, space);
        String text = space < 0 ? "" : typed.substring(space + 1);
        JsonNode fixture = fixture("vercel-chat-slash-commands-slack.json").path("slashCommandWithArgs");
        Map<String, String> form = new LinkedHashMap<>();
        fixture.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().asText()));
        form.put("channel_id", channel);
        form.put("user_id", user);
        form.put("user_name", userName);
        form.put("command", command);
        form.put("text", text);
        form.put("response_url", slack.responseUrl(triggerId));
        form.put("trigger_id", triggerId);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** Sends a form body to {@code /slack/events}, signed as {@code signature} says. */
    public HttpResponse<String> post(String body, String signature) throws Exception {
        return http.send(signedRequest(body, signature), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A request to {@code /slack/events} with Slack's signature headers.
     *
     * @param signature {@code valid}, {@code wrong} (another secret) or {@code stale} (10 minutes old)
     */
    public HttpRequest signedRequest(String body, String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(eventsUrl()).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        signedHeaders(body, signature).forEach(request::header);
        return request.build();
    }

    /** Paver's {@code /slack/events}. */
    public URI eventsUrl() {
        return URI.create("http://127.0.0.1:" + paver.port() + "/slack/events");
    }

    /** The headers Slack sends with a form body: content type, timestamp and signature as {@code signature} says. */
    public Map<String, String> signedHeaders(String body, String signature) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000 - (signature.equals("stale") ? 600 : 0));
        String signed = SlackSigner.sign(signature.equals("wrong") ? "not-the-secret" : SIGNING_SECRET, timestamp, body);
        return Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp", timestamp,
                "X-Slack-Signature", signed);
    }

    /** The HTTP client requests are sent with. */
    public HttpClient http() {
        return http;
    }

    /** A Slack fixture of the shared fixtures folder. */
    public static JsonNode fixture(String name) throws Exception {
        JsonNode cached = FIXTURES.get(name);
        if (cached == null) {
            cached = JSON.readTree(Path.of("..", "shared", "fixtures", "slack", name).toFile());
            FIXTURES.put(name, cached);
        }
        return cached.deepCopy();
    }

    private static final Map<String, JsonNode> FIXTURES = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void close() {
        stopPaver();
        if (cluster != null) {
            cluster.close();
        }
        environmentClusters.values().forEach(ClusterStandIn::close);
        if (daemon != null) {
            daemon.close();
        }
        if (backstage != null) {
            backstage.close();
        }
        if (github != null) {
            github.close();
        }
        slack.close();
    }

    /**
     * Whether {@code condition} holds within {@code limit}, asked every 100 ms (at least once); for what Paver does
     * on its own threads after a request was answered.
     */
    public static boolean eventually(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long tries = Math.max(1, limit.toMillis() / 100);
        for (long i = 0; i < tries; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}

package dev.paver.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful GitHub REST API on 127.0.0.1 that enforces GitHub's rate limits, for the calls Paver's
 * {@code GitHubRepositories} makes: organizations and their repositories, references, recursive trees, trees and
 * commits of the Git database API, blobs, pull requests, GitHub Pages ("Create a GitHub Pages site") and workflow
 * dispatches ("Get a workflow", "Create a workflow dispatch event": a workflow is a file of .github/workflows/ on
 * main, dispatchable when it has a workflow_dispatch trigger). Also what Backstage's {@code publish:github:pull-request}
 * (octokit-plugin-create-pull-request) asks: the repository's {@code permissions}, "List commits" of a branch,
 * "Create a blob" (base64), trees of blob shas, and the GraphQL query of a ref's open pull request. Shapes follow
 * GitHub's REST docs (and the recorded answers in ../shared/fixtures/github); only the fields github-api and that
 * plugin read are filled.
 *
 * <p>Limits, on the given clock, as GitHub documents them ("Rate limits for the REST API"):
 * <ul>
 *   <li>secondary: more than 80 content-creating requests (POST, PATCH, PUT, DELETE) in a rolling minute, or more
 *       than 500 in a rolling hour, are answered 403 with GitHub's secondary-limit message and {@code Retry-After};
 *       refused requests are not counted;</li>
 *   <li>primary: 5,000 requests an hour (the hour starting when the stand-in starts); every answer carries
 *       {@code x-ratelimit-*}; past the limit: 403 with {@code x-ratelimit-remaining: 0};</li>
 *   <li>conditional requests: every 200 to a GET has an {@code ETag}; a GET whose {@code If-None-Match} matches is
 *       answered 304 with no body and costs no quota.</li>
 * </ul>
 *
 * <p>GitHub App mode ({@link #requireApp}), as GitHub documents it ("Authenticating as a GitHub App", "Generating an
 * installation access token for a GitHub App"): {@code GET /app}, {@code GET /app/installations/{id}},
 * {@code GET /orgs/{org}/installation} and {@code POST /app/installations/{id}/access_tokens} need a JWT signed
 * RS256 with the App's key, whose {@code iss} is the App id and whose {@code exp} lies ahead, at most 10 minutes,
 * on the stand-in's clock; every other request needs an installation token it issued that has not expired on its
 * clock ({@code expires_at} = issue time + the lifetime given). Anything else is answered 401, and counted.
 *
 * <p>Checks, merges and auto-merge (GitHub docs: "List check runs for a Git reference", "List commit statuses for a
 * reference", "Merge a pull request", GraphQL {@code enablePullRequestAutoMerge}):
 * <ul>
 *   <li>{@link #check}: every commit made in a repository from then on (a pull request's head) carries a check run or a
 *       commit status of that name, pending until the given delay has passed on the stand-in's clock since the
 *       commit was made, then {@code success} or {@code failure}. {@link #checkDelay} changes the delay of every
 *       check of a repository (what a benchmark sets); {@link #rerun} makes one check of one commit conclude anew.
 *       Every check counts as required.</li>
 *   <li>{@code PUT /repos/{o}/{r}/pulls/{n}/merge}: 409 when {@code sha} is not the head; 405 while a check is not
 *       green ("Required status check ... is expected/failing") or when {@link #requireApprovingReview} was set;
 *       else a merge commit on the base branch (the head's files when the head contains the base, else the base's
 *       files with the head's over them), {@code merged_by} {@value #MERGER}.</li>
 *   <li>{@code POST /graphql} with {@code enablePullRequestAutoMerge} or {@code disablePullRequestAutoMerge}
 *       ({@code pullRequestId} the pull request's
 *       {@code node_id}): refused with GitHub's messages when the repository does not allow auto-merge
 *       ({@link #allowAutoMerge}, off by default as on GitHub) or the pull request can be merged now ("clean
 *       status"); else recorded in the pull request's {@code auto_merge}, and the pull request is merged, as by the
 *       merge above, at the first request after all its checks are green (and no approving review is required).</li>
 * </ul>
 *
 * <p>As a conversation's {@link GitHost} ({@code git: github}) it is also what people do on GitHub: push, merge a pull
 * request with the button (refused while a required check is not green), create a repository; and what a
 * conversation reads back: branches, files, refs and every text Paver wrote.
 */
public final class GitHubStandIn implements GitHost, AutoCloseable {

    public static final int PER_MINUTE = 80;
    public static final int PER_HOUR = 500;
    public static final int PRIMARY_PER_HOUR = 5000;
    /** GitHub's message for a secondary limit (the recorded 429 in the fixtures; the 403 says the same). */
    public static final String SECONDARY_MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes"
            + " before you try again. If you reach out to GitHub Support for help, please include the request ID CC37:2605:3F982:4E949:5E3C5BFC.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPO_PATH = Pattern.compile("/repos/([^/]+)/([^/]+)(/.*)?");

    private final HttpServer server;
    private final ExecutorService threads;
    private final Clock clock;
    private final String org;
    private final Instant started;
    private final Map<String, Repo> repos = new TreeMap<>();
    private final Deque<Instant> content = new ArrayDeque<>();
    private int primaryUsed;
    private long primaryHour;
    private int forcedLimits;
    private int forcedRetryAfter;

    private final Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();
    private final AtomicInteger notModified = new AtomicInteger();
    private final AtomicInteger secondaryAnswers = new AtomicInteger();
    private final AtomicInteger primaryAnswers = new AtomicInteger();
    private final AtomicInteger contentRequests = new AtomicInteger();
    private int peakPerMinute;
    private int peakPrimaryUsed;
    private int peakPerHour;

    /** Who merges on the stand-in: the {@code merged_by} login of every merge. */
    public static final String MERGER = "paver-bot";

    /** A check run or a commit status. */
    public enum CheckKind {
        CHECK_RUN, STATUS
    }

    /** @param url a check run's {@code details_url} or a status's {@code target_url}; null: the stand-in's own */
    private record CheckSpec(String name, CheckKind kind, boolean succeeds, Duration after, String url) {
    }

    /** repository to the checks every new commit of it carries */
    private final Map<String, List<CheckSpec>> checks = new ConcurrentHashMap<>();
    /** commit sha to when it was made, on the stand-in's clock */
    private final Map<String, Instant> commitTimes = new ConcurrentHashMap<>();
    /** commit sha to the order in which it was made (1, 2, ...), for branches newest first */
    private final Map<String, Long> commitOrder = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong commitCounter = new java.util.concurrent.atomic.AtomicLong();
    /** {@code <sha> <check name>} to the state a re-run of the check on that commit concluded ({@link #rerun}) */
    private final Map<String, String> reruns = new ConcurrentHashMap<>();
    private final Map<String, Boolean> autoMergeAllowed = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reviewRequired = new ConcurrentHashMap<>();
    /** repository to its GitHub Pages site */
    private final Map<String, ObjectNode> pagesSites = new ConcurrentHashMap<>();
    private final List<String> dispatches = new ArrayList<>();

    /** The App every request must authenticate as; null: no authentication is checked. */
    private volatile App app;
    /** Installation tokens issued, to when they expire on the stand-in's clock. */
    private final Map<String, Instant> installationTokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger expiredTokenAnswers = new AtomicInteger();
    private final AtomicInteger unauthorizedAnswers = new AtomicInteger();
    private final AtomicInteger jwtRefusals = new AtomicInteger();

    private record App(String id, PublicKey key, long installationId, Duration tokenLifetime) {
    }

    /** Starts on a free port of 127.0.0.1, serving organization {@code org}, with the time of {@code clock}. */
    public GitHubStandIn(String org, Clock clock) throws IOException {
        this.org = org;
        this.clock = clock;
        this.started = clock.instant();
        // the JDK server writes headers and body apart: without TCP_NODELAY each answer may stall on a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        threads = Executors.newFixedThreadPool(8);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code http://127.0.0.1:<port>}: the API URL to give github-api. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Creates a repository with one commit on {@code main} holding {@code files}. */
    public synchronized void seed(String name, Map<String, String> files) {
        Repo repo = new Repo(name, "");
        repo.commit(new TreeMap<>(files), List.of(), "seed", "main");
        repos.put(name, repo);
    }

    /** What a person's push does: a commit of {@code files} (added or changed) on top of the branch. */
    public synchronized void push(String repository, String branch, Map<String, String> files) {
        Repo repo = repos.get(repository);
        String parent = repo.refs.get(branch);
        Map<String, String> all = new TreeMap<>();
        repo.trees.get(repo.commits.get(parent).tree()).forEach((p, b) -> all.put(p, repo.blobs.get(b)));
        all.putAll(files);
        repo.commit(all, List.of(parent), "push", branch);
    }

    /**
     * Every commit made in {@code repository} from now on carries the check {@code name}: pending for {@code after}
     * on the stand-in's clock, then {@code success} (when {@code succeeds}) or {@code failure}.
     */
    public synchronized void check(String repository, String name, CheckKind kind, boolean succeeds, Duration after) {
        check(repository, name, kind, succeeds, after, null);
    }

    /**
     * As {@link #check(String, String, CheckKind, boolean, Duration)}, with the link the check's CI gives: a check
     * run's {@code details_url} (its {@code html_url} stays GitHub's page of the run, as on GitHub) or a commit
     * status's {@code target_url}; null: the stand-in's own.
     */
    public synchronized void check(String repository, String name, CheckKind kind, boolean succeeds, Duration after, String url) {
        checks.computeIfAbsent(repository, r -> new ArrayList<>()).add(new CheckSpec(name, kind, succeeds, after, url));
    }

    /**
     * The check {@code name} of commit {@code sha} is run again and concludes at once: {@code success} when
     * {@code succeeds}, else {@code failure} (GitHub: "Rerequest a check run", or a CI posting a new status of the same
     * context).
     *
     * @throws IllegalArgumentException when the repository has no such check or no such commit
     */
    public synchronized void rerun(String repository, String sha, String name, boolean succeeds) {
        Repo repo = repos.get(repository);
        if (repo == null || !repo.commits.containsKey(sha)) {
            throw new IllegalArgumentException(repository + " has no commit " + sha);
        }
        if (checks.getOrDefault(repository, List.of()).stream().noneMatch(c -> c.name().equals(name))) {
            throw new IllegalArgumentException(repository + " has no check " + name + "; its checks: "
                    + checks.getOrDefault(repository, List.of()).stream().map(CheckSpec::name).toList());
        }
        reruns.put(sha + " " + name, succeeds ? "success" : "failure");
    }

    /** Every check of {@code repository} (those given to {@link #check}) now turns after {@code after}. */
    public synchronized void checkDelay(String repository, Duration after) {
        checks.computeIfPresent(repository, (r, list) -> new ArrayList<>(list.stream()
                .map(c -> new CheckSpec(c.name(), c.kind(), c.succeeds(), after, c.url())).toList()));
    }

    /** The repository's "Allow auto-merge" setting ({@code allow_auto_merge}); off until this is called. */
    public void allowAutoMerge(String repository, boolean allowed) {
        autoMergeAllowed.put(repository, allowed);
    }

    /** Branch protection on the base branch: an approving review is required, so no merge is accepted. */
    public void requireApprovingReview(String repository) {
        reviewRequired.put(repository, true);
    }

    /** A pull request as GitHub shows it now ({@code state}, {@code merged}, {@code merged_by}, {@code auto_merge}). */
    public synchronized JsonNode pullRequest(String repository, int number) {
        Repo repo = repos.get(repository);
        sweepAutoMerges();
        return repo.pulls.stream().filter(p -> p.path("number").asInt() == number).findFirst()
                .map(p -> (JsonNode) repo.fresh(p).deepCopy()).orElse(null);
    }

    /** The next {@code count} content-creating requests are refused as over the secondary limit. */
    public synchronized void refuseNextContent(int count, int retryAfterSeconds) {
        forcedLimits = count;
        forcedRetryAfter = retryAfterSeconds;
    }

    /**
     * From now on every request must authenticate as the GitHub App {@code appId} (see the class comment):
     * installation {@code installationId} of the organization, tokens that live {@code tokenLifetime} on this
     * stand-in's clock.
     */
    public void requireApp(String appId, PublicKey key, long installationId, Duration tokenLifetime) {
        app = new App(appId, key, installationId, tokenLifetime);
    }

    /** Installation tokens issued ({@code POST /app/installations/{id}/access_tokens} answered 201). */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** Requests answered 401 because their installation token had expired on the stand-in's clock. */
    public int expiredTokenAnswers() {
        return expiredTokenAnswers.get();
    }

    /** Requests answered 401 for any reason: no credentials, an unknown or expired token, a refused JWT. */
    public int unauthorizedAnswers() {
        return unauthorizedAnswers.get();
    }

    /** JWTs refused: bad signature, another issuer, expired, or {@code exp} more than 10 minutes ahead. */
    public int jwtRefusals() {
        return jwtRefusals.get();
    }

    /** Requests answered, by kind: {@code "POST /repos/{o}/{r}/pulls"}, {@code "GET /repos/{o}/{r}"} (304s too). */
    public Map<String, Integer> requestsByKind() {
        Map<String, Integer> out = new TreeMap<>();
        byKind.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public int notModified() {
        return notModified.get();
    }

    public int secondaryLimitAnswers() {
        return secondaryAnswers.get();
    }

    public int primaryLimitAnswers() {
        return primaryAnswers.get();
    }

    /** Content-creating requests accepted (not refused). */
    public int contentRequests() {
        return contentRequests.get();
    }

    /** The most accepted content-creating requests seen in one rolling minute, and in one rolling hour. */
    public synchronized int peakPerMinute() {
        return peakPerMinute;
    }

    public synchronized int peakPerHour() {
        return peakPerHour;
    }

    /** Primary quota used in the current hour (304s cost nothing). */
    public synchronized int primaryUsed() {
        rollPrimaryHour();
        return primaryUsed;
    }

    /** The most primary quota used in one of the stand-in's hours. */
    public synchronized int peakPrimaryUsed() {
        return Math.max(peakPrimaryUsed, primaryUsed);
    }

    /** Open pull requests of the organization, all repositories. */
    public synchronized int openPullRequests() {
        return (int) repos.values().stream().flatMap(r -> r.pulls.stream()).filter(p -> p.path("state").asText().equals("open")).count();
    }

    /** The files on a branch of a repository; empty when either is missing. */
    @Override
    public synchronized Map<String, String> files(String repository, String branch) {
        Repo repo = repos.get(repository);
        if (repo == null || !repo.refs.containsKey(branch)) {
            return Map.of();
        }
        Map<String, String> out = new TreeMap<>();
        repo.trees.get(repo.commits.get(repo.refs.get(branch)).tree).forEach((p, b) -> out.put(p, repo.blobs.get(b)));
        return out;
    }

    // --- what people do on GitHub, and what a conversation reads back (GitHost) ----------------------------------

    @Override
    public synchronized boolean exists(String repository) {
        return repos.containsKey(repository);
    }

    @Override
    public synchronized void createEmpty(String repository) {
        if (repos.containsKey(repository)) {
            throw new IllegalStateException("repository " + repository + " exists already");
        }
        repos.put(repository, new Repo(repository, ""));
    }

    /** Branches whose name starts with {@code paver/}, newest commit first (the later name first on a tie). */
    @Override
    public synchronized List<String> paverBranches(String repository) {
        Repo repo = repos.get(repository);
        if (repo == null) {
            return List.of();
        }
        return repo.refs.entrySet().stream().filter(e -> e.getKey().startsWith("paver/"))
                .sorted(java.util.Comparator.comparing((Map.Entry<String, String> e) -> commitOrder.getOrDefault(e.getValue(), 0L))
                        .thenComparing(Map.Entry::getKey).reversed())
                .map(Map.Entry::getKey).toList();
    }

    /** Every ref of every repository with its commit, and every pull request with its state, one per line, sorted. */
    @Override
    public synchronized String refs() {
        sweepAutoMerges();
        List<String> lines = new ArrayList<>();
        repos.forEach((name, repo) -> {
            lines.add(name);
            repo.refs.forEach((branch, sha) -> lines.add(name + " refs/heads/" + branch + " " + sha));
            repo.pulls.forEach(pr -> lines.add(name + " pull " + pr.path("number").asInt() + " " + pr.path("state").asText()
                    + (pr.hasNonNull("auto_merge") ? " auto-merge" : "")));
        });
        return String.join("\n", lines.stream().sorted().toList());
    }

    @Override
    public synchronized String head(String repository, String branch) {
        Repo repo = repos.get(repository);
        return repo == null ? "" : repo.refs.getOrDefault(branch, "");
    }

    /**
     * A person's push: the branch's files with {@code path} changed, committed on top of the branch (a repository that
     * does not exist is created by a push to {@code main}, as a person's own).
     *
     * @throws IllegalStateException when the branch does not exist (and is not the first {@code main})
     */
    @Override
    public synchronized String commit(String repository, String branch, String path, java.util.function.UnaryOperator<String> change,
                                      String person) {
        if (!repos.containsKey(repository) && branch.equals("main")) {
            repos.put(repository, new Repo(repository, ""));
        }
        Repo repo = repos.get(repository);
        if (repo == null) {
            throw new IllegalStateException("repository " + repository + " does not exist");
        }
        String parent = repo.refs.get(branch);
        if (parent == null && !(branch.equals("main") && repo.refs.isEmpty())) {
            throw new IllegalStateException(repository + " has no branch " + branch);
        }
        Map<String, String> all = parent == null ? new TreeMap<>() : files(repository, branch);
        all = new TreeMap<>(all);
        all.put(path, change.apply(all.getOrDefault(path, "")));
        return repo.commit(all, parent == null ? List.of() : List.of(parent), "Change " + path, branch);
    }

    /**
     * {@code person} merges the open pull request of {@code branch} with a merge commit, as the "Merge pull request"
     * button does; {@code merged_by} is their login (the first word of their name, in lower case). GitHub refuses it
     * while a required check is not green or an approving review is required.
     *
     * @throws IllegalStateException when the branch has no open pull request, or GitHub would refuse the merge
     */
    @Override
    public synchronized String merge(String repository, String branch, String person) {
        Repo repo = repos.get(repository);
        ObjectNode pr = repo == null ? null : repo.pulls.stream().filter(p -> p.path("state").asText().equals("open")
                && p.path("head").path("ref").asText().equals(branch)).findFirst().orElse(null);
        if (pr == null) {
            throw new IllegalStateException(repository + " has no open pull request of " + branch);
        }
        repo.fresh(pr);
        String blocked = repo.failingOrPending(pr.path("head").path("sha").asText());
        if (blocked != null || reviewRequired.getOrDefault(repository, false)) {
            throw new IllegalStateException("GitHub refuses to merge pull request #" + pr.path("number").asInt() + " of "
                    + repository + ": " + (blocked != null ? blocked : "an approving review is required"));
        }
        String login = person.split(" ")[0].toLowerCase(Locale.ROOT);
        return repo.mergeNow(pr, "Merge pull request #" + pr.path("number").asInt() + " from " + org + "/" + branch, login);
    }

    /** Commit messages and files of every commit, titles and bodies of pull requests, repository descriptions. */
    @Override
    public synchronized List<String> everything() {
        List<String> out = new ArrayList<>();
        for (Repo repo : repos.values()) {
            out.add(repo.description);
            repo.commits.values().forEach(c -> out.add(c.message()));
            out.addAll(repo.blobs.values());
            repo.pulls.forEach(pr -> {
                out.add(pr.path("title").asText());
                out.add(pr.path("body").asText());
            });
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    // --- HTTP ----------------------------------------------------------------------------------------------------

    private record Answer(int status, String body, Map<String, String> headers) {
        Answer(int status, String body) {
            this(status, body, Map.of());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            byKind.computeIfAbsent(method + " " + kind(path), k -> new AtomicInteger()).incrementAndGet();
            Answer answer = authenticate(path, exchange.getRequestHeaders().getFirst("Authorization"));
            if (answer != null) {
                unauthorizedAnswers.incrementAndGet();
                byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(answer.status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            Map<String, String> limitHeaders;
            synchronized (this) {
                answer = limits(method);
                if (answer == null) {
                    try {
                        answer = route(method, path, query, requestBody.length == 0 ? JSON.createObjectNode() : JSON.readTree(requestBody),
                                exchange.getRequestHeaders().getFirst("Accept"));
                    } catch (RuntimeException e) {
                        answer = new Answer(500, error(e.toString()));
                    }
                    if (answer.status < 400 && !method.equals("GET")) {
                        contentRequests.incrementAndGet();
                    } else if (!method.equals("GET")) {
                        content.pollLast(); // a refused change created nothing
                    }
                }
                limitHeaders = primaryHeaders();
            }
            String etag = answer.status == 200 && method.equals("GET") ? "W/\"" + sha1(answer.body) + "\"" : null;
            String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
            var headers = exchange.getResponseHeaders();
            limitHeaders.forEach(headers::set);
            answer.headers.forEach(headers::set);
            if (etag != null && ifNoneMatch != null && ifNoneMatch.contains(etag)) {
                notModified.incrementAndGet();
                synchronized (this) {
                    primaryUsed--; // GitHub: a 304 to a conditional request does not count against the primary limit
                    headers.set("X-RateLimit-Remaining", String.valueOf(PRIMARY_PER_HOUR - primaryUsed));
                    headers.set("X-RateLimit-Used", String.valueOf(primaryUsed));
                }
                headers.set("ETag", etag);
                headers.set("Cache-Control", "private, max-age=60, s-maxage=60");
                exchange.sendResponseHeaders(304, -1);
                return;
            }
            if (etag != null) {
                headers.set("ETag", etag);
                headers.set("Cache-Control", "private, max-age=60, s-maxage=60");
                headers.set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP");
            }
            if (!headers.containsKey("Content-Type")) {
                headers.set("Content-Type", "application/json; charset=utf-8");
            }
            byte[] bytes = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** In App mode: the 401 for a request without valid credentials; null when it may go on (or not in App mode). */
    private Answer authenticate(String path, String authorization) {
        App current = app;
        if (current == null) {
            return null;
        }
        String credential = authorization == null ? "" : authorization.replaceFirst("(?i)^(bearer|token)\\s+", "");
        if (appPath(path)) {
            String refusal = jwtRefusal(current, credential);
            if (refusal != null) {
                jwtRefusals.incrementAndGet();
                return new Answer(401, error(refusal));
            }
            return null;
        }
        Instant expires = installationTokens.get(credential);
        if (expires == null) {
            return new Answer(401, error("Bad credentials"));
        }
        if (!clock.instant().isBefore(expires)) {
            expiredTokenAnswers.incrementAndGet();
            return new Answer(401, error("Bad credentials"));
        }
        return null;
    }

    /** Why GitHub would refuse this JWT, in GitHub's words where known; null when it is valid. */
    private String jwtRefusal(App current, String jwt) {
        Jws<Claims> parsed;
        try {
            parsed = Jwts.parser().verifyWith(current.key()).clock(() -> Date.from(clock.instant())).build()
                    .parseSignedClaims(jwt);
        } catch (ExpiredJwtException e) {
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the "
                    + "assertion expires";
        } catch (JwtException | IllegalArgumentException e) {
            return "A JSON web token could not be decoded";
        }
        Claims claims = parsed.getPayload();
        if (!"RS256".equals(parsed.getHeader().getAlgorithm())) {
            return "A JSON web token could not be decoded";
        }
        if (!current.id().equals(claims.getIssuer())) {
            return "'Issuer' claim ('iss') must be an Integer";
        }
        Instant now = clock.instant();
        if (claims.getExpiration() == null || claims.getExpiration().toInstant().isAfter(now.plus(Duration.ofMinutes(10)))) {
            return "'Expiration time' claim ('exp') is too far in the future";
        }
        if (claims.getIssuedAt() == null || claims.getIssuedAt().toInstant().isAfter(now.plusSeconds(60))) {
            return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
        }
        return null;
    }

    /** The App's own endpoints; null for any other path. */
    private Answer appRoute(App current, String method, String path) {
        String installationPath = "/app/installations/" + current.installationId();
        if (path.equals("/app") && method.equals("GET")) {
            return ok(JSON.createObjectNode().put("id", Long.parseLong(current.id())).put("slug", "paver").put("name", "Paver")
                    .set("owner", JSON.createObjectNode().put("login", org).put("id", 1).put("type", "Organization"))
                    .toString());
        }
        if ((path.equals(installationPath) || path.equals("/orgs/" + org + "/installation")) && method.equals("GET")) {
            ObjectNode installation = JSON.createObjectNode().put("id", current.installationId())
                    .put("app_id", Long.parseLong(current.id())).put("target_type", "Organization")
                    .put("repository_selection", "all").put("access_tokens_url", baseUrl() + installationPath + "/access_tokens");
            installation.set("account", JSON.createObjectNode().put("login", org).put("id", 1).put("type", "Organization"));
            installation.set("permissions", permissions());
            return ok(installation.toString());
        }
        if (path.equals(installationPath + "/access_tokens") && method.equals("POST")) {
            Instant expires = clock.instant().plus(current.tokenLifetime()).truncatedTo(ChronoUnit.SECONDS);
            // GitHub's form: ghs_ and 36 characters
            String token = "ghs_" + sha1("stand-in " + expires + " " + tokensIssued.incrementAndGet()).substring(0, 36);
            installationTokens.put(token, expires);
            ObjectNode body = JSON.createObjectNode().put("token", token).put("expires_at", expires.toString())
                    .put("repository_selection", "all");
            body.set("permissions", permissions());
            return new Answer(201, body.toString());
        }
        if (appPath(path)) {
            return notFound();
        }
        return null;
    }

    /** The paths that take the App's JWT: the App's own, and an organization's installation. */
    private static boolean appPath(String path) {
        return path.equals("/app") || path.startsWith("/app/") || path.matches("/orgs/[^/]+/installation");
    }

    /** What deploy/github-app-manifest.yaml asks for. */
    private static ObjectNode permissions() {
        return JSON.createObjectNode().put("administration", "write").put("contents", "write").put("metadata", "read")
                .put("pull_requests", "write").put("workflows", "write").put("checks", "read").put("statuses", "read");
    }

    /** GitHub's limits for this request; null when it may go on. Counts it. */
    private Answer limits(String method) {
        rollPrimaryHour();
        if (primaryUsed >= PRIMARY_PER_HOUR) {
            primaryAnswers.incrementAndGet();
            return new Answer(403, "{\"message\":\"API rate limit exceeded for user ID 1.\",\"documentation_url\":"
                    + "\"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api\"}");
        }
        primaryUsed++;
        if (method.equals("GET") || method.equals("HEAD")) {
            return null;
        }
        Instant now = clock.instant();
        while (!content.isEmpty() && !content.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
            content.pollFirst();
        }
        int lastMinute = (int) content.stream().filter(t -> t.isAfter(now.minus(Duration.ofMinutes(1)))).count();
        boolean forced = forcedLimits > 0;
        if (forced || lastMinute + 1 > PER_MINUTE || content.size() + 1 > PER_HOUR) {
            if (forced) {
                forcedLimits--;
            }
            secondaryAnswers.incrementAndGet();
            int retryAfter = forced ? forcedRetryAfter : 60;
            return new Answer(403, "{\"message\":\"" + SECONDARY_MESSAGE + "\",\"documentation_url\":\"https://docs.github.com/"
                    + "rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits\"}",
                    Map.of("Retry-After", String.valueOf(retryAfter)));
        }
        content.addLast(now);
        peakPerMinute = Math.max(peakPerMinute, lastMinute + 1);
        peakPerHour = Math.max(peakPerHour, content.size());
        return null;
    }

    private void rollPrimaryHour() {
        long hour = Duration.between(started, clock.instant()).toHours();
        if (hour != primaryHour) {
            peakPrimaryUsed = Math.max(peakPrimaryUsed, primaryUsed);
            primaryHour = hour;
            primaryUsed = 0;
        }
    }

    private Map<String, String> primaryHeaders() {
        Instant reset = started.plus(Duration.ofHours(primaryHour + 1));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-RateLimit-Limit", String.valueOf(PRIMARY_PER_HOUR));
        h.put("X-RateLimit-Remaining", String.valueOf(Math.max(0, PRIMARY_PER_HOUR - primaryUsed)));
        h.put("X-RateLimit-Used", String.valueOf(primaryUsed));
        h.put("X-RateLimit-Reset", String.valueOf(reset.getEpochSecond()));
        h.put("X-RateLimit-Resource", "core");
        return h;
    }

    /** The request's kind: its path with the organization, repository, branch, sha and number made generic. */
    private static String kind(String path) {
        Matcher m = REPO_PATH.matcher(path);
        if (!m.matches()) {
            return path.replaceFirst("^/orgs/[^/]+", "/orgs/{org}");
        }
        String rest = m.group(3) == null ? "" : m.group(3);
        rest = rest.replaceFirst("^/git/refs/heads/.*", "/git/refs/heads/{branch}")
                .replaceFirst("^/git/(trees|blobs|commits)/[0-9a-f]{40}$", "/git/$1/{sha}")
                .replaceFirst("^/pulls/\\d+", "/pulls/{number}");
        return "/repos/{o}/{r}" + rest;
    }

    private Answer route(String method, String path, Map<String, String> query, JsonNode body, String accept) {
        sweepAutoMerges();
        if (path.equals("/graphql") && method.equals("POST")) {
            return graphql(body);
        }
        App current = app;
        Answer appAnswer = current == null ? null : appRoute(current, method, path);
        if (appAnswer != null) {
            return appAnswer;
        }
        if (path.equals("/orgs/" + org) && method.equals("GET")) {
            return ok(JSON.createObjectNode().put("login", org).put("id", 1).put("type", "Organization")
                    .put("url", baseUrl() + "/orgs/" + org).toString());
        }
        if (path.equals("/orgs/" + org + "/repos") && method.equals("POST")) {
            return createRepository(body);
        }
        if (path.equals("/orgs/" + org + "/repos") && method.equals("GET")) {
            return listRepositories(query);
        }
        Matcher m = REPO_PATH.matcher(path);
        if (!m.matches() || !m.group(1).equals(org)) {
            return notFound();
        }
        Repo repo = repos.get(m.group(2));
        if (repo == null) {
            return notFound();
        }
        String rest = m.group(3) == null ? "" : URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
        if (rest.isEmpty() && method.equals("GET")) {
            return ok(repo.json().toString());
        }
        if (rest.startsWith("/git/refs/heads/")) {
            String branch = rest.substring("/git/refs/heads/".length());
            return method.equals("PATCH") ? repo.updateRef(branch, body) : repo.ref(branch);
        }
        if (rest.equals("/git/refs") && method.equals("POST")) {
            return repo.createRef(body);
        }
        if (rest.startsWith("/git/trees/") && method.equals("GET")) {
            return repo.tree(rest.substring("/git/trees/".length()));
        }
        if (rest.equals("/git/trees") && method.equals("POST")) {
            return repo.createTree(body);
        }
        if (rest.equals("/git/commits") && method.equals("POST")) {
            return repo.createCommit(body);
        }
        if (rest.equals("/git/blobs") && method.equals("POST")) {
            return repo.createBlob(body);
        }
        if (rest.equals("/commits") && method.equals("GET")) {
            return repo.listCommits(query);
        }
        if (rest.startsWith("/git/blobs/") && method.equals("GET")) {
            String content = repo.blobs.get(rest.substring("/git/blobs/".length()));
            return content == null ? notFound() : new Answer(200, content, Map.of("Content-Type", "application/vnd.github.raw"));
        }
        if (rest.equals("/pulls") && method.equals("GET")) {
            return repo.listPulls(query);
        }
        if (rest.equals("/pulls") && method.equals("POST")) {
            return repo.createPull(body);
        }
        if (rest.matches("/commits/[0-9a-f]{40}/check-runs") && method.equals("GET")) {
            return ok(repo.checkRuns(rest.split("/")[2]).toString());
        }
        if (rest.matches("/(statuses/[0-9a-f]{40}|commits/[0-9a-f]{40}/statuses)") && method.equals("GET")) {
            return ok(repo.statuses(rest.replaceAll(".*/([0-9a-f]{40})(/statuses)?$", "$1")).toString());
        }
        if (rest.matches("/pulls/\\d+/merge") && method.equals("PUT")) {
            int number = Integer.parseInt(rest.split("/")[2]);
            return repo.pulls.stream().filter(p -> p.path("number").asInt() == number).findFirst()
                    .map(p -> repo.merge(p, body.path("sha").asText(""), body.path("commit_message").asText("")))
                    .orElseGet(GitHubStandIn::notFound);
        }
        if (rest.matches("/pulls/\\d+") && method.equals("GET")) {
            int number = Integer.parseInt(rest.substring("/pulls/".length()));
            return repo.pulls.stream().filter(p -> p.path("number").asInt() == number).findFirst()
                    .map(p -> ok(repo.fresh(p).toString())).orElseGet(GitHubStandIn::notFound);
        }
        if (rest.equals("/pages") && method.equals("POST")) {
            return repo.enablePages(body);
        }
        if (rest.matches("/actions/workflows/[^/]+") && method.equals("GET")) {
            String file = repo.workflow(rest.substring("/actions/workflows/".length()));
            return file == null ? notFound() : ok(repo.workflowJson(file).toString());
        }
        if (rest.matches("/actions/workflows/[^/]+/dispatches") && method.equals("POST")) {
            return repo.dispatch(rest.split("/")[3], body);
        }
        return new Answer(404, error("Not Found (no such endpoint in the GitHub stand-in: " + method + " " + path + ")"));
    }

    /** The GitHub Pages site of a repository ("Get a GitHub Pages site"), or null when Pages are not enabled. */
    public synchronized JsonNode pages(String repository) {
        return pagesSites.get(repository);
    }

    /** Workflow dispatches received, in order: {@code <repository> <workflow file> <ref> <inputs as JSON>}. */
    public synchronized List<String> dispatches() {
        return List.copyOf(dispatches);
    }

    /**
     * {@code enablePullRequestAutoMerge}, {@code disablePullRequestAutoMerge} and a ref's
     * {@code associatedPullRequests} only; GitHub answers GraphQL errors
     * with 200 and an {@code errors} list.
     */
    private Answer graphql(JsonNode body) {
        String query = body.path("query").asText("");
        if (query.contains("associatedPullRequests")) {
            return associatedPullRequests(body.path("variables"));
        }
        boolean disable = query.contains("disablePullRequestAutoMerge");
        if (!query.contains("enablePullRequestAutoMerge") && !disable) {
            return ok("{\"errors\":[{\"message\":\"the GitHub stand-in knows only enablePullRequestAutoMerge,"
                    + " disablePullRequestAutoMerge and a ref's associatedPullRequests\"}]}");
        }
        String id = body.path("variables").path("id").asText("");
        for (Repo repo : repos.values()) {
            for (ObjectNode pr : repo.pulls) {
                if (pr.path("node_id").asText().equals(id) && disable) {
                    pr.putNull("auto_merge");
                    return ok("{\"data\":{\"disablePullRequestAutoMerge\":{\"pullRequest\":{\"number\":"
                            + pr.path("number").asInt() + "}}}}");
                }
                if (pr.path("node_id").asText().equals(id)) {
                    return repo.enableAutoMerge(pr, body.path("variables").path("head").asText(""),
                            body.path("variables").path("headline").asText(""));
                }
            }
        }
        return ok("{\"errors\":[{\"type\":\"NOT_FOUND\",\"message\":\"Could not resolve to a node with the global id of '"
                + id + "'\"}]}");
    }

    /**
     * {@code repository(owner, name) { ref(qualifiedName: $head) { associatedPullRequests(first: 1, states: OPEN) } }},
     * the query that Backstage's {@code publish:github:pull-request} (octokit-plugin-create-pull-request) asks before
     * it creates the branch: {@code ref} is null when the branch does not exist; else its open pull request, if any.
     */
    private Answer associatedPullRequests(JsonNode variables) {
        Repo repo = variables.path("owner").asText().equals(org) ? repos.get(variables.path("repo").asText()) : null;
        if (repo == null) {
            return ok("{\"data\":{\"repository\":null},\"errors\":[{\"type\":\"NOT_FOUND\",\"message\":\"Could not "
                    + "resolve to a Repository with the name '" + variables.path("owner").asText() + "/"
                    + variables.path("repo").asText() + "'.\"}]}");
        }
        String head = variables.path("head").asText().replaceFirst("^refs/heads/", "");
        ObjectNode data = JSON.createObjectNode();
        ObjectNode repository = data.putObject("data").putObject("repository");
        if (!repo.refs.containsKey(head)) {
            repository.putNull("ref");
            return ok(data.toString());
        }
        ArrayNode edges = repository.putObject("ref").putObject("associatedPullRequests").putArray("edges");
        repo.pulls.stream().filter(p -> p.path("state").asText().equals("open") && p.path("head").path("ref").asText().equals(head))
                .findFirst().ifPresent(p -> edges.addObject().putObject("node").put("id", p.path("node_id").asText())
                        .put("number", p.path("number").asInt()).put("url", p.path("html_url").asText()));
        return ok(data.toString());
    }

    /** Merges every open pull request with auto-merge enabled whose checks are all green now. */
    private synchronized void sweepAutoMerges() {
        for (Repo repo : repos.values()) {
            for (ObjectNode pr : repo.pulls) {
                if (pr.path("state").asText().equals("open") && pr.hasNonNull("auto_merge")) {
                    repo.fresh(pr);
                    String head = pr.path("head").path("sha").asText();
                    if (repo.failingOrPending(head) == null && !reviewRequired.getOrDefault(repo.name, false)) {
                        repo.mergeNow(pr, pr.path("auto_merge").path("commit_title").asText("Merge pull request"), MERGER);
                    }
                }
            }
        }
    }

    private Answer createRepository(JsonNode body) {
        String name = body.path("name").asText();
        if (repos.containsKey(name)) {
            return new Answer(422, "{\"message\":\"Repository creation failed.\",\"errors\":[{\"resource\":\"Repository\","
                    + "\"code\":\"custom\",\"field\":\"name\",\"message\":\"name already exists on this account\"}]}");
        }
        Repo repo = new Repo(name, body.path("description").asText(""));
        if (body.path("auto_init").asBoolean(false)) {
            repo.commit(new TreeMap<>(Map.of("README.md", "# " + name + "\n")), List.of(), "Initial commit", "main");
        }
        repos.put(name, repo);
        return new Answer(201, repo.json().toString());
    }

    private Answer listRepositories(Map<String, String> query) {
        int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<Repo> all = new ArrayList<>(repos.values());
        ArrayNode out = JSON.createArrayNode();
        for (int i = (page - 1) * perPage; i < Math.min(all.size(), page * perPage); i++) {
            out.add(all.get(i).json());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        if (page * perPage < all.size()) {
            headers.put("Link", "<" + baseUrl() + "/orgs/" + org + "/repos?per_page=" + perPage + "&page=" + (page + 1)
                    + ">; rel=\"next\"");
        }
        return new Answer(200, out.toString(), headers);
    }

    private static Answer ok(String json) {
        return new Answer(200, json);
    }

    private static Answer notFound() {
        return new Answer(404, error("Not Found"));
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("message", message).put("documentation_url", "https://docs.github.com/rest").toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Git's blob id: SHA-1 of {@code "blob <length>\0" + bytes}. */
    static String blobSha(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-1");
            sha.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- one repository ------------------------------------------------------------------------------------------

    private record Commit(String tree, List<String> parents, String message) {
    }

    private final class Repo {
        final String name;
        final String description;
        final Map<String, String> refs = new TreeMap<>();
        final Map<String, Commit> commits = new ConcurrentHashMap<>();
        final Map<String, Map<String, String>> trees = new ConcurrentHashMap<>();
        final Map<String, String> blobs = new ConcurrentHashMap<>();
        final List<ObjectNode> pulls = new ArrayList<>();

        Repo(String name, String description) {
            this.name = name;
            this.description = description;
        }

        String apiUrl() {
            return baseUrl() + "/repos/" + org + "/" + name;
        }

        /**
         * "Create a GitHub Pages site": 409 when enabled already, 422 for an unknown build type or (legacy) a source
         * branch that does not exist; else 201 with the site.
         */
        Answer enablePages(JsonNode body) {
            if (pagesSites.containsKey(name)) {
                return new Answer(409, error("GitHub Pages is already enabled."));
            }
            String type = body.path("build_type").asText("legacy");
            String branch = body.path("source").path("branch").asText("");
            if (!type.equals("workflow") && !type.equals("legacy")) {
                return new Answer(422, error("Invalid request.\n\n" + type + " is not a member of [\"legacy\", \"workflow\"]."));
            }
            if (type.equals("legacy") && !refs.containsKey(branch)) {
                return new Answer(422, error("The " + branch + " branch must exist before GitHub Pages can be built."));
            }
            ObjectNode site = JSON.createObjectNode().put("url", apiUrl() + "/pages").putNull("status")
                    .put("html_url", "https://" + org + ".github.io/" + name + "/").put("build_type", type);
            site.putObject("source").put("branch", branch).put("path", body.path("source").path("path").asText("/"));
            pagesSites.put(name, site);
            return new Answer(201, site.toString());
        }

        /** The file of a workflow named by file name or id on {@code main}, or null. */
        String workflow(String id) {
            Map<String, String> files = files(name, "main");
            for (String path : files.keySet()) {
                if (path.startsWith(".github/workflows/") && (path.equals(".github/workflows/" + id)
                        || String.valueOf(workflowId(path)).equals(id))) {
                    return path;
                }
            }
            return null;
        }

        long workflowId(String path) {
            return Math.abs((name + "/" + path).hashCode());
        }

        ObjectNode workflowJson(String path) {
            return JSON.createObjectNode().put("id", workflowId(path)).put("node_id", "W_" + workflowId(path))
                    .put("name", path.substring(path.lastIndexOf('/') + 1)).put("path", path).put("state", "active")
                    .put("url", apiUrl() + "/actions/workflows/" + workflowId(path))
                    .put("html_url", "https://github.com/" + org + "/" + name + "/blob/main/" + path)
                    .put("badge_url", "https://github.com/" + org + "/" + name + "/workflows/x/badge.svg");
        }

        /**
         * "Create a workflow dispatch event": 404 for an unknown workflow, 422 when it has no {@code workflow_dispatch}
         * trigger or the ref is no branch; else recorded, 204.
         */
        Answer dispatch(String id, JsonNode body) {
            String path = workflow(id);
            if (path == null) {
                return notFound();
            }
            if (!files(name, "main").get(path).contains("workflow_dispatch")) {
                return new Answer(422, error("Workflow does not have 'workflow_dispatch' trigger"));
            }
            String ref = body.path("ref").asText("");
            if (!refs.containsKey(ref)) {
                return new Answer(422, error("No ref found for: " + ref));
            }
            dispatches.add(name + " " + path.substring(path.lastIndexOf('/') + 1) + " " + ref + " "
                    + body.path("inputs").toString());
            return new Answer(204, "");
        }

        ObjectNode json() {
            ObjectNode repo = JSON.createObjectNode().put("id", Math.abs(name.hashCode())).put("name", name)
                    .put("full_name", org + "/" + name).put("private", true).put("description", description)
                    .put("html_url", "https://github.com/" + org + "/" + name).put("url", apiUrl())
                    .put("default_branch", "main").put("allow_auto_merge", autoMergeAllowed.getOrDefault(name, false));
            repo.putObject("owner").put("login", org).put("type", "Organization");
            // what the token may do here (GitHub: "Get a repository"); the stand-in's tokens may do everything
            repo.putObject("permissions").put("admin", true).put("maintain", true).put("push", true).put("triage", true)
                    .put("pull", true);
            return repo;
        }

        String storeTree(Map<String, String> files) {
            StringBuilder text = new StringBuilder();
            files.forEach((p, b) -> text.append(p).append(' ').append(b).append('\n'));
            String sha = sha1("tree " + text);
            trees.putIfAbsent(sha, Map.copyOf(files));
            return sha;
        }

        String commit(Map<String, String> files, List<String> parents, String message, String branch) {
            Map<String, String> entries = new TreeMap<>();
            files.forEach((p, c) -> {
                String sha = blobSha(c);
                blobs.put(sha, c);
                entries.put(p, sha);
            });
            String tree = storeTree(entries);
            String sha = sha1("commit " + tree + parents + message + commits.size());
            commits.put(sha, new Commit(tree, parents, message));
            commitTimes.put(sha, clock.instant());
            commitOrder.put(sha, commitCounter.incrementAndGet());
            if (branch != null) {
                refs.put(branch, sha);
            }
            return sha;
        }

        ObjectNode refJson(String branch) {
            ObjectNode ref = JSON.createObjectNode().put("ref", "refs/heads/" + branch).put("node_id", "x")
                    .put("url", apiUrl() + "/git/refs/heads/" + branch);
            ref.putObject("object").put("sha", refs.get(branch)).put("type", "commit")
                    .put("url", apiUrl() + "/git/commits/" + refs.get(branch));
            return ref;
        }

        Answer ref(String branch) {
            if (!refs.containsKey(branch)) {
                return refs.isEmpty() ? new Answer(409, error("Git Repository is empty.")) : notFound();
            }
            return ok(refJson(branch).toString());
        }

        Answer createRef(JsonNode body) {
            String branch = body.path("ref").asText().replaceFirst("^refs/heads/", "");
            String sha = body.path("sha").asText();
            if (refs.containsKey(branch)) {
                return new Answer(422, error("Reference already exists"));
            }
            if (!commits.containsKey(sha)) {
                return new Answer(422, error("Object does not exist"));
            }
            refs.put(branch, sha);
            return new Answer(201, refJson(branch).toString());
        }

        Answer updateRef(String branch, JsonNode body) {
            String sha = body.path("sha").asText();
            if (!refs.containsKey(branch) || !commits.containsKey(sha)) {
                return new Answer(422, error("Reference does not exist"));
            }
            if (!body.path("force").asBoolean(false) && !descends(sha, refs.get(branch))) {
                return new Answer(422, error("Update is not a fast forward"));
            }
            refs.put(branch, sha);
            return ok(refJson(branch).toString());
        }

        boolean descends(String sha, String ancestor) {
            Deque<String> todo = new ArrayDeque<>(List.of(sha));
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (next.equals(ancestor)) {
                    return true;
                }
                Commit c = commits.get(next);
                if (c != null) {
                    todo.addAll(c.parents());
                }
            }
            return false;
        }

        Answer tree(String sha) {
            String treeSha = commits.containsKey(sha) ? commits.get(sha).tree() : sha;
            Map<String, String> entries = trees.get(treeSha);
            if (entries == null) {
                return notFound();
            }
            ObjectNode tree = JSON.createObjectNode().put("sha", treeSha).put("url", apiUrl() + "/git/trees/" + treeSha)
                    .put("truncated", false);
            ArrayNode list = tree.putArray("tree");
            entries.forEach((p, b) -> list.addObject().put("path", p).put("mode", "100644").put("type", "blob").put("sha", b)
                    .put("size", blobs.get(b).getBytes(StandardCharsets.UTF_8).length).put("url", apiUrl() + "/git/blobs/" + b));
            return ok(tree.toString());
        }

        Answer createTree(JsonNode body) {
            Map<String, String> entries = new TreeMap<>();
            String base = body.path("base_tree").asText("");
            if (!base.isEmpty()) {
                Map<String, String> baseEntries = trees.get(base);
                if (baseEntries == null) {
                    return new Answer(422, error("base_tree does not exist"));
                }
                entries.putAll(baseEntries);
            }
            for (JsonNode entry : body.path("tree")) {
                String path = entry.path("path").asText();
                if (entry.has("sha") && entry.get("sha").isNull()) {
                    entries.remove(path); // GitHub: sha null deletes the file
                } else if (entry.hasNonNull("sha")) {
                    if (!blobs.containsKey(entry.get("sha").asText())) {
                        return new Answer(422, error("tree.sha " + entry.get("sha").asText() + " is not a valid blob"));
                    }
                    entries.put(path, entry.get("sha").asText());
                } else {
                    String content = entry.path("content").asText();
                    String sha = blobSha(content);
                    blobs.put(sha, content);
                    entries.put(path, sha);
                }
            }
            return new Answer(201, tree(storeTree(entries)).body());
        }

        Answer createCommit(JsonNode body) {
            String tree = body.path("tree").asText();
            if (!trees.containsKey(tree)) {
                return new Answer(422, error("Tree SHA does not exist"));
            }
            List<String> parents = new ArrayList<>();
            body.path("parents").forEach(p -> parents.add(p.asText()));
            String message = body.path("message").asText();
            String sha = sha1("commit " + tree + parents + message + commits.size());
            commits.put(sha, new Commit(tree, parents, message));
            commitTimes.put(sha, clock.instant());
            commitOrder.put(sha, commitCounter.incrementAndGet());
            ObjectNode commit = JSON.createObjectNode().put("sha", sha).put("url", apiUrl() + "/git/commits/" + sha)
                    .put("message", message);
            commit.putObject("tree").put("sha", tree);
            ArrayNode ps = commit.putArray("parents");
            parents.forEach(p -> ps.addObject().put("sha", p));
            return new Answer(201, commit.toString());
        }

        /** "Create a blob": {@code content} as UTF-8 text, or base64 when {@code encoding} is {@code base64}; 201. */
        Answer createBlob(JsonNode body) {
            String encoding = body.path("encoding").asText("utf-8");
            if (!encoding.equals("utf-8") && !encoding.equals("base64")) {
                return new Answer(422, error("encoding must be utf-8 or base64, not " + encoding));
            }
            String content = encoding.equals("base64")
                    ? new String(java.util.Base64.getMimeDecoder().decode(body.path("content").asText()), StandardCharsets.UTF_8)
                    : body.path("content").asText();
            String sha = blobSha(content);
            blobs.put(sha, content);
            return new Answer(201, JSON.createObjectNode().put("sha", sha).put("url", apiUrl() + "/git/blobs/" + sha).toString());
        }

        /**
         * "List commits": from {@code sha} (a branch or a commit; the default branch when absent) along first
         * parents, newest first, {@code per_page} of them (30 by default); 404 for an unknown branch or commit, 409
         * for an empty repository.
         */
        Answer listCommits(Map<String, String> query) {
            if (refs.isEmpty()) {
                return new Answer(409, error("Git Repository is empty."));
            }
            String from = query.getOrDefault("sha", "main");
            String sha = refs.containsKey(from) ? refs.get(from) : commits.containsKey(from) ? from : null;
            if (sha == null) {
                return new Answer(404, error("No commit found for SHA: " + from));
            }
            int perPage = Integer.parseInt(query.getOrDefault("per_page", "30"));
            ArrayNode out = JSON.createArrayNode();
            while (sha != null && out.size() < perPage) {
                Commit c = commits.get(sha);
                ObjectNode item = out.addObject().put("sha", sha).put("url", apiUrl() + "/commits/" + sha)
                        .put("html_url", "https://github.com/" + org + "/" + name + "/commit/" + sha);
                ObjectNode commit = item.putObject("commit").put("message", c.message()).put("url", apiUrl() + "/git/commits/" + sha);
                commit.putObject("tree").put("sha", c.tree()).put("url", apiUrl() + "/git/trees/" + c.tree());
                ArrayNode ps = item.putArray("parents");
                c.parents().forEach(p -> ps.addObject().put("sha", p));
                sha = c.parents().isEmpty() ? null : c.parents().get(0);
            }
            return ok(out.toString());
        }

        /** A pull request's head follows its branch, as on GitHub. */
        ObjectNode fresh(ObjectNode pr) {
            String sha = refs.get(pr.path("head").path("ref").asText());
            if (sha != null && pr.path("state").asText().equals("open")) {
                ((ObjectNode) pr.get("head")).put("sha", sha);
            }
            return pr;
        }

        /** The checks of a commit as they read now: name to "pending", "success" or "failure". */
        Map<String, String> checkStates(String sha) {
            Map<String, String> out = new LinkedHashMap<>();
            Instant made = commitTimes.get(sha);
            if (made == null) {
                return out;
            }
            for (CheckSpec c : checks.getOrDefault(name, List.of())) {
                boolean done = !clock.instant().isBefore(made.plus(c.after()));
                String rerun = reruns.get(sha + " " + c.name());
                out.put(c.name(), rerun != null ? rerun : !done ? "pending" : c.succeeds() ? "success" : "failure");
            }
            return out;
        }

        /** The first check of {@code sha} that is not green, with its state ("Required status check "x" is ..."); null: all green. */
        String failingOrPending(String sha) {
            for (Map.Entry<String, String> c : checkStates(sha).entrySet()) {
                if (!c.getValue().equals("success")) {
                    return "Required status check \"" + c.getKey() + "\" is " + (c.getValue().equals("pending") ? "expected." : "failing.");
                }
            }
            return null;
        }

        JsonNode checkRuns(String sha) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode runs = out.putArray("check_runs");
            Map<String, String> states = checkStates(sha);
            int id = 0;
            for (CheckSpec c : checks.getOrDefault(name, List.of())) {
                id++;
                if (c.kind() != CheckKind.CHECK_RUN || !states.containsKey(c.name())) {
                    continue;
                }
                String state = states.get(c.name());
                ObjectNode run = runs.addObject().put("id", id).put("name", c.name()).put("head_sha", sha)
                        .put("status", state.equals("pending") ? "in_progress" : "completed")
                        .put("html_url", "https://github.com/" + org + "/" + name + "/runs/" + id)
                        .put("details_url", c.url() != null ? c.url() : "https://github.com/" + org + "/" + name + "/runs/" + id);
                if (state.equals("pending")) {
                    run.putNull("conclusion");
                } else {
                    run.put("conclusion", state);
                }
            }
            out.put("total_count", runs.size());
            return out;
        }

        JsonNode statuses(String sha) {
            ArrayNode out = JSON.createArrayNode();
            Map<String, String> states = checkStates(sha);
            int id = 0;
            for (CheckSpec c : checks.getOrDefault(name, List.of())) {
                id++;
                if (c.kind() != CheckKind.STATUS || !states.containsKey(c.name())) {
                    continue;
                }
                out.addObject().put("id", id).put("state", states.get(c.name())).put("context", c.name())
                        .put("target_url", c.url() != null ? c.url() : "https://ci.example.com/" + name + "/" + sha.substring(0, 7) + "/" + id)
                        .put("description", c.name() + " " + states.get(c.name()));
            }
            return out;
        }

        Answer merge(ObjectNode pr, String sha, String message) {
            fresh(pr);
            if (pr.path("merged").asBoolean()) {
                return new Answer(405, error("Pull Request is not mergeable"));
            }
            if (!pr.path("state").asText().equals("open")) {
                return new Answer(422, error("Pull Request is not open"));
            }
            String head = pr.path("head").path("sha").asText();
            if (!sha.isEmpty() && !sha.equals(head)) {
                return new Answer(409, error("Head branch was modified. Review and try the merge again."));
            }
            if (reviewRequired.getOrDefault(name, false)) {
                return new Answer(405, error("At least 1 approving review is required by reviewers with write access."));
            }
            String blocked = failingOrPending(head);
            if (blocked != null) {
                return new Answer(405, error(blocked));
            }
            String merged = mergeNow(pr, message.isEmpty() ? "Merge pull request #" + pr.path("number").asInt() : message, MERGER);
            return ok(JSON.createObjectNode().put("sha", merged).put("merged", true).put("message", "Pull Request successfully merged")
                    .toString());
        }

        /** The merge commit on the base branch; the pull request closed and merged by {@code by} (a login). */
        String mergeNow(ObjectNode pr, String message, String by) {
            String base = pr.path("base").path("ref").asText();
            String head = pr.path("head").path("sha").asText();
            String baseSha = refs.get(base);
            Map<String, String> files = new TreeMap<>();
            if (!descends(head, baseSha)) {
                trees.get(commits.get(baseSha).tree()).forEach((p, b) -> files.put(p, blobs.get(b)));
            }
            trees.get(commits.get(head).tree()).forEach((p, b) -> files.put(p, blobs.get(b)));
            String merged = commit(files, List.of(baseSha, head), message, base);
            pr.put("state", "closed").put("merged", true).put("merge_commit_sha", merged)
                    .put("merged_at", clock.instant().toString()).put("closed_at", clock.instant().toString());
            pr.putObject("merged_by").put("login", by).put("id", by.equals(MERGER) ? 2 : 3).put("type", by.equals(MERGER) ? "Bot" : "User");
            return merged;
        }

        Answer enableAutoMerge(ObjectNode pr, String expectedHead, String headline) {
            fresh(pr);
            if (!autoMergeAllowed.getOrDefault(name, false)) {
                return ok("{\"data\":{\"enablePullRequestAutoMerge\":null},\"errors\":[{\"type\":\"UNPROCESSABLE\","
                        + "\"message\":\"Pull request Auto merge is not allowed for this repository\"}]}");
            }
            String head = pr.path("head").path("sha").asText();
            if (!expectedHead.isEmpty() && !expectedHead.equals(head)) {
                return ok("{\"data\":{\"enablePullRequestAutoMerge\":null},\"errors\":[{\"type\":\"UNPROCESSABLE\","
                        + "\"message\":\"Head sha didn't match expected head oid\"}]}");
            }
            if (!pr.path("state").asText().equals("open")) {
                return ok("{\"data\":{\"enablePullRequestAutoMerge\":null},\"errors\":[{\"type\":\"UNPROCESSABLE\","
                        + "\"message\":\"Pull request is closed\"}]}");
            }
            if (failingOrPending(head) == null && !reviewRequired.getOrDefault(name, false)) {
                return ok("{\"data\":{\"enablePullRequestAutoMerge\":null},\"errors\":[{\"type\":\"UNPROCESSABLE\","
                        + "\"message\":\"Pull request Pull request is in clean status\"}]}");
            }
            pr.putObject("auto_merge").put("merge_method", "merge").put("commit_title", headline)
                    .putObject("enabled_by").put("login", MERGER).put("id", 2).put("type", "Bot");
            return ok("{\"data\":{\"enablePullRequestAutoMerge\":{\"pullRequest\":{\"number\":"
                    + pr.path("number").asInt() + "}}}}");
        }

        Answer listPulls(Map<String, String> query) {
            String state = query.getOrDefault("state", "open");
            String head = query.get("head");
            String base = query.get("base");
            ArrayNode out = JSON.createArrayNode();
            for (int i = pulls.size() - 1; i >= 0; i--) {
                ObjectNode pr = pulls.get(i);
                boolean stateOk = state.equals("all") || pr.path("state").asText().equals(state);
                boolean headOk = head == null || head.equals(org + ":" + pr.path("head").path("ref").asText());
                boolean baseOk = base == null || base.equals(pr.path("base").path("ref").asText());
                if (stateOk && headOk && baseOk) {
                    out.add(fresh(pr));
                }
            }
            return ok(out.toString());
        }

        Answer createPull(JsonNode body) {
            String head = body.path("head").asText().replaceFirst("^" + Pattern.quote(org) + ":", "");
            String base = body.path("base").asText();
            if (!refs.containsKey(head) || !refs.containsKey(base)) {
                return new Answer(422, error("Validation Failed"));
            }
            for (ObjectNode pr : pulls) {
                if (pr.path("state").asText().equals("open") && pr.path("head").path("ref").asText().equals(head)) {
                    return new Answer(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\","
                            + "\"code\":\"custom\",\"message\":\"A pull request already exists for " + org + ":" + head + ".\"}]}");
                }
            }
            if (descends(refs.get(base), refs.get(head))) {
                return new Answer(422, "{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"PullRequest\","
                        + "\"code\":\"custom\",\"message\":\"No commits between " + base + " and " + head + "\"}]}");
            }
            int number = pulls.size() + 1;
            ObjectNode pr = JSON.createObjectNode().put("number", number).put("id", number).put("state", "open")
                    .put("title", body.path("title").asText()).put("body", body.path("body").asText())
                    .put("url", apiUrl() + "/pulls/" + number)
                    .put("html_url", "https://github.com/" + org + "/" + name + "/pull/" + number)
                    .put("merged", false).put("mergeable_state", "clean").putNull("merged_by").putNull("merge_commit_sha")
                    .put("node_id", "PR_" + name + "_" + number).putNull("auto_merge");
            pr.putObject("head").put("ref", head).put("sha", refs.get(head)).put("label", org + ":" + head);
            pr.putObject("base").put("ref", base).put("sha", refs.get(base)).put("label", org + ":" + base);
            pulls.add(pr);
            return new Answer(201, pr.toString());
        }
    }
}

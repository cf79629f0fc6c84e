package dev.paver.bench;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import dev.paver.core.report.Times;
import dev.paver.git.GitHubLimits;
import dev.paver.git.GitHubRepositories;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.util.FileSystemUtils;

/**
 * A burst of create-service requests against a GitHub stand-in that enforces GitHub's limits
 * ({@link GitHubStandIn}: 80 content-creating requests a minute, 500 an hour, 5,000 requests an hour, 304s free).
 * Each request makes the GitHub calls of create-service's steps, in their order, through Paver's
 * {@link GitHubRepositories} with its {@link GitHubLimits}: check-free (list the organization's repositories, read
 * the two paths in the GitOps repository), publish-gitops (read the path again, open the pull request with 8
 * files), create-app-repo, publish-app (9 files), then await-merge (poll the GitOps pull request every minute until
 * the burst is over). A step told to wait is scheduled again at the moment it was told, as the run engine's durable
 * timer does; {@code github.workers} threads (8, Paver's default run workers) take the steps. The Slack side and
 * the run engine are not part of this benchmark (AckBenchmark and FaultBenchmark measure them).
 *
 * <p>GitHub's hourly limit makes the burst last hours, so the clock is scaled: Paver's pacer, its sleeps and the
 * stand-in's windows all read one clock that runs {@code github.scale} times faster than real time (60: a GitHub
 * minute is a real second). HTTP, JSON and Paver's own work run at real speed, so each request takes
 * {@code github.scale} times longer in GitHub time than it does here: the measured time is an upper bound of what the
 * limits alone impose. Prints the expected floor, the time until every pull request was open, requests by kind,
 * limit answers (must be 0) and exits 1 when a pull request is missing or a limit answer came.
 * Run: {@code mvn -q test-compile exec:java@github-burst} ({@code -Dgithub.burst=200 -Dgithub.scale=60}).
 */
public final class GitHubBurstBenchmark {

    static final int BURST = Integer.getInteger("github.burst", 200);
    static final double SCALE = Double.parseDouble(System.getProperty("github.scale", "60"));
    static final int WORKERS = Integer.getInteger("github.workers", 8);
    static final int PER_MINUTE = Integer.getInteger("github.per-minute", 60);
    static final int PER_HOUR = Integer.getInteger("github.per-hour", 450);
    static final String ORG = "acme";

    /** The real time, {@code scale} times faster, from now. */
    static final class ScaledClock extends Clock {
        private final Instant origin = Instant.parse("2026-12-01T09:00:00Z");
        private final long start = System.nanoTime();
        private final double scale;

        ScaledClock(double scale) {
            this.scale = scale;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return origin.plusNanos((long) ((System.nanoTime() - start) * scale));
        }

        long realNanos(Duration scaled) {
            return (long) (scaled.toNanos() / scale);
        }
    }

    public static void main(String[] args) throws Exception {
        ScaledClock clock = new ScaledClock(SCALE);
        Path cache = Files.createTempDirectory("paver-github-cache");
        ScheduledExecutorService workers = Executors.newScheduledThreadPool(WORKERS);
        int exit;
        try (GitHubStandIn github = new GitHubStandIn(ORG, clock)) {
            github.seed("payments-gitops", Map.of("README.md", "# payments\n",
                    "catalog/systems/checkout.yaml", "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: checkout\n"));
            GitHubLimits limits = new GitHubLimits(PER_MINUTE, PER_HOUR, Duration.ofSeconds(5), clock,
                    d -> TimeUnit.NANOSECONDS.sleep(clock.realNanos(d)));
            GitHubRepositories paver = GitHubRepositories.connect(github.baseUrl(), "ghp_benchmarkTokenNotARealOne0001", ORG,
                    "main", limits, cache);
            exit = run(clock, github, limits, paver, workers);
        } finally {
            workers.shutdownNow();
            FileSystemUtils.deleteRecursively(cache);
        }
        System.exit(exit);
    }

    private static int run(ScaledClock clock, GitHubStandIn github, GitHubLimits limits, GitHubRepositories paver,
                           ScheduledExecutorService workers) throws InterruptedException {
        Instant start = clock.instant();
        long realStart = System.nanoTime();
        CountDownLatch opened = new CountDownLatch(BURST);
        AtomicReference<Instant> lastOpened = new AtomicReference<>(start);
        AtomicInteger failures = new AtomicInteger();
        Map<String, AtomicInteger> waitedRuns = new ConcurrentHashMap<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            new CreateService(i, clock, paver, workers, opened, lastOpened, failures, waitedRuns, problems).schedule(Duration.ZERO);
        }
        Duration timeout = Duration.ofHours(24);
        boolean all = opened.await(clock.realNanos(timeout), TimeUnit.NANOSECONDS);
        long realSeconds = (System.nanoTime() - realStart) / 1_000_000_000L;
        // a few more polls of the waiting runs, then stop
        Thread.sleep(clock.realNanos(Duration.ofMinutes(3)) / 1_000_000);
        CreateService.stopped = true;
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);

        int content = github.contentRequests();
        GitHubLimits githubOwn = new GitHubLimits(GitHubLimits.GITHUB_PER_MINUTE, GitHubLimits.GITHUB_PER_HOUR, Duration.ZERO,
                Clock.systemUTC(), GitHubLimits.Sleeper.REAL);
        Duration took = Duration.between(start, lastOpened.get());
        System.out.println("GitHub burst: " + BURST + " create-service requests, " + WORKERS + " workers, clock x" + SCALE
                + ", Paver paces " + PER_MINUTE + "/min and " + PER_HOUR + "/h");
        System.out.println("  pull requests open:           " + github.openPullRequests() + " of " + 2 * BURST
                + (all ? "" : " (NOT ALL: timed out)"));
        System.out.printf("  content-creating requests:    %d (%.1f per create-service)%n", content, (double) content / BURST);
        System.out.println("  expected floor (Paver's pace): " + Times.elapsed(limits.floor(content)) + " for " + content
                + " requests at " + PER_MINUTE + "/min and " + PER_HOUR + "/h in any rolling hour");
        System.out.println("  floor at GitHub's own limits:  " + Times.elapsed(githubOwn.floor(content)) + " (80/min, 500/h)");
        System.out.println("  time until every PR was open: " + Times.elapsed(took) + " GitHub time (" + realSeconds
                + " s real at x" + SCALE + ")");
        System.out.println("  limit answers:                secondary " + github.secondaryLimitAnswers() + ", primary "
                + github.primaryLimitAnswers() + " (must be 0)");
        System.out.println("  peak content requests:        " + github.peakPerMinute() + " in a minute, " + github.peakPerHour()
                + " in an hour");
        System.out.println("  steps told to wait:           " + limits.waits() + " (" + waitedRuns.size() + " runs waited at least once)");
        System.out.println("  other failures:               " + failures.get() + (problems.isEmpty() ? "" : " e.g. " + problems.get(0)));
        System.out.println("  304 Not Modified answers:     " + github.notModified() + " (free of quota); primary quota used: at most "
                + github.peakPrimaryUsed() + " of " + GitHubStandIn.PRIMARY_PER_HOUR + " in an hour");
        System.out.println("  requests by kind:");
        github.requestsByKind().forEach((kind, n) -> System.out.printf("    %6d  %s%n", n, kind));
        boolean ok = all && github.secondaryLimitAnswers() == 0 && github.primaryLimitAnswers() == 0
                && github.openPullRequests() == 2 * BURST;
        return ok ? 0 : 1;
    }

    /** One create-service request's GitHub calls, step by step; a wait reschedules the step. */
    private static final class CreateService implements Runnable {
        static volatile boolean stopped;

        private final int n;
        private final String service;
        private final ScaledClock clock;
        private final GitHubRepositories github;
        private final ScheduledExecutorService workers;
        private final CountDownLatch opened;
        private final AtomicReference<Instant> lastOpened;
        private final AtomicInteger failures;
        private final Map<String, AtomicInteger> waitedRuns;
        private final List<String> problems;
        private int step;
        private PullRequest gitops;

        CreateService(int n, ScaledClock clock, GitHubRepositories github, ScheduledExecutorService workers, CountDownLatch opened,
                      AtomicReference<Instant> lastOpened, AtomicInteger failures, Map<String, AtomicInteger> waitedRuns,
                      List<String> problems) {
            this.n = n;
            this.service = "svc-" + n;
            this.clock = clock;
            this.github = github;
            this.workers = workers;
            this.opened = opened;
            this.lastOpened = lastOpened;
            this.failures = failures;
            this.waitedRuns = waitedRuns;
            this.problems = problems;
        }

        void schedule(Duration after) {
            if (!stopped) {
                workers.schedule(this, Math.max(0, clock.realNanos(after)), TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void run() {
            try {
                while (step < 5) {
                    execute();
                    step++;
                }
            } catch (Polled polled) {
                // stays on await-merge, polled again in a minute
            } catch (RuntimeException e) {
                if (!stopped) { // the end's shutdown interrupts polls under way: not a failure
                    failed(e);
                }
            }
        }

        private void failed(RuntimeException failure) {
            if (failure instanceof RepositoryException e && e.retryAt() != null) {
                waitedRuns.computeIfAbsent(service, k -> new AtomicInteger()).incrementAndGet();
                schedule(Duration.between(clock.instant(), e.retryAt()).plusMillis(1));
                return;
            }
            failures.incrementAndGet();
            synchronized (problems) {
                problems.add(service + ": " + failure.getMessage());
            }
            if (failure instanceof RepositoryException) {
                schedule(Duration.ofSeconds(30)); // as the engine tries a failed step again at the next poll
            }
        }

        private void execute() {
            String gitopsPath = "apps/checkout/" + service;
            String component = "catalog/components/" + service + ".yaml";
            switch (step) {
                case 0 -> { // check-free
                    if (github.listRepositories().contains(service)) {
                        throw new IllegalStateException(service + " exists already");
                    }
                    github.readFiles("payments-gitops", component);
                    github.readFiles("payments-gitops", gitopsPath);
                }
                case 1 -> { // publish-gitops: failIfExists, then the pull request
                    github.readFiles("payments-gitops", component);
                    gitops = github.openPullRequest(new PullRequestDraft("payments-gitops", "paver/run-" + n + "/create-service-"
                            + service, "Add " + service + " to checkout", "Deployment, Service and overlays", "Add " + service,
                            gitopsFiles(gitopsPath, component)));
                }
                case 2 -> github.ensureRepository(service, "The " + service + " service (created by Paver run run-" + n + ")");
                case 3 -> { // publish-app
                    github.openPullRequest(new PullRequestDraft(service, "paver/run-" + n + "/create-service",
                            "Create service " + service, "Skeleton of " + service, "Create " + service, appFiles()));
                    Instant now = clock.instant();
                    lastOpened.accumulateAndGet(now, (a, b) -> a.isAfter(b) ? a : b);
                    opened.countDown();
                }
                default -> { // await-merge: a poll a minute while the burst goes on
                    MergeState state = github.mergeState(gitops);
                    if (!(state instanceof MergeState.Open)) {
                        throw new IllegalStateException(service + ": the GitOps pull request is " + state);
                    }
                    schedule(Duration.ofMinutes(1));
                    throw new Polled();
                }
            }
        }

        private Map<String, String> gitopsFiles(String path, String component) {
            Map<String, String> files = new LinkedHashMap<>();
            for (String f : List.of("deployment.yaml", "service.yaml", "kustomization.yaml")) {
                files.put(path + "/base/" + f, "# " + f + " of " + service + "\n");
            }
            for (String env : List.of("dev", "staging")) {
                files.put(path + "/overlays/" + env + "/kustomization.yaml", "# " + env + "\n");
                files.put(path + "/overlays/" + env + "/namespace.yaml", "# payments-" + env + "-" + service + "\n");
            }
            files.put(component, "kind: Component\nmetadata:\n  name: " + service + "\n");
            return files;
        }

        private Map<String, String> appFiles() {
            Map<String, String> files = new LinkedHashMap<>();
            for (String f : List.of("Dockerfile", "README.md", "VERSION", "catalog-info.yaml", "mkdocs.yml", "nginx.conf",
                    "docs/index.md", "public/index.html", ".github/workflows/ci.yaml")) {
                files.put(f, "# " + f + " of " + service + "\n");
            }
            return files;
        }
    }

    /** A poll done: the step is scheduled again already. */
    private static final class Polled extends RuntimeException {
        Polled() {
            super(null, null, false, false);
        }
    }
}

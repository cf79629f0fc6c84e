package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitStandIn;
import dev.paver.conversation.MutableClock;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.CatalogReader;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.git.JGitRepositories;
import dev.paver.core.report.Message;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run engine walking the real create-service template over real local git repositories. */
class RunEngineTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of("create-service"));
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final Conventions conventions = Conventions.defaults();

    @BeforeEach
    void seed() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG,
                "seed");
    }

    private RunEngine engine(RepositoryPort repositories, RecordingNotifier notifier) {
        return engine(repositories, notifier, Clock.systemUTC());
    }

    private RunEngine engine(RepositoryPort repositories, RecordingNotifier notifier, Clock clock) {
        return engine(repositories, notifier, clock, DeploymentPort.disabled());
    }

    private RunEngine engine(RepositoryPort repositories, RecordingNotifier notifier, Clock clock, DeploymentPort deployments) {
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new dev.paver.core.action.CheckFreeAction(repositories),
                new ValidateConventionsAction(new ManifestRules(conventions)), new CreateRepositoryAction(repositories),
                new PublishPullRequestAction(repositories), new AwaitMergeAction(repositories),
                new AwaitSyncAction(deployments, repositories), new dev.paver.core.action.PreviewAction(repositories)));
        return new RunEngine(catalog, actions, store, notifier, renderer, clock, Runnable::run);
    }

    private RunRequest createService(String service) {
        return createService(git, catalog, service);
    }

    /** Dana's create-service of {@code service} in system checkout, checked against the domain repository's catalog. */
    static RunRequest createService(RepositoryPort git, GoldenPathCatalog catalog, String service) {
        var outcome = new RequestCheck(Conventions.defaults()).check(catalog.find("create-service").orElseThrow(),
                Map.of("service", service, "system", "checkout", "owner", "team-payments"),
                CatalogReader.read(git.readFiles("payments-gitops", "catalog")), true);
        var accepted = (RequestCheck.Accepted) outcome;
        return new RunRequest("create-service", accepted.parameters(), accepted.platform(), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS");
    }

    @Test
    void aRunStartsOnlyOnceTheRequestsBeingAnsweredAreDone() throws Exception {
        RecordingNotifier slack = new RecordingNotifier();
        Foreground requests = new Foreground(Duration.ofSeconds(30));
        RunEngine engine = engine(git, slack).yieldingTo(requests);
        requests.enter(); // a slash command being acknowledged
        CompletableFuture<Run> started = CompletableFuture.supplyAsync(() -> engine.start(createService("api")));
        Thread.sleep(500);
        assertThat(slack.cards).as("nothing posted, nothing pushed while the request is answered").isEmpty();
        assertThat(people.paverBranches("payments-gitops")).isEmpty();

        requests.leave();
        Run run = started.get(60, TimeUnit.SECONDS);
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);
        assertThat(people.paverBranches("payments-gitops")).hasSize(1);
    }

    @Test
    void opensBothPullRequestsThenWaitsForTheGitOpsMerge() throws Exception {
        RecordingNotifier slack = new RecordingNotifier();
        Run run = engine(git, slack).start(createService("api"));

        Run stored = store.find(run.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(RunState.WAITING);
        String branch = (String) stored.step("publish-gitops").output().get("branchName");
        assertThat(stored.waitingFor()).isEqualTo(AwaitMergeAction.waitKey("payments-gitops", branch));
        assertThat(people.files("payments-gitops", branch)).containsKeys(
                "apps/checkout/api/overlays/prod/kustomization.yaml", "catalog/components/api.yaml");
        assertThat(people.files("api", (String) stored.step("publish-app").output().get("branchName")))
                .containsKeys("Dockerfile", ".github/workflows/ci.yaml", "catalog-info.yaml", "docs/index.md");
        assertThat(slack.cards).hasSizeGreaterThanOrEqualTo(2);
        assertThat(slack.lastCard().state()).isEqualTo("Waiting for branch " + branch + " to be merged");
    }

    @Test
    void aNewEngineOnTheSameStoreResumesInTheSameThreadAndPostsNothingTwice() throws Exception {
        RecordingNotifier before = new RecordingNotifier();
        Run run = engine(git, before).start(createService("api"));
        String branch = (String) store.find(run.id()).orElseThrow().step("publish-gitops").output().get("branchName");

        RecordingNotifier after = new RecordingNotifier();
        RunEngine restarted = engine(git, after);
        restarted.resumeAll();
        assertThat(after.replies).as("nothing new to say while the pull request is open").isEmpty();
        assertThat(after.cards).as("no second card").allSatisfy(c -> assertThat(c.title()).contains("create-service"));

        people.merge("payments-gitops", branch, "Alex");
        restarted.wake(AwaitMergeAction.waitKey("payments-gitops", branch));

        Run done = store.find(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.thread()).isEqualTo(store.find(run.id()).orElseThrow().thread());
        assertThat(after.replyTexts()).hasSize(2);
        assertThat(after.replyTexts().get(0)).contains("merged");
        assertThat(after.replyTexts().get(1)).contains("Deployment tracking is off");
        assertThat(before.replyTexts()).noneMatch(t -> t.contains("merged"));
    }

    @Test
    void aDryRunShowsTheDiffAndPushesNothingUntilTheRequesterClicksOpenPr() {
        RecordingNotifier notifier = new RecordingNotifier();
        RunEngine engine = engine(git, notifier);
        Run run = engine.start(dryRun(createService("api")));

        Run waiting = store.find(run.id()).orElseThrow();
        assertThat(waiting.waitingFor()).isEqualTo(dev.paver.core.action.PreviewAction.waitKey(run.id()));
        assertThat(waiting.step("publish-gitops").status()).isEqualTo(StepStatus.PENDING);
        assertThat(git.listRepositories()).doesNotContain("api");
        Message preview = notifier.replies.get(notifier.replies.size() - 1);
        assertThat(preview.text()).contains("Dry run: nothing is pushed until you click Open PR",
                "apps/checkout/api/overlays/prod/kustomization.yaml (new)", "+++ b/apps/checkout/api/base/deployment.yaml",
                "+  name: api");
        Message.Button open = preview.buttons().get(0);
        assertThat(open.text()).isEqualTo("Open PR");
        String[] value = open.value().split(" ");

        assertThat(engine.signal(value[0], dev.paver.core.action.PreviewAction.SIGNAL + value[1],
                dev.paver.core.action.PreviewAction.waitKey(value[0]), "U0SOMEONE"))
                .isEqualTo(RunEngine.SignalOutcome.NOT_REQUESTER);
        assertThat(store.find(run.id()).orElseThrow().step("publish-gitops").status()).isEqualTo(StepStatus.PENDING);

        assertThat(engine.signal(value[0], dev.paver.core.action.PreviewAction.SIGNAL + value[1],
                dev.paver.core.action.PreviewAction.waitKey(value[0]), "U0DANA")).isEqualTo(RunEngine.SignalOutcome.ACCEPTED);
        Run opened = store.find(run.id()).orElseThrow();
        assertThat(opened.step("publish-gitops").status()).isEqualTo(StepStatus.DONE);
        assertThat(git.readFiles("payments-gitops", "catalog/components")).isEmpty(); // a pull request, not main
        assertThat(notifier.replies).filteredOn(m -> m.text().contains("Dry run")).hasSize(1);
    }

    /** The same request with the "Preview first" box ticked. */
    private static RunRequest dryRun(RunRequest plain) {
        java.util.Map<String, Object> platform = new java.util.LinkedHashMap<>(plain.platform());
        platform.put(RunRequest.DRY_RUN, true);
        return new RunRequest(plain.goldenPath(), plain.parameters(), platform, plain.requester(), plain.origin(),
                plain.channel());
    }

    @Test
    void aNameTakenWhileADryRunWaitsForOpenPrStopsTheRunBeforeAnythingIsPushed() throws Exception {
        RecordingNotifier notifier = new RecordingNotifier();
        RunEngine engine = engine(git, notifier);
        Run run = engine.start(dryRun(createService("api")));
        String[] value = notifier.replies.get(notifier.replies.size() - 1).buttons().get(0).value().split(" ");

        git.ensureRepository("api", "another team's api, made while Dana read the preview");
        engine.signal(value[0], dev.paver.core.action.PreviewAction.SIGNAL + value[1],
                dev.paver.core.action.PreviewAction.waitKey(value[0]), "U0DANA");

        Run failed = store.find(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.outcome()).contains("Nothing was pushed: the repository api exists already");
        assertThat(failed.step("publish-gitops").status()).isEqualTo(StepStatus.PENDING);
        assertThat(people.paverBranches("payments-gitops")).isEmpty();
        assertThat(people.paverBranches("api")).isEmpty();
    }

    @Test
    void aWaitingRunWhoseTimerIsDerivedFromNanosecondsIsNotStoredAgainNorItsCardEditedWhenNothingChanged() {
        // the real store: its timestamp columns keep microseconds, while the clock and the steps' JSON keep nanoseconds
        javax.sql.DataSource db = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                "jdbc:h2:mem:engine-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        org.flywaydb.core.Flyway.configure().dataSource(db).load().migrate();
        RunStore jdbc = new dev.paver.store.JdbcRunStore(new org.springframework.jdbc.core.JdbcTemplate(db), "replica-a");
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00.123456789Z"));
        RecordingNotifier slack = new RecordingNotifier();
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new dev.paver.core.action.CheckFreeAction(git),
                new ValidateConventionsAction(new ManifestRules(conventions)), new CreateRepositoryAction(git),
                new PublishPullRequestAction(git), new AwaitMergeAction(git),
                new AwaitSyncAction(DeploymentPort.disabled(), git), new dev.paver.core.action.PreviewAction(git)));
        RunEngine engine = new RunEngine(catalog, actions, jdbc, slack, renderer, clock, Runnable::run);
        RunRequest plain = createService("api");
        java.util.Map<String, Object> platform = new java.util.LinkedHashMap<>(plain.platform());
        platform.put(RunRequest.DRY_RUN, true); // the preview waits with a timer: 24 h after the step began
        Run run = engine.start(new RunRequest(plain.goldenPath(), plain.parameters(), platform, plain.requester(),
                plain.origin(), plain.channel()));
        Run waiting = jdbc.find(run.id()).orElseThrow();
        assertThat(waiting.wakeAt()).isNotNull();
        int cards = slack.cards.size();

        for (int poll = 0; poll < 3; poll++) {
            clock.advance(java.time.Duration.ofSeconds(5).plusNanos(1_001));
            engine.resumeAll();
        }

        Run after = jdbc.find(run.id()).orElseThrow();
        assertThat(after.updatedAt()).as("not stored again").isEqualTo(waiting.updatedAt());
        assertThat(after.wakeAt()).isEqualTo(waiting.wakeAt());
        assertThat(slack.cards).as("the card is not edited").hasSize(cards);
    }

    @Test
    void aRefusedPushFailsTheRunWithGitsReasonAndNothingElseHappens() {
        RepositoryPort broken = new RepositoryPort() {
            @Override
            public String cloneUrl(String repository) {
                return "file:///nowhere/" + repository + ".git";
            }

            @Override
            public RepositoryInfo ensureRepository(String name, String description) {
                throw new AssertionError("no repository after a failed step");
            }

            @Override
            public PullRequest openPullRequest(PullRequestDraft draft) {
                throw new RepositoryException("git push to " + draft.repository() + " refused: permission denied");
            }

            @Override
            public MergeState mergeState(PullRequest pullRequest) {
                throw new AssertionError("no merge check after a failed step");
            }

            @Override
            public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
                throw new AssertionError("no merge after a failed step");
            }

            @Override
            public Map<String, String> readFiles(String repository, String directory) {
                return Map.of();
            }

            @Override
            public boolean contains(String repository, String revision, String commit) {
                throw new AssertionError("no sync after a failed step");
            }

            @Override
            public List<String> listRepositories() {
                return List.of();
            }
        };
        RecordingNotifier slack = new RecordingNotifier();
        Run run = engine(broken, slack).start(createService("api"));

        Run failed = store.find(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.outcome()).contains("Open the GitOps pull request").contains("permission denied");
        assertThat(slack.replyTexts()).singleElement().asString().startsWith("Failed:").contains("permission denied");
        assertThat(slack.lastCard().state()).isEqualTo("Failed");
    }

    @Test
    void namesTakenBetweenTheRequestAndTheRunStopItBeforeAnythingIsPushed() throws Exception {
        RunRequest request = createService("api"); // accepted: nothing is called api yet
        git.ensureRepository("api", "another team's api");
        people.commit("payments-gitops", "apps/checkout/api/README.md", "someone else's api\n", "Sam");
        RecordingNotifier slack = new RecordingNotifier();

        Run run = engine(git, slack).start(request);

        Run failed = store.find(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.outcome()).isEqualTo("Nothing was pushed: the repository api exists already; payments-gitops "
                + "already has apps/checkout/api on its default branch. The name is taken: choose another name, or ask the "
                + "repository's owners.");
        assertThat(failed.step("check-free").status()).isEqualTo(StepStatus.FAILED);
        assertThat(failed.step("publish-gitops").status()).isEqualTo(StepStatus.PENDING);
        assertThat(people.paverBranches("payments-gitops")).isEmpty();
        assertThat(people.paverBranches("api")).isEmpty();
    }

    @Test
    void aGitHostThatIsDownIsTriedAgainSaidOnceAndTheRunGoesOnWhenItIsBack() {
        FlakyRepositories flaky = new FlakyRepositories(git);
        RecordingNotifier slack = new RecordingNotifier();
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        RunEngine engine = engine(flaky, slack, clock);

        flaky.down = true;
        Run run = engine.start(createService("api"));
        Run retrying = store.find(run.id()).orElseThrow();
        assertThat(retrying.state()).isEqualTo(RunState.WAITING);
        // the first step that reads the git host (preview reads nothing without a dry run): the check that the names are free
        assertThat(retrying.step("check-free").detail()).startsWith("trying again: connection refused");
        int cards = slack.cards.size();
        for (int poll = 0; poll < 3; poll++) {
            clock.advance(java.time.Duration.ofMinutes(1));
            engine.resumeAll();
        }
        assertThat(slack.replyTexts()).singleElement().asString()
                .contains("Check that the names are free failed: connection refused").contains("tries again");
        assertThat(store.find(run.id()).orElseThrow().updatedAt()).as("the same failure again is not stored again")
                .isEqualTo(retrying.updatedAt());
        assertThat(slack.cards).as("nor is the card edited at every poll").hasSize(cards);

        flaky.down = false;
        clock.advance(java.time.Duration.ofMinutes(5));
        engine.resumeAll();
        Run back = store.find(run.id()).orElseThrow();
        assertThat(back.step("check-free").retryingSince()).isNull();
        assertThat(back.step("publish-gitops").status()).isEqualTo(StepStatus.DONE);
        assertThat(back.waitingFor()).startsWith("pr:payments-gitops:");
    }

    @Test
    void aGitHostDownForLongerThanTheRetryTimeFailsTheRunWithItsReason() {
        FlakyRepositories flaky = new FlakyRepositories(git);
        flaky.down = true;
        RecordingNotifier slack = new RecordingNotifier();
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        RunEngine engine = engine(flaky, slack, clock);
        Run run = engine.start(createService("api"));

        clock.advance(RunEngine.RETRY_FOR.plusMinutes(1));
        engine.resumeAll();

        Run failed = store.find(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.outcome()).contains("connection refused").contains("tried again for 30m");
        assertThat(slack.lastCard().state()).isEqualTo("Failed");
    }

    /** A cluster whose Argo CD has no Application; counts the reads. */
    private static DeploymentPort noApplication(java.util.concurrent.atomic.AtomicInteger reads) {
        return new DeploymentPort() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public java.util.Optional<dev.paver.core.action.ApplicationStatus> application(String name) {
                reads.incrementAndGet();
                return java.util.Optional.empty();
            }

            @Override
            public boolean sync(String name, String revision, String initiatedBy, Map<String, String> info) {
                return false;
            }

            @Override
            public boolean refresh(String name) {
                return false;
            }
        };
    }

    @Test
    void aRunWaitingForAnApplicationIsLeftToItsEventsNotPolledAndItsTimerStillSaysWhenItIsSlow() throws Exception {
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        RecordingNotifier slack = new RecordingNotifier();
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        RunEngine engine = engine(git, slack, clock, noApplication(reads))
                .wokenByEvents(() -> List.of(AwaitSyncAction.WAIT_KEY_PREFIX));
        Run run = engine.start(createService("api"));
        people.merge("payments-gitops", (String) store.find(run.id()).orElseThrow().step("publish-gitops").output().get("branchName"), "Alex");
        engine.resumeAll();
        assertThat(store.find(run.id()).orElseThrow().waitingFor()).isEqualTo("argocd:payments-dev-api");
        int readsBefore = reads.get();
        int before = slack.replies.size();

        engine.resumeAll();
        engine.resumeAll();
        assertThat(reads.get()).as("the polls leave the run to Argo CD's events").isEqualTo(readsBefore);

        clock.advance(AwaitSyncAction.SLOW.plusMinutes(1));
        engine.wakeDue();

        assertThat(slack.replyTexts().subList(before, slack.replies.size())).singleElement().asString()
                .startsWith("Argo CD has no Application payments-dev-api after 16m 00s");
        engine.wake(AwaitSyncAction.waitKey("payments-dev-api"));
        assertThat(reads.get()).as("an event wakes it").isGreaterThan(readsBefore + 1);
    }

    @Test
    void saysOnceWhenArgoCdHasNoApplicationLongAfterTheMerge() throws Exception {
        DeploymentPort noApplication = noApplication(new java.util.concurrent.atomic.AtomicInteger());
        RecordingNotifier slack = new RecordingNotifier();
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        RunEngine engine = engine(git, slack, clock, noApplication);
        Run run = engine.start(createService("api"));
        people.merge("payments-gitops", (String) store.find(run.id()).orElseThrow().step("publish-gitops").output().get("branchName"), "Alex");
        engine.resumeAll();
        assertThat(store.find(run.id()).orElseThrow().waitingFor()).isEqualTo("argocd:payments-dev-api");
        int before = slack.replies.size();

        clock.advance(AwaitSyncAction.SLOW.plusMinutes(1));
        engine.resumeAll();
        engine.resumeAll();

        assertThat(slack.replyTexts().subList(before, slack.replies.size())).singleElement().asString()
                .startsWith("Argo CD has no Application payments-dev-api after 16m 00s").contains("keeps waiting");
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);
    }

    @Test
    void aGitHostsRateLimitIsWaitedForUntilItsEndSaidOnceAndNotCountedAsAFailure() {
        FlakyRepositories limited = new FlakyRepositories(git);
        RecordingNotifier slack = new RecordingNotifier();
        MutableClock clock = MutableClock.startingAt(java.time.Instant.parse("2026-11-21T10:00:00Z"));
        limited.clock = clock;
        // longer than the retry time of a failure: a rate limit must not fail the run
        limited.limitedUntil = clock.instant().plus(RunEngine.RETRY_FOR.plusMinutes(10));
        RunEngine engine = engine(limited, slack, clock);

        Run run = engine.start(createService("api"));
        Run waiting = store.find(run.id()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(RunState.WAITING);
        assertThat(waiting.wakeAt()).isEqualTo(limited.limitedUntil);
        assertThat(waiting.step("check-free").detail()).startsWith("Waiting for GitHub's rate limit until 2026-11-21 10:40 UTC");
        for (int poll = 0; poll < 3; poll++) {
            clock.advance(Duration.ofMinutes(12));
            engine.resumeAll();
            engine.wakeDue();
        }
        assertThat(slack.replyTexts()).as("said once, not at every poll").singleElement().asString()
                .startsWith("Waiting for GitHub's rate limit until 2026-11-21 10:40 UTC");
        assertThat(store.find(run.id()).orElseThrow().updatedAt()).as("the same wait is not stored again")
                .isEqualTo(waiting.updatedAt());
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);

        clock.advance(Duration.ofMinutes(5)); // 10:41, after the limit's end
        engine.wakeDue();
        Run back = store.find(run.id()).orElseThrow();
        assertThat(back.step("publish-gitops").status()).isEqualTo(StepStatus.DONE);
        assertThat(back.waitingFor()).startsWith("pr:payments-gitops:");
        assertThat(slack.replyTexts()).filteredOn(t -> t.contains("rate limit")).hasSize(1);

        // a poll of the pull request meets the limit: checked later, nothing said (200 waiting runs would say it 200 times)
        int replies = slack.replyTexts().size();
        limited.limitedUntil = clock.instant().plus(Duration.ofMinutes(2));
        engine.resumeAll();
        Run polled = store.find(run.id()).orElseThrow();
        assertThat(polled.state()).isEqualTo(RunState.WAITING);
        assertThat(polled.waitingFor()).as("a merge still wakes it").startsWith("pr:payments-gitops:");
        assertThat(polled.wakeAt()).isEqualTo(limited.limitedUntil);
        assertThat(slack.replyTexts()).hasSize(replies);
    }

    /** The local repositories, behind a network that can be cut, or a rate limit. */
    private static final class FlakyRepositories implements RepositoryPort {
        private final RepositoryPort real;
        volatile boolean down;
        volatile java.time.Instant limitedUntil;
        volatile Clock clock = Clock.systemUTC();

        FlakyRepositories(RepositoryPort real) {
            this.real = real;
        }

        @Override
        public String cloneUrl(String repository) {
            return real.cloneUrl(repository);
        }

        private void check() {
            if (down) {
                throw new RepositoryException("connection refused", new java.net.ConnectException("connection refused"));
            }
            if (limitedUntil != null && clock.instant().isBefore(limitedUntil)) {
                // what GitHubRepositories says when GitHubLimits holds its requests
                throw new RepositoryException("Waiting for GitHub's rate limit until "
                        + dev.paver.core.report.Times.instant(limitedUntil) + ": GitHub answered HTTP 403: Paver went over"
                        + " GitHub's secondary rate limit; Paver goes on by itself then", null, limitedUntil);
            }
        }

        @Override
        public RepositoryInfo ensureRepository(String name, String description) {
            check();
            return real.ensureRepository(name, description);
        }

        @Override
        public PullRequest openPullRequest(PullRequestDraft draft) {
            check();
            return real.openPullRequest(draft);
        }

        @Override
        public MergeState mergeState(PullRequest pullRequest) {
            check();
            return real.mergeState(pullRequest);
        }

        @Override
        public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
            check();
            return real.merge(pullRequest, expectedHead, message);
        }

        @Override
        public Map<String, String> readFiles(String repository, String directory) {
            check();
            return real.readFiles(repository, directory);
        }

        @Override
        public boolean contains(String repository, String revision, String commit) {
            check();
            return real.contains(repository, revision, commit);
        }

        @Override
        public List<String> listRepositories() {
            return real.listRepositories();
        }
    }

    @Test
    void twoActionsWithOneIdFailStartUp() {
        Action first = new FetchTemplateAction(renderer);
        Action second = new FetchTemplateAction(renderer);
        assertThatThrownBy(() -> new ActionRegistry(List.of(first, second)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fetch:template is registered twice");
    }
}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
import dev.paver.conversation.MutableClock;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CheckFreeAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.OnceNotifier;
import dev.paver.core.report.PostLog;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.secret.CertificateSource;
import dev.paver.git.JGitRepositories;
import dev.paver.store.JdbcAuditLog;
import dev.paver.store.JdbcPostLog;
import dev.paver.store.JdbcRunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A process killed at the worst instants, on the real stores (H2, the Flyway schema): between a Slack call and its
 * record, between the acknowledgement and the start, while a card edit fails. Each "restart" is a new engine and
 * intake on the same database; what Slack holds is a chat with a history that keeps each message's key, as Slack's
 * message metadata does.
 */
class CrashRecoveryTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;
    private JdbcTemplate jdbc;
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of("create-service"));
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final Conventions conventions = Conventions.defaults();
    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-05T10:00:00Z"));
    private final Chat slack = new Chat();

    @BeforeEach
    void seed() {
        DataSource db = new DriverManagerDataSource("jdbc:h2:mem:crash-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        jdbc = new JdbcTemplate(db);
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG,
                "seed");
    }

    /** One process: an engine and an intake over the shared database and chat; {@code dies} picks the record it dies at. */
    private final class Process {
        final RunEngine engine;
        final Intake intake;
        /** a restarted process is another replica id: the engine's claims are this process's own */
        final JdbcRunStore runs = new JdbcRunStore(jdbc, "process-" + UUID.randomUUID());

        Process(Predicate<String> dies) {
            PostLog log = new JdbcPostLog(jdbc);
            PostLog dying = new PostLog() {
                @Override
                public Optional<Entry> find(String key) {
                    return log.find(key);
                }

                @Override
                public void intend(String key, String channel, String threadTs, Instant at) {
                    log.intend(key, channel, threadTs, at);
                }

                @Override
                public void posted(String key, String channel, String ts) {
                    if (dies.test(key)) {
                        throw new Killed(key);
                    }
                    log.posted(key, channel, ts);
                }
            };
            Notifier notifier = new OnceNotifier(slack, dying, clock);
            ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer), new CheckFreeAction(git),
                    new ValidateConventionsAction(new ManifestRules(conventions)), new CreateRepositoryAction(git),
                    new PublishPullRequestAction(git), new AwaitMergeAction(git),
                    new AwaitSyncAction(DeploymentPort.disabled(), git), new PreviewAction(git)));
            engine = new RunEngine(catalog, actions, runs, notifier, renderer, clock, Runnable::run);
            CatalogSource platform = new CatalogSource(git, "-gitops");
            platform.refresh();
            intake = new Intake(catalog, new RequestCheck(conventions), platform, engine, false,
                    new ApprovalPolicy(Map.of(), Map.of(), 1, ApprovalPolicy.DEFAULT_TIMEOUT, Map.of()),
                    (user, reference) -> true, new JdbcAuditLog(jdbc), clock, CertificateSource.unavailable("no Sealed Secrets controller here"));
        }
    }

    /** What a SIGKILL does to the calling thread, here: it stops at once. */
    private static final class Killed extends RuntimeException {
        Killed(String key) {
            super("killed right after posting " + key);
        }
    }

    private Intake.Ready ready(Process process, String service) {
        return (Intake.Ready) process.intake.check("create-service",
                Map.of("service", service, "system", "checkout", "owner", "team-payments"), false);
    }

    @Test
    void aRequestAcknowledgedThenKilledBeforeItStartedIsStartedOnceAfterTheRestart() throws Exception {
        Process first = new Process(key -> false);
        Run accepted = first.intake.accept(ready(first, "api"), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS", null).orElseThrow();
        // killed here: the acknowledgement went out, the intake after it never ran

        Process second = new Process(key -> false);
        assertThat(second.intake.resumeReceived()).as("left to the intake that acknowledged it for a while").isZero();
        clock.advance(Intake.RECEIVED_GRACE.plusSeconds(1));
        assertThat(second.intake.resumeReceived()).isEqualTo(1);
        assertThat(second.intake.resumeReceived()).as("once").isZero();

        Run run = second.runs.find(accepted.id()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.WAITING);
        assertThat(slack.cards()).as("one status card").hasSize(1);
        assertThat(people.paverBranches("payments-gitops")).as("one GitOps branch").hasSize(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE action = 'request'", Integer.class))
                .as("the request is audited once").isEqualTo(1);
    }

    @Test
    void aRequestTheRequesterMayNotRunIsRefusedAfterTheRestartAndTheyAreToldPrivatelyOnce() throws Exception {
        Process first = new Process(key -> false);
        Run accepted = first.intake.accept(ready(first, "api"), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS", null).orElseThrow();
        clock.advance(Intake.RECEIVED_GRACE.plusSeconds(1));

        Process second = new Process(key -> false);
        Intake strict = new Intake(catalog, new RequestCheck(conventions), new CatalogSource(git, "-gitops"), second.engine, false,
                new ApprovalPolicy(Map.of(), Map.of(), 1, ApprovalPolicy.DEFAULT_TIMEOUT,
                        Map.of("create-service", Map.of("payments", List.of("team-payments-leads")))),
                (user, reference) -> false, new JdbcAuditLog(jdbc), clock, CertificateSource.unavailable("none"));
        strict.resumeReceived();
        strict.resumeReceived();

        Run run = second.runs.find(accepted.id()).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.DENIED);
        assertThat(run.outcome()).contains("You may not run create-service in payments");
        assertThat(slack.privately).as("told once, privately").singleElement().asString()
                .startsWith("C0PAYMENTS/U0DANA: :warning: You may not run create-service");
        assertThat(slack.cards()).as("nothing posted in the channel").isEmpty();
        assertThat(people.paverBranches("payments-gitops")).isEmpty();
    }

    @Test
    void aCardPostedRightBeforeTheKillIsFoundInTheChannelNotPostedAgain() {
        Process first = new Process(key -> key.endsWith("/card"));
        Run run = first.engine.start(RunEngineTest.createService(git, catalog, "api"));
        assertThat(slack.cards()).hasSize(1);
        assertThat(first.runs.find(run.id()).orElseThrow().thread()).as("killed before the card was recorded").isNull();

        Process second = new Process(key -> false);
        second.engine.resumeAll();

        Run resumed = second.runs.find(run.id()).orElseThrow();
        assertThat(slack.cards()).as("the same card, found by its key").hasSize(1);
        assertThat(resumed.thread().cardTs()).isEqualTo(slack.cards().get(0).ts());
        assertThat(resumed.state()).isEqualTo(RunState.WAITING);
        assertThat(slack.findCalls.get()).as("Slack was asked once whether the card was there").isEqualTo(1);
    }

    @Test
    void aMilestonePostedRightBeforeTheKillIsNotPostedAgainAndTheRunGoesOn() throws Exception {
        Process first = new Process(key -> false);
        Run run = first.engine.start(RunEngineTest.createService(git, catalog, "api"));
        String branch = (String) first.runs.find(run.id()).orElseThrow().step("publish-gitops").output().get("branchName");
        people.merge("payments-gitops", branch, "Alex");

        Process dying = new Process(key -> key.contains("/merged"));
        dying.engine.wake(AwaitMergeAction.waitKey("payments-gitops", branch));
        assertThat(slack.replies()).as("posted before the kill").anyMatch(m -> m.text().contains("merged"));

        Process second = new Process(key -> false);
        second.engine.resumeAll();

        Run done = second.runs.find(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        List<String> keys = slack.messages.stream().map(Posted::key).toList();
        assertThat(keys).as("every message once").doesNotHaveDuplicates();
        assertThat(slack.replies()).filteredOn(m -> m.text().contains("merged")).hasSize(1);
    }

    @Test
    void aProcessKilledWhilePostingTheMilestonesOfAStepThatPushedDoesNotDoTheStepAgain() throws Exception {
        // the step is stored done before its milestones are posted: done again, it would find its own change in the
        // repository and fail the run with "the name is taken"
        Process dying = new Process(key -> key.endsWith("/publish-gitops/opened"));
        Run run = dying.engine.start(RunEngineTest.createService(git, catalog, "api"));
        assertThat(slack.replies()).as("posted before the kill").anyMatch(m -> m.text().contains("opened"));
        assertThat(dying.runs.find(run.id()).orElseThrow().step("publish-gitops").status())
                .as("recorded before the post").isEqualTo(StepStatus.DONE);

        Process second = new Process(key -> false);
        second.engine.resumeAll();

        Run resumed = second.runs.find(run.id()).orElseThrow();
        assertThat(resumed.state()).as(resumed.outcome()).isEqualTo(RunState.WAITING);
        assertThat(people.paverBranches("payments-gitops")).as("one GitOps branch").hasSize(1);
        assertThat(slack.replies()).filteredOn(m -> m.text().contains("opened in payments-gitops"))
                .as("the pull request told once").hasSize(1);
        assertThat(resumed.posted()).contains("publish-gitops/opened");
    }

    @Test
    void aMilestoneStoredButNotPostedBeforeTheKillIsPostedAfterTheRestart() throws Exception {
        Process first = new Process(key -> false);
        Run run = first.engine.start(RunEngineTest.createService(git, catalog, "api"));
        // as if killed between storing the step and posting its milestone: nothing of it in the chat or the post log
        slack.messages.removeIf(m -> m.key().endsWith("/publish-gitops/opened"));
        jdbc.update("DELETE FROM slack_posts WHERE post_key LIKE ?", "%/publish-gitops/opened");
        Run stored = first.runs.find(run.id()).orElseThrow();
        Run killed = new Run(stored.id(), stored.request(), stored.createdAt(), stored.state(), stored.steps(), stored.thread(),
                stored.waitingFor(), stored.outcome(), stored.updatedAt(),
                stored.posted().stream().filter(k -> !k.equals("publish-gitops/opened")).collect(java.util.stream.Collectors.toSet()),
                stored.wakeAt());
        assertThat(first.runs.claim(run.id(), clock.instant().plusSeconds(60), clock.instant())).isTrue();
        first.runs.update(killed);
        first.runs.release(run.id());

        Process second = new Process(key -> false);
        second.engine.resumeAll();

        assertThat(slack.replies()).filteredOn(m -> m.text().contains("opened in payments-gitops"))
                .as("posted after the restart, once").hasSize(1);
        assertThat(people.paverBranches("payments-gitops")).hasSize(1);
        assertThat(second.runs.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);
    }

    @Test
    void aCardEditThatFailsIsSentAgainUntilTheCardShowsTheEndAlsoAfterARestart() throws Exception {
        Process first = new Process(key -> false);
        Run run = first.engine.start(RunEngineTest.createService(git, catalog, "api"));
        String branch = (String) first.runs.find(run.id()).orElseThrow().step("publish-gitops").output().get("branchName");
        people.merge("payments-gitops", branch, "Alex");
        slack.failEdits.set(3);
        first.engine.wake(AwaitMergeAction.waitKey("payments-gitops", branch));
        assertThat(first.runs.find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(slack.cardNow(run)).as("the failed edit left the card behind").doesNotContain("Done");
        assertThat(first.runs.staleCards(10)).extracting(Run::id).containsExactly(run.id());
        // killed here; the next process sends the edit that the card still lacks, as often as it takes
        Process second = new Process(key -> false);
        for (int sweep = 0; sweep < 40 && !first.runs.staleCards(10).isEmpty(); sweep++) {
            second.engine.editStaleCards();
            Thread.sleep(250);
        }
        assertThat(slack.cardNow(run)).contains("Done");
        assertThat(first.runs.staleCards(10)).isEmpty();
        assertThat(slack.cards()).as("still one card").hasSize(1);
    }


    /** A message the chat holds: its key (Slack: metadata), where, its ts, and its text or card. */
    private record Posted(String key, String channel, String threadTs, String ts, Message message, Card card) {
    }

    /** A chat that keeps its history with each message's key, as Slack keeps metadata; edits can be made to fail. */
    private static final class Chat implements Notifier {
        final List<Posted> messages = new CopyOnWriteArrayList<>();
        final Map<String, Card> edits = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> privately = new CopyOnWriteArrayList<>();
        final AtomicInteger failEdits = new AtomicInteger();
        final AtomicInteger findCalls = new AtomicInteger();
        private final AtomicInteger next = new AtomicInteger(1);

        private String ts() {
            return "1764928800." + String.format("%06d", next.getAndIncrement());
        }

        @Override
        public ThreadRef postCard(String channel, Card card, String key) {
            String ts = ts();
            messages.add(new Posted(key, channel, null, ts, null, card));
            return new ThreadRef(channel, ts, ts);
        }

        @Override
        public void updateCard(ThreadRef thread, Card card) {
            if (failEdits.getAndDecrement() > 0) {
                throw new NotifierException("Slack chat.update failed with HTTP 500", null, false);
            }
            edits.put(thread.cardTs(), card);
        }

        @Override
        public String reply(ThreadRef thread, Message message, String key) {
            String ts = ts();
            messages.add(new Posted(key, thread.channel(), thread.threadTs(), ts, message, null));
            return ts;
        }

        @Override
        public String post(String channel, Message message, String key) {
            String ts = ts();
            messages.add(new Posted(key, channel, null, ts, message, null));
            return ts;
        }

        @Override
        public void postPrivate(String channel, String userId, Message message, String key) {
            privately.add(channel + "/" + userId + ": " + message.text());
        }

        @Override
        public void edit(String channel, String ts, Message message) {
        }

        @Override
        public Optional<String> find(String channel, String threadTs, String key, Instant since) {
            findCalls.incrementAndGet();
            return messages.stream().filter(m -> m.key().equals(key) && m.channel().equals(channel)
                    && java.util.Objects.equals(m.threadTs(), threadTs)).map(Posted::ts).findFirst();
        }

        List<Posted> cards() {
            return messages.stream().filter(m -> m.card() != null).toList();
        }

        List<Message> replies() {
            return messages.stream().filter(m -> m.message() != null).map(Posted::message).toList();
        }

        /** The card of the run as it reads now: its last edit, else as posted. */
        String cardNow(Run run) {
            Posted posted = cards().get(0);
            Card card = edits.getOrDefault(posted.ts(), posted.card());
            List<String> words = new ArrayList<>(List.of(card.title(), card.state()));
            return String.join(" | ", words);
        }
    }
}

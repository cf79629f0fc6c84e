package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
import dev.paver.core.action.ApprovalAction;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.BackstageTaskAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.approval.Approvals;
import dev.paver.core.convention.Conventions;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.run.InMemoryRunStore;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RecordingNotifier;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepStatus;
import dev.paver.core.secret.CertificateSource;
import dev.paver.git.JGitRepositories;
import dev.paver.slack.SlackRenderer;
import dev.paver.slack.SlashCommandParser;
import dev.paver.store.JdbcApprovalStore;
import dev.paver.store.JdbcAuditLog;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Issue 15, point 4, end to end against a real Backstage backend: a slash command for one of the catalog's Templates
 * ({@code src/test/backstage/engine-templates.yaml}) runs as a Scaffolder task, each of Backstage's steps is a reply
 * in the run's thread, the pull request among the task's output links is followed to its merge and to Argo CD as Paver
 * follows its own, and a failing Template's run fails with Backstage's own message.
 */
class BackstageEngineTest {

    @RegisterExtension
    static final BackstageBackend.PerClass BACKSTAGE = new BackstageBackend.PerClass();

    /** The pull request the {@code delivery} Template's output links to. */
    private static final String PULL_REQUEST_URL = "https://github.example/acme/payments-gitops/pull/7";

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;
    private RepositoryPort.PullRequest opened;
    private final RecordingNotifier slack = new RecordingNotifier();
    private final InMemoryRunStore store = new InMemoryRunStore();
    private GoldenPathCatalog catalog;
    private RunEngine engine;
    private Intake intake;
    private Approvals approvals;

    @BeforeEach
    void paverWithBackstageAsItsEngine() throws Exception {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG, "seed");
        // what the Template's task would have opened on GitHub; here a branch of the local repository
        opened = git.openPullRequest(new RepositoryPort.PullRequestDraft("payments-gitops", "backstage/delivery",
                "Deliver api", "", "Deliver api", Map.of("apps/checkout/api/base/kustomization.yaml", "resources: []\n")));

        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        BackstageApi api = new BackstageApi(BACKSTAGE.backend().baseUrl(), new TokenFile(tokenFile.toString()),
                Duration.ofSeconds(10));
        BackstageTemplates templates = new BackstageTemplates(api, "paver-engine-test");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (templates.list().size() < 6 && System.nanoTime() < deadline) { // the catalog reads its locations late
            Thread.sleep(500);
        }
        catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of()).with(templates.load());

        RepositoryPort repositories = followingGitHubAddresses(git);
        TemplateRenderer renderer = new TemplateRenderer();
        DriverManagerDataSource db = new DriverManagerDataSource("jdbc:h2:mem:engine-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(db);
        ApprovalPolicy policy = new ApprovalPolicy(Map.of("payments", List.of("U0ALEX")), Map.of(), 1,
                ApprovalPolicy.DEFAULT_TIMEOUT, Map.of());
        approvals = new Approvals(new JdbcApprovalStore(jdbc), policy, (user, reference) -> user.equals(reference),
                slack, new JdbcAuditLog(jdbc), Clock.systemUTC());
        ActionRegistry actions = new ActionRegistry(List.of(new ApprovalAction(approvals, repositories),
                new BackstageTaskAction(new BackstageScaffolder(new ScaffolderTasks(api))),
                new AwaitMergeAction(repositories), new AwaitSyncAction(DeploymentPort.disabled(), repositories)));
        engine = new RunEngine(catalog, actions, store, slack, renderer, Clock.systemUTC(), Runnable::run);
        CatalogSource platform = new CatalogSource(git, "-gitops");
        platform.refresh();
        intake = new Intake(catalog, new RequestCheck(Conventions.defaults()), platform, engine, false, policy,
                (user, reference) -> true, new JdbcAuditLog(jdbc), Clock.systemUTC(),
                CertificateSource.unavailable("no Sealed Secrets controller here"));
    }

    @Test
    void aSlashCommandRunsAsAScaffolderTaskWhoseStepsAreRepliesInTheThread() {
        assertThat(SlackRenderer.help("/platform", catalog, "")).contains("/platform hello").contains("/platform delivery");

        Run run = follow(command("hello --name Alex"));

        assertThat(run.state()).as(run.outcome()).isEqualTo(RunState.SUCCEEDED);
        assertThat(slack.replyTexts()).containsSubsequence(
                "Backstage's Scaffolder runs template:paver-engine/hello as task " + run.step("task").output().get("taskId") + ".",
                "Backstage step *Greet* done.", "Backstage step *Wave* done.");
        assertThat(slack.replyTexts()).as("each step once").filteredOn(t -> t.contains("*Greet*")).hasSize(1);
    }

    @Test
    void thePullRequestInTheTasksOutputIsFollowedToItsMergeAndToArgoCd() throws Exception {
        Run waiting = follow(command("delivery --name api"));

        assertThat(waiting.state()).as(waiting.outcome()).isEqualTo(RunState.WAITING);
        assertThat(waiting.waitingFor()).isEqualTo(AwaitMergeAction.waitKey("payments-gitops", "backstage/delivery"));
        assertThat(waiting.step("task").output().get("links")).asList().hasSize(2);
        assertThat(slack.replyTexts()).contains("Backstage step *Log* done.");

        people.merge("payments-gitops", "backstage/delivery", "Alex");
        engine.wake(AwaitMergeAction.waitKey("payments-gitops", "backstage/delivery"));

        Run done = store.find(waiting.id()).orElseThrow();
        assertThat(done.state()).as(done.outcome()).isEqualTo(RunState.SUCCEEDED);
        assertThat(slack.replyTexts()).anyMatch(t -> t.contains("backstage/delivery in payments-gitops merged"));
        assertThat(slack.replyTexts()).as("Argo CD's Application from the Template's annotation is next; here no cluster")
                .anyMatch(t -> t.startsWith("Deployment tracking is off") && t.contains("payments-dev-api"));
    }

    @Test
    void aTemplateThatAsksForFourEyesStartsItsTaskOnlyOnceASecondPersonApprovedInSlack() {
        Run waiting = follow(command("reviewed --name api --system checkout"));

        assertThat(waiting.state()).as(waiting.outcome()).isEqualTo(RunState.WAITING);
        assertThat(waiting.waitingFor()).startsWith("approval:");
        assertThat(waiting.step("task").status()).as("no task before the approval").isEqualTo(StepStatus.PENDING);
        assertThat(slack.replyTexts()).noneMatch(t -> t.contains("Scaffolder"));

        String request = waiting.waitingFor().substring("approval:".length());
        assertThat(approvals.approve(request, "U0ALEX", "BUTTON")).isInstanceOf(Approvals.Decided.class);
        engine.wake(waiting.waitingFor());
        Run done = follow(store.find(waiting.id()).orElseThrow());

        assertThat(done.state()).as(done.outcome()).isEqualTo(RunState.SUCCEEDED);
        List<String> replies = slack.replyTexts();
        int approved = replies.indexOf(replies.stream().filter(t -> t.startsWith("Approved by")).findFirst().orElseThrow());
        assertThat(replies.subList(approved + 1, replies.size())).containsExactly(
                "Backstage's Scaffolder runs template:paver-engine/reviewed as task "
                        + done.step("task").output().get("taskId") + ".", "Backstage step *Log* done.");
    }

    @Test
    void aFailingTemplatesRunFailsWithBackstagesMessage() {
        Run run = follow(command("broken"));

        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.outcome()).contains("Backstage task").contains("outside");
        assertThat(slack.replyTexts()).contains("Backstage step *Greet* done.");
    }

    @Test
    void cancellingARunWhileItsTaskRunsCancelsTheTaskInBackstage() throws Exception {
        Run started = command("slow");
        String taskId = String.valueOf(store.find(started.id()).orElseThrow().step("task").output().get("taskId"));
        assertThat(store.find(started.id()).orElseThrow().waitingFor()).isEqualTo(BackstageTaskAction.waitKey(taskId));

        assertThat(engine.cancel(started.id(), "U0DANA", request -> false)).isEqualTo(RunEngine.CancelOutcome.CANCELLED);

        assertThat(store.find(started.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
        assertThat(slack.replyTexts()).anyMatch(t -> t.contains("Undone: cancelled Backstage task " + taskId));
        ScaffolderTasks tasks = new ScaffolderTasks(new BackstageApi(BACKSTAGE.backend().baseUrl(),
                new TokenFile(tmp.resolve("token").toString()), Duration.ofSeconds(10)));
        ScaffolderTasks.Progress progress = new ScaffolderTasks.Progress();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!progress.ended() && System.nanoTime() < deadline) {
            progress.take(tasks.events(taskId, progress.after(), Duration.ofSeconds(5)));
        }
        assertThat(progress.ended()).as("Backstage ended the task long before its pause is over").isTrue();
        assertThat(progress.failed()).isTrue();
        assertThat(progress.steps()).doesNotContainKey("after");
    }

    /** {@code /platform <text>} parsed, checked and started as the slash command's listener does. */
    private Run command(String text) {
        var invoke = (SlashCommandParser.Invoke) SlashCommandParser.parse(text, catalog, "/platform");
        var ready = (Intake.Ready) intake.check(invoke.path().id(), invoke.parameters(), true);
        return intake.start(ready, "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS", r -> { });
    }

    /** Polls the run as the engine's timers do until it waits on something other than its task, or ends (60 s at most). */
    private Run follow(Run started) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Run run = store.find(started.id()).orElseThrow();
        while (!run.state().finished() && String.valueOf(run.waitingFor()).startsWith(BackstageTaskAction.WAIT_KEY_PREFIX)
                && System.nanoTime() < deadline) {
            sleep();
            engine.resumeAll();
            run = store.find(started.id()).orElseThrow();
        }
        return run;
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The local repositories, where {@link #PULL_REQUEST_URL} is the pull request opened in {@link #paverWithBackstageAsItsEngine}. */
    private RepositoryPort followingGitHubAddresses(RepositoryPort local) {
        return (RepositoryPort) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RepositoryPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("pullRequestAt")) {
                        return PULL_REQUEST_URL.equals(args[0]) ? Optional.of(opened) : Optional.empty();
                    }
                    try {
                        return method.invoke(local, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

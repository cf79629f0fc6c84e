package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CheckFreeAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.InMemoryAuditLog;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Message;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cancelling a create-service run that waits for its merge, over real local git repositories. */
class RunCancelTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of("create-service"));
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final RecordingNotifier slack = new RecordingNotifier();
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final List<AuditEntry> audited = audit.entries();

    @BeforeEach
    void seed() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG, "seed");
    }

    private RunEngine engine(RepositoryPort repositories) {
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new CheckFreeAction(repositories), new ValidateConventionsAction(new ManifestRules(Conventions.defaults())),
                new CreateRepositoryAction(repositories), new PublishPullRequestAction(repositories),
                new AwaitMergeAction(repositories), new AwaitSyncAction(DeploymentPort.disabled(), repositories),
                new PreviewAction(repositories)));
        return new RunEngine(catalog, actions, store, slack, renderer, Clock.systemUTC(), Runnable::run)
                .observedBy(new RunAudit(audit));
    }

    /** Dana's create-service api, waiting for the merge of its GitOps branch, with the application branch pushed too. */
    private Run waitingForMerge(RunEngine engine) throws Exception {
        Run run = engine.start(RunEngineTest.createService(git, catalog, "api"));
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);
        assertThat(people.paverBranches("payments-gitops")).hasSize(1);
        assertThat(people.paverBranches("api")).hasSize(1);
        return run;
    }

    private static final java.util.function.Predicate<RunRequest> NO_APPROVER = request -> false;

    @Test
    void theCardOfAWaitingRunHasACancelButtonThatAsksFirst() throws Exception {
        waitingForMerge(engine(git));

        Message.Button cancel = slack.lastCard().buttons().stream()
                .filter(b -> b.actionId().equals(CardBuilder.CANCEL_ACTION_ID)).findFirst().orElseThrow();
        assertThat(cancel.text()).isEqualTo("Cancel");
        assertThat(cancel.style()).isEqualTo("danger");
        assertThat(cancel.confirm()).isNotNull();
        assertThat(cancel.confirm().text()).contains("closes the pull requests", "deletes its branches");
    }

    @Test
    void theRequesterCancelsARunWaitingForItsMergeItsBranchesAreDeletedAndTheThreadAndAuditLogSaySo() throws Exception {
        RunEngine engine = engine(git);
        Run run = waitingForMerge(engine);
        int replies = slack.replies.size();

        assertThat(engine.cancel(run.id(), "U0DANA", NO_APPROVER)).isEqualTo(RunEngine.CancelOutcome.CANCELLED);

        assertThat(people.paverBranches("payments-gitops")).as("the GitOps branch deleted").isEmpty();
        assertThat(people.paverBranches("api")).as("the application branch deleted").isEmpty();
        Run cancelled = store.find(run.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        assertThat(cancelled.state().finished()).isTrue();
        assertThat(slack.replies).hasSize(replies + 1);
        assertThat(slack.replyTexts().get(replies)).contains("Cancelled by", "U0DANA", "deleted branch paver/" + run.id())
                .contains(" in payments-gitops", " in api").doesNotContain("by hand");
        assertThat(slack.lastCard().state()).isEqualTo("Cancelled");
        assertThat(slack.lastCard().note()).contains("Cancelled by").doesNotContain("by hand");
        assertThat(slack.lastCard().buttons()).as("no Cancel on a cancelled run").isEmpty();
        assertThat(slack.lastCard().steps()).anySatisfy(s -> assertThat(s.detail()).isEqualTo("cancelled"));
        assertThat(audited).filteredOn(e -> e.action().equals("cancelled")).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("U0DANA");
            assertThat(e.runId()).isEqualTo(run.id());
            assertThat(e.detail()).contains("Cancelled by U0DANA").doesNotContain("\u0001");
        });
    }

    @Test
    void someoneElsesClickIsRefusedAndChangesNothingWhileAnApproverOfTheDomainMayCancel() throws Exception {
        RunEngine engine = engine(git);
        Run run = waitingForMerge(engine);
        String refs = people.refs();
        int replies = slack.replies.size();
        int cards = slack.cards.size();

        assertThat(engine.cancel(run.id(), "U0SAM", NO_APPROVER)).isEqualTo(RunEngine.CancelOutcome.NOT_ALLOWED);
        assertThat(people.refs()).as("nothing deleted").isEqualTo(refs);
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);
        assertThat(slack.replies).hasSize(replies);
        assertThat(slack.cards).hasSize(cards);
        assertThat(audited).noneMatch(e -> e.action().equals("cancelled"));

        assertThat(engine.cancel(run.id(), "U0ALEX", request -> "payments".equals(request.platform().get("domain"))))
                .isEqualTo(RunEngine.CancelOutcome.CANCELLED);
        assertThat(people.paverBranches("payments-gitops")).isEmpty();
        assertThat(slack.replyTexts().get(replies)).contains("U0ALEX");
    }

    @Test
    void aSecondClickFindsTheRunCancelledAndNothingIsSaidOrDoneTwice() throws Exception {
        RunEngine engine = engine(git);
        Run run = waitingForMerge(engine);
        engine.cancel(run.id(), "U0DANA", NO_APPROVER);
        int replies = slack.replies.size();
        Instant stored = store.find(run.id()).orElseThrow().updatedAt();

        assertThat(engine.cancel(run.id(), "U0DANA", NO_APPROVER)).isEqualTo(RunEngine.CancelOutcome.NOT_WAITING);
        engine.resumeAll(); // a poll: a cancelled run is not walked again
        engine.wake(AwaitMergeAction.waitKey("payments-gitops", "paver/" + run.id() + "/publish-gitops"));

        assertThat(slack.replies).hasSize(replies);
        assertThat(store.find(run.id()).orElseThrow().updatedAt()).isEqualTo(stored);
        assertThat(audited).filteredOn(e -> e.action().equals("cancelled")).hasSize(1);
        assertThat(people.paverBranches("payments-gitops")).isEmpty();
    }

    @Test
    void anUnknownRunIsNotWaiting() {
        assertThat(engine(git).cancel("r0nothing", "U0DANA", NO_APPROVER)).isEqualTo(RunEngine.CancelOutcome.NOT_WAITING);
        assertThat(slack.replies).isEmpty();
    }

    @Test
    void aGitHostFailingWhileUndoingIsListedInTheThreadAsLeftToCleanUpAndTheRunIsStillCancelledOnce() throws Exception {
        FailingDeletes host = new FailingDeletes(git);
        RunEngine engine = engine(host);
        Run run = waitingForMerge(engine);
        int replies = slack.replies.size();
        host.failIn = "api";

        assertThat(engine.cancel(run.id(), "U0DANA", NO_APPROVER)).isEqualTo(RunEngine.CancelOutcome.CANCELLED);

        assertThat(people.paverBranches("payments-gitops")).as("what could be undone was").isEmpty();
        assertThat(people.paverBranches("api")).as("what failed is still there").hasSize(1);
        Run cancelled = store.find(run.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(RunState.CANCELLED);
        String branch = people.paverBranches("api").get(0);
        assertThat(slack.replyTexts().get(replies)).contains("Cancelled by", "deleted branch", "in payments-gitops",
                "Left to clean up by hand: delete branch " + branch + " in api", "HTTP 502");
        assertThat(cancelled.outcome()).contains("Left to clean up by hand: delete branch " + branch + " in api");
        assertThat(slack.lastCard().note()).contains("Left to clean up by hand");
        assertThat(audited).filteredOn(e -> e.action().equals("cancelled")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("Left to clean up by hand"));

        assertThat(engine.cancel(run.id(), "U0DANA", NO_APPROVER)).as("a second click changes nothing")
                .isEqualTo(RunEngine.CancelOutcome.NOT_WAITING);
        assertThat(slack.replies).hasSize(replies + 1);
    }

    /** The local repositories, but deleting a branch of {@link #failIn} fails as GitHub failing does (HTTP 502). */
    private static final class FailingDeletes implements RepositoryPort {
        private final RepositoryPort real;
        volatile String failIn = "";

        FailingDeletes(RepositoryPort real) {
            this.real = real;
        }

        @Override
        public boolean deleteBranch(String repository, String branch) {
            if (repository.equals(failIn)) {
                throw new RepositoryException("GitHub failed while deleting branch " + branch + " of acme/" + repository
                        + ": HTTP 502 Bad Gateway", null);
            }
            return real.deleteBranch(repository, branch);
        }

        @Override
        public MergeState closeChange(PullRequest pullRequest) {
            return real.closeChange(pullRequest);
        }

        @Override
        public RepositoryInfo ensureRepository(String name, String description) {
            return real.ensureRepository(name, description);
        }

        @Override
        public PullRequest openPullRequest(PullRequestDraft draft) {
            return real.openPullRequest(draft);
        }

        @Override
        public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
            return real.merge(pullRequest, expectedHead, message);
        }

        @Override
        public MergeState mergeState(PullRequest pullRequest) {
            return real.mergeState(pullRequest);
        }

        @Override
        public Map<String, String> readFiles(String repository, String directory) {
            return real.readFiles(repository, directory);
        }

        @Override
        public boolean contains(String repository, String revision, String commit) {
            return real.contains(repository, revision, commit);
        }

        @Override
        public String cloneUrl(String repository) {
            return real.cloneUrl(repository);
        }

        @Override
        public List<String> listRepositories() {
            return real.listRepositories();
        }
    }}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitDaemon;
import dev.paver.conversation.GitStandIn;
import dev.paver.core.action.CheckFreeAction;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.DescribeRepositoryAction;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.CatalogReader;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * create-domain and create-service walked by the run engine with {@code paver.git.remote-url} on a real
 * {@code git daemon} (loopback, {@code git://}), which cannot create repositories: the thread asks once for the
 * repository, the run waits through polls and a restart, and goes on by itself once the platform created it.
 */
class CreateOnPlainGitRemoteTest {

    @TempDir
    Path tmp;

    private GitDaemon daemon;
    private JGitRepositories git;
    private GitStandIn host;
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates"))
            .only(List.of("create-domain", "create-service"));
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final Conventions conventions = Conventions.defaults();

    @BeforeEach
    void setUp() {
        daemon = GitDaemon.start(tmp.resolve("host"));
        new JGitRepositories(daemon.base().toString(), tmp.resolve("seed-work"), "main", null).seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG,
                "seed");
        git = new JGitRepositories(daemon.url(), tmp.resolve("work"), "main", null, List.of("payments-gitops"));
        host = new GitStandIn(daemon.base());
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    private RunEngine engine(RecordingNotifier notifier) {
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new ValidateConventionsAction(new ManifestRules(conventions)), new CreateRepositoryAction(git),
                new PublishPullRequestAction(git), new AwaitMergeAction(git), new DescribeRepositoryAction(git),
                new AwaitSyncAction(DeploymentPort.disabled(), git), new PreviewAction(git), new CheckFreeAction(git)));
        return new RunEngine(catalog, actions, store, notifier, renderer, Clock.systemUTC(), Runnable::run);
    }

    private RunRequest request(String path, Map<String, String> given) {
        var outcome = new RequestCheck(conventions, dev.paver.core.access.AccessPolicy.defaults(), git.location()).check(catalog.find(path).orElseThrow(), given,
                CatalogReader.read(git.readFiles("payments-gitops", "catalog")), true);
        var accepted = (RequestCheck.Accepted) outcome;
        return new RunRequest(path, accepted.parameters(), accepted.platform(), "U0PRIYA", RunRequest.Origin.TYPED, "C0PLATFORM");
    }

    @Test
    void createDomainAsksOnceForItsRepositoryWaitsAndGoesOnOnceThePlatformCreatedIt() throws Exception {
        RecordingNotifier slack = new RecordingNotifier();
        RunEngine engine = engine(slack);
        Run run = engine.start(request("create-domain", Map.of("domain", "shipping", "owner", "team-shipping",
                "costCenter", "cc-5100")));

        Run waiting = store.find(run.id()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(RunState.WAITING);
        assertThat(waiting.waitingFor()).isEqualTo(CreateRepositoryAction.waitKey("shipping-gitops"));
        assertThat(slack.lastCard().state()).isEqualTo("Waiting for repository shipping-gitops to be created at "
                + daemon.url() + "/shipping-gitops.git");
        String url = daemon.url() + "/shipping-gitops.git";
        assertThat(asks(slack)).singleElement().satisfies(text -> assertThat(text)
                .contains("please create repository shipping-gitops at " + url)
                .contains("either empty (no README, no commit; Paver pushes the first commit to main) or with main as its default branch")
                .contains("access denied or repository not exported"));

        for (int poll = 0; poll < 3; poll++) {
            engine.resumeAll();
        }
        RecordingNotifier afterRestart = new RecordingNotifier();
        RunEngine restarted = engine(afterRestart);
        restarted.resumeAll();
        assertThat(asks(slack)).as("asked once, not at every poll").hasSize(1);
        assertThat(afterRestart.replies).as("a restart asks nothing again").isEmpty();
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);

        // the platform team creates it empty, as asked
        Git.init().setBare(true).setInitialBranch("main").setDirectory(daemon.base().resolve("shipping-gitops.git").toFile())
                .call().close();
        restarted.resumeAll();

        Run opened = store.find(run.id()).orElseThrow();
        String branch = (String) opened.step("publish").output().get("branchName");
        assertThat(opened.waitingFor()).isEqualTo(AwaitMergeAction.waitKey("shipping-gitops", branch));
        assertThat(host.files("shipping-gitops", "main")).containsOnlyKeys("README.md");
        assertThat(host.files("shipping-gitops", "main").get("README.md")).contains("created by Paver run " + run.id());
        assertThat(host.files("shipping-gitops", branch)).containsKeys("argocd/appproject.yaml", "argocd/applicationset.yaml",
                "catalog/domain.yaml", "catalog/groups/team-shipping.yaml", "CODEOWNERS");
        assertThat(host.files("shipping-gitops", branch).get("argocd/appproject.yaml")).contains(url);
        assertThat(afterRestart.replyTexts()).anyMatch(t -> t.contains("Repository shipping-gitops is ready"));

        host.merge("shipping-gitops", branch, "Alex");
        restarted.resumeAll();

        Run done = store.find(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.outcome()).contains("Domain shipping is set up in shipping-gitops");
        assertThat(asks(slack)).hasSize(1);
        assertThat(asks(afterRestart)).isEmpty();
        assertThat(git.listRepositories()).as("the new domain's catalog is read without configuring it")
                .contains("shipping-gitops", "payments-gitops");
        assertThat(git.readFiles("shipping-gitops", "catalog")).containsKey("catalog/domain.yaml");
    }

    @Test
    void createServiceGoesOnFromARepositoryThePlatformCreatedWithItsOwnFirstCommit() throws Exception {
        RecordingNotifier slack = new RecordingNotifier();
        RunEngine engine = engine(slack);
        Run run = engine.start(request("create-service", Map.of("service", "api", "system", "checkout", "owner", "team-payments")));
        assertThat(store.find(run.id()).orElseThrow().waitingFor()).isEqualTo(CreateRepositoryAction.waitKey("api"));
        assertThat(asks(slack)).singleElement().satisfies(t -> assertThat(t).contains("please create repository api at "
                + daemon.url() + "/api.git"));

        Git.init().setBare(true).setInitialBranch("main").setDirectory(daemon.base().resolve("api.git").toFile()).call().close();
        String theirs = host.commit("api", "README.md", "# api\n\nMade by the platform team.\n", "alex");
        engine.resumeAll();

        Run waiting = store.find(run.id()).orElseThrow();
        String appBranch = (String) waiting.step("publish-app").output().get("branchName");
        assertThat(waiting.step("create-app-repo").status()).isEqualTo(StepStatus.DONE);
        assertThat(host.files("api", appBranch)).containsKeys("README.md", "Dockerfile", "catalog-info.yaml");
        assertThat(git.contains("api", host.head("api", appBranch), theirs)).as("branched from the platform's commit").isTrue();
        assertThat(host.head("api", "main")).isEqualTo(theirs);
        assertThat(waiting.waitingFor()).startsWith("pr:payments-gitops:");
    }

    @Test
    void createServiceRefusesAnApplicationRepositoryThatExistedBeforeItAsked() throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(daemon.base().resolve("api.git").toFile()).call().close();
        String theirs = host.commit("api", "main.go", "package main\n", "lee");
        RecordingNotifier slack = new RecordingNotifier();

        Run run = engine(slack).start(request("create-service", Map.of("service", "api", "system", "checkout", "owner", "team-payments")));

        Run failed = store.find(run.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(RunState.FAILED);
        assertThat(failed.outcome()).contains("Repository api already exists (" + daemon.url() + "/api.git), so Paver did not touch it");
        assertThat(host.paverBranches("api")).isEmpty();
        assertThat(host.head("api", "main")).isEqualTo(theirs);
        assertThat(asks(slack)).isEmpty();
    }

    private static List<String> asks(RecordingNotifier slack) {
        return slack.replyTexts().stream().filter(t -> t.contains("Platform team: please create repository")).toList();
    }
}

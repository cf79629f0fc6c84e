package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.MutableClock;
import dev.paver.core.action.GitHubActionsDispatchAction;
import dev.paver.core.action.GitHubPagesEnableAction;
import dev.paver.core.action.PublishGithubAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RunRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backstage's demo-template steps {@code github:pages:enable} and {@code github:actions:dispatch} against the GitHub
 * stand-in through {@link GitHubRepositories}: what GitHub receives, what the thread says, a workflow GitHub refuses,
 * a {@code repoUrl} of another owner or host refused before any request, and the same steps on plain git.
 */
class GitHubDemoActionsTest {

    private static final String ORG = "acme";
    private static final String TOKEN = "ghp_testTokenThatMustNeverBePrinted0002";
    private static final String WORKFLOW = """
            name: pages
            on:
              push:
                branches: [main]
              workflow_dispatch:
            jobs: {}
            """;

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));
    private GitHubStandIn github;
    private GitHubRepositories paver;
    private String repoUrl;

    @BeforeEach
    void start() throws IOException {
        github = new GitHubStandIn(ORG, clock);
        github.seed("landing-page", Map.of("index.html", "<p>hi</p>\n", ".github/workflows/pages.yml", WORKFLOW,
                ".github/workflows/nightly.yml", "name: nightly\non:\n  schedule:\n    - cron: '0 3 * * *'\n"));
        paver = GitHubRepositories.connect(github.baseUrl(), TOKEN, ORG, "main",
                new GitHubLimits(60, 450, Duration.ofSeconds(5), clock, clock::advance), tmp.resolve("cache"));
        repoUrl = paver.location().repoUrl("landing-page");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private ActionResult execute(Action action, Map<String, Object> input) {
        GoldenPath path = new GoldenPath("demo-template", "Demo", "", ParameterSchema.read(List.of()), List.of(),
                Map.of(), List.of(), tmp);
        RunRequest request = new RunRequest("demo-template", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED,
                "C0PAYMENTS");
        return action.execute(new ActionContext("r1", "step", clock.instant(), clock.instant(), request, path, input,
                new LinkedHashMap<>(), clock));
    }

    private static String thread(ActionResult result) {
        return ((ActionResult.Done) result).milestones().stream().map(Milestone::text).reduce("", String::concat);
    }

    @Test
    void theRepoUrlHostOfGitHubIsItsWebHostAndTheOwnerTheOrganization() {
        assertThat(paver.location()).isEqualTo(new RepositoryPort.Location(
                "127.0.0.1:" + github.baseUrl().replaceAll(".*:", ""), ORG));
        assertThat(GitHubRepositories.connect("https://api.github.com", TOKEN, ORG, "main").location())
                .isEqualTo(new RepositoryPort.Location("github.com", ORG));
        assertThat(GitHubRepositories.connect("https://ghe.acme.example/api/v3", TOKEN, ORG, "main").location())
                .isEqualTo(new RepositoryPort.Location("ghe.acme.example", ORG));
    }

    @Test
    void pagesAreEnabledWithBackstagesInputsAndDefaultsAndOnlyOnce() {
        ActionResult first = execute(new GitHubPagesEnableAction(paver), Map.of("repoUrl", repoUrl,
                "buildType", "workflow", "sourceBranch", "main", "sourcePath", "/", "token", "false"));
        ActionResult again = execute(new GitHubPagesEnableAction(paver), Map.of("repoUrl", repoUrl));

        assertThat(github.pages("landing-page")).isNotNull();
        assertThat(github.pages("landing-page").path("build_type").asText()).isEqualTo("workflow");
        assertThat(github.pages("landing-page").path("source").path("branch").asText()).isEqualTo("main");
        assertThat(github.pages("landing-page").path("source").path("path").asText()).isEqualTo("/");
        assertThat(thread(first)).contains("GitHub Pages enabled for landing-page", "GitHub Actions workflow");
        assertThat(thread(again)).as("executed again, GitHub's 409 is no error").contains("were enabled already");
    }

    @Test
    void aLegacySiteFromABranchThatDoesNotExistIsGitHubsRefusal() {
        assertThatThrownBy(() -> execute(new GitHubPagesEnableAction(paver), Map.of("repoUrl", repoUrl,
                "buildType", "legacy", "sourceBranch", "gh-pages")))
                .isInstanceOfSatisfying(RepositoryException.class, e -> {
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.getMessage()).contains("enabling GitHub Pages of acme/landing-page", "HTTP 422",
                            "gh-pages branch must exist").doesNotContain(TOKEN);
                });
        assertThat(github.pages("landing-page")).isNull();
    }

    @Test
    void theWorkflowIsDispatchedOnTheBranchWithItsInputs() {
        ActionResult result = execute(new GitHubActionsDispatchAction(paver), Map.of("repoUrl", repoUrl,
                "workflowId", "pages.yml", "branchOrTagName", "main", "workflowInputs", Map.of("environment", "preview"),
                "token", "false"));

        assertThat(github.dispatches()).containsExactly("landing-page pages.yml main {\"environment\":\"preview\"}");
        assertThat(thread(result)).contains("Workflow pages.yml of landing-page dispatched on main");
        assertThat(((ActionResult.Done) result).milestones().get(0).links()).singleElement()
                .satisfies(l -> assertThat(l.url()).endsWith("/acme/landing-page/actions/workflows/pages.yml"));
    }

    @Test
    void aWorkflowWithoutAWorkflowDispatchTriggerOrAnUnknownOneIsRefusedByGitHubWithItsReason() {
        assertThatThrownBy(() -> execute(new GitHubActionsDispatchAction(paver), Map.of("repoUrl", repoUrl,
                "workflowId", "nightly.yml", "branchOrTagName", "main")))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.getMessage())
                        .contains("dispatching workflow nightly.yml of acme/landing-page on main", "HTTP 422",
                                "Workflow does not have 'workflow_dispatch' trigger"));
        assertThatThrownBy(() -> execute(new GitHubActionsDispatchAction(paver), Map.of("repoUrl", repoUrl,
                "workflowId", "deploy.yml", "branchOrTagName", "main")))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.getMessage())
                        .contains("dispatching workflow deploy.yml", "HTTP 404"));
        assertThat(github.dispatches()).isEmpty();
    }

    @Test
    void aRepoUrlOfAnotherOwnerOrHostIsRefusedNamingBothBeforeAnyRequest() {
        int before = github.requestsByKind().values().stream().mapToInt(Integer::intValue).sum();
        String host = paver.location().host();

        for (Action action : List.of(new GitHubPagesEnableAction(paver), new GitHubActionsDispatchAction(paver),
                new PublishGithubAction(paver), new PublishPullRequestAction(paver))) {
            assertThatThrownBy(() -> execute(action, Map.of("repoUrl", host + "?owner=someone-else&repo=landing-page",
                    "workflowId", "pages.yml", "branchOrTagName", "main", "branchName", "paver/r1/x", "title", "t",
                    "description", "d")))
                    .as(action.id()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("names owner someone-else on " + host)
                    .hasMessageContaining("owner acme on " + host)
                    .hasMessageContaining("nothing was changed")
                    .hasMessageContaining("Write " + repoUrl);
        }
        assertThatThrownBy(() -> execute(new GitHubPagesEnableAction(paver),
                Map.of("repoUrl", "github.com?owner=acme&repo=landing-page")))
                .hasMessageContaining("names owner acme on github.com, but Paver publishes only to its own repositories, "
                        + "owner acme on " + host);

        assertThat(github.requestsByKind().values().stream().mapToInt(Integer::intValue).sum())
                .as("nothing was asked of GitHub").isEqualTo(before);
        assertThat(github.pages("landing-page")).isNull();
        assertThat(github.dispatches()).isEmpty();
    }

    @Test
    void onPlainGitBothStepsAreDoneWithoutActingAndSaySoInTheThread() {
        JGitRepositories git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        String local = git.location().repoUrl("landing-page");

        ActionResult pages = execute(new GitHubPagesEnableAction(git), Map.of("repoUrl", local));
        ActionResult dispatch = execute(new GitHubActionsDispatchAction(git), Map.of("repoUrl", local,
                "workflowId", "pages.yml", "branchOrTagName", "main"));

        assertThat(local).isEqualTo("localhost?owner=paver&repo=landing-page");
        assertThat(thread(pages)).contains("GitHub Pages not enabled for landing-page", "plain git host",
                "The run goes on");
        assertThat(thread(dispatch)).contains("Workflow pages.yml of landing-page not run", "plain git host",
                "no GitHub Actions");
    }
}

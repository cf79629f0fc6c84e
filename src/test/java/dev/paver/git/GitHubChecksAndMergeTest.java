package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.GitHubStandIn.CheckKind;
import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.RepositoryPort.Check;
import dev.paver.core.goldenpath.RepositoryPort.CheckState;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link GitHubRepositories}' checks, merge and auto-merge against the GitHub stand-in: check runs and commit statuses
 * of a pull request's head as they turn, a merge GitHub refuses while a required check is pending, auto-merge through
 * GraphQL that GitHub carries out once the checks are green, and the repositories that do not allow it.
 */
class GitHubChecksAndMergeTest {

    private static final String ORG = "acme";
    private static final String TOKEN = "ghp_testTokenThatMustNeverBePrinted0001";

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));
    private GitHubStandIn github;
    private GitHubRepositories paver;

    @BeforeEach
    void start() throws IOException {
        github = new GitHubStandIn(ORG, clock);
        github.seed("payments-gitops", Map.of("README.md", "# payments\n"));
        paver = GitHubRepositories.connect(github.baseUrl(), TOKEN, ORG, "main",
                new GitHubLimits(60, 450, Duration.ofSeconds(5), clock, clock::advance), tmp.resolve("cache"));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private PullRequest open() {
        return paver.openPullRequest(new PullRequestDraft("payments-gitops", "paver/r1/publish", "Add api", "body", "Add api",
                Map.of("apps/checkout/api/base/kustomization.yaml", "resources: []\n")));
    }

    @Test
    void checkRunsAndStatusesOfTheHeadAreReadWithTheirStateAndLinkAsTheyTurn() {
        github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, true, Duration.ofSeconds(30));
        github.check("payments-gitops", "ci/build", CheckKind.STATUS, false, Duration.ofSeconds(60));
        PullRequest pr = open();

        assertThat(paver.checks(pr, pr.headSha())).extracting(Check::name, Check::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("validate-conventions", CheckState.PENDING),
                        org.assertj.core.groups.Tuple.tuple("ci/build", CheckState.PENDING));
        clock.advance(Duration.ofSeconds(31));
        assertThat(paver.checks(pr, pr.headSha())).extracting(Check::state).containsExactly(CheckState.SUCCESS, CheckState.PENDING);
        clock.advance(Duration.ofSeconds(30));
        var checks = paver.checks(pr, pr.headSha());
        assertThat(checks).extracting(Check::state).containsExactly(CheckState.SUCCESS, CheckState.FAILURE);
        assertThat(checks.get(0).url()).isEqualTo("https://github.com/acme/payments-gitops/runs/1");
        assertThat(checks.get(1).url()).startsWith("https://ci.example.com/payments-gitops/");
        int before = github.notModified();
        paver.checks(pr, pr.headSha());
        assertThat(github.notModified()).as("asked again unchanged: conditional reads answered 304").isGreaterThan(before);
    }

    @Test
    void aMergeIsRefusedWhileARequiredCheckIsPendingAndGoesThroughOnceItIsGreen() {
        github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, true, Duration.ofSeconds(30));
        PullRequest pr = open();

        assertThatThrownBy(() -> paver.merge(pr, pr.headSha(), "Merge by policy"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("HTTP 405").hasMessageContaining("Required status check \"validate-conventions\" is expected");
        clock.advance(Duration.ofSeconds(30));

        MergeState.Merged merged = paver.merge(pr, pr.headSha(), "Merge by policy");
        assertThat(merged.mergedBy()).isEqualTo(GitHubStandIn.MERGER);
        assertThat(github.files("payments-gitops", "main")).containsKey("apps/checkout/api/base/kustomization.yaml");
    }

    @Test
    void autoMergeIsEnabledOnceAndGitHubMergesWhenTheChecksAreGreen() {
        github.allowAutoMerge("payments-gitops", true);
        github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, true, Duration.ofSeconds(30));
        PullRequest pr = open();

        assertThat(paver.enableAutoMerge(pr, pr.headSha(), "Merge by policy")).isTrue();
        assertThat(paver.enableAutoMerge(pr, pr.headSha(), "Merge by policy")).as("enabled already: nothing sent").isTrue();
        assertThat(github.requestsByKind()).containsEntry("POST /graphql", 1);
        assertThat(paver.mergeState(pr)).isInstanceOf(MergeState.Open.class);
        assertThat(github.pullRequest("payments-gitops", pr.number()).path("auto_merge").path("commit_title").asText())
                .isEqualTo("Merge by policy");

        clock.advance(Duration.ofSeconds(30));
        assertThat(paver.mergeState(pr)).isInstanceOfSatisfying(MergeState.Merged.class,
                m -> assertThat(m.mergedBy()).isEqualTo(GitHubStandIn.MERGER));
    }

    @Test
    void aRepositoryThatDoesNotAllowAutoMergeOrAPullRequestMergeableNowIsLeftToPaversOwnMerge() {
        github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, true, Duration.ofSeconds(30));
        PullRequest pr = open();
        assertThat(paver.enableAutoMerge(pr, pr.headSha(), "Merge by policy")).as("not allowed").isFalse();

        github.allowAutoMerge("payments-gitops", true);
        clock.advance(Duration.ofSeconds(30));
        assertThat(paver.enableAutoMerge(pr, pr.headSha(), "Merge by policy")).as("clean status").isFalse();
        assertThat(paver.mergeState(pr)).isInstanceOf(MergeState.Open.class);
    }

    @Test
    void branchProtectionThatRequiresAReviewRefusesTheMergeWithGitHubsReason() {
        github.requireApprovingReview("payments-gitops");
        PullRequest pr = open();

        assertThatThrownBy(() -> paver.merge(pr, pr.headSha(), "Merge by policy"))
                .isInstanceOfSatisfying(RepositoryException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("At least 1 approving review is required");
    }
}

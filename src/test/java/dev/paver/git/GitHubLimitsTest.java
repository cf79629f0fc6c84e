package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;

/**
 * {@link GitHubRepositories} with {@link GitHubLimits} against a GitHub stand-in that enforces GitHub's secondary
 * limits (80 content-creating requests a minute, 500 an hour), its primary quota and conditional requests. The
 * clock is a test clock that Paver's sleeps move forward, so that an hour of pacing takes no hour.
 */
class GitHubLimitsTest {

    private static final String ORG = "acme";
    private static final String TOKEN = "ghp_testTokenThatMustNeverBePrinted0001";

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-11-21T10:00:00Z"));
    private GitHubStandIn github;

    @BeforeEach
    void start() throws IOException {
        github = new GitHubStandIn(ORG, clock);
        github.seed("payments-gitops", Map.of("README.md", "# payments\n"));
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private GitHubLimits limits() {
        return new GitHubLimits(60, 450, Duration.ofSeconds(5), clock, clock::advance);
    }

    private GitHubRepositories paver(GitHubLimits limits) {
        return GitHubRepositories.connect(github.baseUrl(), TOKEN, ORG, "main", limits, tmp.resolve("cache"));
    }

    private static PullRequestDraft draft(int i) {
        return new PullRequestDraft("payments-gitops", "paver/svc-" + i, "Add svc-" + i, "body", "Add svc-" + i,
                Map.of("apps/checkout/svc-" + i + "/base/kustomization.yaml", "resources: []\n# " + i + "\n"));
    }

    /** Calls until it goes through, letting the clock pass every wait Paver is told (as the run engine's timer would). */
    private <T> T untilDone(Supplier<T> call) {
        for (int tries = 0; tries < 100; tries++) {
            try {
                return call.get();
            } catch (RepositoryException e) {
                if (e.retryAt() == null) {
                    throw e;
                }
                clock.advance(Duration.between(clock.instant(), e.retryAt()).plusMillis(1));
            }
        }
        throw new AssertionError("still waiting after 100 tries");
    }

    @Test
    void theStandInRefusesTheEightyFirstContentCreatingRequestOfAMinuteFromAnUnpacedClient() throws IOException {
        GitHubRepositories unpaced = new GitHubRepositories(new GitHubBuilder().withEndpoint(github.baseUrl())
                .withOAuthToken(TOKEN).withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL).build(), ORG, "main");

        RepositoryException refused = null;
        for (int i = 0; i < 17 && refused == null; i++) { // 5 content-creating requests each: 85 > 80
            int n = i;
            refused = catchThrowableOfType(RepositoryException.class, () -> unpaced.openPullRequest(draft(n)));
        }

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage()).contains("secondary rate limit");
        assertThat(github.secondaryLimitAnswers()).isEqualTo(1);
        assertThat(github.contentRequests()).isEqualTo(GitHubStandIn.PER_MINUTE);
    }

    @Test
    void aPacedBurstOfPullRequestsGetsNoLimitAnswerAndKeepsUnderBothWindows() {
        GitHubLimits limits = limits();
        GitHubRepositories paver = paver(limits);
        Instant start = clock.instant();

        for (int i = 0; i < 100; i++) { // 500 content-creating requests: over the hour's 450, so the pacing waits
            int n = i;
            untilDone(() -> paver.openPullRequest(draft(n)));
        }

        assertThat(github.openPullRequests()).isEqualTo(100);
        assertThat(github.secondaryLimitAnswers()).isZero();
        assertThat(github.primaryLimitAnswers()).isZero();
        assertThat(github.contentRequests()).isEqualTo(500);
        assertThat(github.peakPerMinute()).isLessThanOrEqualTo(60);
        assertThat(github.peakPerHour()).isLessThanOrEqualTo(450);
        assertThat(limits.waits()).as("the 451st request waited for the hour to roll").isPositive();
        assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofHours(1))
                .isLessThan(Duration.ofMinutes(62));
    }

    @Test
    void aSecondaryLimitAnswerHoldsEveryRequestForAtLeastAMinuteThenLongerOnRepeatsAndRetryAfterWhenLonger() {
        GitHubRepositories paver = paver(limits());
        github.refuseNextContent(1, 8);
        Instant t0 = clock.instant();

        RepositoryException first = catchThrowableOfType(RepositoryException.class, () -> paver.openPullRequest(draft(1)));
        assertThat(first.retryAt()).as("Retry-After 8 s, but at least a minute").isEqualTo(t0.plusSeconds(60));
        assertThat(first.getMessage()).isEqualTo("Waiting for GitHub's rate limit until 2026-11-21 10:01 UTC: GitHub"
                + " answered HTTP 403: Paver went over GitHub's secondary rate limit; Paver goes on by itself then");
        assertThat(first.permanent()).isFalse();

        Map<String, Integer> sent = github.requestsByKind();
        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(() -> paver.openPullRequest(draft(1))).isInstanceOf(RepositoryException.class)
                .satisfies(e -> assertThat(((RepositoryException) e).retryAt()).isEqualTo(t0.plusSeconds(60)));
        assertThatThrownBy(() -> paver.mergeState(new PullRequest("payments-gitops", 1, "", "paver/svc-1", "main", "")))
                .as("reads wait too").isInstanceOf(RepositoryException.class);
        assertThat(github.requestsByKind()).as("nothing sent during the back-off").isEqualTo(sent);

        clock.advance(Duration.ofSeconds(2));
        github.refuseNextContent(1, 8);
        Instant t1 = clock.instant();
        RepositoryException second = catchThrowableOfType(RepositoryException.class, () -> paver.openPullRequest(draft(1)));
        assertThat(second.retryAt()).as("the second answer in a row: twice as long").isEqualTo(t1.plusSeconds(120));
        assertThat(second.getMessage()).contains("2 times in a row");

        clock.advance(Duration.ofSeconds(121));
        github.refuseNextContent(1, 900);
        Instant t2 = clock.instant();
        RepositoryException third = catchThrowableOfType(RepositoryException.class, () -> paver.openPullRequest(draft(1)));
        assertThat(third.retryAt()).as("Retry-After longer than the back-off wins").isEqualTo(t2.plusSeconds(900));

        clock.advance(Duration.ofSeconds(901));
        PullRequest pr = paver.openPullRequest(draft(1));
        assertThat(pr.number()).isEqualTo(1);
        assertThat(github.secondaryLimitAnswers()).isEqualTo(3);
    }

    @Test
    void aPollAnsweredNotModifiedCostsNoQuotaAndGivesTheSameState() {
        GitHubRepositories paver = paver(limits());
        PullRequest pr = untilDone(() -> paver.openPullRequest(draft(7)));
        MergeState first = paver.mergeState(pr);
        int used = github.primaryUsed();
        int notModified = github.notModified();

        MergeState second = paver.mergeState(pr);
        MergeState third = paver.mergeState(pr);

        assertThat(second).isEqualTo(first).isEqualTo(third).isInstanceOf(MergeState.Open.class);
        assertThat(github.notModified()).as("repository and pull request, twice").isEqualTo(notModified + 4);
        assertThat(github.primaryUsed()).as("304s cost nothing").isEqualTo(used);

        github.push("payments-gitops", "paver/svc-7", Map.of("extra.txt", "x\n"));
        assertThat(paver.mergeState(pr)).as("a changed pull request is read again, not served stale")
                .isNotEqualTo(first).isInstanceOf(MergeState.Open.class);
    }

    @Test
    void refusesLimitsAboveGitHubsNamingTheSetting() {
        assertThatThrownBy(() -> new GitHubLimits(81, 450, Duration.ZERO, clock, clock::advance))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("paver.github.content-per-minute must be 1 to 80 (GitHub's secondary limit), got 81");
        assertThatThrownBy(() -> new GitHubLimits(60, 501, Duration.ZERO, clock, clock::advance))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("paver.github.content-per-hour must be 1 to 500 (GitHub's secondary limit), got 501");
    }

    @Test
    void theFloorIsSetByTheSpacingUntilTheHourIsFullThenByTheHour() {
        GitHubLimits githubs = new GitHubLimits(80, 500, Duration.ZERO, clock, clock::advance);
        assertThat(githubs.floor(500)).isEqualTo(Duration.ofMillis(499 * 750));
        assertThat(githubs.floor(501)).as("the 501st waits for the first to leave the hour").isEqualTo(Duration.ofHours(1));
        assertThat(limits().floor(2200)).as("450 an hour: four full hours, then 400 more one a second")
                .isEqualTo(Duration.ofHours(4).plusSeconds(399));
    }

    @Test
    void theCatalogIsReadAgainOnlyWhenTheDefaultBranchHeadMoved() {
        github.push("payments-gitops", "main", Map.of("catalog/systems/checkout.yaml", "kind: System\n"));
        GitHubRepositories paver = paver(limits());

        assertThat(paver.readFiles("payments-gitops", "catalog"))
                .containsExactly(Map.entry("catalog/systems/checkout.yaml", "kind: System\n"));
        Map<String, Integer> afterFirst = github.requestsByKind();
        assertThat(paver.readFiles("payments-gitops", "catalog"))
                .containsExactly(Map.entry("catalog/systems/checkout.yaml", "kind: System\n"));
        Map<String, Integer> afterSecond = github.requestsByKind();
        assertThat(afterSecond.get("GET /repos/{o}/{r}/git/trees/{sha}")).isEqualTo(afterFirst.get("GET /repos/{o}/{r}/git/trees/{sha}"));
        assertThat(afterSecond.get("GET /repos/{o}/{r}/git/blobs/{sha}")).isEqualTo(afterFirst.get("GET /repos/{o}/{r}/git/blobs/{sha}"));

        github.push("payments-gitops", "main", Map.of("catalog/systems/billing.yaml", "kind: System\n"));
        assertThat(paver.readFiles("payments-gitops", "catalog")).containsOnlyKeys("catalog/systems/billing.yaml",
                "catalog/systems/checkout.yaml");
    }
}

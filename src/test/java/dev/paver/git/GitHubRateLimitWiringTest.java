package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.SlackStandIn.SlackCall;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paver started as the README says for GitHub (a token, an organization, the API URL) against a GitHub stand-in
 * that enforces GitHub's limits: a create-service whose first content-creating request meets a secondary-limit
 * answer says once in its thread that it waits for GitHub, waits at least a minute of Paver's clock, and then
 * opens both pull requests.
 */
class GitHubRateLimitWiringTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondaryLimitAnswerMakesTheRunSayOnceThatItWaitsAMinuteAndThenGoOn() throws Exception {
        try (Testbed testbed = new Testbed(tmp, false);
             GitHubStandIn github = new GitHubStandIn("acme", testbed.clock())) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            testbed.property("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", "acme");
            testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
            testbed.startPaver();
            github.refuseNextContent(1, 8);

            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana",
                    "/platform create-service api --system checkout --owner team-payments --profile small", "T1", "valid");

            assertThat(Testbed.eventually(() -> !waitReplies(testbed).isEmpty(), Duration.ofSeconds(30))).as("the thread says it waits").isTrue();
            assertThat(waitReplies(testbed).get(0).param("text")).startsWith("Waiting for GitHub's rate limit until ")
                    .contains("secondary rate limit");
            assertThat(github.secondaryLimitAnswers()).isEqualTo(1);
            Thread.sleep(1500); // several timer ticks and polls: nothing is sent to GitHub's content API meanwhile
            assertThat(github.contentRequests()).isZero();
            assertThat(github.openPullRequests()).isZero();

            testbed.clock().advance(Duration.ofSeconds(61));
            assertThat(Testbed.eventually(() -> github.openPullRequests() == 2, Duration.ofSeconds(30))).as("both pull requests open after the minute").isTrue();
            assertThat(github.secondaryLimitAnswers()).isEqualTo(1);
            assertThat(waitReplies(testbed)).as("said once").hasSize(1);
        }
    }

    private static List<SlackCall> waitReplies(Testbed testbed) {
        return testbed.slack().calls("chat.postMessage").stream()
                .filter(c -> c.param("text") != null && c.param("text").contains("Waiting for GitHub's rate limit")).toList();
    }

}

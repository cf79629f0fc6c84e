package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.GitHubStandIn.CheckKind;
import dev.paver.conversation.SlackStandIn.SlackCall;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paver started as the README says for GitHub, with a merge policy for create-service in dev and staging, against the
 * GitHub stand-in whose GitOps repository has a required check: a check that fails is said once in the thread with
 * its link and the pull request is not merged; where the repository allows auto-merge and the check turns green,
 * GitHub merges it and nobody else took part. The conversation
 * {@code conversations/create-service/failing-required-check-not-merged.yaml} tells the failing check as a person reads
 * the thread ({@code git: github}); this test keeps the auto-merge path and the exact count of replies.
 */
class GitHubMergePolicyWiringTest {

    @TempDir
    Path tmp;

    private static void start(Testbed testbed, GitHubStandIn github, Path tmp) {
        github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
        testbed.property("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
        testbed.property("paver.github.api-url", github.baseUrl());
        testbed.property("paver.github.organization", "acme");
        testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
        testbed.property("paver.merge.policies[0].golden-path", "create-service");
        testbed.property("paver.merge.policies[0].environments", "dev,staging");
        testbed.property("paver.merge.check-interval", "5s");
        testbed.property("paver.runs.timer-tick", "200ms");
        testbed.startPaver();
    }

    @Test
    void aFailingRequiredCheckIsSaidOnceWithItsLinkAndThePullRequestIsNotMerged() throws Exception {
        try (Testbed testbed = new Testbed(tmp, false);
             GitHubStandIn github = new GitHubStandIn("acme", testbed.clock())) {
            github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, false, Duration.ofSeconds(20));
            start(testbed, github, tmp);

            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana",
                    "/platform create-service api --system checkout --owner team-payments --profile small", "T1", "valid");
            assertThat(Testbed.eventually(() -> github.openPullRequests() == 2, Duration.ofSeconds(30))).as("both pull requests open").isTrue();

            for (int i = 0; i < 4; i++) {
                testbed.clock().advance(Duration.ofSeconds(10));
                Thread.sleep(700);
            }
            assertThat(Testbed.eventually(() -> !replies(testbed, "Check validate-conventions failed").isEmpty(), Duration.ofSeconds(30)))
                    .as("the failing check is said").isTrue();
            for (int i = 0; i < 3; i++) { // more looks at the pull request: nothing new to say
                testbed.clock().advance(Duration.ofSeconds(10));
                Thread.sleep(700);
            }
            List<SlackCall> said = replies(testbed, "Check validate-conventions failed");
            assertThat(said).hasSize(1);
            assertThat(said.get(0).param("text")).contains("pull request #1 in payments-gitops", "does not merge it by policy");
            assertThat(said.get(0).toString()).contains("https://github.com/acme/payments-gitops/runs/1");
            assertThat(github.pullRequest("payments-gitops", 1).path("merged").asBoolean()).isFalse();
            assertThat(replies(testbed, "merged")).isEmpty();
        }
    }

    @Test
    void whereAutoMergeIsAllowedGitHubMergesOnceTheCheckIsGreen() throws Exception {
        try (Testbed testbed = new Testbed(tmp, false);
             GitHubStandIn github = new GitHubStandIn("acme", testbed.clock())) {
            github.check("payments-gitops", "validate-conventions", CheckKind.CHECK_RUN, true, Duration.ofSeconds(30));
            github.allowAutoMerge("payments-gitops", true);
            start(testbed, github, tmp);

            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana",
                    "/platform create-service api --system checkout --owner team-payments --profile small", "T1", "valid");
            assertThat(Testbed.eventually(() -> !replies(testbed, "Paver asked GitHub to merge").isEmpty(), Duration.ofSeconds(30)))
                    .as("auto-merge enabled by policy").isTrue();
            assertThat(github.pullRequest("payments-gitops", 1).path("merged").asBoolean()).isFalse();

            testbed.clock().advance(Duration.ofSeconds(31));
            assertThat(Testbed.eventually(() -> !replies(testbed, "merged by " + GitHubStandIn.MERGER).isEmpty(), Duration.ofSeconds(30)))
                    .as("the merge is said").isTrue();
            assertThat(github.pullRequest("payments-gitops", 1).path("merged").asBoolean()).isTrue();
            assertThat(replies(testbed, "Paver asked GitHub to merge")).hasSize(1);
        }
    }

    private static List<SlackCall> replies(Testbed testbed, String containing) {
        return testbed.slack().calls("chat.postMessage").stream()
                .filter(c -> c.param("text") != null && c.param("text").contains(containing)).toList();
    }
}

package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.SlackStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.git.GitHubRepositories;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 4, the whole server: Paver started as an operator starts it, with {@code paver.backstage.url}
 * pointing at a real Backstage backend; a signed slash command for one of its Templates runs as a Scaffolder task whose
 * steps are replies in the run's thread, and a failing Template's run says Backstage's message.
 */
class BackstageEngineServerTest {

    @RegisterExtension
    static final BackstageBackend.PerClass BACKSTAGE = new BackstageBackend.PerClass();

    @TempDir
    Path tmp;

    @Test
    void aSlashCommandForABackstageTemplateRunsAsAScaffolderTaskToldInTheThread() throws Exception {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        BackstageTemplates templates = new BackstageTemplates(new BackstageApi(BACKSTAGE.backend().baseUrl(),
                new TokenFile(tokenFile.toString()), Duration.ofSeconds(10)), "paver-engine-test");
        assertThat(Testbed.eventually(() -> templates.list().size() >= 6, Duration.ofSeconds(60)))
                .as("the catalog read its locations; Paver reads the Templates when it starts").isTrue();

        try (Testbed testbed = new Testbed(tmp.resolve("testbed"), false)) {
            testbed.property("paver.backstage.url", BACKSTAGE.backend().baseUrl().toString());
            testbed.property("paver.backstage.token-file", tokenFile.toString());
            testbed.property("paver.backstage.template-tag", "paver-engine-test");
            testbed.property("paver.runs.timer-tick", "1s");
            testbed.startPaver();

            HttpResponse<String> help = testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform help", "t-0", "valid");
            assertThat(help.body() + posted(testbed.slack())).contains("hello");

            HttpResponse<String> hello = testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform hello --name Alex",
                    "t-1", "valid");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(following(testbed, texts -> texts.stream().anyMatch(t -> t.startsWith("Backstage step *Wave* done.")))).as(String.valueOf(posted(testbed.slack())))
                    .isTrue();
            assertThat(replies(testbed.slack())).containsSubsequence("Backstage step *Greet* done.",
                    "Backstage step *Wave* done.");

            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform broken", "t-2", "valid");
            assertThat(following(testbed, texts -> texts.stream().anyMatch(t -> t.contains("Backstage task")
                    && t.contains("outside")))).as(String.valueOf(posted(testbed.slack()))).isTrue();
        }
    }

    /**
     * Point 6's story as a test of the whole server: the service's GitOps pull request, in the output links of a
     * Backstage task, is followed on GitHub to its merge and in Argo CD to its deployment, as Paver follows its own.
     */
    @Test
    void aBackstageTemplatesPullRequestIsFollowedToItsMergeAndToDeployed() throws Exception {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        BackstageTemplates templates = new BackstageTemplates(new BackstageApi(BACKSTAGE.backend().baseUrl(),
                new TokenFile(tokenFile.toString()), Duration.ofSeconds(10)), "paver-engine-test");
        assertThat(Testbed.eventually(() -> templates.list().size() >= 6, Duration.ofSeconds(60))).isTrue();

        try (Testbed testbed = new Testbed(tmp.resolve("testbed"), true);
             GitHubStandIn github = new GitHubStandIn("acme", testbed.clock())) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            // what Backstage's publish:github:pull-request would open for the task (this backend has no git host)
            GitHubRepositories person = GitHubRepositories.connect(github.baseUrl(), "ghp_backstageTokenNotARealOne0001",
                    "acme", "main");
            RepositoryPort.PullRequest opened = person.openPullRequest(new RepositoryPort.PullRequestDraft(
                    "payments-gitops", "backstage/api", "Deliver api", "", "Deliver api",
                    Map.of("apps/checkout/api/overlays/dev/kustomization.yaml", "resources: [../../base]\n")));
            testbed.property("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", "acme");
            testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
            testbed.property("paver.github.poll-interval", "1s");
            testbed.property("paver.backstage.url", BACKSTAGE.backend().baseUrl().toString());
            testbed.property("paver.backstage.token-file", tokenFile.toString());
            testbed.property("paver.backstage.template-tag", "paver-engine-test");
            testbed.property("paver.runs.timer-tick", "1s");
            testbed.startPaver();

            testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform deliver-service --service api --pullRequest "
                    + opened.url(), "t-1", "valid");
            assertThat(following(testbed, texts -> texts.stream().anyMatch(t -> t.startsWith(
                    "Backstage step *Render the manifests* done.")))).as(String.valueOf(posted(testbed.slack()))).isTrue();

            RepositoryPort.MergeState.Merged merged = person.merge(opened, opened.headSha(), "Merge #" + opened.number());
            assertThat(following(testbed, texts -> texts.stream().anyMatch(t -> t.startsWith("Pull request #"
                    + opened.number() + " in payments-gitops merged")))).as(String.valueOf(posted(testbed.slack()))).isTrue();

            testbed.cluster().setStatus("payments-dev-api", "Synced", "Healthy", "Succeeded", merged.revision(), null);
            assertThat(following(testbed, texts -> texts.stream().anyMatch(t -> t.contains("deliver-service")
                    && t.contains("Done")))).as(String.valueOf(posted(testbed.slack()))).isTrue();
            assertThat(replies(testbed.slack())).anyMatch(t -> t.startsWith("Deployed to dev: payments-dev-api"));
        }
    }

    /** Lets time pass on Paver's clock until {@code seen} holds for what Paver posted (60 s at most). */
    private static boolean following(Testbed testbed, Predicate<List<String>> seen) throws InterruptedException {
        return Testbed.eventually(() -> {
            testbed.clock().advance(Duration.ofMillis(500));
            return seen.test(posted(testbed.slack()));
        }, Duration.ofSeconds(60));
    }

    /** The replies Paver posted in threads. */
    private static List<String> replies(SlackStandIn slack) {
        return slack.calls("chat.postMessage").stream().filter(c -> !c.param("thread_ts").isEmpty())
                .map(c -> c.param("text")).toList();
    }

    /** Every text and block Paver posted or edited. */
    private static List<String> posted(SlackStandIn slack) {
        return slack.calls().stream().map(c -> c.param("text") + " " + c.param("blocks")).toList();
    }
}

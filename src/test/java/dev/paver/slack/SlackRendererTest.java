package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.LayoutBlock;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.convention.Conventions;
import dev.paver.core.report.Card;
import dev.paver.core.run.CardBuilder;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SlackRendererTest {

    private static final Instant REQUESTED = Instant.parse("2025-03-04T09:15:00Z");
    private static final List<Link> PULL_REQUESTS = List.of(
            new Link("GitOps pull request", "https://github.com/acme/payments-gitops/pull/7"),
            new Link("Application pull request", "https://github.com/acme/api/pull/12"));

    private final GoldenPath createService = GoldenPathFixtures.createService();

    private RunRequest request(Map<String, String> given) {
        RequestCheck.Accepted accepted = (RequestCheck.Accepted) new RequestCheck(Conventions.defaults())
                .check(createService, given, GoldenPathFixtures.paymentsCatalog(), false);
        return new RunRequest("create-service", accepted.parameters(), accepted.platform(), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS");
    }

    private static StepRun step(String id, StepStatus status, String detail, int minute) {
        Instant at = REQUESTED.plusSeconds(60L * minute);
        boolean ended = status == StepStatus.DONE || status == StepStatus.FAILED;
        return new StepRun(id, status, Map.of(), detail, status == StepStatus.PENDING ? null : at, ended ? at : null, null);
    }

    /** Both pull requests are open; the run waits for the GitOps one to be merged. */
    private Run waitingForMerge(Map<String, String> given) {
        List<StepRun> steps = List.of(
                step("check-free", StepStatus.DONE, "free: api, catalog/components/api.yaml, apps/checkout/api", 0),
                step("render-base", StepStatus.DONE, "3 files", 0),
                step("render-overlays", StepStatus.DONE, "dev, staging, prod", 0),
                step("render-catalog", StepStatus.DONE, "1 file", 0),
                step("render-group-access", StepStatus.DONE, "dev/team-ledger/api, staging/team-ledger/api", 0),
                step("render-app", StepStatus.DONE, "6 files", 0),
                step("validate", StepStatus.DONE, "12 files follow the conventions", 0),
                step("publish-gitops", StepStatus.DONE, "pull request #7 in payments-gitops", 1),
                step("create-app-repo", StepStatus.DONE, "api", 0),
                step("publish-app", StepStatus.DONE, "pull request #12 in api", 1),
                step("await-merge", StepStatus.WAITING, "waiting for pull request #7 to be merged", 1),
                step("await-sync", StepStatus.PENDING, "", 0));
        return new Run("r1a2b3c4d", request(given), REQUESTED, RunState.WAITING, steps,
                new ThreadRef("C0PAYMENTS", "1741079700.000100", "1741079700.000100"), "pr:payments-gitops#7", "",
                REQUESTED.plusSeconds(90), Set.of("publish-app/opened", "publish-gitops/opened"));
    }

    /** The conventions gate refused what the run rendered. */
    private Run failedAtTheGate() {
        List<StepRun> steps = new ArrayList<>(List.of(
                step("render-base", StepStatus.DONE, "3 files", 0),
                step("render-overlays", StepStatus.DONE, "dev, staging, prod", 0),
                step("render-catalog", StepStatus.DONE, "1 file", 0),
                step("render-group-access", StepStatus.DONE, "nothing to do", 0),
                step("render-app", StepStatus.DONE, "6 files", 0),
                step("validate", StepStatus.FAILED, "failed", 0)));
        for (String id : List.of("preview", "check-free", "publish-gitops", "create-app-repo", "publish-app", "await-merge", "await-sync")) {
            steps.add(StepRun.pending(id));
        }
        String reason = "The rendered files break the platform conventions, so nothing was pushed (1 violation):\n"
                + "apps/checkout/api/base/deployment.yaml:1: image-tag: Deployment/api container 'api' uses image "
                + "'ghcr.io/payments/api:latest' in prod: pin a version tag or digest";
        return new Run("r1a2b3c4e", request(GoldenPathFixtures.apiInCheckout()), REQUESTED, RunState.FAILED, steps,
                new ThreadRef("C0PAYMENTS", "1741079700.000200", "1741079700.000200"), null, reason,
                REQUESTED.plusSeconds(5), Set.of("validate/failed"));
    }

    private static String json(List<LayoutBlock> blocks) {
        return GoldenFiles.slackJson(blocks);
    }

    @Test
    void rendersTheCardOfARunWaitingForTheMerge() {
        Card card = CardBuilder.card(waitingForMerge(GoldenPathFixtures.apiInCheckout()), createService, PULL_REQUESTS);

        GoldenFiles.assertMatches("card-waiting-for-merge.json", SlackRenderer.blocks(card));
        assertThat(SlackRenderer.text(card)).isEqualTo("create-service payments/api: Waiting for pull request #7 to be merged");
    }

    @Test
    void rendersTheCardOfARunTheConventionsGateStopped() {
        Card card = CardBuilder.card(failedAtTheGate(), createService, List.of());

        GoldenFiles.assertMatches("card-failed-at-the-gate.json", SlackRenderer.blocks(card));
        assertThat(SlackRenderer.text(card)).isEqualTo("create-service payments/api: Failed");
    }

    @Test
    void rendersAThreadReplyWithItsLinks() {
        Message message = new Message("Pull request #7 opened in payments-gitops: Add api to checkout (10 files)",
                List.of(new Link("payments-gitops pull request #7", "https://github.com/acme/payments-gitops/pull/7")));

        GoldenFiles.assertMatches("message-pull-request-opened.json", SlackRenderer.blocks(message));
        assertThat(SlackRenderer.text(message)).isEqualTo("Pull request #7 opened in payments-gitops: Add api to checkout "
                + "(10 files)\npayments-gitops pull request #7: https://github.com/acme/payments-gitops/pull/7");
    }

    @Test
    void escapesMentionsAndAmpersandsInWhatAPersonTyped() {
        Map<String, String> given = new HashMap<>(GoldenPathFixtures.apiInCheckout());
        given.put("description", "Payments & refunds for <@U123>, tell <!channel>");
        Card card = CardBuilder.card(waitingForMerge(given), createService, PULL_REQUESTS);

        String json = json(SlackRenderer.blocks(card));

        assertThat(json).contains("Payments &amp; refunds for &lt;@U123&gt;, tell &lt;!channel&gt;")
                .doesNotContain("<@U123>", "<!channel>", "Payments & refunds")
                .contains("<@U0DANA>");
    }

    @Test
    void escapesMentionsInRepliesAndLinkTitles() {
        Message message = new Message("Argo CD says: <!here> & <@U123> <https://evil.example|click>",
                List.of(new Link("<!channel> | pull request", "https://github.com/acme/api/pull/1?a=1&b=>|x")));

        String json = json(SlackRenderer.blocks(message));

        assertThat(json).contains("Argo CD says: &lt;!here&gt; &amp; &lt;@U123&gt; &lt;https://evil.example|click&gt;")
                .contains("<https://github.com/acme/api/pull/1?a=1&b=%3E%7Cx|&lt;!channel&gt; / pull request>")
                .doesNotContain("<!here>", "<!channel>", "<@U123>");
    }

    @Test
    void cutsAVeryLongNoteToWhatSlackAccepts() {
        Run run = failedAtTheGate();
        Run longReason = new Run(run.id(), run.request(), run.createdAt(), run.state(), run.steps(), run.thread(), null,
                "x".repeat(5_000), run.updatedAt(), run.posted());

        List<LayoutBlock> blocks = SlackRenderer.blocks(CardBuilder.card(longReason, createService, List.of()));

        assertThat(json(blocks)).contains("x".repeat(1_999) + "…").doesNotContain("x".repeat(2_000));
    }
}

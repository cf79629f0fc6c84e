package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.paver.git.GitHubWebhook.MergedPullRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

/**
 * {@link GitHubWebhook} and {@link GitHubWebhookController} on real deliveries: a merged pull request recorded by
 * ailisp/reallyfastci and octokit/webhooks' closed-without-merge example (../shared/fixtures/github).
 */
class GitHubWebhookTest {

    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "github");
    private static final String SECRET = "paver-webhook-test-secret";

    @Test
    void acceptsGitHubsDocumentedExampleSignature() {
        // GitHub docs, "Validating webhook deliveries": secret, payload and expected header.
        assertThat(GitHubWebhook.verify("It's a Secret to Everybody", "Hello, World!".getBytes(StandardCharsets.UTF_8),
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")).isTrue();
    }

    @Test
    void acceptsTheSignatureOfTheRecordedDelivery() throws Exception {
        byte[] body = mergedDelivery();

        assertThat(GitHubWebhook.verify(SECRET, body, sign(SECRET, body))).isTrue();
    }

    @Test
    void rejectsTamperedBody() throws Exception {
        byte[] body = mergedDelivery();
        String signature = sign(SECRET, body);
        byte[] tampered = new String(body, StandardCharsets.UTF_8)
                .replace("\"merged_by\": {\n            \"login\": \"ailisp\"", "\"merged_by\": {\n            \"login\": \"mallory\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(tampered).isNotEqualTo(body);

        assertThat(GitHubWebhook.verify(SECRET, tampered, signature)).isFalse();
    }

    @Test
    void rejectsSignatureMadeWithAnotherSecret() throws Exception {
        byte[] body = mergedDelivery();

        assertThat(GitHubWebhook.verify(SECRET, body, sign("another-secret", body))).isFalse();
    }

    @Test
    void rejectsWrongPrefix() throws Exception {
        byte[] body = mergedDelivery();
        String hex = sign(SECRET, body).substring("sha256=".length());

        assertThat(GitHubWebhook.verify(SECRET, body, "sha1=" + hex)).isFalse();
        assertThat(GitHubWebhook.verify(SECRET, body, hex)).isFalse();
    }

    @Test
    void rejectsMissingOrMalformedHeader() throws Exception {
        byte[] body = mergedDelivery();

        assertThat(GitHubWebhook.verify(SECRET, body, null)).isFalse();
        assertThat(GitHubWebhook.verify(SECRET, body, "")).isFalse();
        assertThat(GitHubWebhook.verify(SECRET, body, "sha256=")).isFalse();
        assertThat(GitHubWebhook.verify(SECRET, body, "sha256=not-hex")).isFalse();
    }

    @Test
    void rejectsEverySignatureWhenNoSecretIsConfigured() throws Exception {
        byte[] body = mergedDelivery();

        assertThat(GitHubWebhook.verify("", body, sign("", body))).isFalse();
        assertThat(GitHubWebhook.verify(null, body, sign("", body))).isFalse();
    }

    @Test
    void findsTheMergedPullRequestInAClosedAndMergedDelivery() throws IOException {
        assertThat(GitHubWebhook.mergedPullRequest("pull_request", mergedDelivery())).contains(new MergedPullRequest(
                "gcbapp-buildconfig-example", "byao1276-patch-1", 3, "a21683865c088b5fe1906cf6552d15a285a4986d", "ailisp"));
    }

    @Test
    void ignoresAPullRequestClosedWithoutMerging() throws IOException {
        assertThat(GitHubWebhook.mergedPullRequest("pull_request", closedUnmergedDelivery())).isEmpty();
    }

    @Test
    void ignoresOtherEventsAndBodiesThatAreNotJson() throws IOException {
        assertThat(GitHubWebhook.mergedPullRequest("issues", mergedDelivery())).isEmpty();
        assertThat(GitHubWebhook.mergedPullRequest(null, mergedDelivery())).isEmpty();
        assertThat(GitHubWebhook.mergedPullRequest("pull_request", "payload=%7B%7D".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void controllerWakesTheRunsWaitingForAMergedPullRequest() throws Exception {
        List<String> woken = new ArrayList<>();
        byte[] body = mergedDelivery();

        mvc(SECRET, woken).perform(delivery(body, sign(SECRET, body), "pull_request")).andExpect(status().isAccepted());

        assertThat(woken).containsExactly("pr:gcbapp-buildconfig-example:byao1276-patch-1");
    }

    @Test
    void controllerAcceptsOtherSignedDeliveriesWithoutWakingAnything() throws Exception {
        List<String> woken = new ArrayList<>();
        byte[] body = closedUnmergedDelivery();

        mvc(SECRET, woken).perform(delivery(body, sign(SECRET, body), "pull_request")).andExpect(status().isAccepted());

        assertThat(woken).isEmpty();
    }

    @Test
    void controllerRejectsABadSignatureWithoutWakingAnything() throws Exception {
        List<String> woken = new ArrayList<>();
        byte[] body = mergedDelivery();

        mvc(SECRET, woken).perform(delivery(body, sign("wrong", body), "pull_request")).andExpect(status().isUnauthorized());
        mvc(SECRET, woken).perform(post("/github/webhook").contentType(MediaType.APPLICATION_JSON).content(body)
                .header("X-GitHub-Event", "pull_request")).andExpect(status().isUnauthorized());

        assertThat(woken).isEmpty();
    }

    @Test
    void controllerRejectsEveryDeliveryWhenNoSecretIsConfigured() throws Exception {
        List<String> woken = new ArrayList<>();
        byte[] body = mergedDelivery();

        mvc(null, woken).perform(delivery(body, sign("", body), "pull_request")).andExpect(status().isUnauthorized());

        assertThat(woken).isEmpty();
    }

    private static MockMvc mvc(String secret, List<String> woken) {
        return MockMvcBuilders.standaloneSetup(new GitHubWebhookController(secret, woken::add)).build();
    }

    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder delivery(byte[] body,
                                                                                                        String signature,
                                                                                                        String event) {
        return post("/github/webhook").contentType(MediaType.APPLICATION_JSON).content(body)
                .header("X-Hub-Signature-256", signature).header("X-GitHub-Event", event);
    }

    /** The header GitHub would send, computed here independently of the code under test. */
    private static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.isEmpty() ? new byte[] {0} : secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static byte[] mergedDelivery() throws IOException {
        return Files.readAllBytes(FIXTURES.resolve("reallyfastci-webhook-pr-close.json"));
    }

    private static byte[] closedUnmergedDelivery() throws IOException {
        return Files.readAllBytes(FIXTURES.resolve("octokit-webhooks-pull_request-closed.payload.json"));
    }
}

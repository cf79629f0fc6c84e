package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.SlackSignature;
import dev.paver.SharedFixtures;
import dev.paver.conversation.SlackSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slack's documented signing example, checked with Bolt's own verifier (which guards Paver's endpoint) and with
 * the signer the conversation tests use to sign their requests.
 */
class SlackSignatureTest {

    private static String secret;
    private static String timestamp;
    private static String body;
    private static String signature;
    private static long signedAtMillis;

    @BeforeAll
    static void readTheTestVector() throws Exception {
        JsonNode vector = new ObjectMapper().readTree(SharedFixtures.text("slack", "slack-signing-test-vector.json"));
        secret = vector.get("signing_secret").asText();
        timestamp = vector.get("timestamp").asText();
        body = vector.get("body").asText();
        signature = vector.get("expected_signature").asText();
        assertThat(vector.get("headers").get("X-Slack-Signature").asText()).isEqualTo(signature);
        signedAtMillis = Long.parseLong(timestamp) * 1000;
    }

    private static SlackSignature.Verifier verifier(String signingSecret) {
        return new SlackSignature.Verifier(new SlackSignature.Generator(signingSecret));
    }

    @Test
    void boltVerifiesSlacksExampleRequestWhenItIsFresh() {
        assertThat(verifier(secret).isValid(timestamp, body, signature, signedAtMillis + 2_000)).isTrue();
    }

    @Test
    void ourTestSignerSignsAsSlackDoes() {
        assertThat(SlackSigner.sign(secret, timestamp, body)).isEqualTo(signature);
        assertThat(new SlackSignature.Generator(secret).generate(timestamp, body)).isEqualTo(signature);
    }

    @Test
    void boltRefusesTheBodyWithOneByteChanged() {
        String tampered = body.replace("user_id=U2CERLKJA", "user_id=U2CERLKJB");
        assertThat(tampered).hasSameSizeAs(body).isNotEqualTo(body);

        assertThat(verifier(secret).isValid(timestamp, tampered, signature, signedAtMillis + 2_000)).isFalse();
        assertThat(SlackSigner.sign(secret, timestamp, tampered)).isNotEqualTo(signature);
    }

    @Test
    void boltRefusesAnotherTimestampOrSecret() {
        String later = String.valueOf(Long.parseLong(timestamp) + 1);

        assertThat(verifier(secret).isValid(later, body, signature, signedAtMillis + 2_000)).isFalse();
        assertThat(verifier(secret.replace('8', '9')).isValid(timestamp, body, signature, signedAtMillis + 2_000)).isFalse();
    }

    @Test
    void boltRefusesTheRequestReplayedAfterFiveMinutes() {
        assertThat(verifier(secret).isValid(timestamp, body, signature, signedAtMillis + 6 * 60_000)).isFalse();
        assertThat(verifier(secret).isValid(timestamp, body, signature)).as("replayed today").isFalse();
    }
}

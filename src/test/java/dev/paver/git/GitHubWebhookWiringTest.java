package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.Testbed;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running server answers GitHub's deliveries at {@code /github/webhook}: signed ones 202, forged ones 401. */
class GitHubWebhookWiringTest {

    @TempDir
    Path tmp;

    @Test
    void theServerAcceptsASignedDeliveryAndRefusesAForgedOne() throws Exception {
        byte[] delivery = Files.readAllBytes(Path.of("..", "shared", "fixtures", "github", "reallyfastci-webhook-pr-close.json"));
        try (Testbed testbed = new Testbed(tmp, false)) {
            testbed.property("paver.github.webhook-secret", "webhook-secret-for-the-test");
            testbed.startPaver();
            assertThat(send(testbed, delivery, sign("webhook-secret-for-the-test", delivery)).statusCode()).isEqualTo(202);
            assertThat(send(testbed, delivery, sign("another-secret", delivery)).statusCode()).isEqualTo(401);
            assertThat(send(testbed, delivery, null).statusCode()).isEqualTo(401);
        }
    }

    private static HttpResponse<String> send(Testbed testbed, byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + testbed.paver().port() + "/github/webhook"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "pull_request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return testbed.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sign(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }
}

package dev.paver.config;

import com.slack.api.app_backend.SlackSignature;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends Paver's own {@code /slack/events} one signed {@code help} command at start-up, over loopback, so that what
 * the first real request would pay is paid now: Bolt's one {@code auth.test} call (it checks the bot token) and
 * the JIT. Its trigger id is new each time, so that replicas starting in the same second do not send the same signed
 * request (the second would be taken for a replay and not warm that replica up). A failure is logged with what it
 * means; the server runs anyway.
 */
final class SlackWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(SlackWarmUp.class);

    private SlackWarmUp() {
    }

    static void run(int port, String signingSecret, String command) {
        String body = "command=" + URLEncoder.encode(command, StandardCharsets.UTF_8) + "&text=help&user_id=USLACKWARMUP"
                + "&channel_id=CSLACKWARMUP&team_id=TSLACKWARMUP&trigger_id=warm-up-" + UUID.randomUUID();
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slack/events"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", new SlackSignature.Generator(signingSecret).generate(timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                LOG.info("Slack intake ready: the bot token is accepted");
            } else {
                LOG.warn("Slack intake warm-up got HTTP {}: Slack's Web API may be unreachable or paver.slack.bot-token "
                        + "refused; slash commands fail until auth.test succeeds", response.statusCode());
            }
        } catch (Exception e) {
            LOG.warn("Slack intake warm-up failed: {}", e.getMessage());
        }
    }
}

package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.Testbed;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code paver.slack.app-token} set (and no signing secret: the HTTP endpoint is then off), Paver connects out
 * with Socket Mode: it asks {@code apps.connections.open}
 * for a WebSocket URL, receives the slash command in an envelope, acknowledges it with the envelope id and the
 * same answer as over HTTP, and starts the run. Slack's side is a local WebSocket server on loopback.
 */
class SocketModeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void acknowledgesASlashCommandEnvelopeAndStartsTheRun() throws Exception {
        BlockingQueue<String> fromPaver = new LinkedBlockingQueue<>();
        BlockingQueue<WebSocket> connected = new LinkedBlockingQueue<>();
        WebSocketServer slackSide = new WebSocketServer(new InetSocketAddress("127.0.0.1", 0)) {
            @Override
            public void onOpen(WebSocket conn, ClientHandshake handshake) {
                conn.send("{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"local\"},"
                        + "\"connection_info\":{\"app_id\":\"A0PAVER\"}}");
                connected.add(conn);
            }

            @Override
            public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            }

            @Override
            public void onMessage(WebSocket conn, String message) {
                fromPaver.add(message);
            }

            @Override
            public void onError(WebSocket conn, Exception ex) {
            }

            @Override
            public void onStart() {
            }
        };
        slackSide.setReuseAddr(true);
        slackSide.start();
        try (Testbed testbed = new Testbed(tmp, false)) {
            waitForPort(slackSide);
            testbed.slack().socketModeUrl("ws://127.0.0.1:" + slackSide.getPort() + "/link");
            testbed.property("paver.slack.app-token", "xapp-socket-mode-stand-in");
            testbed.property("paver.slack.signing-secret", "");
            testbed.property("paver.slack.recheck", "300ms");
            testbed.startPaver();

            WebSocket socket = connected.poll(20, TimeUnit.SECONDS);
            assertThat(socket).as("Paver opened the Socket Mode connection").isNotNull();
            assertThat(readinessBecomes(testbed, 200)).as("ready while Socket Mode is connected").isEqualTo(200);
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("token", "unused-in-socket-mode");
            payload.put("team_id", "T0PAVERDEMO");
            payload.put("channel_id", "C0SOCKET");
            payload.put("user_id", "U0DANA");
            payload.put("user_name", "dana");
            payload.put("command", "/platform");
            payload.put("text", "create-service api --system checkout --owner team-payments");
            payload.put("response_url", testbed.slack().responseUrl("socket"));
            payload.put("trigger_id", "trigger-socket");
            socket.send(JSON.writeValueAsString(Map.of("envelope_id", "env-1", "type", "slash_commands",
                    "accepts_response_payload", true, "payload", payload)));

            JsonNode ack = null;
            for (int i = 0; i < 20 && ack == null; i++) {
                String message = fromPaver.poll(1, TimeUnit.SECONDS);
                if (message != null && message.contains("env-1")) {
                    ack = JSON.readTree(message);
                }
            }
            assertThat(ack).as("Paver acknowledged the envelope").isNotNull();
            assertThat(ack.path("envelope_id").asText()).isEqualTo("env-1");
            assertThat(ack.path("payload").path("text").asText()).contains("Starting *create-service* for `api`");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline && testbed.slack().calls("chat.postMessage").isEmpty()) {
                Thread.sleep(50);
            }
            assertThat(testbed.post("command=%2Fplatform&text=help", "valid").statusCode())
                    .as("without a signing secret the HTTP endpoint is off").isEqualTo(404);
            assertThat(testbed.slack().calls("chat.postMessage")).as("the status card is posted")
                    .anySatisfy(c -> {
                        assertThat(c.param("channel")).isEqualTo("C0SOCKET");
                        assertThat(c.param("text")).contains("create-service payments/api");
                    });

            slackSide.stop(1000);
            assertThat(readinessBecomes(testbed, 503)).as("not ready once Socket Mode lost its connection").isEqualTo(503);
            assertThat(health(testbed, "liveness")).as("alive all the same").isEqualTo(200);
        } finally {
            slackSide.stop(1000);
        }
    }

    /** The readiness probe's status once it is {@code status}, or its last status after 15 s. */
    private static int readinessBecomes(Testbed testbed, int status) throws Exception {
        int last = health(testbed, "readiness");
        for (int i = 0; i < 150 && last != status; i++) {
            Thread.sleep(100);
            last = health(testbed, "readiness");
        }
        return last;
    }

    private static int health(Testbed testbed, String group) throws Exception {
        return testbed.http().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + testbed.paver().managementPort()
                + "/actuator/health/" + group)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void waitForPort(WebSocketServer server) throws InterruptedException {
        for (int i = 0; i < 100 && server.getPort() == 0; i++) {
            Thread.sleep(20);
        }
    }
}

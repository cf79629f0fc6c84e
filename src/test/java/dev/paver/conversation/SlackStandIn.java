package dev.paver.conversation;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Slack's Web API on a loopback port (WireMock): answers {@code auth.test}, {@code chat.postMessage},
 * {@code chat.update}, {@code views.open}, {@code views.update} and response URLs the way Slack does, and records
 * every call so a conversation can read back what Paver posted. Each posted message gets a new {@code ts}; each opened
 * view an id and a hash, which {@code views.update} must name (else {@code hash_conflict}, as Slack answers when the
 * view changed meanwhile) and which it renews.
 */
public final class SlackStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One call Paver made. {@code ts} is the message's timestamp for posts, else the {@code ts} parameter; {@code answer}
     * what the stand-in answered ({@code ok}, {@code error}, {@code view} with its {@code id} and {@code hash});
     * {@code at} when it arrived, on the wall clock.
     */
    public record SlackCall(String method, Map<String, String> params, String ts, Map<String, Object> answer,
                            java.time.Instant at) {
        public String param(String name) {
            return params.getOrDefault(name, "");
        }
    }

    private final List<SlackCall> calls = new CopyOnWriteArrayList<>();
    /** The current hash of each view opened, by view id. */
    private final Map<String, String> viewHashes = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong clock = new AtomicLong(1_767_000_000_000L);
    private final WireMockServer server;
    private volatile String socketModeUrl = "";
    private final Map<String, String> refusals = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String tokenRefusal;
    private volatile long lastCallNanos = System.nanoTime();

    /**
     * Gives view {@code id} a new hash, as Slack does when it replaces a view on a {@code response_action: update}
     * answer to its submission; returns it.
     */
    public String renewHash(String id) {
        String hash = "h" + calls.size() + "r";
        viewHashes.put(id, hash);
        return hash;
    }

    public SlackStandIn() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(new Recorder()));
        server.start();
        server.stubFor(any(urlPathMatching("/(api|respond)/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8").withTransformers(Recorder.NAME)));
    }

    /** Base URL of the Web API, ending in {@code /api/}. */
    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    /** A response URL for a slash command. */
    public String responseUrl(String id) {
        return server.baseUrl() + "/respond/" + id;
    }

    /** The WebSocket URL that {@code apps.connections.open} hands out (Socket Mode). */
    public void socketModeUrl(String url) {
        this.socketModeUrl = url;
    }

    /** From now on, posting to {@code channel} fails with Slack's {@code error} (e.g. {@code not_in_channel}). */
    public void refuse(String channel, String error) {
        refusals.put(channel, error);
    }

    /**
     * From now on, every Web API call is answered {@code ok: false} with {@code error} (e.g. {@code invalid_auth}), as
     * Slack answers a bot token it does not accept; null accepts the token again.
     */
    public void refuseToken(String error) {
        this.tokenRefusal = error;
    }

    /** Every call so far, in order. */
    public List<SlackCall> calls() {
        return List.copyOf(calls);
    }

    /** When the latest call arrived ({@link System#nanoTime()}), or when the stand-in started. */
    public long lastCallNanos() {
        return lastCallNanos;
    }

    /** Calls of one Web API method. */
    public List<SlackCall> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Recorder implements ResponseTransformerV2 {
        static final String NAME = "slack-recorder";

        @Override
        public String getName() {
            return NAME;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public Response transform(Response response, ServeEvent event) {
            String path = event.getRequest().getUrl();
            if (path.contains("?")) {
                path = path.substring(0, path.indexOf('?'));
            }
            String body = event.getRequest().getBodyAsString();
            Map<String, String> params;
            String method;
            if (path.startsWith("/respond/")) {
                method = "response_url";
                params = new LinkedHashMap<>();
                params.put("body", body);
                params.put("to", path.substring("/respond/".length()));
            } else {
                method = path.substring("/api/".length());
                params = form(body);
            }
            String ts = params.getOrDefault("ts", "");
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("ok", true);
            String refusal = method.startsWith("chat.") ? refusals.get(params.getOrDefault("channel", "")) : null;
            if (tokenRefusal != null && !method.equals("response_url")) {
                refusal = tokenRefusal;
            }
            if (refusal != null) {
                answer.put("ok", false);
                answer.put("error", refusal);
                method = method + " (refused)";
            }
            switch (refusal == null ? method : "") {
                case "auth.test" -> {
                    answer.put("url", "https://paver-demo.slack.com/");
                    answer.put("team", "Paver demo");
                    answer.put("user", "paver");
                    answer.put("team_id", "T0PAVERDEMO");
                    answer.put("user_id", "U0PAVERBOT");
                    answer.put("bot_id", "B0PAVERBOT");
                }
                case "chat.postMessage" -> {
                    long millis = clock.addAndGet(1000);
                    ts = (millis / 1000) + "." + String.format("%06d", millis % 1000 * 1000 + calls.size());
                    answer.put("channel", params.get("channel"));
                    answer.put("ts", ts);
                    answer.put("message", Map.of("type", "message", "text", params.getOrDefault("text", ""), "ts", ts));
                }
                case "chat.update" -> {
                    answer.put("channel", params.get("channel"));
                    answer.put("ts", ts);
                    answer.put("text", params.getOrDefault("text", ""));
                }
                case "conversations.history", "conversations.replies" -> answer.put("messages", history(method, params));
                case "views.open" -> {
                    String id = "V0" + calls.size();
                    viewHashes.put(id, "h" + calls.size());
                    answer.put("view", Map.of("id", id, "type", "modal", "hash", viewHashes.get(id)));
                }
                case "views.update" -> {
                    String id = params.getOrDefault("view_id", "");
                    String hash = params.get("hash");
                    if (!viewHashes.containsKey(id)) {
                        answer.put("ok", false);
                        answer.put("error", "not_found");
                    } else if (hash != null && !hash.equals(viewHashes.get(id))) {
                        answer.put("ok", false);
                        answer.put("error", "hash_conflict");
                    } else {
                        viewHashes.put(id, "h" + calls.size());
                        answer.put("view", Map.of("id", id, "type", "modal", "hash", viewHashes.get(id)));
                    }
                }
                case "apps.connections.open" -> answer.put("url", socketModeUrl);
                default -> {
                }
            }
            calls.add(new SlackCall(method, params, ts, answer, java.time.Instant.now()));
            lastCallNanos = System.nanoTime();
            try {
                return Response.Builder.like(response).but().body(JSON.writeValueAsString(answer)).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * What conversations.history (top-level messages of a channel) or conversations.replies (a thread, its parent
     * first) answers: the messages posted here, with their metadata when {@code include_all_metadata} is asked.
     */
    private java.util.List<Map<String, Object>> history(String method, Map<String, String> params) {
        String channel = params.getOrDefault("channel", "");
        String thread = method.equals("conversations.replies") ? params.get("ts") : null;
        boolean metadata = "true".equals(params.get("include_all_metadata")) || "1".equals(params.get("include_all_metadata"));
        java.util.List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (SlackCall call : calls) {
            if (!call.method().equals("chat.postMessage") || !channel.equals(call.params().get("channel"))) {
                continue;
            }
            String parent = call.params().get("thread_ts");
            if (thread == null ? parent != null : !(thread.equals(parent) || thread.equals(call.ts()))) {
                continue;
            }
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "message");
            message.put("ts", call.ts());
            message.put("text", call.params().getOrDefault("text", ""));
            String posted = call.params().get("metadata");
            if (metadata && posted != null) {
                try {
                    message.put("metadata", JSON.readValue(posted, Map.class));
                } catch (Exception e) {
                    throw new IllegalStateException("metadata is not JSON: " + posted, e);
                }
            }
            out.add(message);
        }
        return out;
    }

    /** A Web API call's parameters: a form body or a JSON body (values of nested JSON as JSON text). */
    public static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        if (body.startsWith("{")) {
            try {
                JSON.readTree(body).fields().forEachRemaining(e -> out.put(e.getKey(),
                        e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
            } catch (Exception e) {
                out.put("body", body);
            }
            return out;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }
}

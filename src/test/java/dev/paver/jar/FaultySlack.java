package dev.paver.jar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import dev.paver.conversation.SlackStandIn;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Response;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A Slack Web API stand-in on loopback (WireMock) that misbehaves as Slack does under load, and keeps what was posted
 * so that it can be read back, for the fault benchmark and jar tests.
 *
 * <p>It answers {@code auth.test}, {@code chat.postMessage}, {@code chat.update}, {@code chat.postEphemeral},
 * {@code views.open} and response URLs, and serves {@code conversations.history} and {@code conversations.replies}
 * from the messages it holds, with the arguments of Slack's method pages (docs.slack.dev/reference/methods/...):
 * {@code channel}, {@code ts} (replies), {@code oldest}, {@code latest}, {@code inclusive}, {@code limit}
 * (history 100 by default, replies 1000), {@code cursor} with {@code response_metadata.next_cursor} and
 * {@code has_more}, and {@code include_all_metadata}: a message's {@code metadata} ({@code {event_type,
 * event_payload}}, the JSON string of {@code chat.postMessage}'s and {@code chat.update}'s {@code metadata} argument)
 * is returned only when it is true. History is newest first and lists channel messages and thread parents (with
 * {@code reply_count}), not replies; replies are the parent first, then the replies oldest first; the parent is on
 * the first page whatever {@code oldest} says. Message timestamps are the wall clock in Slack's
 * {@code <seconds>.<6 digits>} form, unique and increasing.
 *
 * <p>Faults, chosen at construction ({@link Mode}): none; a fraction of Web API calls answered HTTP 429 with
 * {@code Retry-After: N} and {@code {"ok":false,"error":"ratelimited"}} as Slack's rate-limit page says; a fraction
 * answered HTTP 500 ({@code internal_error}); or every answer delayed by N seconds (the effect, e.g. the post, happens
 * at once; only the answer is late). A refused call (429, 500) has no effect. {@code auth.test} (called once at
 * start-up) and response URLs are never refused, so that a start and a person's private answer are not the subject.
 *
 * <p>Every call is recorded with its arrival time and the status it got ({@link #calls()}), and whether it came
 * before the {@code Retry-After} of an earlier 429 of the same method and channel had passed.
 */
public final class FaultySlack implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the stand-in misbehaves. */
    public enum Mode {
        NONE, RATE_LIMITED, SERVER_ERROR, SLOW;

        /** {@code none}, {@code 429}, {@code 500} or {@code slow}; else an error naming the four. */
        public static Mode parse(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "429" -> RATE_LIMITED;
                case "500" -> SERVER_ERROR;
                case "slow" -> SLOW;
                default -> throw new IllegalArgumentException("Slack fault mode '" + value + "' is not one of none, 429, 500, slow");
            };
        }
    }

    /**
     * One call Paver made.
     *
     * @param millis    when it arrived (epoch milliseconds)
     * @param method    the Web API method, or {@code response_url}
     * @param status    the HTTP status it was answered with
     * @param early     whether it came before an earlier 429's {@code Retry-After} for this method and channel passed
     * @param params    its arguments (for a response URL: {@code to} and {@code body})
     * @param ts        the posted message's ts (post), else the {@code ts} argument
     */
    public record Call(long millis, String method, int status, boolean early, Map<String, String> params, String ts) {
        public String param(String name) {
            return params.getOrDefault(name, "");
        }

        /** Whether Slack acted on it: answered 200 (a {@code ok:false} answer is still a 200). */
        public boolean applied() {
            return status == 200;
        }
    }

    /** A message as it reads now: channel, ts, thread ts ("" for a channel message), text, blocks JSON, metadata or null. */
    public record Message(String channel, String ts, String threadTs, String text, String blocks, JsonNode metadata) {
    }

    private final Mode mode;
    private final double fraction;
    private final int retryAfterSeconds;
    private final int delaySeconds;
    private final Random random;
    private final WireMockServer server;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, List<Message>> channels = new LinkedHashMap<>();
    private final Map<String, Long> retryUntil = new HashMap<>();
    private long lastMicros;

    /**
     * @param mode              the fault
     * @param fraction          for 429 and 500: the share of Web API calls refused, 0 to 1
     * @param retryAfterSeconds for 429: the {@code Retry-After} header
     * @param delaySeconds      for slow: the delay of every answer
     * @param seed              seeds which calls are refused
     */
    public FaultySlack(Mode mode, double fraction, int retryAfterSeconds, int delaySeconds, long seed) {
        this.mode = mode;
        this.fraction = fraction;
        this.retryAfterSeconds = retryAfterSeconds;
        this.delaySeconds = delaySeconds;
        this.random = new Random(seed);
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().containerThreads(64)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(16).extensions(new Answer()));
        server.start();
        server.stubFor(any(urlPathMatching("/(api|respond)/.*")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json; charset=utf-8").withTransformers(Answer.NAME)));
    }

    /** A stand-in without faults. */
    public FaultySlack() {
        this(Mode.NONE, 0, 0, 0, 1);
    }

    /** Base URL of the Web API, ending in {@code /api/} ({@code PAVER_SLACK_API_URL}). */
    public String apiUrl() {
        return server.baseUrl() + "/api/";
    }

    /** A response URL for a slash command or a click; its answers are recorded as {@code response_url} calls. */
    public String responseUrl(String id) {
        return server.baseUrl() + "/respond/" + id;
    }

    /** Every call so far, in order of arrival. */
    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Every message in {@code channel} (threads included) as it reads now, in order of posting. */
    public synchronized List<Message> messages(String channel) {
        return List.copyOf(channels.getOrDefault(channel, List.of()));
    }

    /** The channels Paver posted in. */
    public synchronized List<String> channels() {
        return List.copyOf(channels.keySet());
    }

    @Override
    public void close() {
        server.stop();
    }

    private synchronized String nextTs(long millis) {
        lastMicros = Math.max(millis * 1000, lastMicros + 1);
        return (lastMicros / 1_000_000) + "." + String.format("%06d", lastMicros % 1_000_000);
    }

    private final class Answer implements ResponseTransformerV2 {
        static final String NAME = "faulty-slack";

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
            long now = System.currentTimeMillis();
            String url = event.getRequest().getUrl();
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            Map<String, String> params = new LinkedHashMap<>();
            if (url.contains("?")) {
                params.putAll(SlackStandIn.form(url.substring(url.indexOf('?') + 1)));
            }
            String method;
            if (path.startsWith("/respond/")) {
                method = "response_url";
                params.put("body", event.getRequest().getBodyAsString());
                params.put("to", path.substring("/respond/".length()));
            } else {
                method = path.substring("/api/".length());
                params.putAll(SlackStandIn.form(event.getRequest().getBodyAsString()));
            }
            Response.Builder out = Response.Builder.like(response).but();
            ObjectNode answer;
            int status;
            String ts;
            synchronized (FaultySlack.this) {
                String key = method + "|" + params.getOrDefault("channel", "");
                boolean early = now < retryUntil.getOrDefault(key, 0L);
                boolean faultable = !method.equals("response_url") && !method.equals("auth.test");
                status = 200;
                if (faultable && mode == Mode.RATE_LIMITED && random.nextDouble() < fraction) {
                    status = 429;
                    retryUntil.put(key, now + retryAfterSeconds * 1000L);
                    answer = JSON.createObjectNode().put("ok", false).put("error", "ratelimited");
                    out.status(429).headers(new HttpHeaders(new HttpHeader("Content-Type", "application/json; charset=utf-8"),
                            new HttpHeader("Retry-After", Integer.toString(retryAfterSeconds))));
                    ts = params.getOrDefault("ts", "");
                } else if (faultable && mode == Mode.SERVER_ERROR && random.nextDouble() < fraction) {
                    status = 500;
                    answer = JSON.createObjectNode().put("ok", false).put("error", "internal_error");
                    out.status(500);
                    ts = params.getOrDefault("ts", "");
                } else {
                    answer = apply(method, params, now);
                    ts = answer.has("ts") ? answer.get("ts").asText() : params.getOrDefault("ts", "");
                }
                calls.add(new Call(now, method, status, early, Map.copyOf(params), ts));
            }
            if (mode == Mode.SLOW && delaySeconds > 0) {
                out.incrementInitialDelay(delaySeconds * 1000L);
            }
            return out.body(answer.toString()).build();
        }
    }

    /** What Slack does for one accepted call; runs holding the lock. */
    private ObjectNode apply(String method, Map<String, String> params, long now) {
        ObjectNode answer = JSON.createObjectNode().put("ok", true);
        String channel = params.getOrDefault("channel", "");
        switch (method) {
            case "auth.test" -> answer.put("url", "https://paver-bench.slack.com/").put("team", "Paver bench")
                    .put("user", "paver").put("team_id", "T0PAVERBENCH").put("user_id", "U0PAVERBOT").put("bot_id", "B0PAVERBOT");
            case "chat.postMessage" -> {
                String ts = nextTs(now);
                Message posted = new Message(channel, ts, params.getOrDefault("thread_ts", ""), params.getOrDefault("text", ""),
                        params.getOrDefault("blocks", ""), metadata(params.get("metadata")));
                channels.computeIfAbsent(channel, c -> new ArrayList<>()).add(posted);
                answer.put("channel", channel).put("ts", ts).set("message", json(posted, true));
            }
            case "chat.update" -> {
                List<Message> in = channels.getOrDefault(channel, List.of());
                String ts = params.getOrDefault("ts", "");
                int at = -1;
                for (int i = 0; i < in.size() && at < 0; i++) {
                    at = in.get(i).ts().equals(ts) ? i : -1;
                }
                if (at < 0) {
                    return JSON.createObjectNode().put("ok", false).put("error", "message_not_found");
                }
                Message old = in.get(at);
                Message edited = new Message(channel, ts, old.threadTs(), params.getOrDefault("text", old.text()),
                        params.getOrDefault("blocks", old.blocks()),
                        params.containsKey("metadata") ? metadata(params.get("metadata")) : old.metadata());
                in.set(at, edited);
                answer.put("channel", channel).put("ts", ts).put("text", edited.text());
            }
            case "chat.postEphemeral" -> answer.put("message_ts", nextTs(now));
            case "views.open" -> answer.set("view", JSON.createObjectNode().put("id", "V0" + calls.size()).put("type", "modal"));
            case "conversations.history" -> {
                List<Message> top = new ArrayList<>();
                for (Message m : channels.getOrDefault(channel, List.of())) {
                    if (m.threadTs().isEmpty() && within(m.ts(), params)) {
                        top.add(0, m); // newest first
                    }
                }
                page(answer, top, params, 100, channel, null);
            }
            case "conversations.replies" -> {
                String parentTs = params.getOrDefault("ts", "");
                Message parent = null;
                List<Message> replies = new ArrayList<>();
                for (Message m : channels.getOrDefault(channel, List.of())) {
                    if (m.ts().equals(parentTs)) {
                        parent = m;
                    } else if (m.threadTs().equals(parentTs) && within(m.ts(), params)) {
                        replies.add(m);
                    }
                }
                if (parent == null) {
                    return JSON.createObjectNode().put("ok", false).put("error", "thread_not_found");
                }
                page(answer, replies, params, 1000, channel, parent);
            }
            default -> {
            }
        }
        return answer;
    }

    private void page(ObjectNode answer, List<Message> all, Map<String, String> params, int defaultLimit, String channel,
                      Message parent) {
        int limit = params.containsKey("limit") && !params.get("limit").isBlank() ? Integer.parseInt(params.get("limit")) : defaultLimit;
        limit = Math.max(1, Math.min(limit, 999));
        int from = 0;
        String cursor = params.getOrDefault("cursor", "");
        if (!cursor.isEmpty()) {
            from = Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).substring("next:".length()));
        }
        boolean metadata = "true".equals(params.get("include_all_metadata")) || "1".equals(params.get("include_all_metadata"));
        ArrayNode messages = answer.putArray("messages");
        if (parent != null && from == 0) {
            ObjectNode p = json(parent, metadata);
            p.put("reply_count", all.size());
            messages.add(p);
        }
        int to = Math.min(all.size(), from + limit);
        for (Message m : all.subList(Math.min(from, all.size()), to)) {
            ObjectNode node = json(m, metadata);
            if (parent == null) {
                long replies = channels.getOrDefault(channel, List.of()).stream().filter(r -> r.threadTs().equals(m.ts())).count();
                if (replies > 0) {
                    node.put("thread_ts", m.ts()).put("reply_count", replies);
                }
            }
            messages.add(node);
        }
        boolean more = to < all.size();
        answer.put("has_more", more);
        answer.putObject("response_metadata").put("next_cursor", more
                ? Base64.getEncoder().encodeToString(("next:" + to).getBytes(StandardCharsets.UTF_8)) : "");
    }

    private static boolean within(String ts, Map<String, String> params) {
        boolean inclusive = "true".equals(params.get("inclusive")) || "1".equals(params.get("inclusive"));
        BigDecimal t = new BigDecimal(ts);
        String oldest = params.getOrDefault("oldest", "");
        String latest = params.getOrDefault("latest", "");
        if (!oldest.isBlank() && (inclusive ? t.compareTo(new BigDecimal(oldest)) < 0 : t.compareTo(new BigDecimal(oldest)) <= 0)) {
            return false;
        }
        return latest.isBlank() || (inclusive ? t.compareTo(new BigDecimal(latest)) <= 0 : t.compareTo(new BigDecimal(latest)) < 0);
    }

    private static ObjectNode json(Message m, boolean withMetadata) {
        ObjectNode node = JSON.createObjectNode().put("type", "message").put("user", "U0PAVERBOT").put("bot_id", "B0PAVERBOT")
                .put("text", m.text()).put("ts", m.ts());
        if (!m.threadTs().isEmpty()) {
            node.put("thread_ts", m.threadTs());
        }
        if (!m.blocks().isEmpty()) {
            try {
                node.set("blocks", JSON.readTree(m.blocks()));
            } catch (Exception notJson) {
                node.put("blocks", m.blocks());
            }
        }
        if (withMetadata && m.metadata() != null) {
            node.set("metadata", m.metadata());
        }
        return node;
    }

    private static JsonNode metadata(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(value);
        }
    }

}

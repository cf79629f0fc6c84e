package dev.paver.jar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.BlockActions;
import dev.paver.conversation.Conversation;
import dev.paver.conversation.SlackSigner;
import dev.paver.conversation.SlackStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.conversation.Transcript;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A Slack workspace around a packaged Paver: the Slack Web API stand-in on loopback that Paver posts to
 * ({@code PAVER_SLACK_API_URL}), and people who type slash commands and click buttons, sent to Paver's
 * {@code /slack/events} as Slack sends them (recorded payloads of {@code ../shared/fixtures/slack/}, signed with the
 * signing secret). Reads back what a person sees in the channel: the status card as it reads now, its thread, and
 * what Paver told someone privately.
 */
final class SlackWorkspace implements AutoCloseable {

    static final String SIGNING_SECRET = "jar-it-signing-secret";
    static final String BOT_TOKEN = "xoxb-jar-it-stand-in";
    static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SlackStandIn slack = new SlackStandIn();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> people;
    private final String channel;
    private final Transcript transcript;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile URI events;

    /**
     * @param channel where people type commands
     * @param people  Slack user ids to names
     */
    SlackWorkspace(String channel, Map<String, String> people) {
        this.channel = channel;
        this.people = people;
        this.transcript = new Transcript(Conversation.channel("the packaged jar", channel, people), slack);
    }

    /** The environment that connects Paver to this workspace, as the README's "Running Paver" says. */
    Map<String, String> env() {
        return Map.of("PAVER_SLACK_BOT_TOKEN", BOT_TOKEN, "PAVER_SLACK_SIGNING_SECRET", SIGNING_SECRET,
                "PAVER_SLACK_API_URL", slack.apiUrl());
    }

    /** Where Slack sends requests: the running Paver's {@code /slack/events}. */
    void connect(PaverJar paver) {
        this.events = paver.url("/slack/events");
    }

    /** {@code user} types {@code typed} (e.g. {@code /platform create-service api ...}) in the channel. */
    HttpResponse<String> types(String user, String typed) throws Exception {
        int space = typed.indexOf(' ');
        JsonNode fixture = Testbed.fixture("vercel-chat-slash-commands-slack.json").path("slashCommandWithArgs");
        Map<String, String> form = new LinkedHashMap<>();
        fixture.fields().forEachRemaining(e -> form.put(e.getKey(), e.getValue().asText()));
        String trigger = "trigger-" + requests.incrementAndGet() + "-" + user;
        form.put("channel_id", channel);
        form.put("user_id", user);
        form.put("user_name", name(user).toLowerCase(java.util.Locale.ROOT));
        form.put("command", space < 0 ? typed : typed.substring(0, space));
        form.put("text", space < 0 ? "" : typed.substring(space + 1));
        form.put("response_url", slack.responseUrl(trigger + "-" + user));
        form.put("trigger_id", trigger);
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return post(body.toString());
    }

    /**
     * {@code user} clicks the button labelled {@code label} on the newest message of Paver's in {@code in} that has one,
     * as it reads now: a {@code block_actions} payload as Slack sends it (a recorded one, with this message's ids).
     */
    HttpResponse<String> clicks(String user, String label, String in) throws Exception {
        String trigger = "click-" + requests.incrementAndGet();
        Optional<String> click = BlockActions.click(transcript.latestMessages(), label, in, user, name(user),
                slack.responseUrl(trigger + "-" + user), trigger);
        if (click.isEmpty()) {
            throw new AssertionError("no message of Paver's in " + in + " has a button \"" + label + "\":\n" + render());
        }
        return post(click.get());
    }

    private HttpResponse<String> post(String body) throws Exception {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        HttpRequest request = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Slack-Request-Timestamp", timestamp)
                .header("X-Slack-Signature", SlackSigner.sign(SIGNING_SECRET, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The status cards Paver posted in the channel, oldest first. */
    List<SlackStandIn.SlackCall> cards() {
        return transcript.cardPosts();
    }

    /** The newest status card as it reads now (after its edits), as text; "" when there is none. */
    String card() {
        List<SlackStandIn.SlackCall> cards = cards();
        return cards.isEmpty() ? "" : transcript.latestCard(cards.get(cards.size() - 1).ts());
    }

    /** The Block Kit JSON of the newest status card as it reads now. */
    String cardBlocks() {
        List<SlackStandIn.SlackCall> cards = cards();
        return cards.isEmpty() ? "[]" : transcript.latestCardBlocks(cards.get(cards.size() - 1).ts());
    }

    /** The replies in the thread of the newest card, in order. */
    List<String> thread() {
        return transcript.latestThread();
    }

    /** The texts of Paver's messages in {@code channel}, each as it reads now. */
    List<String> messagesIn(String in) {
        return transcript.latestMessages(in);
    }

    /** What Paver told {@code user} privately: response URL answers to their requests and ephemeral messages. */
    List<String> told(String user) throws Exception {
        List<String> said = new ArrayList<>();
        for (SlackStandIn.SlackCall c : slack.calls()) {
            if (c.method().equals("response_url") && c.param("to").endsWith("-" + user)) {
                said.add(JSON.readTree(c.param("body")).path("text").asText());
            } else if (c.method().equals("chat.postEphemeral") && c.param("user").equals(user)) {
                said.add(c.param("text"));
            }
        }
        return said;
    }

    /** Every Web API call Paver made, in order. */
    List<SlackStandIn.SlackCall> calls() {
        return slack.calls();
    }

    /** The channel as a person reads it. */
    String render() {
        return transcript.render();
    }

    /**
     * Waits until {@code condition} returns null (holds), at most {@link #WAIT}; else fails with its last message and
     * the channel.
     */
    void await(String what, Supplier<String> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String problem;
        do {
            problem = condition.get();
            if (problem == null) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(what + " within " + WAIT.toSeconds() + " s: " + problem + "\n--- the channel ---\n" + render());
    }

    /** Waits until the newest card reads with every one of {@code parts}. */
    void awaitCard(String... parts) throws InterruptedException {
        await("the card says " + List.of(parts), () -> {
            String card = card();
            for (String part : parts) {
                if (!card.contains(part)) {
                    return "it lacks \"" + part + "\":\n" + card;
                }
            }
            return null;
        });
    }

    /** Waits until the newest card's thread has replies containing {@code parts}, in this order. */
    void awaitThread(String... parts) throws InterruptedException {
        await("the thread says " + List.of(parts), () -> {
            List<String> replies = thread();
            int from = 0;
            for (String part : parts) {
                int found = -1;
                for (int i = from; i < replies.size() && found < 0; i++) {
                    if (replies.get(i).contains(part)) {
                        found = i;
                    }
                }
                if (found < 0) {
                    return "no reply from reply " + from + " on contains \"" + part + "\"; replies: " + replies;
                }
                from = found;
            }
            return null;
        });
    }

    private String name(String user) {
        return people.getOrDefault(user, user).split(" ")[0];
    }

    @Override
    public void close() {
        slack.close();
    }
}

package dev.paver.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Slack channel of a conversation as a person would read it: what people typed, what Paver answered only to
 * them, the status card in its latest form, and the thread under it, with outside events in between.
 */
public final class Transcript {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> EMOJI = Map.of(":white_check_mark:", "✅", ":hourglass_flowing_sand:", "⏳",
            ":white_circle:", "⚪", ":x:", "❌", ":fast_forward:", "⏭", ":arrows_counterclockwise:", "🔄", ":rocket:", "🚀",
            ":no_entry:", "⛔", ":warning:", "⚠️");

    private record Entry(int position, String text) {
    }

    private final Conversation conversation;
    private final SlackStandIn slack;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public Transcript(Conversation conversation, SlackStandIn slack) {
        this.conversation = conversation;
        this.slack = slack;
    }

    void user(String user, String text) {
        entries.add(new Entry(slack.calls().size(), conversation.name(user) + ": " + text));
    }

    void ephemeral(String text) {
        int position = entries.isEmpty() ? slack.calls().size() : entries.get(entries.size() - 1).position();
        entries.add(new Entry(position, "    Paver (only visible to you): " + plain(text).replace("\n", "\n      ")));
    }

    void outside(String text) {
        entries.add(new Entry(slack.calls().size(), "  ↳ [" + text + "]"));
    }

    void note(String text) {
        entries.add(new Entry(slack.calls().size(), "    [" + text + "]"));
    }

    /** Messages Paver posted in the conversation's channel (not in a thread): its status cards. */
    public List<SlackStandIn.SlackCall> cardPosts() {
        return slack.calls("chat.postMessage").stream()
                .filter(c -> c.param("thread_ts").isEmpty() && c.param("channel").equals(conversation.channel())).toList();
    }

    /** Texts of Paver's thread replies, in order. */
    public List<String> replies() {
        return slack.calls("chat.postMessage").stream().filter(c -> !c.param("thread_ts").isEmpty())
                .map(c -> c.param("text")).toList();
    }

    /** Texts of the replies in the thread of the newest card (all replies when there is no card), in order. */
    public List<String> latestThread() {
        List<SlackStandIn.SlackCall> cards = cardPosts();
        if (cards.isEmpty()) {
            return replies();
        }
        String ts = cards.get(cards.size() - 1).ts();
        return slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts").equals(ts))
                .map(c -> c.param("text")).toList();
    }

    /**
     * A message Paver posted (in a channel or a thread), as it reads now.
     *
     * @param channel where
     * @param ts      its ts
     * @param text    its text after the last edit
     * @param blocks  its Block Kit JSON after the last edit
     */
    public record Posted(String channel, String ts, String text, String blocks) {
    }

    /** Every message Paver posted, in order of posting, each as it reads now (after its edits). */
    public List<Posted> latestMessages() {
        Map<String, Posted> byTs = new java.util.LinkedHashMap<>();
        for (SlackStandIn.SlackCall c : slack.calls()) {
            if (c.method().equals("chat.postMessage")) {
                byTs.put(c.ts(), new Posted(c.param("channel"), c.ts(), c.param("text"), c.param("blocks")));
            } else if (c.method().equals("chat.update") && byTs.containsKey(c.param("ts"))) {
                byTs.put(c.param("ts"), new Posted(c.param("channel"), c.param("ts"), c.param("text"), c.param("blocks")));
            }
        }
        return List.copyOf(byTs.values());
    }

    /** Every message Paver posted, as first posted (before any edit). */
    public List<Transcript.Posted> originalMessages() {
        return slack.calls("chat.postMessage").stream()
                .map(c -> new Posted(c.param("channel"), c.ts(), c.param("text"), c.param("blocks"))).toList();
    }

    /** The texts of Paver's messages in {@code channel} (threads included), each as it reads now. */
    public List<String> latestMessages(String channel) {
        return latestMessages().stream().filter(m -> m.channel().equals(channel)).map(Posted::text).toList();
    }

    /** The card posted with {@code ts} as it reads now (its last edit), as text. */
    public String latestCard(String ts) {
        SlackStandIn.SlackCall latest = null;
        for (SlackStandIn.SlackCall c : slack.calls()) {
            if ((c.method().equals("chat.postMessage") && c.ts().equals(ts) && c.param("thread_ts").isEmpty())
                    || (c.method().equals("chat.update") && c.param("ts").equals(ts))) {
                latest = c;
            }
        }
        return latest == null ? "" : card(latest);
    }

    /** The Block Kit JSON of the card posted with {@code ts}, as it reads now. */
    public String latestCardBlocks(String ts) {
        String blocks = "[]";
        for (SlackStandIn.SlackCall c : slack.calls()) {
            if ((c.method().equals("chat.postMessage") && c.ts().equals(ts) && c.param("thread_ts").isEmpty())
                    || (c.method().equals("chat.update") && c.param("ts").equals(ts))) {
                blocks = c.param("blocks");
            }
        }
        return blocks;
    }

    /** The whole channel, in order. */
    public String render() {
        List<SlackStandIn.SlackCall> calls = slack.calls();
        StringBuilder out = new StringBuilder("#" + conversation.channel() + "   (" + conversation.title() + ")\n");
        int entry = 0;
        for (int i = 0; i <= calls.size(); i++) {
            while (entry < entries.size() && entries.get(entry).position() <= i) {
                out.append(entries.get(entry++).text()).append('\n');
            }
            if (i == calls.size()) {
                break;
            }
            SlackStandIn.SlackCall c = calls.get(i);
            if (c.method().equals("chat.postMessage") && c.param("thread_ts").isEmpty()
                    && conversation.people().containsKey(c.param("channel"))) {
                out.append("    Paver (direct message to ").append(conversation.name(c.param("channel"))).append("): ")
                        .append(plain(c.param("text"))).append('\n');
            } else if (c.method().equals("chat.postMessage") && c.param("thread_ts").isEmpty()) {
                long edits = calls.stream().filter(u -> u.method().equals("chat.update") && u.param("ts").equals(c.ts())).count();
                out.append("Paver: [status card").append(edits > 0 ? ", edited " + edits + " times, as it reads now" : "")
                        .append("]\n").append(indent(latestCard(c.ts()), "  │ ")).append('\n');
            } else if (c.method().equals("chat.postMessage")) {
                out.append("  ↳ Paver: ").append(plain(c.param("text")).replace("\n", "\n      ")).append('\n');
            } else if (c.method().equals("response_url")) {
                out.append("    Paver (only visible to you): ").append(plain(responseText(c.param("body"))).replace("\n", "\n      "))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String card(SlackStandIn.SlackCall call) {
        return blocksText(call.param("blocks"), call.param("text"));
    }

    /**
     * What a person reads in an answer to a response URL ({@code body}: its JSON): its blocks as text when it has
     * blocks (its {@code text} is then only the notification's fallback), else its text, as mrkdwn.
     */
    public static String responseText(String body) {
        try {
            JsonNode answer = JSON.readTree(body);
            return answer.path("blocks").isArray() && !answer.path("blocks").isEmpty()
                    ? blocksText(answer.path("blocks").toString(), answer.path("text").asText())
                    : answer.path("text").asText();
        } catch (Exception e) {
            return body;
        }
    }

    /** Block Kit blocks ({@code blocksJson}) as plain text, one line per block; {@code fallback} when unreadable. */
    private static String blocksText(String blocksJson, String fallback) {
        StringBuilder out = new StringBuilder();
        try {
            JsonNode blocks = JSON.readTree(blocksJson);
            for (JsonNode block : blocks) {
                switch (block.path("type").asText()) {
                    case "header" -> out.append(block.path("text").path("text").asText()).append('\n');
                    case "section" -> {
                        if (block.has("fields")) {
                            List<String> fields = new ArrayList<>();
                            block.path("fields").forEach(f -> fields.add(plain(f.path("text").asText()).replace("\n", ": ")));
                            out.append(String.join(" · ", fields)).append('\n');
                        } else {
                            out.append(plain(block.path("text").path("text").asText())).append('\n');
                        }
                    }
                    case "context" -> block.path("elements").forEach(e -> out.append(plain(e.path("text").asText())).append('\n'));
                    case "actions" -> {
                        List<String> buttons = new ArrayList<>();
                        block.path("elements").forEach(e -> buttons.add("[" + e.path("text").path("text").asText() + "]"
                                + (e.has("url") ? " " + e.path("url").asText() : "")));
                        out.append(String.join("  ", buttons)).append('\n');
                    }
                    default -> {
                    }
                }
            }
        } catch (Exception e) {
            out.append(fallback);
        }
        return out.toString().strip();
    }

    private static String plain(String mrkdwn) {
        String s = mrkdwn;
        for (Map.Entry<String, String> e : EMOJI.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        s = s.replaceAll("<([^|>]+)\\|([^>]+)>", "$2 ($1)").replaceAll("<@([A-Z0-9]+)>", "@$1");
        return s.replace("_(", "(").replace(")_", ")").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("*", "");
    }

    private static String indent(String text, String prefix) {
        return prefix + text.replace("\n", "\n" + prefix);
    }
}

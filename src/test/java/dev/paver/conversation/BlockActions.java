package dev.paver.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A click on a button of Paver's as Slack sends it: a {@code block_actions} payload (Slack's "block_actions payload"
 * reference), built from a recorded one with the clicked message's ids. Used by the conversation runner and the
 * packaged-jar tests.
 */
public final class BlockActions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BlockActions() {
    }

    /**
     * The form-encoded body ({@code payload=...}) of a click by {@code user} on the button labelled {@code label} of
     * the newest of {@code messages} that has one, in channel {@code in} (any channel when empty); empty when no
     * message has such a button.
     */
    public static Optional<String> click(List<Transcript.Posted> messages, String label, String in, String user,
                                         String userName, String responseUrl, String triggerId) throws Exception {
        JsonNode button = null;
        String blockId = "";
        Transcript.Posted clicked = null;
        for (int i = messages.size() - 1; i >= 0 && button == null; i--) {
            Transcript.Posted m = messages.get(i);
            if (!in.isEmpty() && !m.channel().equals(in)) {
                continue;
            }
            for (JsonNode block : JSON.readTree(m.blocks().isEmpty() ? "[]" : m.blocks())) {
                for (JsonNode element : block.path("elements")) {
                    if (button == null && element.path("text").path("text").asText().equals(label)) {
                        button = element;
                        blockId = block.path("block_id").asText("");
                        clicked = m;
                    }
                }
            }
        }
        if (button == null) {
            return Optional.empty();
        }
        ObjectNode payload = (ObjectNode) Testbed.fixture("vercel-chat-actions-reactions-slack.json").path("action").deepCopy();
        ((ObjectNode) payload.path("user")).put("id", user).put("username", userName).put("name", userName);
        ((ObjectNode) payload.path("container")).put("message_ts", clicked.ts()).put("channel_id", clicked.channel())
                .remove("thread_ts");
        ((ObjectNode) payload.path("channel")).put("id", clicked.channel());
        ((ObjectNode) payload.path("message")).put("ts", clicked.ts()).remove("thread_ts");
        payload.put("response_url", responseUrl);
        payload.put("trigger_id", triggerId);
        ObjectNode action = (ObjectNode) payload.path("actions").get(0);
        action.put("action_id", button.path("action_id").asText()).put("block_id", blockId);
        action.set("text", button.path("text").deepCopy());
        if (button.has("value")) {
            action.put("value", button.path("value").asText());
        } else {
            action.remove("value");
        }
        action.put("action_ts", System.currentTimeMillis() / 1000 + ".000100");
        return Optional.of("payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8));
    }
}

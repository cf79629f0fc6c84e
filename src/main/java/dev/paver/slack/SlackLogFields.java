package dev.paver.slack;

import com.slack.api.bolt.request.Request;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the Slack user and channel of the request Bolt handles in SLF4J's MDC while its listener runs, so that every
 * line logged meanwhile on that thread carries them (JSON fields {@code paver.slack.user} and
 * {@code paver.slack.channel} with structured logging). The channel is known for slash commands and button clicks;
 * a modal submission or an event has the user only.
 */
final class SlackLogFields implements AutoCloseable {

    /** The Slack user id who sent the request ({@code U...}). */
    static final String USER = "paver.slack.user";
    /** The Slack channel id it came from ({@code C...}, {@code D...}). */
    static final String CHANNEL = "paver.slack.channel";

    private final Map<String, String> before = new LinkedHashMap<>();

    private SlackLogFields(String user, String channel) {
        put(USER, user);
        put(CHANNEL, channel);
    }

    /** Tags the current thread with the request's user and channel, until {@link #close()}. */
    static SlackLogFields of(Request<?> request) {
        String user = request.getContext() == null ? null : request.getContext().getRequestUserId();
        String channel = null;
        if (request instanceof SlashCommandRequest command && command.getPayload() != null) {
            channel = command.getPayload().getChannelId();
        } else if (request instanceof BlockActionRequest click && click.getPayload() != null
                && click.getPayload().getChannel() != null) {
            channel = click.getPayload().getChannel().getId();
        }
        return new SlackLogFields(user, channel);
    }

    private void put(String key, String value) {
        if (value != null) {
            before.put(key, MDC.get(key));
            MDC.put(key, value);
        }
    }

    /** Gives the keys back the values they had before. */
    @Override
    public void close() {
        before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }
}

package dev.paver.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message.Metadata;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.report.Times;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link Notifier} on the Slack Web API: the card with {@code chat.postMessage}, edits with {@code chat.update},
 * milestones as replies with {@code thread_ts} (docs.slack.dev/messaging, "Threading messages"). The bot token is
 * the client's; it never appears in a message or an exception.
 */
public final class SlackNotifier implements Notifier {

    private final MethodsClient client;

    /** @param client a Web API client holding the bot token */
    public SlackNotifier(MethodsClient client) {
        this.client = client;
    }

    /** The message metadata {@code event_type} of Paver's posts; the payload's {@code key} names the message. */
    static final String EVENT_TYPE = "paver_post";

    /** How many pages of history {@link #find} reads at most (200 messages each). */
    static final int MAX_PAGES = 10;

    private static Metadata metadata(String key) {
        return Metadata.builder().eventType(EVENT_TYPE).eventPayload(Map.of("key", key)).build();
    }

    @Override
    public ThreadRef postCard(String channel, Card card, String key) {
        ChatPostMessageResponse response = call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(channel)
                .text(SlackRenderer.text(card)).blocks(SlackRenderer.blocks(card)).unfurlLinks(false).metadata(metadata(key))));
        return new ThreadRef(response.getChannel() == null ? channel : response.getChannel(), response.getTs(), response.getTs());
    }

    @Override
    public void updateCard(ThreadRef thread, Card card) {
        call("chat.update", () -> client.chatUpdate(r -> r.channel(thread.channel()).ts(thread.cardTs())
                .text(SlackRenderer.text(card)).blocks(SlackRenderer.blocks(card))));
    }

    @Override
    public String reply(ThreadRef thread, Message message, String key) {
        return call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(thread.channel()).threadTs(thread.threadTs())
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message)).unfurlLinks(false)
                .metadata(metadata(key)))).getTs();
    }

    @Override
    public String post(String channel, Message message, String key) {
        return call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(channel)
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message)).unfurlLinks(false)
                .metadata(metadata(key)))).getTs();
    }

    /** {@inheritDoc} With {@code chat.postEphemeral}; the key is not sent (ephemeral messages carry no metadata). */
    @Override
    public void postPrivate(String channel, String userId, Message message, String key) {
        call("chat.postEphemeral", () -> client.chatPostEphemeral(r -> r.channel(channel).user(userId)
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message))));
    }

    /**
     * {@inheritDoc} Reads {@code conversations.replies} of the thread, or {@code conversations.history} of the channel
     * from {@code since} on, with {@code include_all_metadata}, at most {@value #MAX_PAGES} pages, and matches the
     * metadata Paver posted with. Needs the {@code channels:history} scope (and {@code groups:history} for private
     * channels, {@code im:history} for direct messages); without it Slack answers {@code missing_scope}, which is
     * permanent.
     */
    @Override
    public Optional<String> find(String channel, String threadTs, String key, Instant since) {
        String oldest = since.getEpochSecond() + ".000000";
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String from = cursor;
            List<Posted> messages;
            String next;
            if (threadTs != null) {
                ConversationsRepliesResponse r = call("conversations.replies", () -> client.conversationsReplies(q -> q
                        .channel(channel).ts(threadTs).oldest(oldest).includeAllMetadata(true).limit(200).cursor(from)));
                messages = r.getMessages() == null ? List.of() : r.getMessages().stream().map(m -> new Posted(m.getTs(), m.getMetadata())).toList();
                next = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
            } else {
                ConversationsHistoryResponse r = call("conversations.history", () -> client.conversationsHistory(q -> q
                        .channel(channel).oldest(oldest).includeAllMetadata(true).limit(200).cursor(from)));
                messages = r.getMessages() == null ? List.of() : r.getMessages().stream().map(m -> new Posted(m.getTs(), m.getMetadata())).toList();
                next = r.getResponseMetadata() == null ? null : r.getResponseMetadata().getNextCursor();
            }
            for (Posted m : messages) {
                if (m.metadata() != null && EVENT_TYPE.equals(m.metadata().getEventType())
                        && m.metadata().getEventPayload() != null && key.equals(m.metadata().getEventPayload().get("key"))) {
                    return Optional.of(m.ts());
                }
            }
            if (next == null || next.isBlank()) {
                return Optional.empty();
            }
            cursor = next;
        }
        return Optional.empty();
    }

    /** A message read back: its {@code ts} and metadata (null when it has none). */
    private record Posted(String ts, Metadata metadata) {
    }

    @Override
    public void edit(String channel, String ts, Message message) {
        call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts)
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message))));
    }

    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    private static <T extends SlackApiTextResponse> T call(String method, Call<T> call) {
        try {
            T response = call.run();
            if (response == null) {
                throw new NotifierException("Slack " + method + " gave no response", null, false);
            }
            if (!response.isOk()) {
                String hint = switch (String.valueOf(response.getError())) {
                    case "not_in_channel" -> ": invite the Paver app to the channel";
                    case "channel_not_found" -> ": the channel does not exist or Paver cannot see it";
                    case "invalid_auth", "not_authed", "token_revoked" -> ": check paver.slack.bot-token";
                    case "missing_scope" -> ": add the scope Slack names (" + response.getNeeded() + ") to the Paver app";
                    default -> "";
                };
                throw new NotifierException("Slack " + method + " failed: " + response.getError() + hint, null,
                        !"ratelimited".equals(response.getError()) && !"fatal_error".equals(response.getError())
                                && !"internal_error".equals(response.getError()) && !"service_unavailable".equals(response.getError()));
            }
            return response;
        } catch (SlackApiException e) {
            String retry = e.getResponse() == null ? null : e.getResponse().header("Retry-After");
            throw new NotifierException("Slack " + method + " failed with HTTP " + (e.getResponse() == null ? "?" : e.getResponse().code())
                    + (retry == null ? "" : ", retry after " + Times.retryAfter(retry)), e, false);
        } catch (IOException e) {
            throw new NotifierException("Slack " + method + " could not be reached: " + e.getMessage(), e, false);
        }
    }
}

package dev.paver.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.report.Times;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

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

    @Override
    public ThreadRef postCard(String channel, Card card) {
        ChatPostMessageResponse response = call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(channel)
                .text(SlackRenderer.text(card)).blocks(SlackRenderer.blocks(card)).unfurlLinks(false)));
        return new ThreadRef(response.getChannel() == null ? channel : response.getChannel(), response.getTs(), response.getTs());
    }

    @Override
    public void updateCard(ThreadRef thread, Card card) {
        call("chat.update", () -> client.chatUpdate(r -> r.channel(thread.channel()).ts(thread.cardTs())
                .text(SlackRenderer.text(card)).blocks(SlackRenderer.blocks(card))));
    }

    @Override
    public String reply(ThreadRef thread, Message message) {
        return call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(thread.channel()).threadTs(thread.threadTs())
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message)).unfurlLinks(false))).getTs();
    }

    @Override
    public String post(String channel, Message message) {
        return call("chat.postMessage", () -> client.chatPostMessage(r -> r.channel(channel)
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message)).unfurlLinks(false))).getTs();
    }

    @Override
    public void edit(String channel, String ts, Message message) {
        call("chat.update", () -> client.chatUpdate(r -> r.channel(channel).ts(ts)
                .text(SlackRenderer.text(message)).blocks(SlackRenderer.blocks(message))));
    }

    private interface Call<T extends SlackApiTextResponse> {
        T run() throws IOException, SlackApiException;
    }

    /** The {@code Retry-After} header of an answer, or null. */
    private static Duration retryAfter(SlackApiTextResponse response) {
        Map<String, List<String>> headers = response.getHttpResponseHeaders();
        List<String> values = headers == null ? null : headers.get("retry-after");
        return values == null || values.isEmpty() ? null : SlackRateLimits.retryAfter(values.get(0));
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
                    default -> "";
                };
                throw new NotifierException("Slack " + method + " failed: " + response.getError() + hint, null,
                        !"ratelimited".equals(response.getError()) && !"fatal_error".equals(response.getError())
                                && !"internal_error".equals(response.getError()) && !"service_unavailable".equals(response.getError()),
                        "ratelimited".equals(response.getError()) ? retryAfter(response) : null);
            }
            return response;
        } catch (SlackApiException e) {
            String retry = e.getResponse() == null ? null : e.getResponse().header("Retry-After");
            throw new NotifierException("Slack " + method + " failed with HTTP " + (e.getResponse() == null ? "?" : e.getResponse().code())
                    + (retry == null ? "" : ", retry after " + Times.retryAfter(retry)), e, false, SlackRateLimits.retryAfter(retry));
        } catch (IOException e) {
            throw new NotifierException("Slack " + method + " could not be reached: " + e.getMessage(), e, false);
        }
    }
}

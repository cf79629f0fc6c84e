package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.methods.response.conversations.ConversationsRepliesResponse;
import com.slack.api.model.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fault benchmark's Slack stand-in as Slack's own Java client sees it: posts read back through
 * {@code conversations.history} and {@code conversations.replies} with metadata, {@code oldest} and cursor pages, and
 * the 429, 500 and slow faults.
 */
class FaultySlackTest {

    private static MethodsClient client(FaultySlack slack) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiUrl());
        return Slack.getInstance(config).methods("xoxb-test");
    }

    @Test
    void postsAreReadBackWithTheirMetadataThroughHistoryAndRepliesPageByPage() throws Exception {
        try (FaultySlack slack = new FaultySlack()) {
            MethodsClient api = client(slack);
            String card = api.chatPostMessage(r -> r.channel("C1").text("card").metadata(Message.Metadata.builder()
                    .eventType("paver_card").eventPayload(Map.of("run", "r1")).build())).getTs();
            List<String> replies = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                int n = i;
                replies.add(api.chatPostMessage(r -> r.channel("C1").threadTs(card).text("milestone " + n)
                        .metadata(Message.Metadata.builder().eventType("paver_milestone").eventPayload(Map.of("key", "m" + n)).build()))
                        .getTs());
            }
            String other = api.chatPostMessage(r -> r.channel("C1").text("another card")).getTs();
            api.chatUpdate(r -> r.channel("C1").ts(card).text("card, edited"));

            ConversationsHistoryResponse history = api.conversationsHistory(r -> r.channel("C1").includeAllMetadata(true));
            assertThat(history.isOk()).isTrue();
            assertThat(history.getMessages()).extracting(Message::getTs).containsExactly(other, card); // newest first, no replies
            assertThat(history.getMessages().get(1).getText()).isEqualTo("card, edited");
            assertThat(history.getMessages().get(1).getMetadata().getEventType()).isEqualTo("paver_card");
            assertThat(history.getMessages().get(1).getMetadata().getEventPayload()).containsEntry("run", "r1");
            assertThat(history.getMessages().get(1).getReplyCount()).isEqualTo(5);
            assertThat(api.conversationsHistory(r -> r.channel("C1")).getMessages().get(1).getMetadata())
                    .as("metadata without include_all_metadata").isNull();
            assertThat(api.conversationsHistory(r -> r.channel("C1").oldest(card)).getMessages()).extracting(Message::getTs)
                    .containsExactly(other);

            List<String> read = new ArrayList<>();
            String cursor = "";
            int pages = 0;
            do {
                String from = cursor;
                ConversationsRepliesResponse page = api.conversationsReplies(r -> r.channel("C1").ts(card).limit(2)
                        .cursor(from.isEmpty() ? null : from).includeAllMetadata(true));
                assertThat(page.isOk()).isTrue();
                page.getMessages().stream().filter(m -> !m.getTs().equals(card)).forEach(m -> read.add(m.getTs()));
                if (pages == 0) {
                    assertThat(page.getMessages().get(0).getTs()).as("the parent comes first").isEqualTo(card);
                }
                assertThat(page.isHasMore()).isEqualTo(page.getResponseMetadata().getNextCursor() != null
                        && !page.getResponseMetadata().getNextCursor().isEmpty());
                cursor = page.getResponseMetadata().getNextCursor() == null ? "" : page.getResponseMetadata().getNextCursor();
                pages++;
            } while (!cursor.isEmpty() && pages < 10);
            assertThat(read).containsExactlyElementsOf(replies);
            assertThat(pages).isEqualTo(3);
            ConversationsRepliesResponse after = api.conversationsReplies(r -> r.channel("C1").ts(card).oldest(replies.get(2))
                    .includeAllMetadata(true));
            assertThat(after.getMessages()).extracting(Message::getTs).containsExactly(card, replies.get(3), replies.get(4));
            assertThat(after.getMessages().get(2).getMetadata().getEventPayload()).containsEntry("key", "m5");
            assertThat(api.conversationsReplies(r -> r.channel("C1").ts("1.000001")).getError()).isEqualTo("thread_not_found");
        }
    }

    @Test
    void rateLimitedCallsAreRefusedWithRetryAfterHaveNoEffectAndLaterEarlyCallsAreMarked() throws Exception {
        try (FaultySlack slack = new FaultySlack(FaultySlack.Mode.RATE_LIMITED, 1.0, 7, 0, 1)) {
            MethodsClient api = client(slack);
            assertThatThrownBy(() -> api.chatPostMessage(r -> r.channel("C1").text("one")))
                    .isInstanceOfSatisfying(SlackApiException.class, e -> {
                        assertThat(e.getResponse().code()).isEqualTo(429);
                        assertThat(e.getResponse().header("Retry-After")).isEqualTo("7");
                    });
            assertThatThrownBy(() -> api.chatPostMessage(r -> r.channel("C1").text("two"))).isInstanceOf(SlackApiException.class);
            assertThat(slack.messages("C1")).isEmpty();
            assertThat(slack.calls().stream().filter(c -> c.method().startsWith("chat."))).extracting(c -> c.method() + " " + c.status() + (c.early() ? " early" : ""))
                    .containsExactly("chat.postMessage 429", "chat.postMessage 429 early");
            assertThat(api.authTest(r -> r).isOk()).as("auth.test is never refused").isTrue();
        }
    }

    @Test
    void serverErrorsHaveNoEffectAndSlowAnswersComeLateButTheMessageIsPostedAtOnce() throws Exception {
        try (FaultySlack failing = new FaultySlack(FaultySlack.Mode.SERVER_ERROR, 1.0, 0, 0, 1)) {
            assertThatThrownBy(() -> client(failing).chatPostMessage(r -> r.channel("C1").text("one")))
                    .isInstanceOfSatisfying(SlackApiException.class, e -> assertThat(e.getResponse().code()).isEqualTo(500));
            assertThat(failing.messages("C1")).isEmpty();
        }
        try (FaultySlack slow = new FaultySlack(FaultySlack.Mode.SLOW, 0, 0, 1, 1)) {
            long start = System.nanoTime();
            assertThat(client(slow).chatPostMessage(r -> r.channel("C1").text("one")).isOk()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
            assertThat(slow.calls().get(0).millis()).isLessThan(System.currentTimeMillis() - 900);
        }
    }
}

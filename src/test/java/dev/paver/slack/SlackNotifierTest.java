package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import dev.paver.conversation.SlackStandIn;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.ThreadRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack adapter over HTTP against a Slack stand-in: every post carries its key as message metadata, and
 * {@code find} reads it back with {@code conversations.history} and {@code conversations.replies}.
 */
class SlackNotifierTest {

    private final SlackStandIn slack = new SlackStandIn();
    private final SlackNotifier notifier;

    SlackNotifierTest() {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiUrl());
        notifier = new SlackNotifier(Slack.getInstance(config).methods("xoxb-test"));
    }

    @AfterEach
    void close() {
        slack.close();
    }

    private static Card card() {
        return new Card("create-service api", "Running", "U0DANA", List.of(), List.of(), List.of(), "");
    }

    @Test
    void everyPostCarriesItsKeyAsMessageMetadata() throws Exception {
        ThreadRef thread = notifier.postCard("C0PAYMENTS", card(), "r1/card");
        notifier.reply(thread, new Message("Merged", List.of(), List.of(), List.of()), "r1/await-merge/merged");

        List<SlackStandIn.SlackCall> posts = slack.calls("chat.postMessage");
        assertThat(posts).hasSize(2);
        Map<?, ?> metadata = new ObjectMapper().readValue(posts.get(1).param("metadata"), Map.class);
        assertThat(metadata.get("event_type")).isEqualTo("paver_post");
        assertThat(metadata.get("event_payload")).isEqualTo(Map.of("key", "r1/await-merge/merged"));
        assertThat(posts.get(1).param("thread_ts")).isEqualTo(thread.threadTs());
    }

    @Test
    void findsAPostByItsKeyInTheChannelOrTheThreadAndNothingForAKeyNeverPosted() {
        Instant before = Instant.now().minusSeconds(60);
        ThreadRef thread = notifier.postCard("C0PAYMENTS", card(), "r1/card");
        String reply = notifier.reply(thread, new Message("Merged", List.of(), List.of(), List.of()), "r1/await-merge/merged");
        notifier.postCard("C0OTHER", card(), "r2/card");

        assertThat(notifier.find("C0PAYMENTS", null, "r1/card", before)).contains(thread.cardTs());
        assertThat(notifier.find("C0PAYMENTS", thread.threadTs(), "r1/await-merge/merged", before)).contains(reply);
        assertThat(notifier.find("C0PAYMENTS", thread.threadTs(), "r1/await-sync/deployed", before)).isEmpty();
        assertThat(notifier.find("C0PAYMENTS", null, "r2/card", before)).as("another channel's card").isEmpty();
        assertThat(slack.calls("conversations.history")).allSatisfy(c -> assertThat(c.param("include_all_metadata")).isIn("true", "1"));
        assertThat(slack.calls("conversations.replies")).allSatisfy(c -> assertThat(c.param("ts")).isEqualTo(thread.threadTs()));
    }
}

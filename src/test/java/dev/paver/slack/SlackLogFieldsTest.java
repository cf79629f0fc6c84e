package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** While Bolt handles a slash command, the lines logged on its thread carry the Slack user and channel; after, not. */
class SlackLogFieldsTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void aSlashCommandTagsItsThreadWithItsUserAndChannelUntilClosed() {
        SlashCommandRequest command = new SlashCommandRequest("token=t&team_id=T0ACME&channel_id=C0PAYMENTS&user_id=U0DANA"
                + "&user_name=dana&command=%2Fplatform&text=create-service+api&trigger_id=1.2.3",
                new RequestHeaders(Map.of()));

        try (SlackLogFields tagged = SlackLogFields.of(command)) {
            assertThat(MDC.get(SlackLogFields.USER)).isEqualTo("U0DANA");
            assertThat(MDC.get(SlackLogFields.CHANNEL)).isEqualTo("C0PAYMENTS");
        }
        assertThat(MDC.get(SlackLogFields.USER)).isNull();
        assertThat(MDC.get(SlackLogFields.CHANNEL)).isNull();
    }

    @Test
    void closingGivesBackWhatTheThreadCarriedBefore() {
        MDC.put(SlackLogFields.USER, "U0ALEX");
        SlashCommandRequest command = new SlashCommandRequest("channel_id=C0PAYMENTS&user_id=U0DANA&command=%2Fplatform",
                new RequestHeaders(Map.of()));

        try (SlackLogFields tagged = SlackLogFields.of(command)) {
            assertThat(MDC.get(SlackLogFields.USER)).isEqualTo("U0DANA");
        }
        assertThat(MDC.get(SlackLogFields.USER)).isEqualTo("U0ALEX");
    }
}

package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog User a configured identity names, the other way round: what {@code notification:send} reaches. */
class SlackIdentityChatUserTest {

    @Test
    void aCatalogUserIsTheSlackUserWhoseConfiguredIdentityHasItsNameAsLocalPart() {
        SlackIdentity identities = new SlackIdentity(null, Map.of("U0DANA", "Dana@acme.com", "U0SAM", "sam",
                "U0GUEST", "guest@acme.com"));

        assertThat(identities.chatUser("dana")).contains("U0DANA");
        assertThat(identities.chatUser("sam")).contains("U0SAM");
        assertThat(identities.chatUser("guest")).contains("U0GUEST");
        assertThat(identities.chatUser("alex")).as("not configured: Slack is not asked").isEmpty();
    }
}

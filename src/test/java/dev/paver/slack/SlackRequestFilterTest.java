package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.app_backend.SlackSignature;
import dev.paver.conversation.SlackSigner;
import dev.paver.core.run.Foreground;
import dev.paver.store.JdbcSeenRequests;
import java.io.BufferedReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What reaches Bolt on {@code /slack/events}, and what is refused or ignored before it, after Slack's "Verifying
 * requests from Slack" (five minutes, one signature) and "The Events API" (retries carry {@code X-Slack-Retry-Num}).
 * The seen signatures are kept in a real {@code slack_requests} table (H2, migrated).
 */
class SlackRequestFilterTest {

    private static final String SECRET = "filter-test-signing-secret";
    private static final Instant NOW = Instant.parse("2026-03-04T09:15:00.250Z");
    /** A block action (a click on Approve): an interaction, recorded by the filter. */
    private static final String BODY = "payload=" + URLEncoder.encode("{\"type\":\"block_actions\",\"user\":{\"id\":\"U0DANA\"},"
            + "\"trigger_id\":\"1337.42.abc\",\"actions\":[{\"action_id\":\"approve\",\"value\":\"r1\"}]}", StandardCharsets.UTF_8);
    /** A slash command: recorded where its effect is stored ({@link Replays}), not by the filter. */
    private static final String COMMAND = "token=x&team_id=T0PAVER&user_id=U0DANA&command=%2Fplatform"
            + "&text=create-service+api+--system+checkout&trigger_id=1337.42.abc";

    private JdbcSeenRequests seen;
    private SlackRequestFilter filter;

    @BeforeEach
    void freshTable() {
        DriverManagerDataSource db = new DriverManagerDataSource("jdbc:h2:mem:seen-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        seen = new JdbcSeenRequests(new JdbcTemplate(db), Duration.ofMinutes(1));
        filter = new SlackRequestFilter(SECRET, seen, Clock.fixed(NOW, ZoneOffset.UTC), new Foreground(java.time.Duration.ZERO));
    }

    private static MockHttpServletRequest signedAt(Instant at, String body) {
        String timestamp = Long.toString(at.getEpochSecond());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/slack/events");
        request.setContentType("application/x-www-form-urlencoded");
        request.setCharacterEncoding("UTF-8");
        request.addHeader(SlackRequestFilter.TIMESTAMP, timestamp);
        request.addHeader(SlackRequestFilter.SIGNATURE, SlackSigner.sign(SECRET, timestamp, body));
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private record Outcome(MockHttpServletResponse response, MockFilterChain chain) {
        boolean reachedBolt() {
            return chain.getRequest() != null;
        }
    }

    private Outcome send(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Outcome(response, chain);
    }

    @Test
    void passesAFreshSignedRequestToBoltWithItsWholeBodyReadableAgain() throws Exception {
        Outcome outcome = send(signedAt(NOW, BODY));

        assertThat(outcome.reachedBolt()).isTrue();
        try (BufferedReader reader = outcome.chain().getRequest().getReader()) {
            assertThat(reader.lines().collect(Collectors.joining("\n"))).isEqualTo(BODY);
        }
        assertThat(seen.count()).isEqualTo(1);
    }

    @Test
    void refusesATimestampJustOverFiveMinutesAheadOrADayAhead() throws Exception {
        for (Instant future : new Instant[] {NOW.plusSeconds(301), NOW.plus(Duration.ofDays(1))}) {
            Outcome outcome = send(signedAt(future, BODY));

            assertThat(outcome.response().getStatus()).as("signed at %s", future).isEqualTo(401);
            assertThat(outcome.response().getContentAsString()).contains("more than five minutes ahead");
            assertThat(outcome.reachedBolt()).isFalse();
        }
        assertThat(seen.count()).isZero();
    }

    @Test
    void refusesATimestampMoreThanFiveMinutesOld() throws Exception {
        Outcome outcome = send(signedAt(NOW.minusSeconds(301), BODY));

        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentAsString()).contains("more than five minutes before");
        assertThat(outcome.reachedBolt()).isFalse();
    }

    @Test
    void acceptsTimestampsUpToFiveMinutesEitherWay() throws Exception {
        // NOW has 250 ms: a request signed 300 s before its whole second is 300.25 s old, refused as Bolt refuses it
        Instant second = NOW.minusMillis(250);
        assertThat(send(signedAt(second.plusSeconds(300), BODY)).reachedBolt()).as("five minutes ahead").isTrue();
        assertThat(send(signedAt(second.minusSeconds(299), BODY)).reachedBolt()).as("299 s old").isTrue();
        assertThat(send(signedAt(second.minusSeconds(300), BODY)).response().getStatus()).as("300.25 s old").isEqualTo(401);
    }

    @Test
    void refusesTwoSignatureHeadersEvenWhenOneIsRight() throws Exception {
        MockHttpServletRequest request = signedAt(NOW, BODY);
        request.addHeader(SlackRequestFilter.SIGNATURE, "v0=" + "0".repeat(64));

        Outcome outcome = send(request);

        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentAsString()).contains("exactly one X-Slack-Signature");
        assertThat(outcome.reachedBolt()).isFalse();
        assertThat(seen.count()).isZero();
    }

    @Test
    void refusesTwoTimestampHeadersOrNone() throws Exception {
        MockHttpServletRequest twice = signedAt(NOW, BODY);
        twice.addHeader(SlackRequestFilter.TIMESTAMP, Long.toString(NOW.getEpochSecond() + 86_400));
        MockHttpServletRequest none = new MockHttpServletRequest("POST", "/slack/events");
        none.setContent(BODY.getBytes(StandardCharsets.UTF_8));

        assertThat(send(twice).response().getStatus()).isEqualTo(401);
        assertThat(send(none).response().getStatus()).isEqualTo(401);
        assertThat(seen.count()).isZero();
    }

    @Test
    void refusesATimestampThatIsNotSeconds() throws Exception {
        MockHttpServletRequest request = signedAt(NOW, BODY);
        request.removeHeader(SlackRequestFilter.TIMESTAMP);
        request.addHeader(SlackRequestFilter.TIMESTAMP, NOW.getEpochSecond() + ".5");

        Outcome outcome = send(request);

        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentAsString()).contains("not a Unix time in seconds");
    }

    @Test
    void refusesAForgedSignatureAndDoesNotRememberIt() throws Exception {
        String timestamp = Long.toString(NOW.getEpochSecond());
        MockHttpServletRequest forged = signedAt(NOW, BODY);
        forged.removeHeader(SlackRequestFilter.SIGNATURE);
        forged.addHeader(SlackRequestFilter.SIGNATURE, new SlackSignature.Generator("another-secret").generate(timestamp, BODY));

        Outcome outcome = send(forged);

        assertThat(outcome.response().getStatus()).isEqualTo(401);
        assertThat(outcome.response().getContentAsString()).contains("signing secret");
        assertThat(outcome.reachedBolt()).isFalse();
        assertThat(seen.count()).as("nothing recorded").isZero();
        assertThat(send(signedAt(NOW, BODY)).reachedBolt()).as("the real request still goes through").isTrue();
    }

    @Test
    void refusesASignedBodyWithOneByteChanged() throws Exception {
        MockHttpServletRequest tampered = signedAt(NOW, BODY);
        tampered.setContent(BODY.replace("U0DANA", "U0DANB").getBytes(StandardCharsets.UTF_8));

        assertThat(send(tampered).response().getStatus()).isEqualTo(401);
        assertThat(seen.count()).isZero();
    }

    @Test
    void answersTheSameSignedRequestAgainWithAnEmptyOkAndDoesNotPassItOn() throws Exception {
        Outcome first = send(signedAt(NOW.minusSeconds(10), BODY));
        Outcome again = send(signedAt(NOW.minusSeconds(10), BODY));

        assertThat(first.reachedBolt()).isTrue();
        assertThat(again.response().getStatus()).isEqualTo(200);
        assertThat(again.response().getContentAsByteArray()).isEmpty();
        assertThat(again.reachedBolt()).isFalse();
        assertThat(send(signedAt(NOW.minusSeconds(9), BODY)).reachedBolt()).as("signed at another second: another request")
                .isTrue();
    }

    @Test
    void passesASignedSlashCommandOnWithoutRecordingItTheRunItStartsIsStoredWithItsSignature() throws Exception {
        Outcome first = send(signedAt(NOW, COMMAND));
        Outcome again = send(signedAt(NOW, COMMAND));

        assertThat(first.reachedBolt()).isTrue();
        assertThat(again.reachedBolt()).as("the handler finds the replay: SlashCommandHandler, RunStore").isTrue();
        assertThat(seen.count()).isZero();
        try (BufferedReader reader = again.chain().getRequest().getReader()) {
            assertThat(reader.lines().collect(Collectors.joining("\n"))).isEqualTo(COMMAND);
        }
    }

    @Test
    void stillRefusesAForgedOrOldSlashCommand() throws Exception {
        MockHttpServletRequest forged = signedAt(NOW, COMMAND);
        forged.setContent(COMMAND.replace("U0DANA", "U0DANB").getBytes(StandardCharsets.UTF_8));

        assertThat(send(forged).response().getStatus()).isEqualTo(401);
        assertThat(send(signedAt(NOW.minusSeconds(301), COMMAND)).response().getStatus()).isEqualTo(401);
    }

    @Test
    void verifiesTheBodysBytesAsSentWhateverTheirCharacters() throws Exception {
        String event = "{\"type\":\"event_callback\",\"event\":{\"type\":\"app_home_opened\",\"user\":\"U0DANA\","
                + "\"text\":\"Zoë ✓ 決済\"}}";
        String timestamp = Long.toString(NOW.getEpochSecond());
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/slack/events");
        request.setContentType("application/json");
        request.addHeader(SlackRequestFilter.TIMESTAMP, timestamp);
        request.addHeader(SlackRequestFilter.SIGNATURE, SlackSigner.sign(SECRET, timestamp, event));
        request.setContent(event.getBytes(StandardCharsets.UTF_8));

        assertThat(send(request).reachedBolt()).isTrue();
        assertThat(seen.count()).isEqualTo(1);
    }

    @Test
    void acknowledgesAnEventsApiRetryWithoutPassingItOn() throws Exception {
        MockHttpServletRequest retry = signedAt(NOW, "{\"type\":\"event_callback\",\"event_id\":\"Ev01\"}");
        retry.addHeader("X-Slack-Retry-Num", "1");
        retry.addHeader("X-Slack-Retry-Reason", "http_timeout");

        Outcome outcome = send(retry);

        assertThat(outcome.response().getStatus()).isEqualTo(200);
        assertThat(outcome.response().getContentAsByteArray()).isEmpty();
        assertThat(outcome.reachedBolt()).isFalse();
    }

    @Test
    void refusesAForgedRetry() throws Exception {
        MockHttpServletRequest retry = signedAt(NOW, BODY);
        retry.setContent("{\"type\":\"event_callback\"}".getBytes(StandardCharsets.UTF_8));
        retry.addHeader("X-Slack-Retry-Num", "1");

        assertThat(send(retry).response().getStatus()).isEqualTo(401);
    }
}

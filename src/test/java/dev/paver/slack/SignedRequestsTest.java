package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paver.conversation.SlackSigner;
import dev.paver.conversation.SlackStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.run.RunStore;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paver's {@code /slack/events} as Slack and an attacker reach it, on the running server with the Slack stand-in:
 * a signed request sent twice starts one run, a request dated more than five minutes away either way or with two
 * signature headers is refused, and an Events API retry is acknowledged without being handled again.
 */
class SignedRequestsTest {

    private static final String SECRET = "signed-requests-test-secret";
    private static final String CREATE = "/platform create-service %s --system checkout --owner team-payments";

    @TempDir
    static Path tmp;

    private static Testbed testbed;

    @BeforeAll
    static void startPaver() {
        testbed = new Testbed(tmp, false);
        testbed.property("paver.slack.signing-secret", SECRET);
        testbed.startPaver();
    }

    @AfterAll
    static void stopPaver() {
        testbed.close();
    }

    private static HttpRequest.Builder request(String body, long timestamp, String contentType) {
        String ts = Long.toString(timestamp);
        return HttpRequest.newBuilder(testbed.eventsUrl()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSigner.sign(SECRET, ts, body))
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return testbed.http().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String command(String user, String typed, String trigger) throws Exception {
        return testbed.slashCommandBody("C0SIGNED", user, user.toLowerCase(java.util.Locale.ROOT), typed, trigger);
    }

    private static List<SlackStandIn.SlackCall> cardsIn(String channel) {
        return testbed.slack().calls("chat.postMessage").stream()
                .filter(c -> c.param("thread_ts").isEmpty() && c.param("channel").equals(channel)).toList();
    }

    /** Waits up to {@code seconds} for {@code done}; false if it never came. */
    private static boolean within(int seconds, Supplier<Boolean> done) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < until) {
            if (done.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return done.get();
    }

    @Test
    void theSameSignedSlashCommandSentTwiceStartsOneRunAndPostsOneCard() throws Exception {
        HttpRequest once = request(command("U0DANA", String.format(CREATE, "replayed-api"), "trigger-replayed"), now(),
                "application/x-www-form-urlencoded").build();

        HttpResponse<String> first = send(once);
        HttpResponse<String> again = send(once);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).as("Paver's answer to the command").isNotEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).as("the replay is acknowledged with nothing").isEmpty();
        Supplier<List<SlackStandIn.SlackCall>> cards = () -> cardsIn("C0SIGNED").stream()
                .filter(c -> c.param("text").contains("replayed-api")).toList();
        assertThat(within(30, () -> !cards.get().isEmpty())).as("the run's status card is posted").isTrue();
        Thread.sleep(1500);
        assertThat(cards.get()).as("one status card").hasSize(1);
        assertThat(testbed.paver().bean(RunStore.class).recentBy("U0DANA", 10)).as("one run").hasSize(1);
    }

    @Test
    void theSameSignedSlashCommandSentTwiceAtOnceStartsOneRun() throws Exception {
        HttpRequest once = request(command("U0ZED", String.format(CREATE, "racing-api"), "trigger-racing"), now(),
                "application/x-www-form-urlencoded").build();

        var both = List.of(testbed.http().sendAsync(once, HttpResponse.BodyHandlers.ofString()),
                testbed.http().sendAsync(once, HttpResponse.BodyHandlers.ofString()));
        List<String> bodies = both.stream().map(f -> f.join().body()).toList();

        assertThat(bodies).as("one answer, one empty acknowledgement").filteredOn(String::isEmpty).hasSize(1);
        assertThat(within(30, () -> cardsIn("C0SIGNED").stream().anyMatch(c -> c.param("text").contains("racing-api"))))
                .as("the run's status card is posted").isTrue();
        assertThat(testbed.paver().bean(RunStore.class).recentBy("U0ZED", 10)).as("one run").hasSize(1);
    }

    @Test
    void theSameSignedCommandThatOpensAModalOrLooksUpTheAuditSentTwiceIsAnsweredOnce() throws Exception {
        HttpRequest modal = request(command("U0KIM", "/platform create-service", "trigger-modal-once"), now(),
                "application/x-www-form-urlencoded").build();
        HttpRequest audit = request(command("U0KIM", "/platform audit payments-dev-api", "trigger-audit-once"), now(),
                "application/x-www-form-urlencoded").build();
        Supplier<Long> modals = () -> testbed.slack().calls("views.open").stream()
                .filter(c -> c.param("trigger_id").equals("trigger-modal-once")).count();

        for (HttpRequest request : List.of(modal, modal, audit, audit)) {
            assertThat(send(request).statusCode()).isEqualTo(200);
        }

        Supplier<Long> answers = () -> testbed.slack().calls("response_url").stream()
                .filter(c -> c.param("to").equals("trigger-audit-once")).count();

        assertThat(within(20, () -> modals.get() >= 1 && answers.get() >= 1)).as("the modal opens, the audit is answered")
                .isTrue();
        Thread.sleep(1500);
        assertThat(modals.get()).as("views.open once").isEqualTo(1);
        assertThat(answers.get()).as("one audit answer").isEqualTo(1);
    }

    @Test
    void requestsDatedMoreThanFiveMinutesAwayOrWithTwoSignaturesAreRefusedAndStartNothing() throws Exception {
        // ten seconds past the window: now() is whole seconds, and the server may read its clock a second later
        long now = now();
        String typed = String.format(CREATE, "refused-api");
        List<HttpRequest> refused = List.of(
                request(command("U0EVE", typed, "trigger-future"), now + 310, "application/x-www-form-urlencoded").build(),
                request(command("U0EVE", typed, "trigger-tomorrow"), now + 86_400, "application/x-www-form-urlencoded").build(),
                request(command("U0EVE", typed, "trigger-past"), now - 310, "application/x-www-form-urlencoded").build(),
                request(command("U0EVE", typed, "trigger-two"), now, "application/x-www-form-urlencoded")
                        .header("X-Slack-Signature", "v0=" + "0".repeat(64)).build(),
                request(command("U0EVE", typed, "trigger-two-times"), now, "application/x-www-form-urlencoded")
                        .header("X-Slack-Request-Timestamp", Long.toString(now + 86_400)).build());

        for (HttpRequest request : refused) {
            HttpResponse<String> response = send(request);
            assertThat(response.statusCode()).as(request.headers().map().toString()).isEqualTo(401);
            assertThat(response.body()).containsAnyOf("five minutes", "exactly one");
        }

        Thread.sleep(1500);
        assertThat(testbed.paver().bean(RunStore.class).recentBy("U0EVE", 10)).as("no run").isEmpty();
        assertThat(testbed.slack().calls("chat.postMessage").stream().filter(c -> c.param("text").contains("refused-api")))
                .as("nothing posted").isEmpty();
    }

    @Test
    void requestsSignedUpToFourMinutesAwayEitherWayAreAnswered() throws Exception {
        for (long offset : new long[] {-240, 240}) {
            HttpResponse<String> response = send(request(command("U0OMAR", "/platform help", "trigger-help" + offset),
                    now() + offset, "application/x-www-form-urlencoded").build());

            assertThat(response.statusCode()).as("signed %d s from now", offset).isEqualTo(200);
            assertThat(response.body()).as("the help text").isNotEmpty();
        }
    }

    @Test
    void anEventsApiRetryIsAcknowledgedAndNotHandledAgain() throws Exception {
        ObjectNode event = (ObjectNode) Testbed.fixture("java-sdk-AppHomeOpenedPayload.json");
        event.put("type", "event_callback").put("team_id", "T0PAVERDEMO").put("api_app_id", "A0PAVER")
                .put("event_id", "Ev0RETRY").put("event_time", now());
        ((ObjectNode) event.path("event")).put("user", "U0RETRY").put("tab", "home").put("channel", "D0U0RETRY")
                .put("event_ts", now() + ".000100").remove("view");
        String json = event.toString();
        Supplier<Boolean> published = () -> testbed.slack().calls("views.publish").stream()
                .anyMatch(c -> c.param("user_id").equals("U0RETRY"));

        HttpResponse<String> retry = send(request(json, now(), "application/json")
                .header("X-Slack-Retry-Num", "1").header("X-Slack-Retry-Reason", "http_timeout").build());

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEmpty();
        assertThat(within(2, published)).as("the retried event is not handled").isFalse();
        assertThat(send(request(json, now() - 1, "application/json").build()).statusCode()).isEqualTo(200);
        assertThat(within(20, published)).as("the same event, delivered as a first attempt, is handled").isTrue();
    }
}

package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.slack.api.SlackConfig;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.paver.config.PaverProperties;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.Notifier.NotifierException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Paver's Web API calls against a Slack stand-in on loopback that answers {@code 429}, 500 or slowly, as Slack may:
 * what the stand-in sees (when each call arrived) is what Slack would see.
 */
class SlackRateLimitsTest {

    private static final Message HELLO = new Message("hello", List.of());

    private final RateLimitedSlack slack = new RateLimitedSlack();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        callers.awaitTermination(10, TimeUnit.SECONDS);
        slack.close();
    }

    @Test
    void aMethodAnsweredWithRetryAfterIsNotCalledAgainBeforeItPassedAndThenSucceeds() throws Exception {
        slack.answer((method, params, n) -> method.equals("chat.update") && n == 1 ? Answer.rateLimited(2) : null);
        Notifier notifier = notifier(SlackRateLimits.Limits.slacks());

        Future<?> first = callers.submit(() -> notifier.edit("C0PAY", "1.000100", HELLO));
        slack.awaitCalls("chat.update", 1);
        Thread.sleep(300); // the 429 has reached Paver
        Future<?> second = callers.submit(() -> notifier.edit("C0PAY", "2.000100", HELLO));
        first.get(10, TimeUnit.SECONDS);
        second.get(10, TimeUnit.SECONDS);

        List<Hit> updates = slack.hits("chat.update");
        assertThat(updates).hasSize(3);
        long refusedAt = updates.get(0).atNanos();
        assertThat(updates.subList(1, 3)).allSatisfy(hit -> assertThat(Duration.ofNanos(hit.atNanos() - refusedAt))
                .as("sent again after Retry-After: 2").isGreaterThanOrEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void aRetryAfterLongerThanTheCallMayWaitFailsAsRetryableWithoutCallingSlackEarly() {
        slack.answer((method, params, n) -> method.equals("chat.update") ? Answer.rateLimited(5) : null);
        Notifier notifier = notifier(new SlackRateLimits.Limits(1, 2, 1, Duration.ofSeconds(1), 3));

        long start = System.nanoTime();
        NotifierException refused = catchThrowableOfType(NotifierException.class, () -> notifier.edit("C0PAY", "1.000100", HELLO));
        NotifierException held = catchThrowableOfType(NotifierException.class, () -> notifier.edit("C0PAY", "2.000100", HELLO));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(refused.permanent()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(refused.getMessage()).contains("chat.update", "429");
        assertThat(held.permanent()).isFalse();
        assertThat(held.retryAfter()).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(5));
        assertThat(slack.hits("chat.update")).as("the second edit waits for Retry-After instead of being sent").hasSize(1);
    }

    @Test
    void anHttp500IsSentAgainAndTheCallSucceeds() {
        slack.answer((method, params, n) -> method.equals("chat.update") && n == 1 ? new Answer(500, null, "oops", 0) : null);

        notifier(SlackRateLimits.Limits.slacks()).edit("C0PAY", "1.000100", HELLO);

        List<Hit> edits = slack.hits("chat.update");
        assertThat(edits).hasSize(2);
        assertThat(Duration.ofNanos(edits.get(1).atNanos() - edits.get(0).atNanos())).isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aNewMessageAnswered500IsNotSentAgainHereSlackMayHavePostedItAlready() {
        slack.answer((method, params, n) -> method.equals("chat.postMessage") && n == 1 ? new Answer(500, null, "oops", 0) : null);

        NotifierException failed = catchThrowableOfType(NotifierException.class,
                () -> notifier(SlackRateLimits.Limits.slacks()).post("C0PAY", HELLO, "test/C0PAY"));

        assertThat(failed.permanent()).as("the caller tries again, after looking for it by its key").isFalse();
        assertThat(slack.hits("chat.postMessage")).hasSize(1);
    }

    @Test
    void slacksInternalErrorIsSentAgainButAPermanentRefusalIsNot() {
        slack.answer((method, params, n) -> {
            if (method.equals("chat.update") && n == 1) {
                return new Answer(200, null, "{\"ok\":false,\"error\":\"internal_error\"}", 0);
            }
            return method.equals("chat.postMessage") ? new Answer(200, null, "{\"ok\":false,\"error\":\"not_in_channel\"}", 0) : null;
        });
        Notifier notifier = notifier(SlackRateLimits.Limits.slacks());

        notifier.edit("C0PAY", "1.000100", HELLO);
        NotifierException refused = catchThrowableOfType(NotifierException.class, () -> notifier.post("C0PAY", HELLO, "test/C0PAY"));

        assertThat(slack.hits("chat.update")).hasSize(2);
        assertThat(refused.permanent()).isTrue();
        assertThat(slack.hits("chat.postMessage")).hasSize(1);
    }

    @Test
    void messagesIntoOneChannelArePacedToAboutOneASecond() throws Exception {
        // Slack's figures, but a call waits at most 5 s: the stand-in sees the first seconds of the burst
        Notifier notifier = notifier(new SlackRateLimits.Limits(1, 2, 1, Duration.ofSeconds(5), 3));
        List<Future<String>> posts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            posts.add(callers.submit(() -> notifier.post("C0PAY", HELLO, "test/C0PAY")));
        }
        int posted = 0;
        for (Future<String> post : posts) {
            try {
                post.get(15, TimeUnit.SECONDS);
                posted++;
            } catch (java.util.concurrent.ExecutionException e) {
                NotifierException held = (NotifierException) e.getCause();
                assertThat(held.permanent()).isFalse();
                assertThat(held.retryAfter()).isPositive();
            }
        }

        List<Long> arrivals = slack.hits("chat.postMessage").stream().map(Hit::atNanos).sorted().toList();
        assertThat(arrivals).hasSize(posted);
        assertThat(posted).as("two every two seconds for 5 s").isBetween(5, 7);
        assertThat(peak(arrivals, Duration.ofSeconds(1))).as("most messages in any second").isLessThanOrEqualTo(2);
        assertThat(Duration.ofNanos(arrivals.get(posted - 1) - arrivals.get(0))).as("one a second on average")
                .isGreaterThan(Duration.ofMillis((posted - 2) * 1000L - 300));
        System.out.printf("30 posts into one channel from 8 threads: %d sent in %d ms, peak %d per second%n", posted,
                (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1_000_000, peak(arrivals, Duration.ofSeconds(1)));
    }

    @Test
    void twoChannelsAreNotPacedAgainstEachOther() throws Exception {
        Notifier notifier = notifier(SlackRateLimits.Limits.slacks());
        List<Future<String>> busy = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            busy.add(callers.submit(() -> notifier.post("C0BUSY", HELLO, "test/C0BUSY")));
        }
        slack.awaitCalls("chat.postMessage", 2);

        long start = System.nanoTime();
        notifier.post("C0QUIET", HELLO, "test/C0QUIET");
        notifier.post("C0QUIET", HELLO, "test/C0QUIET");
        Duration quiet = Duration.ofNanos(System.nanoTime() - start);

        assertThat(quiet).as("two messages into a quiet channel while a busy one waits its turn").isLessThan(Duration.ofMillis(500));
        for (Future<String> post : busy) {
            post.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void slowAnswersInOneChannelDoNotDelayAnother() throws Exception {
        slack.answer((method, params, n) -> method.equals("chat.postMessage") && params.get("channel").equals("C0SLOW")
                ? Answer.ok(method, params, 4000) : null);
        Notifier notifier = notifier(SlackRateLimits.Limits.slacks());
        List<Future<String>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(callers.submit(() -> notifier.post("C0SLOW", HELLO, "test/C0SLOW")));
        }
        slack.awaitCalls("chat.postMessage", 2);

        long start = System.nanoTime();
        notifier.post("C0FAST", HELLO, "test/C0FAST");
        notifier.edit("C0FAST", "1.000100", HELLO);
        Duration fast = Duration.ofNanos(System.nanoTime() - start);

        assertThat(fast).as("a post and an edit elsewhere while Slack takes 4 s to answer in another channel")
                .isLessThan(Duration.ofSeconds(1));
        for (Future<String> post : slow) {
            post.get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        assertThat(SlackRateLimits.retryAfter("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(SlackRateLimits.retryAfter(" 30 ")).isEqualTo(Duration.ofSeconds(30));
        assertThat(SlackRateLimits.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(SlackRateLimits.retryAfter("soon")).isNull();
        assertThat(SlackRateLimits.retryAfter(null)).isNull();
    }

    @Test
    void slacksPublishedFiguresAreTheDefaultAndImpossibleFiguresAreRefusedByName() {
        assertThat(SlackConfiguration.limits(settings(Map.of()))).isEqualTo(SlackRateLimits.Limits.slacks());
        assertThat(SlackConfiguration.limits(settings(Map.of("paver.slack.rate-limits.channel-messages-per-second", "100",
                "paver.slack.rate-limits.max-wait", "10s")))).isEqualTo(new SlackRateLimits.Limits(100, 2, 1, Duration.ofSeconds(10), 3));
        assertThatThrownBy(() -> SlackConfiguration.limits(settings(Map.of("paver.slack.rate-limits.channel-burst", "0"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel-burst");
    }

    private static PaverProperties.RateLimits settings(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("paver", PaverProperties.class).slack().rateLimits();
    }

    /** The most arrivals within any window of {@code width} that starts at an arrival. */
    private static int peak(List<Long> sortedNanos, Duration width) {
        int peak = 0;
        for (int i = 0, j = 0; i < sortedNanos.size(); i++) {
            while (j < sortedNanos.size() && sortedNanos.get(j) - sortedNanos.get(i) < width.toNanos()) {
                j++;
            }
            peak = Math.max(peak, j - i);
        }
        return peak;
    }

    private Notifier notifier(SlackRateLimits.Limits limits) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(slack.apiUrl());
        config.setPrettyResponseLoggingEnabled(false);
        return new SlackNotifier(SlackRateLimits.slack(config, limits).methods("xoxb-rate-limits-test"));
    }

    /** One call the stand-in received. */
    record Hit(String method, String channel, long atNanos) {
    }

    /** What the stand-in answers; {@code delayMillis} before the answer. */
    record Answer(int status, String retryAfter, String body, long delayMillis) {
        static Answer rateLimited(int seconds) {
            return new Answer(429, Integer.toString(seconds), "{\"ok\":false,\"error\":\"ratelimited\"}", 0);
        }

        static Answer ok(String method, Map<String, String> params, long delayMillis) {
            return new Answer(200, null, switch (method) {
                case "auth.test" -> "{\"ok\":true,\"team_id\":\"T0ACME\",\"user_id\":\"U0PAVER\",\"bot_id\":\"B0PAVER\"}";
                case "chat.postMessage", "chat.update" -> "{\"ok\":true,\"channel\":\"" + params.getOrDefault("channel", "")
                        + "\",\"ts\":\"" + System.nanoTime() / 1000 + ".000100\"}";
                default -> "{\"ok\":true}";
            }, delayMillis);
        }
    }

    /** Decides an answer for the {@code n}th call (from 1) of {@code method}; null: the usual success. */
    interface Script {
        Answer answer(String method, Map<String, String> params, int n);
    }

    /** Slack's Web API on loopback, with a script for 429s, errors and slow answers. */
    static final class RateLimitedSlack implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService workers = Executors.newFixedThreadPool(16);
        private final List<Hit> hits = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private volatile Script script = (method, params, n) -> null;

        RateLimitedSlack() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(workers);
            server.createContext("/api/", this::handle);
            server.start();
        }

        String apiUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
        }

        void answer(Script script) {
            this.script = script;
        }

        List<Hit> hits(String method) {
            return hits.stream().filter(h -> h.method().equals(method)).toList();
        }

        void awaitCalls(String method, int n) throws InterruptedException {
            for (int i = 0; i < 500 && hits(method).size() < n; i++) {
                Thread.sleep(10);
            }
            assertThat(hits(method)).hasSizeGreaterThanOrEqualTo(n);
        }

        private void handle(HttpExchange exchange) throws IOException {
            long at = System.nanoTime();
            String method = exchange.getRequestURI().getPath().substring("/api/".length());
            Map<String, String> params = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            hits.add(new Hit(method, params.getOrDefault("channel", ""), at));
            int n = counts.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            Answer answer = script.answer(method, params, n);
            if (answer == null) {
                answer = Answer.ok(method, params, 0);
            }
            try {
                Thread.sleep(answer.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (answer.retryAfter() != null) {
                exchange.getResponseHeaders().set("Retry-After", answer.retryAfter());
            }
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private static Map<String, String> form(String body) {
            Map<String, String> params = new LinkedHashMap<>();
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            return params;
        }

        @Override
        public void close() {
            server.stop(0);
            workers.shutdownNow();
        }
    }
}

package dev.paver.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.Methods;
import com.slack.api.methods.MethodsRateLimitTier;
import com.slack.api.methods.MethodsRateLimits;
import com.slack.api.util.http.SlackHttpClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.FormBody;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every Web API call Paver makes within Slack's rate limits ("Rate limits", docs.slack.dev/apis/web-api/rate-limits):
 * an OkHttp interceptor on the one HTTP client that the {@code Slack} instance, and so every {@code MethodsClient}
 * (the notifier, the directory, the identities and Bolt's {@code ctx.client()}), shares.
 * <ul>
 *   <li><b>Pacing.</b> Per lane, at most N calls in any window, N/rate long: {@code chat.postMessage} per channel
 *       ("1 per second, short bursts &gt;1 allowed": {@link Limits#channelBurst()} N, 2 by default, at
 *       {@link Limits#channelMessagesPerSecond()}, so 2 messages in any 2 s), every other method per method at its
 *       tier as the Slack SDK's {@link MethodsRateLimits} table gives it (Tier 1 1/min, Tier 2 20/min, Tier 3 50/min
 *       such as {@code chat.update}, Tier 4 100/min, times {@link Limits#methodRateFactor()}) with N a twentieth of
 *       a minute's calls (Tier 3: 3 in any 3.6 s). A caller takes the next free slot of its lane, in the order
 *       callers came, and sleeps until then; lanes never wait on each other, and no lock is held while a call is
 *       under way, so a slow answer in one channel delays no other channel.</li>
 *   <li><b>{@code Retry-After}.</b> A {@code 429} closes its lane until {@code Retry-After} has passed: no call of
 *       that method (of {@code chat.postMessage} into that channel) is sent before; the call is then sent again.</li>
 *   <li><b>Transient failures.</b> HTTP 5xx and {@code ok:false} with {@code internal_error}, {@code fatal_error} or
 *       {@code service_unavailable} are sent again after 0.5 s, 1 s, 2 s... ({@link Limits#retries()} times), except
 *       for the methods that post something new ({@code chat.postMessage}, {@code views.open}...): Slack may have
 *       posted it all the same, so the caller decides (it looks for the message by its key first).</li>
 *   <li><b>Bounded.</b> A call waits at most {@link Limits#maxWait()} in all. When its slot or the end of a
 *       {@code Retry-After} lies further away, nothing is sent and the caller gets a {@code 429} with the remaining
 *       {@code Retry-After} (the client raises {@code SlackApiException}; the notifier turns it into a retryable
 *       {@code NotifierException} carrying {@code retryAfter()}); after the last retry the last answer is returned.</li>
 * </ul>
 * Calls to response URLs and anything outside {@code apiUrl} pass through untouched.
 *
 * <p>What the caller gets back is counted in {@value #CALLS} (tags {@code method}, e.g. {@code chat.postMessage}, and
 * {@code outcome}: {@code ok}, {@code rate_limited} for a {@code 429} or {@code ratelimited}, {@code error} for any
 * other failure), once per call however often it was sent, and Slack's verdict on the token goes to the
 * {@link SlackConnection}.
 *
 * <p>Why not the SDK's own {@code AsyncMethodsClient} (slack-api-client 1.47.0, {@code AsyncRateLimitExecutor},
 * {@code AsyncRateLimitQueue}, {@code WaitTimeCalculator}): it queues calls in one FIFO per method name, so
 * {@code chat.postMessage} into a quiet channel waits behind the head of a busy one; its pace is a heuristic on the
 * last minute's count that lets about a tenth of a minute's calls (6 posts into one channel) go at once before it
 * slows down; it re-sends after {@code 429} without a bound, and retries neither 5xx nor {@code internal_error};
 * every waiting call holds a thread of a five-thread pool per workspace and polls every 10 ms; and it covers only
 * the async client, not the synchronous {@code MethodsClient} that Bolt's handlers use. The synchronous client only
 * records statistics. Measured against the stand-in of {@code SlackRateLimitsTest}: 30 posts into one channel went
 * in bursts of 5 to 7 every 3 s (7 in one second), and a post into a quiet channel asked meanwhile took 12 s. What
 * Paver takes from the SDK is the per-method tier table, which Slack keeps current.
 */
public final class SlackRateLimits implements Interceptor {

    /** Web API calls by method and outcome. */
    public static final String CALLS = "paver.slack.calls";

    private static final Logger LOG = LoggerFactory.getLogger(SlackRateLimits.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TRANSIENT_ERRORS = Set.of("internal_error", "fatal_error", "service_unavailable");
    /**
     * Methods that make something new: after a 5xx or an {@code internal_error} Slack may have made it all the same
     * ("Errors", docs.slack.dev), so the failure goes back to the caller, which looks for the message by its key
     * before it posts again ({@code OnceNotifier}); a {@code 429} was refused whole and is sent again.
     */
    private static final Set<String> NOT_SENT_AGAIN = Set.of("chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage",
            "views.open", "conversations.open");
    /** A modal's trigger_id expires 3 s after the click ("Modals", docs.slack.dev): views.open waits no longer than this. */
    private static final Duration VIEWS_OPEN_MAX_WAIT = Duration.ofMillis(2500);
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final Duration UNKNOWN_RETRY_AFTER = Duration.ofSeconds(1);

    /**
     * @param channelMessagesPerSecond {@code chat.postMessage} calls per second into one channel, Slack's 1 by default
     * @param channelBurst             how many of them may go at once: at most this many in any
     *                                 {@code channelBurst / channelMessagesPerSecond} seconds, default 2
     * @param methodRateFactor         multiplies every other method's tier rate, default 1 (Slack's published figures;
     *                                 more only against a stand-in or with limits Slack granted)
     * @param maxWait                  the longest one call waits for its slot, a {@code Retry-After} and retries, default 60s
     * @param retries                  how often a 5xx or an {@code internal_error} is sent again, default 3
     */
    public record Limits(double channelMessagesPerSecond, int channelBurst, double methodRateFactor, Duration maxWait,
                         int retries) {
        /** Checks the figures: rates above zero, a burst of at least one, a wait and retries not negative. */
        public Limits {
            if (!(channelMessagesPerSecond > 0) || channelBurst < 1 || !(methodRateFactor > 0) || maxWait == null
                    || maxWait.isNegative() || retries < 0) {
                throw new IllegalArgumentException("paver.slack.rate-limits: channel-messages-per-second and method-rate-factor"
                        + " must be above 0, channel-burst at least 1, max-wait and retries not negative; got channel-messages-per-second="
                        + channelMessagesPerSecond + ", channel-burst=" + channelBurst + ", method-rate-factor=" + methodRateFactor
                        + ", max-wait=" + maxWait + ", retries=" + retries);
            }
        }

        /** Slack's figures: 1 message a second per channel with a burst of 2, tiers as published, 60 s, 3 retries. */
        public static Limits slacks() {
            return new Limits(1, 2, 1, Duration.ofSeconds(60), 3);
        }
    }

    private final String apiPrefix;
    private final Limits limits;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private final SlackConnection connection;

    /**
     * Without metrics and with a connection nobody reads.
     *
     * @param apiUrl the Web API base URL ({@code https://slack.com/api/}); only calls under it are paced
     * @param limits the rates, the bound on waiting and the retries
     */
    public SlackRateLimits(String apiUrl, Limits limits) {
        this(apiUrl, limits, new CompositeMeterRegistry(), new SlackConnection());
    }

    /**
     * @param apiUrl     the Web API base URL ({@code https://slack.com/api/}); only calls under it are paced
     * @param limits     the rates, the bound on waiting and the retries
     * @param registry   where {@value #CALLS} is counted
     * @param connection told Slack's verdict on the token
     */
    public SlackRateLimits(String apiUrl, Limits limits, MeterRegistry registry, SlackConnection connection) {
        this.apiPrefix = apiUrl.endsWith("/") ? apiUrl : apiUrl + "/";
        this.limits = limits;
        this.registry = registry;
        this.connection = connection;
    }

    /**
     * A {@code Slack} on {@code config} whose HTTP client (the SDK's own, as {@code Slack.getInstance(config)} builds
     * it: timeouts, proxy, user agent) goes through these limits; set the methods URL prefix on {@code config} first.
     */
    public static Slack slack(SlackConfig config, Limits limits) {
        return slack(config, limits, new CompositeMeterRegistry(), new SlackConnection());
    }

    /** As {@link #slack(SlackConfig, Limits)}, counting calls in {@code registry} and telling {@code connection}. */
    public static Slack slack(SlackConfig config, Limits limits, MeterRegistry registry, SlackConnection connection) {
        SlackRateLimits rateLimits = new SlackRateLimits(config.getMethodsEndpointUrlPrefix(), limits, registry, connection);
        OkHttpClient http = SlackHttpClient.buildOkHttpClient(config).newBuilder().addInterceptor(rateLimits).build();
        return Slack.getInstance(config, new SlackHttpClient(http));
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        String url = request.url().toString();
        if (!url.startsWith(apiPrefix)) {
            return chain.proceed(request);
        }
        String method = url.substring(apiPrefix.length()).replaceFirst("[?#].*$", "");
        Answer answer;
        try {
            answer = paced(chain, request, method);
        } catch (IOException | RuntimeException e) {
            count(method, "error");
            throw e;
        }
        count(method, answer.error() == null ? "ok" : answer.error().equals(RATELIMITED) ? "rate_limited" : "error");
        connection.answered(method, answer.error());
        return answer.response();
    }

    /** What a call got: the response, and Slack's error code, {@code http_<status>}, or null for {@code ok: true}. */
    private record Answer(Response response, String error) {
    }

    /** Slack's error code of a {@code 429}. */
    private static final String RATELIMITED = "ratelimited";

    private void count(String method, String outcome) {
        Counter.builder(CALLS).description("Slack Web API calls by method and outcome").tag("method", method)
                .tag("outcome", outcome).register(registry).increment();
    }

    private Answer paced(Chain chain, Request request, String method) throws IOException {
        Lane lane = lane(method, request);
        Duration maxWait = method.equals("views.open") && limits.maxWait().compareTo(VIEWS_OPEN_MAX_WAIT) > 0
                ? VIEWS_OPEN_MAX_WAIT : limits.maxWait();
        long deadline = System.nanoTime() + maxWait.toNanos();
        int failures = 0;
        while (true) {
            long now = System.nanoTime();
            long slot = lane.reserve(now);
            if (slot > deadline) {
                lane.release(slot);
                return new Answer(heldBack(request, method, Duration.ofNanos(slot - now)), RATELIMITED);
            }
            if (slot > now && LOG.isDebugEnabled()) {
                LOG.debug("Slack {} waits {} ms for its turn", method, (slot - now) / 1_000_000);
            }
            sleepUntil(slot);
            if (lane.closedAfter(System.nanoTime())) {
                lane.release(slot); // a 429 for this lane arrived while this call waited: take a new slot after it
                continue;
            }
            Response response = chain.proceed(request);
            if (response.code() == 429) {
                Duration retryAfter = retryAfter(response.header("Retry-After"));
                Duration wait = retryAfter == null || retryAfter.isZero() ? UNKNOWN_RETRY_AFTER : retryAfter;
                lane.close(System.nanoTime() + wait.toNanos());
                LOG.warn("Slack {} answered 429, Retry-After {}", method, response.header("Retry-After"));
                if (System.nanoTime() + wait.toNanos() > deadline) {
                    return new Answer(response, RATELIMITED);
                }
                response.close();
                continue;
            }
            String error = error(response);
            boolean transientFailure = response.code() >= 500 || error != null && TRANSIENT_ERRORS.contains(error);
            if (!transientFailure || failures >= limits.retries() || NOT_SENT_AGAIN.contains(method)) {
                return new Answer(response, error);
            }
            long backoff = TimeUnit.MILLISECONDS.toNanos(FIRST_BACKOFF_MILLIS << Math.min(failures, 10));
            Duration retryAfter = response.code() >= 500 ? retryAfter(response.header("Retry-After")) : null;
            long resendAt = System.nanoTime() + (retryAfter == null ? backoff : retryAfter.toNanos());
            if (resendAt > deadline) {
                return new Answer(response, error);
            }
            LOG.warn("Slack {} failed ({}), sending it again", method, response.code() >= 500 ? "HTTP " + response.code() : "ok:false");
            failures++;
            response.close();
            sleepUntil(resendAt);
        }
    }

    /**
     * An HTTP {@code Retry-After} value (RFC 9110, section 10.2.3): a number of seconds, or an HTTP date; null when
     * absent or unreadable. A date in the past is zero.
     */
    public static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }

    private Lane lane(String method, Request request) {
        if (Methods.CHAT_POST_MESSAGE.equals(method)) {
            String channel = request.body() instanceof FormBody form ? param(form, "channel") : "";
            return lanes.computeIfAbsent(method + " " + channel, k -> Lane.of(limits.channelBurst(), limits.channelMessagesPerSecond()));
        }
        return lanes.computeIfAbsent(method, k -> {
            MethodsRateLimitTier tier = MethodsRateLimits.lookupRateLimitTier(method);
            if (tier == null) {
                return Lane.unpaced(); // no published tier: only Retry-After applies
            }
            int perMinute = MethodsRateLimitTier.getAllowedRequestsPerMinute(tier);
            return Lane.of(Math.max(1, (perMinute + 19) / 20), perMinute * limits.methodRateFactor() / 60.0);
        });
    }

    private static String param(FormBody form, String name) {
        for (int i = 0; i < form.size(); i++) {
            if (form.name(i).equals(name)) {
                return form.value(i);
            }
        }
        return "";
    }

    /**
     * Slack's error code of an answer ({@code ok: false}, {@code error}), {@code http_<status>} for an HTTP failure,
     * {@code ratelimited} for a {@code 429}, or null for success.
     */
    private static String error(Response response) throws IOException {
        if (response.code() == 429) {
            return RATELIMITED;
        }
        if (!response.isSuccessful()) {
            return "http_" + response.code();
        }
        String body = response.peekBody(64 * 1024).string();
        if (!body.contains("\"ok\":false") && !body.contains("\"ok\": false")) {
            return null;
        }
        try {
            String error = JSON.readTree(body).path("error").asText();
            return error.isEmpty() ? "unknown" : error;
        } catch (IOException notJson) {
            return "unknown";
        }
    }

    private static Response heldBack(Request request, String method, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        LOG.warn("Slack {} held back: its next slot is {} s away, more than paver.slack.rate-limits.max-wait", method, seconds);
        return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(429)
                .message("Too Many Requests (held back by Paver until Slack's rate limit allows it)")
                .header("Retry-After", Long.toString(seconds))
                .body(ResponseBody.create("{\"ok\":false,\"error\":\"ratelimited\"}", MediaType.get("application/json; charset=utf-8")))
                .build();
    }

    private static void sleepUntil(long nanos) throws InterruptedIOException {
        long left = nanos - System.nanoTime();
        if (left <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for Slack's rate limit");
        }
    }

    /**
     * One lane: at most {@code calls} calls in any {@code windowNanos} (a sliding window over the slots given out, so
     * {@code calls} may go at once and the lane then averages {@code calls / window}), and the end of its latest
     * {@code Retry-After}. Slots are given out in order: callers are served in the order they came.
     */
    private static final class Lane {
        private final int calls;
        private final long windowNanos;
        private final ArrayDeque<Long> slots = new ArrayDeque<>();
        private long closedUntil = Long.MIN_VALUE;

        /** A lane without a pace: only {@code Retry-After} holds it. */
        static Lane unpaced() {
            return new Lane(Integer.MAX_VALUE, 0);
        }

        /** {@code calls} at once, {@code perSecond} on average. */
        static Lane of(int calls, double perSecond) {
            return new Lane(calls, (long) (calls / perSecond * 1_000_000_000L));
        }

        private Lane(int calls, long windowNanos) {
            this.calls = calls;
            this.windowNanos = windowNanos;
        }

        /** Takes the next slot at or after {@code now}, after the lane reopens; returns it ({@link System#nanoTime()}). */
        synchronized long reserve(long now) {
            while (!slots.isEmpty() && slots.peekFirst() <= now - windowNanos) {
                slots.pollFirst(); // out of every window from now on
            }
            long slot = Math.max(now, closedUntil);
            if (!slots.isEmpty()) {
                slot = Math.max(slot, slots.peekLast());
            }
            if (slots.size() >= calls) {
                Iterator<Long> latest = slots.descendingIterator();
                long nth = 0;
                for (int i = 0; i < calls; i++) {
                    nth = latest.next();
                }
                slot = Math.max(slot, nth + windowNanos); // the calls-th latest slot has left the window
            }
            slots.addLast(slot);
            return slot;
        }

        /** Gives back a slot that was not used, when no later one was given out since (else it stays taken). */
        synchronized void release(long slot) {
            if (!slots.isEmpty() && slots.peekLast() == slot) {
                slots.pollLast();
            }
        }

        /** A {@code 429}: nothing goes before {@code until}. */
        synchronized void close(long until) {
            closedUntil = Math.max(closedUntil, until);
        }

        synchronized boolean closedAfter(long now) {
            return closedUntil > now;
        }
    }
}

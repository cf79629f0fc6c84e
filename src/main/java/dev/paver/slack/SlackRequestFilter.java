package dev.paver.slack;

import com.slack.api.app_backend.SlackSignature;
import com.slack.api.bolt.util.QueryStringParser;
import jakarta.servlet.FilterChain;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import dev.paver.core.run.Foreground;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks every request to {@code /slack/events} passes before Bolt sees it (HTTP mode), after Slack's "Verifying
 * requests from Slack" (docs.slack.dev/authentication/verifying-requests-from-slack) and "The Events API"
 * (docs.slack.dev/apis/events-api, retries). In this order:
 * <ol>
 *   <li>exactly one {@code X-Slack-Signature} and one {@code X-Slack-Request-Timestamp} header, else 401;</li>
 *   <li>the timestamp (Unix seconds) at most {@link Replays#WINDOW five minutes} from now, in the past or the future,
 *       else 401;</li>
 *   <li>the signature is Slack's ({@code v0=} + hex HMAC-SHA256 of {@code v0:<timestamp>:<body>} with the signing
 *       secret, over the body's bytes as received), else 401;</li>
 *   <li>a request carrying {@code X-Slack-Retry-Num} (Slack delivering an event again) is answered 200 with an
 *       empty body and not handled again;</li>
 *   <li>the signature is recorded ({@link Replays}); if it was recorded before, the request is a replay and is
 *       answered 200 with an empty body, without a second effect. A slash command (a form body with a {@code command}
 *       field) is not recorded here but where its effect is stored, so that its acknowledgement waits for one database
 *       write, not two ({@link Replays} says where).</li>
 * </ol>
 * Refusals are answered {@code text/plain} with a short reason. Only a verified signature is recorded, so that
 * nobody without the secret can fill the table. Then Bolt gets the request, with the body it can read again, and
 * does not check it again ({@link SlackConfiguration} turns its request verification off: it would hash the body
 * re-encoded in the JVM's default charset). A request body is never logged.
 */
public final class SlackRequestFilter extends HttpFilter {

    static final String SIGNATURE = SlackSignature.HeaderNames.X_SLACK_SIGNATURE;
    static final String TIMESTAMP = SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP;
    static final String RETRY_NUM = "X-Slack-Retry-Num";
    static final String RETRY_REASON = "X-Slack-Retry-Reason";

    private static final Logger LOG = LoggerFactory.getLogger(SlackRequestFilter.class);
    private static final String HMAC = "HmacSHA256";
    private static final Pattern RETRY_WORD = Pattern.compile("[0-9A-Za-z_]{1,40}");

    /** HMAC-SHA256 keyed with the signing secret, cloned for each request; null when there is no secret. */
    private final Mac signer;
    private final Replays replays;
    private final Clock clock;
    private final Foreground foreground;
    /** The time to the answer of each outcome (registered once, not looked up again for each request). */
    private final Timer acknowledged;
    private final Timer refused;
    private final Timer error;

    /** How long a POST to {@code /slack/events} took to be answered, by outcome: Slack waits 3 s for it. */
    public static final String ACK = "paver.slack.events.ack";
    private static final Duration[] ACK_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(5)};

    /** As {@link #SlackRequestFilter(String, SeenRequests, Clock, Foreground, MeterRegistry)}, without metrics. */
    public SlackRequestFilter(String signingSecret, SeenRequests seen, Clock clock, Foreground foreground) {
        this(signingSecret, seen, clock, foreground, new CompositeMeterRegistry());
    }

    /**
     * @param signingSecret the Slack app's signing secret; null refuses every request (Paver's HTTP mode is off then)
     * @param seen          where verified signatures are recorded
     * @param clock         the wall clock Slack's timestamps are compared with ({@code Clock.systemUTC()} in production;
     *                      not Paver's run clock, which tests move forward)
     * @param foreground    marked while each request is handled, so that runs leave the processors to it
     * @param registry      where each POST's time to its answer is recorded ({@value #ACK}, tag {@code outcome}:
     *                      {@code acknowledged} for 2xx, {@code refused} for 4xx, {@code error} for 5xx)
     */
    public SlackRequestFilter(String signingSecret, SeenRequests seen, Clock clock, Foreground foreground,
                              MeterRegistry registry) {
        this.foreground = foreground;
        this.acknowledged = ackTimer(registry, "acknowledged");
        this.refused = ackTimer(registry, "refused");
        this.error = ackTimer(registry, "error");
        this.signer = signingSecret == null ? null : hmac(signingSecret);
        this.replays = new Replays(seen, clock);
        this.clock = clock;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        foreground.enter();
        long started = System.nanoTime();
        boolean thrown = true;
        try {
            check(request, response, chain);
            thrown = false;
        } finally {
            foreground.leave();
            int status = response.getStatus();
            (thrown || status >= 500 ? error : status >= 400 ? refused : acknowledged).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private static Timer ackTimer(MeterRegistry registry, String outcome) {
        return Timer.builder(ACK).description("Time from a POST to /slack/events to its answer (Slack waits 3 s)")
                .tag("outcome", outcome).serviceLevelObjectives(ACK_BUCKETS)
                .minimumExpectedValue(ACK_BUCKETS[0]).maximumExpectedValue(ACK_BUCKETS[ACK_BUCKETS.length - 1])
                .register(registry);
    }

    private void check(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        List<String> signatures = Collections.list(request.getHeaders(SIGNATURE));
        List<String> timestamps = Collections.list(request.getHeaders(TIMESTAMP));
        if (signatures.size() != 1 || timestamps.size() != 1) {
            refuse(request, response, "a Slack request needs exactly one " + SIGNATURE + " and one " + TIMESTAMP
                    + " header (this one has " + signatures.size() + " and " + timestamps.size() + ")");
            return;
        }
        String signature = signatures.get(0);
        String timestamp = timestamps.get(0);
        if (!Replays.SECONDS.matcher(timestamp).matches()) {
            refuse(request, response, TIMESTAMP + " is not a Unix time in seconds");
            return;
        }
        Instant now = clock.instant();
        Instant signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp));
        if (Duration.between(signedAt, now).abs().compareTo(Replays.WINDOW) > 0) {
            refuse(request, response, TIMESTAMP + " is more than five minutes " + (signedAt.isAfter(now) ? "ahead of" : "before")
                    + " this server's time: a request is accepted only within five minutes of being signed; if the "
                    + "request is new, check the clocks");
            return;
        }
        byte[] body = request.getInputStream().readAllBytes();
        if (signer == null || !Replays.SIGNATURE_SHAPE.matcher(signature).matches()
                || !MessageDigest.isEqual(expected(timestamp, body), signature.getBytes(StandardCharsets.US_ASCII))) {
            refuse(request, response, SIGNATURE + " does not match the request: it was not signed with this app's "
                    + "signing secret (paver.slack.signing-secret)");
            return;
        }
        String retry = request.getHeader(RETRY_NUM);
        if (retry != null) {
            LOG.info("Acknowledged Slack's retry {} of an event ({}) without handling it again", word(retry),
                    word(request.getHeader(RETRY_REASON)));
            acknowledge(response);
            return;
        }
        if (isSlashCommand(request, body)) {
            chain.doFilter(new ReadAgain(request, body), response);
            return;
        }
        boolean first;
        try {
            first = replays.firstTime(signature, signedAt);
        } catch (RuntimeException e) {
            LOG.warn("Could not record a Slack request as received, so it was not handled: {}", e.getMessage());
            answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "Paver could not record the request in its database; try again in a moment");
            return;
        }
        if (!first) {
            LOG.info("Ignored a Slack request received before (signed at {}): a replay, answered 200 and not handled again",
                    signedAt);
            acknowledge(response);
            return;
        }
        chain.doFilter(new ReadAgain(request, body), response);
    }

    private static Mac hmac(String signingSecret) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(signingSecret.getBytes(StandardCharsets.UTF_8), HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no " + HMAC + ", which Slack's signatures need", e);
        }
    }

    /**
     * Slack's signature of a request: {@code v0=} and the hex HMAC-SHA256 of {@code v0:<timestamp>:} and the body's
     * bytes, as received (not re-encoded in the JVM's default charset, which Bolt's own verifier uses, and which is
     * ASCII on Java 17 where no locale is set).
     */
    private byte[] expected(String timestamp, byte[] body) {
        Mac mac;
        try {
            mac = (Mac) signer.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(HMAC + " of this Java runtime cannot be copied", e);
        }
        mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
        return ("v0=" + HexFormat.of().formatHex(mac.doFinal(body))).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A slash command: a form-encoded body with a {@code command} field ("Implementing slash commands", docs.slack.dev);
     * interactions carry a {@code payload} field instead, and Events API requests are JSON.
     */
    private static boolean isSlashCommand(HttpServletRequest request, byte[] body) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        Map<String, List<String>> form = QueryStringParser.toMap(new String(body, StandardCharsets.UTF_8));
        return form.containsKey("command") && !form.containsKey("payload");
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, String reason) throws IOException {
        LOG.info("Refused a request to {} from {}: {}", request.getRequestURI(), request.getRemoteAddr(), reason);
        answer(response, HttpServletResponse.SC_UNAUTHORIZED, reason);
    }

    private static void acknowledge(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentLength(0);
    }

    private static void answer(HttpServletResponse response, int status, String text) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write(text);
    }

    /** A header value for the log: as it is when it is one short word, else a placeholder (headers are not signed). */
    private static String word(String value) {
        return value != null && RETRY_WORD.matcher(value).matches() ? value : "-";
    }

    /** The request with its body read already: Bolt reads it again, whole, through {@link #getReader()}. */
    private static final class ReadAgain extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadAgain(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is read already; read it synchronously");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            // the body is in memory already: a reader over it with a buffer of its size (Bolt reads every request's body
            // through this; the default reader's 8 KiB byte and 8 Ki char buffers were most of a slash command's garbage)
            String text = new String(body, charset);
            return new BufferedReader(new StringReader(text), Math.max(1, text.length()));
        }
    }
}

package dev.paver.slack;

import com.slack.api.bolt.request.RequestHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Which signed Slack requests were received before (HTTP mode), so that a request sent again (a replay) has no second
 * effect. Slack signs {@code v0:<timestamp>:<body>} ("Verifying requests from Slack", docs.slack.dev), so one
 * {@code X-Slack-Signature} is one request; it is remembered in {@link SeenRequests} until its timestamp is out of
 * {@link #WINDOW} (and {@link #MARGIN}), after which {@link SlackRequestFilter} refuses it for its age anyway.
 *
 * <p>Where a request is recorded, so that acknowledging it takes one database write at most:
 * <ul>
 *   <li>{@link SlackRequestFilter} records every verified request before Bolt sees it, except slash commands;</li>
 *   <li>a slash command that starts a run is recorded by its run, stored with the signature before the acknowledgement
 *       ({@code RunStore.insert(Run, String)}, a unique column): the one write it needs anyway;</li>
 *   <li>a slash command answered after the acknowledgement (an audit lookup, a modal to open) is recorded with
 *       {@link #firstTime(RequestHeaders)} on the intake executor, before that answer;</li>
 *   <li>a slash command answered in its acknowledgement alone (help, a refusal) changes nothing and is not recorded:
 *       a replay only gets the same answer back, in its own HTTP response.</li>
 * </ul>
 * In Socket Mode requests carry no signature and nothing is recorded.
 */
public final class Replays {

    /** How far a request's timestamp may be from now, either way (Slack's doc: five minutes). */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Kept beyond the window before a seen signature is forgotten, for clocks of replicas that differ a little. */
    static final Duration MARGIN = Duration.ofMinutes(1);

    /** A request timestamp's shape: Unix seconds. */
    static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
    /** A signature's shape: {@code v0=} and 64 hex digits. */
    static final Pattern SIGNATURE_SHAPE = Pattern.compile("v0=[0-9a-f]{64}");

    private final SeenRequests seen;
    private final Clock clock;

    /**
     * @param seen  where signatures are recorded (a database table shared by the replicas)
     * @param clock the wall clock ({@code Clock.systemUTC()} in production)
     */
    public Replays(SeenRequests seen, Clock clock) {
        this.seen = seen;
        this.clock = clock;
    }

    /**
     * Records a verified request, signed at {@code signedAt}, unless it was recorded before.
     *
     * @return true the first time, false for a replay
     * @throws RuntimeException when the store cannot be reached (Spring's {@code DataAccessException})
     */
    boolean firstTime(String signature, Instant signedAt) {
        return seen.firstTime(signature, clock.instant(), signedAt.plus(WINDOW).plus(MARGIN));
    }

    /**
     * As {@link #firstTime(String, Instant)} for a request Bolt handles, by its headers ({@link SlackRequestFilter}
     * verified them); true without a record when they carry no signature (Socket Mode).
     *
     * @throws RuntimeException when the store cannot be reached
     */
    boolean firstTime(RequestHeaders headers) {
        String signature = signature(headers);
        String timestamp = headers == null ? null : headers.getFirstValue(SlackRequestFilter.TIMESTAMP);
        if (signature == null || timestamp == null || !SECONDS.matcher(timestamp).matches()) {
            return true;
        }
        return firstTime(signature, Instant.ofEpochSecond(Long.parseLong(timestamp)));
    }

    /**
     * The request's {@code X-Slack-Signature} when it has one of Slack's shape ({@code v0=} and 64 hex digits), else
     * null (Socket Mode: no HTTP request).
     */
    static String signature(RequestHeaders headers) {
        String signature = headers == null ? null : headers.getFirstValue(SlackRequestFilter.SIGNATURE);
        return signature != null && SIGNATURE_SHAPE.matcher(signature).matches() ? signature : null;
    }
}

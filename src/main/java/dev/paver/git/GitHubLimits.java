package dev.paver.git;

import dev.paver.core.report.Times;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.kohsuke.github.GHIOException;

/**
 * Keeps one GitHub token under GitHub's rate limits, for every run of the process at once (one instance per client).
 * Rules, from GitHub's docs "Rate limits for the REST API" and "Best practices for using the REST API":
 * <ul>
 *   <li>Secondary limits: no more than 80 content-creating requests (POST, PATCH, PUT, DELETE) a minute and 500 an
 *       hour. Paver spaces them {@code 1 min / perMinute} apart (GitHub: "wait at least one second between each")
 *       and keeps at most {@code perHour} in any rolling hour; reads are not paced.</li>
 *   <li>After a secondary-limit answer (403 or 429 saying so): no request for at least a minute, longer when
 *       {@code Retry-After} says so, doubling on each answer in a row up to {@link #MAX_BACK_OFF}.</li>
 *   <li>Primary limit used up ({@code x-ratelimit-remaining: 0}): no request until {@code x-ratelimit-reset}.</li>
 * </ul>
 * A turn at most {@code maxSleep} away is slept for on the calling thread; a longer wait is thrown as a
 * {@link Wait} at once, without a request, so that the run waits durably (its thread is told once) instead of
 * holding a worker. Time comes from the given clock and sleeper so that tests and benchmarks need not wait.
 */
public final class GitHubLimits {

    /** GitHub's documented secondary limits for content-creating requests. */
    public static final int GITHUB_PER_MINUTE = 80;
    public static final int GITHUB_PER_HOUR = 500;
    /** The shortest back-off after a secondary-limit answer (GitHub: "wait for at least one minute"). */
    public static final Duration MIN_BACK_OFF = Duration.ofSeconds(60);
    /** The longest back-off after secondary-limit answers in a row. */
    public static final Duration MAX_BACK_OFF = Duration.ofMinutes(15);

    /** Sleeps the calling thread; a test's or a benchmark's may sleep less or not at all. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }

    /**
     * GitHub is not to be asked before {@link #until()}: thrown by the connector instead of sending (or after a limit
     * answer). A {@link GHIOException} so that github-api passes it through unchanged.
     */
    public static final class Wait extends GHIOException {
        private final transient Instant until;

        Wait(String message, Instant until) {
            super(message);
            this.until = until;
        }

        /** When GitHub may be asked again. */
        public Instant until() {
            return until;
        }
    }

    private final Clock clock;
    private final Sleeper sleeper;
    private final int perMinute;
    private final int perHour;
    private final Duration spacing;
    private final Duration maxSleep;

    /** Turns of content-creating requests in the last hour (some maybe a little ahead), oldest first. */
    private final List<Instant> turns = new ArrayList<>();
    private Instant lastTurn = Instant.MIN;
    private Instant blockedUntil = Instant.MIN;
    private String blockedBy = "";
    private int strikes;

    private final AtomicLong contentRequests = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong limitAnswers = new AtomicLong();
    private final AtomicLong waits = new AtomicLong();

    /**
     * @param perMinute content-creating requests a minute, 1 to 80 (GitHub's limit); they are spaced evenly
     * @param perHour   content-creating requests in any rolling hour, 1 to 500 (GitHub's limit)
     * @param maxSleep  the longest a caller sleeps for its turn before it is told to wait instead
     * @throws IllegalArgumentException when a limit is outside GitHub's, or maxSleep is negative
     */
    public GitHubLimits(int perMinute, int perHour, Duration maxSleep, Clock clock, Sleeper sleeper) {
        if (perMinute < 1 || perMinute > GITHUB_PER_MINUTE) {
            throw new IllegalArgumentException("paver.github.content-per-minute must be 1 to " + GITHUB_PER_MINUTE
                    + " (GitHub's secondary limit), got " + perMinute);
        }
        if (perHour < 1 || perHour > GITHUB_PER_HOUR) {
            throw new IllegalArgumentException("paver.github.content-per-hour must be 1 to " + GITHUB_PER_HOUR
                    + " (GitHub's secondary limit), got " + perHour);
        }
        if (maxSleep.isNegative()) {
            throw new IllegalArgumentException("the longest sleep for a turn must not be negative, got " + maxSleep);
        }
        this.perMinute = perMinute;
        this.perHour = perHour;
        this.spacing = Duration.ofMinutes(1).dividedBy(perMinute);
        this.maxSleep = maxSleep;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Paver's defaults: 60 a minute (one a second), 450 an hour, sleeps of at most 5 s, real time. */
    public static GitHubLimits defaults() {
        return new GitHubLimits(60, 450, Duration.ofSeconds(5), Clock.systemUTC(), Sleeper.REAL);
    }

    /**
     * Before a content-creating request: takes the next turn and sleeps until it.
     *
     * @throws Wait when GitHub is not to be asked now (a back-off, a used-up limit) or the turn is more than
     *              maxSleep away; nothing is taken then
     * @throws InterruptedIOException when interrupted while sleeping
     */
    void beforeContent() throws IOException {
        Instant turn;
        Instant now;
        synchronized (this) {
            now = clock.instant();
            blocked(now);
            turn = nextTurn(now);
            if (Duration.between(now, turn).compareTo(maxSleep) > 0) {
                waits.incrementAndGet();
                throw pacing(turn);
            }
            turns.add(turn);
            lastTurn = turn;
            contentRequests.incrementAndGet();
        }
        sleepUntil(now, turn);
    }

    /**
     * Before any other request: only a back-off or a used-up primary limit stops it.
     *
     * @throws Wait until the back-off or the reset
     */
    void beforeRead() throws Wait {
        synchronized (this) {
            blocked(clock.instant());
        }
        reads.incrementAndGet();
    }

    /**
     * Before an operation that will create content (opening a pull request, merging): fails at once, before its
     * reads, when its first content-creating request could not go within maxSleep. Takes nothing.
     *
     * @throws Wait as {@link #beforeContent} would
     */
    synchronized void admit() throws Wait {
        Instant now = clock.instant();
        blocked(now);
        Instant turn = nextTurn(now);
        if (Duration.between(now, turn).compareTo(maxSleep) > 0) {
            waits.incrementAndGet();
            throw pacing(turn);
        }
    }

    /**
     * GitHub answered that a secondary rate limit was exceeded: nothing is sent for at least {@link #MIN_BACK_OFF},
     * {@code retryAfter} when longer, doubled for every such answer in a row, at most {@link #MAX_BACK_OFF} (or
     * {@code retryAfter} when longer still).
     *
     * @param retryAfter the {@code Retry-After} header's delay, or null
     * @return the wait to throw
     */
    synchronized Wait secondaryLimit(int status, Duration retryAfter) {
        limitAnswers.incrementAndGet();
        Instant now = clock.instant();
        Duration backOff = MIN_BACK_OFF.multipliedBy(1L << Math.min(strikes, 10));
        if (backOff.compareTo(MAX_BACK_OFF) > 0) {
            backOff = MAX_BACK_OFF;
        }
        if (retryAfter != null && retryAfter.compareTo(backOff) > 0) {
            backOff = retryAfter;
        }
        strikes++;
        block(now.plus(backOff), "GitHub answered HTTP " + status + ": Paver went over GitHub's secondary rate limit"
                + (strikes > 1 ? " (" + strikes + " times in a row, so it backs off longer)" : ""));
        waits.incrementAndGet();
        return new Wait(message(), blockedUntil);
    }

    /**
     * The token's primary rate limit is used up: nothing is sent until {@code reset}, or a minute from now when the
     * reset is unknown or past.
     */
    synchronized Wait primaryLimit(int status, Instant reset) {
        limitAnswers.incrementAndGet();
        Instant now = clock.instant();
        Instant until = reset == null || reset.isBefore(now) ? now.plus(MIN_BACK_OFF) : reset;
        block(until, "GitHub answered HTTP " + status + ": the API rate limit for the token is used up (it resets at "
                + Times.instant(until) + ")");
        waits.incrementAndGet();
        return new Wait(message(), blockedUntil);
    }

    /** A content-creating request went through: the next secondary-limit answer backs off from the minimum again. */
    synchronized void contentAccepted() {
        strikes = 0;
    }

    /** Content-creating requests sent (turns taken). */
    public long contentRequests() {
        return contentRequests.get();
    }

    /** Other requests sent (reads), 304 answers included. */
    public long reads() {
        return reads.get();
    }

    /** Secondary- and primary-limit answers GitHub gave. */
    public long limitAnswers() {
        return limitAnswers.get();
    }

    /** Calls told to wait (a back-off, or a turn more than maxSleep away). */
    public long waits() {
        return waits.get();
    }

    /** The least time {@code requests} content-creating requests take under these limits, from the first. */
    public Duration floor(int requests) {
        Instant start = Instant.EPOCH;
        List<Instant> taken = new ArrayList<>();
        Instant last = Instant.MIN;
        Instant turn = start;
        for (int i = 0; i < requests; i++) {
            turn = earliest(start, last, taken);
            taken.add(turn);
            last = turn;
        }
        return Duration.between(start, turn);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void blocked(Instant now) throws Wait {
        if (now.isBefore(blockedUntil)) {
            waits.incrementAndGet();
            throw new Wait(message(), blockedUntil);
        }
    }

    private void block(Instant until, String why) {
        if (until.isAfter(blockedUntil)) {
            blockedUntil = until;
        }
        blockedBy = why;
    }

    private Wait pacing(Instant turn) {
        return new Wait("Waiting for GitHub's rate limit until " + Times.instant(turn) + ": Paver keeps to " + perHour
                + " content-creating requests an hour and " + perMinute + " a minute (GitHub allows " + GITHUB_PER_HOUR
                + " and " + GITHUB_PER_MINUTE + ") and goes on by itself then", turn);
    }

    private String message() {
        return "Waiting for GitHub's rate limit until " + Times.instant(blockedUntil) + ": " + blockedBy
                + "; Paver goes on by itself then";
    }

    private Instant nextTurn(Instant now) {
        Instant hourAgo = now.minus(Duration.ofHours(1));
        while (!turns.isEmpty() && !turns.get(0).isAfter(hourAgo)) {
            turns.remove(0);
        }
        return earliest(now, lastTurn, turns);
    }

    /** The earliest turn at or after {@code now}: spaced from the last, and outside the minute and hour windows. */
    private Instant earliest(Instant now, Instant last, List<Instant> taken) {
        Instant turn = now;
        if (!last.equals(Instant.MIN) && last.plus(spacing).isAfter(turn)) {
            turn = last.plus(spacing);
        }
        // (t - window, t] may hold at most limit - 1 earlier turns: the limit-th latest must be at or before t - window
        if (taken.size() >= perMinute) {
            Instant out = taken.get(taken.size() - perMinute).plus(Duration.ofMinutes(1));
            turn = out.isAfter(turn) ? out : turn;
        }
        if (taken.size() >= perHour) {
            Instant out = taken.get(taken.size() - perHour).plus(Duration.ofHours(1));
            turn = out.isAfter(turn) ? out : turn;
        }
        return turn;
    }

    private void sleepUntil(Instant now, Instant turn) throws InterruptedIOException {
        Duration pause = Duration.between(now, turn);
        if (pause.isNegative() || pause.isZero()) {
            return;
        }
        try {
            sleeper.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for GitHub's rate limit");
        }
    }
}

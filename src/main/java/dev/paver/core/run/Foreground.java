package dev.paver.core.run;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests a person is waiting on, which come before the runs' own work. Slack gives an app 3 seconds to acknowledge
 * a slash command, a view submission or a block action, and Paver aims at much less (p99 under 100 ms at 50
 * commands at once, {@code docs/performance.md}); the runs started by those commands render, check and push for
 * tenths of a second each, and on two cores eight run workers would take the processors from the acknowledgements.
 * So the HTTP layer marks each request while it is handled ({@link #enter}, {@link #leave}), and a run worker about
 * to execute a step's action first waits until the requests have gone quiet ({@link #awaitQuiet}). A run waits at
 * most {@code maxWait} per step, so a steady stream of requests slows runs down and never stops them.
 *
 * <p>Thread-safe; one instance per process.
 */
public final class Foreground {

    /** How long no request must have been handled before background work goes on: a burst's gaps are shorter. */
    public static final Duration QUIET = Duration.ofMillis(50);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastLeft = new AtomicLong(System.nanoTime() - QUIET.toNanos());
    private final long maxWaitNanos;

    /**
     * @param maxWait the longest a run waits for quiet before each step; zero turns waiting off
     * @throws IllegalArgumentException when {@code maxWait} is negative
     */
    public Foreground(Duration maxWait) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("the longest wait for quiet must not be negative, got " + maxWait);
        }
        this.maxWaitNanos = maxWait.toNanos();
    }

    /** A request is being handled now: call {@link #leave} once it is answered, in a {@code finally}. */
    public void enter() {
        inFlight.incrementAndGet();
    }

    /** The request {@link #enter entered} before is answered. */
    public void leave() {
        lastLeft.set(System.nanoTime());
        inFlight.decrementAndGet();
    }

    /**
     * Waits until no request is being handled and none was for {@link #QUIET}, or the longest wait passed; returns at
     * once when all is quiet. Checks every {@link #QUIET}: a waiting thread wakes rarely, since many wait at once (every
     * run worker) while the processors are busiest.
     *
     * @return how long it waited, in nanoseconds
     */
    public long awaitQuiet() {
        long start = System.nanoTime();
        long deadline = start + maxWaitNanos;
        while (busy() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(QUIET.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return System.nanoTime() - start;
    }

    private boolean busy() {
        return inFlight.get() > 0 || System.nanoTime() - lastLeft.get() < QUIET.toNanos();
    }
}

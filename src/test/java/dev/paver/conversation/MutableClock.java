package dev.paver.conversation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A clock that tests move forward. {@code new MutableClock()} is Paver's clock in a conversation: the real time plus
 * the time that {@code time_passes} steps moved it forward, so that "an hour passes" takes no hour; it survives
 * restarts of Paver, like the real time does. {@link #startingAt} stands still at an instant until moved, for unit
 * tests that compare exact times.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);
    private final Supplier<Instant> base;

    /** The real time, moved forward by {@link #advance}. */
    public MutableClock() {
        this(Instant::now);
    }

    private MutableClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** A clock that reads {@code start} until {@link #advance} moves it. */
    public static MutableClock startingAt(Instant start) {
        return new MutableClock(() -> start);
    }

    /** Moves the clock forward. */
    public void advance(Duration d) {
        offset.updateAndGet(o -> o.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return base.get().plus(offset.get());
    }
}

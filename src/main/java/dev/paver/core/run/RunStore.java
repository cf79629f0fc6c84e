package dev.paver.core.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Port to durable run storage. Implementations throw unchecked exceptions when the store is unreachable.
 *
 * <p>Instants in columns (created, updated, the timer {@link Run#wakeAt()}) are kept to {@link #PRECISION}, the
 * precision of PostgreSQL's and H2's {@code TIMESTAMP WITH TIME ZONE}; a run read back has them cut to it.
 */
public interface RunStore {

    /** The precision of the instants a store keeps: microseconds. */
    ChronoUnit PRECISION = ChronoUnit.MICROS;

    /**
     * {@code instant} as a store gives it back: cut (not rounded) to {@link #PRECISION}; null stays null. The engine
     * compares a freshly computed timer with the stored one at this precision, so that an unchanged timer is not seen
     * as a change at every poll.
     */
    static Instant kept(Instant instant) {
        return instant == null ? null : instant.truncatedTo(PRECISION);
    }

    /** Stores a new run. */
    void insert(Run run);

    /** Replaces a stored run with this state. */
    void update(Run run);

    Optional<Run> find(String id);

    /** Runs that are not finished ({@link RunState#finished()}: RUNNING or WAITING), oldest first. */
    List<Run> unfinished();

    /** Waiting runs whose wake key is {@code waitKey}. */
    List<Run> waitingFor(String waitKey);

    /** Waiting runs whose timer ({@link Run#wakeAt()}) is at or before {@code now}, soonest first. */
    List<Run> due(Instant now);

    /** The most recent runs of one requester (Slack user id), newest first, at most {@code limit}. */
    List<Run> recentBy(String requester, int limit);

    /** The most recent runs, newest first, at most {@code limit}. */
    List<Run> recent(int limit);
}

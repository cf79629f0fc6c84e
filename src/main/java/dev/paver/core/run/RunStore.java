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

    /**
     * Runs that are RUNNING or WAITING, oldest first (not {@link RunState#RECEIVED}: their intake is not done; see
     * {@link #received}).
     */
    List<Run> unfinished();

    /** Waiting runs whose wake key is {@code waitKey}. */
    List<Run> waitingFor(String waitKey);

    /** Waiting runs whose timer ({@link Run#wakeAt()}) is at or before {@code now}, soonest first. */
    List<Run> due(Instant now);

    /** The most recent runs of one requester (Slack user id), newest first, at most {@code limit}. */
    List<Run> recentBy(String requester, int limit);

    /** The most recent runs, newest first, at most {@code limit}. */
    List<Run> recent(int limit);

    /** Runs {@link RunState#RECEIVED} at or before {@code before}, oldest first: acknowledged, but not started yet. */
    List<Run> received(Instant before);

    /**
     * Moves a {@link RunState#RECEIVED} run on: to {@code state} with {@code request} (the request as its intake
     * finished it) and {@code outcome}; false when the run is not RECEIVED any more (another thread or replica moved
     * it first), and then nothing changes.
     */
    boolean leaveReceived(String id, RunRequest request, RunState state, String outcome, Instant now);

    /**
     * Runs whose status card does not show their stored state: posted, and changed ({@link Run#updatedAt()}) after
     * what the card last showed ({@link #cardShown}); at most {@code limit}, least recently changed first.
     */
    List<Run> staleCards(int limit);

    /** Records that the run's card shows its state as of {@code updatedAt} (the {@link Run#updatedAt()} it was built from). */
    void cardShown(String id, Instant updatedAt);
}

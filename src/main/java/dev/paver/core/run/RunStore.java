package dev.paver.core.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Port to durable run storage. Implementations throw unchecked exceptions when the store is unreachable.
 *
 * <p>Instants in columns (created, updated, the timer {@link Run#wakeAt()}) are kept to {@link #PRECISION}, the
 * precision of PostgreSQL's and H2's {@code TIMESTAMP WITH TIME ZONE}; a run read back has them cut to it.
 *
 * <p>Several replicas may share one store. A store belongs to one replica (its <em>owner</em> id, stable for the
 * process): a run is changed only under that replica's lease on it ({@link #claim}), so that one replica at a time
 * advances a run, and a replica that lost the lease (paused longer than the lease time, while another took the run
 * over) cannot overwrite what the new holder wrote ({@link #update} throws {@link LeaseLost}).
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
    default void insert(Run run) {
        insert(run, null);
    }

    /**
     * Stores a new run asked for by the request {@code requestSignature} (a signed Slack request's
     * {@code X-Slack-Signature}, at most 100 characters), unless a run of that request is stored already: atomic across
     * threads and replicas, so of a request and its replay one run is stored.
     *
     * @param requestSignature null when the run has no signed request (a modal, a button, Socket Mode); then always
     *                         stored
     * @return false when a run of the same request is stored (a replay); nothing was written
     */
    boolean insert(Run run, String requestSignature);

    /**
     * Replaces a stored run with this state, if this store's replica holds the run's lease ({@link #claim}; the lease
     * need not be unexpired: nobody else wrote the run while it is still ours).
     *
     * @throws LeaseLost            when the run's lease is not this replica's (never claimed, released, or taken over
     *                              by another replica after it expired); nothing was written
     * @throws IllegalStateException when the run is not stored
     */
    void update(Run run);

    /**
     * Takes the run's lease for this store's replica until {@code until}, if it is free, expired at {@code now}, or
     * already this replica's (then it is extended). Atomic: of replicas claiming together, one gets it.
     *
     * @return true when this replica holds the lease now; false when another replica holds an unexpired lease, or
     *         when the run is not stored
     */
    boolean claim(String runId, Instant until, Instant now);

    /**
     * Extends this replica's lease on the run to {@code until}, only if it is still this replica's (a heartbeat
     * during a long pass); unlike {@link #claim}, never takes a free lease.
     *
     * @return false when the lease is not this replica's any more
     */
    boolean renew(String runId, Instant until);

    /** Gives up this replica's lease on the run (a waiting run holds none); a lease that is not ours is left alone. */
    void release(String runId);

    Optional<Run> find(String id);

    /** Waiting runs whose wake key is {@code waitKey}. */
    List<Run> waitingFor(String waitKey);

    /** Waiting runs whose timer ({@link Run#wakeAt()}) is at or before {@code now}, soonest first. */
    List<Run> due(Instant now);

    /** The most recent runs of one requester (Slack user id), newest first, at most {@code limit}. */
    List<Run> recentBy(String requester, int limit);

    /** The most recent runs, newest first, at most {@code limit}. */
    List<Run> recent(int limit);

    /**
     * The ids of the RUNNING and WAITING runs, oldest first, but for the WAITING runs whose key starts with one of
     * {@code unlessWaitingOn} (prefixes, e.g. {@code argocd:}; none: every such run). Not {@link RunState#RECEIVED}
     * runs: their intake is not done (see {@link #received}).
     */
    List<String> unfinishedIds(Collection<String> unlessWaitingOn);

    /** The ids of the runs WAITING for a key that starts with {@code keyPrefix}, oldest first. */
    List<String> waitingOn(String keyPrefix);

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

    /**
     * The run's lease is not this replica's: another replica took the run over, or it was never claimed. The pass that
     * meets it stops; the holder goes on with the run.
     */
    final class LeaseLost extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public LeaseLost(String message) {
            super(message);
        }
    }
}

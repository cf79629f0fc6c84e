package dev.paver.core.run;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port to the durable record of the thread replies a channel's {@link NoiseLevel} held back, and of the daily digests
 * that list them ({@link DailyDigest}). Shared by replicas. Implementations throw unchecked exceptions when the store
 * is unreachable.
 */
public interface HeldBack {

    /**
     * What one run had held back in a digest's window.
     *
     * @param runId   the run's id
     * @param service the run's {@code service} parameter, else its golden path's id
     * @param count   how many replies were held back
     */
    record Run(String runId, String service, int count) {
    }

    /**
     * Records one reply held back: once per run and {@code replyKey} (recording the same again changes nothing, so a
     * pass repeated after a crash does not count it twice).
     */
    void hold(String channel, String runId, String service, String replyKey, Instant at);

    /** Per run, the replies held back in {@code channel} at or after {@code from} and before {@code to}, oldest run first. */
    List<Run> heldBetween(String channel, Instant from, Instant to);

    /** The end of the window of {@code channel}'s latest digest that is done (posted, or found empty), if any. */
    Optional<Instant> lastDigestEnd(String channel);

    /**
     * Claims {@code channel}'s digest of {@code day} (whose window ends at {@code end}) until {@code until}: true when
     * this caller is to post it, because it is not done and nobody else holds an unexpired claim on it (a replica
     * that died while posting loses its claim at {@code until}).
     */
    boolean claimDigest(String channel, String day, Instant end, Instant now, Instant until);

    /** Records that {@code channel}'s digest of {@code day} is done: posted, or found with nothing to post. */
    void digestDone(String channel, String day, Instant at);
}

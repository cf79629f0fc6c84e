package dev.paver.slack;

import java.time.Instant;

/**
 * The signed Slack requests already received, shared by every replica of Paver (a database table,
 * {@code JdbcSeenRequests}): the memory that makes a replayed request have no second effect.
 */
public interface SeenRequests {

    /**
     * Records the arrival of a request whose signature was verified, unless a request with the same signature was
     * recorded before; this is atomic across replicas (one of two simultaneous calls gets false).
     *
     * @param signature   the request's {@code X-Slack-Signature} ({@code v0=} and 64 hex digits)
     * @param now         when it arrived
     * @param forgetAfter when the record may be deleted: from then on the request is refused for its timestamp
     * @return true the first time, false for a replay
     * @throws RuntimeException when the store cannot be reached (Spring's {@code DataAccessException})
     */
    boolean firstTime(String signature, Instant now, Instant forgetAfter);
}

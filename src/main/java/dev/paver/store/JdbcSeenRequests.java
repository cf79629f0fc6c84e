package dev.paver.store;

import dev.paver.slack.SeenRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link SeenRequests} on a relational database (H2 or PostgreSQL): one {@code slack_requests} row per verified
 * signature (migration {@code V3}). The primary key makes the first insert win, across threads and replicas; a
 * duplicate key is a replay. Rows past their {@code forget_after} are deleted by the first call after each sweep
 * interval (one indexed {@code DELETE} per replica and interval), so the table holds only the last few minutes of
 * requests. The inserts of requests that arrive at the same moment share one commit ({@link GroupCommit}).
 */
public final class JdbcSeenRequests implements SeenRequests {

    /** How often each replica deletes the rows past their time, by default. */
    public static final Duration SWEEP_EVERY = Duration.ofMinutes(1);

    private record Seen(String signature, Instant at, Instant forgetAfter) {
    }

    private final JdbcTemplate jdbc;
    private final Duration sweepEvery;
    private final AtomicReference<Instant> lastSweep = new AtomicReference<>();
    /** Every Slack request is remembered before its ack: a burst of them shares a commit. */
    private final GroupCommit<Seen> inserts;

    /**
     * @param jdbc       on a database migrated with {@code db/migration} (Flyway)
     * @param sweepEvery the least time between two sweeps of this instance; the first call sweeps
     */
    public JdbcSeenRequests(JdbcTemplate jdbc, Duration sweepEvery) {
        this.jdbc = jdbc;
        this.sweepEvery = sweepEvery;
        this.inserts = new GroupCommit<>(new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
                seen -> jdbc.update("INSERT INTO slack_requests (signature, seen_at, forget_after) VALUES (?, ?, ?)",
                        seen.signature(), Sql.time(seen.at()), Sql.time(seen.forgetAfter())));
    }

    @Override
    public boolean firstTime(String signature, Instant now, Instant forgetAfter) {
        Instant last = lastSweep.get();
        if ((last == null || !now.isBefore(last.plus(sweepEvery))) && lastSweep.compareAndSet(last, now)) {
            sweep(now);
        }
        try {
            inserts.write(new Seen(signature, now, forgetAfter));
            return true;
        } catch (DuplicateKeyException replay) {
            return false;
        }
    }

    /**
     * Deletes the rows whose {@code forget_after} is before {@code now}.
     *
     * @return how many were deleted
     */
    public int sweep(Instant now) {
        return jdbc.update("DELETE FROM slack_requests WHERE forget_after < ?", Sql.time(now));
    }

    /** How many requests are remembered now (for tests and operators). */
    public int count() {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM slack_requests", Integer.class);
        return count == null ? 0 : count;
    }
}

package dev.paver.store;

import dev.paver.core.run.HeldBack;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link HeldBack} in the {@code held_back} and {@code channel_digests} tables (migration {@code V9__held_back.sql}),
 * on H2 or PostgreSQL. A digest's claim is one conditional statement, so two replicas never both hold it.
 */
public final class JdbcHeldBack implements HeldBack {

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcHeldBack(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void hold(String channel, String runId, String service, String replyKey, Instant at) {
        try {
            jdbc.update("INSERT INTO held_back (run_id, reply_key, channel, service, held_at) VALUES (?,?,?,?,?)",
                    runId, replyKey, channel, service, Sql.time(at));
        } catch (DuplicateKeyException recorded) {
            // held back before (a pass repeated after a crash): counted once
        }
    }

    @Override
    public List<Run> heldBetween(String channel, Instant from, Instant to) {
        return jdbc.query("SELECT run_id, MIN(service) AS service, COUNT(*) AS n, MIN(held_at) AS first_at FROM held_back "
                        + "WHERE channel = ? AND held_at >= ? AND held_at < ? GROUP BY run_id ORDER BY first_at, run_id",
                (rs, row) -> new Run(rs.getString("run_id"), rs.getString("service"), rs.getInt("n")),
                channel, Sql.time(from), Sql.time(to));
    }

    @Override
    public Optional<Instant> lastDigestEnd(String channel) {
        return jdbc.query("SELECT MAX(window_end) AS window_end FROM channel_digests WHERE channel = ? AND done_at IS NOT NULL",
                (rs, row) -> Optional.ofNullable(Sql.instant(rs, "window_end")), channel).get(0);
    }

    @Override
    public boolean claimDigest(String channel, String day, Instant end, Instant now, Instant until) {
        try {
            jdbc.update("INSERT INTO channel_digests (channel, digest_day, window_end, claimed_until) VALUES (?,?,?,?)",
                    channel, day, Sql.time(end), Sql.time(until));
            return true;
        } catch (DuplicateKeyException taken) {
            return jdbc.update("UPDATE channel_digests SET claimed_until = ? WHERE channel = ? AND digest_day = ? "
                    + "AND done_at IS NULL AND claimed_until <= ?", Sql.time(until), channel, day, Sql.time(now)) == 1;
        }
    }

    @Override
    public void digestDone(String channel, String day, Instant at) {
        jdbc.update("UPDATE channel_digests SET done_at = ? WHERE channel = ? AND digest_day = ?", Sql.time(at), channel, day);
    }
}

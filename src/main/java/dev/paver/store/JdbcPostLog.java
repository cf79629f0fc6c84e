package dev.paver.store;

import dev.paver.core.report.PostLog;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link PostLog} in the {@code slack_posts} table (migration {@code V4__slack_posts.sql}), on H2 or PostgreSQL. */
public final class JdbcPostLog implements PostLog {

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcPostLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Entry> find(String key) {
        return jdbc.query("SELECT * FROM slack_posts WHERE post_key = ?", (rs, row) -> new Entry(rs.getString("post_key"),
                rs.getString("channel"), rs.getString("thread_ts"), rs.getString("ts"), Sql.instant(rs, "intended_at")), key)
                .stream().findFirst();
    }

    @Override
    public void intend(String key, String channel, String threadTs, Instant at) {
        try {
            jdbc.update("INSERT INTO slack_posts (post_key, channel, thread_ts, intended_at) VALUES (?,?,?,?)",
                    key, channel, threadTs, Sql.time(at));
        } catch (DuplicateKeyException recorded) {
            // the intent (or the post) is on record already: nothing changes
        }
    }

    @Override
    public void posted(String key, String channel, String ts) {
        jdbc.update("UPDATE slack_posts SET channel = ?, ts = ?, posted_at = CURRENT_TIMESTAMP WHERE post_key = ?",
                channel, ts, key);
    }
}

package dev.paver.store;

import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link AuditLog} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}: the
 * {@code audit_log} table, which this class only inserts into and selects from. Entries with the same time keep the
 * order they were appended in (the generated id). Unreachable databases surface as Spring's unchecked
 * {@code DataAccessException}.
 *
 * <p>The entries form a hash chain (migration {@code V8}): each carries {@code prev_hash}, the hash of the entry before
 * it, and {@code hash}, SHA-256 in hex of {@code prev_hash} and its own fields ({@link #hash}); {@code audit_head} holds
 * the last entry's id and hash, and its row is locked while an entry is appended, so that appends from several
 * threads or replicas form one chain. {@link #verify} walks the chain: an entry edited afterwards no longer matches
 * its hash, a deleted one breaks the link of the next, and the last ones deleted no longer end at the head.
 */
public final class JdbcAuditLog implements AuditLog {

    private static final String COLUMNS = "at, actor, action, subject, run_id, origin, detail";
    private static final RowMapper<AuditEntry> MAPPER = JdbcAuditLog::map;

    /** The {@code prev_hash} of the first entry of the chain. */
    static final String GENESIS = "0".repeat(64);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcAuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /** {@inheritDoc} Chained to the entry before it, in one transaction that holds the head's lock. */
    @Override
    public void append(AuditEntry entry) {
        transactions.executeWithoutResult(status -> {
            String previous = jdbc.queryForObject("SELECT hash FROM audit_head WHERE id = 1 FOR UPDATE", String.class);
            String hash = hash(previous, entry);
            KeyHolder key = new GeneratedKeyHolder();
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (" + COLUMNS
                        + ", prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)", new String[] {"id"});
                insert.setObject(1, Sql.time(entry.at()));
                insert.setString(2, entry.actor());
                insert.setString(3, entry.action());
                insert.setString(4, entry.subject());
                insert.setString(5, Sql.text(entry.runId()));
                insert.setString(6, entry.origin());
                insert.setString(7, entry.detail());
                insert.setString(8, previous);
                insert.setString(9, hash);
                return insert;
            }, key);
            jdbc.update("UPDATE audit_head SET entry_id = ?, hash = ? WHERE id = 1", key.getKey().longValue(), hash);
        });
    }

    /**
     * The hash of an entry: SHA-256, in lower-case hex, of the previous entry's hash and the entry's time (ISO-8601, to
     * the microsecond the database keeps), actor, action, subject, run id (empty for none), origin and detail, each
     * followed by a unit separator (U+001F) and encoded in UTF-8.
     */
    static String hash(String previous, AuditEntry entry) {
        StringBuilder canonical = new StringBuilder();
        for (String field : List.of(previous, DateTimeFormatter.ISO_INSTANT.format(Sql.time(entry.at()).toInstant()),
                entry.actor(), entry.action(), entry.subject(), entry.runId() == null ? "" : entry.runId(), entry.origin(),
                entry.detail())) {
            canonical.append(field).append('\u001f');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * What {@link #verify} found.
     *
     * @param entries   the entries checked (those of the chain)
     * @param unchained entries written before the chain began (migration {@code V8}): not verifiable
     * @param problems  each break of the chain, naming the entry (its id and time) and what is wrong; empty when intact
     */
    public record Verification(long entries, long unchained, List<String> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** Walks the whole chain, oldest first, and reports every entry that is not as it was appended. */
    public Verification verify() {
        long[] counts = new long[2];
        List<String> problems = new ArrayList<>();
        String[] expectedPrevious = {GENESIS};
        long[] lastId = {0};
        jdbc.query("SELECT id, " + COLUMNS + ", prev_hash, hash FROM audit_log ORDER BY id", (RowCallbackHandler) rs -> {
            String stored = rs.getString("hash");
            if (stored == null) {
                counts[1]++;
                return;
            }
            counts[0]++;
            long id = rs.getLong("id");
            AuditEntry entry = map(rs, 0);
            String where = "entry " + id + " (" + entry.at() + ", " + entry.action() + " " + entry.subject() + ")";
            String previous = rs.getString("prev_hash");
            if (!expectedPrevious[0].equals(previous)) {
                problems.add(where + " does not follow the entry before it: an entry before it was deleted or changed");
            }
            if (!hash(previous, entry).equals(stored)) {
                problems.add(where + " was changed after it was written: its fields no longer match its hash");
            }
            expectedPrevious[0] = stored;
            lastId[0] = id;
        });
        Map<String, Object> head = jdbc.queryForMap("SELECT entry_id, hash FROM audit_head WHERE id = 1");
        if (!expectedPrevious[0].equals(head.get("hash")) || ((Number) head.get("entry_id")).longValue() != lastId[0]) {
            problems.add("the log ends at entry " + lastId[0] + ", but the last entry appended was " + head.get("entry_id")
                    + ": entries at the end were deleted");
        }
        return new Verification(counts[0], counts[1], List.copyOf(problems));
    }

    /** {@inheritDoc} No subjects, or a limit below 1, is an empty list. */
    @Override
    public List<AuditEntry> recent(Collection<String> subjects, int limit) {
        if (subjects.isEmpty() || limit < 1) {
            return List.of();
        }
        List<Object> args = new ArrayList<>(subjects);
        args.add(limit);
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE subject IN (" + Sql.placeholders(subjects.size())
                + ") ORDER BY at DESC, id DESC LIMIT ?", MAPPER, args.toArray());
    }

    @Override
    public List<AuditEntry> recentBy(String actor, int limit) {
        return limit < 1 ? List.of() : jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE actor = ? ORDER BY at DESC, id DESC "
                + "LIMIT ?", MAPPER, actor, limit);
    }

    /** {@inheritDoc} The domain is matched literally: {@code %}, {@code _} and the escape character are escaped. */
    @Override
    public List<AuditEntry> recentIn(String domain, int limit) {
        if (limit < 1 || domain.isEmpty()) {
            return List.of();
        }
        String literal = domain.replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE subject = ? OR subject LIKE ? ESCAPE '!' "
                + "OR subject LIKE ? ESCAPE '!' ORDER BY at DESC, id DESC LIMIT ?", MAPPER, domain, literal + "-%",
                literal + "/%", limit);
    }

    /** {@inheritDoc} Row by row as the driver reads them; an exception from {@code sink} ends the export. */
    @Override
    public void export(Instant since, Consumer<AuditEntry> sink) {
        jdbc.query("SELECT " + COLUMNS + " FROM audit_log WHERE at >= ? ORDER BY at, id",
                (RowCallbackHandler) rs -> sink.accept(map(rs, rs.getRow())), Sql.time(since));
    }

    private static AuditEntry map(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                rs.getString("subject"), rs.getString("run_id"), rs.getString("origin"), rs.getString("detail"));
    }
}

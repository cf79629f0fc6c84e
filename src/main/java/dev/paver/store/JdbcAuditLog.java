package dev.paver.store;

import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

/**
 * {@link AuditLog} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}: the
 * {@code audit_log} table, which this class only inserts into and selects from. Entries with the same time keep the
 * order they were appended in (the generated id). Unreachable databases surface as Spring's unchecked
 * {@code DataAccessException}.
 */
public final class JdbcAuditLog implements AuditLog {

    private static final String COLUMNS = "at, actor, action, subject, run_id, origin, detail";
    private static final RowMapper<AuditEntry> MAPPER = JdbcAuditLog::map;

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcAuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void append(AuditEntry entry) {
        jdbc.update("INSERT INTO audit_log (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)",
                Sql.time(entry.at()), entry.actor(), entry.action(), entry.subject(), Sql.text(entry.runId()),
                entry.origin(), entry.detail());
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

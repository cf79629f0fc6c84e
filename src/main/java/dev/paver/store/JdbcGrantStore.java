package dev.paver.store;

import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * {@link GrantStore} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}: one
 * {@code grants} row per elevate run. Extension, reminder and revocation are single conditional updates, so that
 * however many passes or replicas try, one succeeds; unreachable databases surface as Spring's unchecked
 * {@code DataAccessException}.
 */
public final class JdbcGrantStore implements GrantStore {

    private static final RowMapper<Grant> MAPPER = JdbcGrantStore::map;

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcGrantStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Grant insertIfAbsent(Grant grant) {
        return Sql.insertIfAbsent(() -> jdbc.update("INSERT INTO grants (run_id, namespace, role, cluster_role, user_id, "
                        + "identity, approver, binding, granted_at, expires_at, state, revoked_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                grant.runId(), grant.namespace(), grant.role(), grant.clusterRole(), grant.user(), grant.identity(),
                grant.approver(), grant.binding(), Sql.time(grant.grantedAt()), Sql.time(grant.expiresAt()),
                grant.state().name(), Sql.time(grant.revokedAt())),
                () -> find(grant.runId()));
    }

    @Override
    public Optional<Grant> find(String runId) {
        return jdbc.query("SELECT * FROM grants WHERE run_id = ?", MAPPER, runId).stream().findFirst();
    }

    @Override
    public List<Grant> active() {
        return jdbc.query("SELECT * FROM grants WHERE state = 'ACTIVE' ORDER BY expires_at, run_id", MAPPER);
    }

    @Override
    public boolean extend(String runId, Instant from, Instant to, String approver) {
        return jdbc.update("UPDATE grants SET expires_at = ?, approver = ? "
                        + "WHERE run_id = ? AND state = 'ACTIVE' AND expires_at = ?",
                Sql.time(to), approver, runId, Sql.time(from)) == 1;
    }

    @Override
    public boolean revoked(String runId, Instant at) {
        return jdbc.update("UPDATE grants SET state = 'REVOKED', revoked_at = ? WHERE run_id = ? AND state = 'ACTIVE'",
                Sql.time(at), runId) == 1;
    }

    private static Grant map(ResultSet rs, int row) throws SQLException {
        return new Grant(rs.getString("run_id"), rs.getString("namespace"), rs.getString("role"),
                rs.getString("cluster_role"), rs.getString("user_id"), rs.getString("identity"), rs.getString("approver"),
                rs.getString("binding"), Sql.instant(rs, "granted_at"), Sql.instant(rs, "expires_at"),
                Grant.State.valueOf(rs.getString("state")), Sql.instant(rs, "revoked_at"));
    }
}

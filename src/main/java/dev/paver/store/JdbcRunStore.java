package dev.paver.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import dev.paver.core.run.StepRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link RunStore} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}; the schema
 * is Flyway's {@code db/migration}. Request, steps and posted milestone keys are stored as JSON; the requester is also
 * a column of its own, for {@link #recentBy}.
 *
 * <p>The lease of {@link RunStore#claim} is two columns of {@code runs} ({@code lease_owner}, {@code lease_until},
 * migration {@code V5}); claims and guarded updates are single conditional {@code UPDATE}s, atomic on both databases
 * (PostgreSQL re-checks the condition on the row a concurrent update committed).
 */
public final class JdbcRunStore implements RunStore {

    private static final TypeReference<List<StepRun>> STEPS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashSet<String>> KEYS = new TypeReference<>() { };

    /** The longest owner id the {@code lease_owner} column takes. */
    public static final int MAX_OWNER = 100;

    private final JdbcTemplate jdbc;
    private final String owner;
    /** Runs stored at the same moment (a burst of slash commands, each stored before its ack) share a commit. */
    private final GroupCommit<Insert> inserts;

    /**
     * @param jdbc  on a database migrated with {@code db/migration} (Flyway)
     * @param owner this replica's id, unique among the replicas on the database and stable for the process (such as
     *              the pod name and a random suffix), at most {@link #MAX_OWNER} characters
     * @throws IllegalArgumentException when the owner is blank or too long
     */
    public JdbcRunStore(JdbcTemplate jdbc, String owner) {
        if (owner == null || owner.isBlank() || owner.length() > MAX_OWNER) {
            throw new IllegalArgumentException("a replica's owner id must be 1 to " + MAX_OWNER + " characters, got '"
                    + owner + "'");
        }
        this.jdbc = jdbc;
        this.owner = owner;
        this.inserts = new GroupCommit<>(new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
                this::insert);
    }

    /** This store's replica: the owner its claims write. */
    public String owner() {
        return owner;
    }

    /**
     * {@inheritDoc} One {@code INSERT}, committed with the runs other threads store at the same moment
     * ({@link GroupCommit}); the unique index on {@code request_signature} (migration {@code V6}) refuses the second run
     * of a request.
     */
    @Override
    public boolean insert(Run run, String requestSignature) {
        try {
            inserts.write(new Insert(run, requestSignature));
            return true;
        } catch (DuplicateKeyException replay) {
            if (requestSignature == null) {
                throw replay;
            }
            return false;
        }
    }

    private record Insert(Run run, String requestSignature) {
    }

    private void insert(Insert insert) {
        Run run = insert.run();
        jdbc.update("INSERT INTO runs (id, golden_path, request_json, state, steps_json, channel, card_ts, thread_ts, "
                        + "waiting_for, outcome, posted_json, created_at, updated_at, wake_at, requester, request_signature, "
                        + "card_stale_since) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                run.id(), run.request().goldenPath(), Json.write(run.request()), run.state().name(), Json.write(run.steps()),
                run.request().channel(), cardTs(run), threadTs(run), run.waitingFor(), run.outcome(),
                Json.write(run.posted()), Sql.time(run.createdAt()), Sql.time(run.updatedAt()), Sql.time(run.wakeAt()),
                run.request().requester(), insert.requestSignature(), cardTs(run) == null ? null : Sql.time(run.updatedAt()));
    }

    @Override
    public void update(Run run) {
        // card_stale_since: the new updated_at while the card shows an older state (card_shown_at is the old value here)
        int rows = jdbc.update("UPDATE runs SET state = ?, steps_json = ?, card_ts = ?, thread_ts = ?, channel = ?, "
                        + "waiting_for = ?, outcome = ?, posted_json = ?, updated_at = ?, wake_at = ?, "
                        + "card_stale_since = CASE WHEN card_shown_at IS NULL OR card_shown_at < ? "
                        + "THEN CAST(? AS TIMESTAMP WITH TIME ZONE) ELSE NULL END "
                        + "WHERE id = ? AND lease_owner = ?",
                run.state().name(), Json.write(run.steps()), cardTs(run), threadTs(run),
                run.thread() == null ? run.request().channel() : run.thread().channel(), run.waitingFor(), run.outcome(),
                Json.write(run.posted()), Sql.time(run.updatedAt()), Sql.time(run.wakeAt()),
                Sql.time(run.updatedAt()), cardTs(run) == null ? null : Sql.time(run.updatedAt()), run.id(), owner);
        if (rows != 1) {
            List<String> holder = jdbc.queryForList("SELECT lease_owner FROM runs WHERE id = ?", String.class, run.id());
            if (holder.isEmpty()) {
                throw new IllegalStateException("run " + run.id() + " is not stored");
            }
            throw new LeaseLost("run " + run.id() + " is not leased to " + owner + " (lease: "
                    + (holder.get(0) == null ? "none" : holder.get(0)) + "); not written");
        }
    }

    @Override
    public boolean claim(String runId, Instant until, Instant now) {
        return jdbc.update("UPDATE runs SET lease_owner = ?, lease_until = ? WHERE id = ? "
                        + "AND (lease_owner IS NULL OR lease_owner = ? OR lease_until <= ?)",
                owner, Sql.time(until), runId, owner, Sql.time(now)) == 1;
    }

    @Override
    public boolean renew(String runId, Instant until) {
        return jdbc.update("UPDATE runs SET lease_until = ? WHERE id = ? AND lease_owner = ?",
                Sql.time(until), runId, owner) == 1;
    }

    @Override
    public void release(String runId) {
        jdbc.update("UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?", runId, owner);
    }

    /**
     * Clears every run's lease, whoever holds it; returns how many were held. Only for a database that no other
     * process can open while this one runs (H2 in a file): there, a lease left in it is a dead process's, and its
     * runs go on at once instead of after the lease time.
     */
    public int clearLeases() {
        return jdbc.update("UPDATE runs SET lease_owner = NULL, lease_until = NULL WHERE lease_owner IS NOT NULL");
    }

    @Override
    public Optional<Run> find(String id) {
        return jdbc.query("SELECT * FROM runs WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    @Override
    public List<String> waitingOn(String keyPrefix) {
        return jdbc.queryForList("SELECT id FROM runs WHERE state = 'WAITING' AND waiting_for LIKE ? ESCAPE '\\' "
                + "ORDER BY created_at", String.class, startingWith(keyPrefix));
    }

    @Override
    public List<String> unfinishedIds(Collection<String> unlessWaitingOn) {
        String sql = unlessWaitingOn.isEmpty() ? "SELECT id FROM runs WHERE state IN ('RUNNING', 'WAITING')"
                : "SELECT id FROM runs WHERE state = 'RUNNING' OR state = 'WAITING' AND (waiting_for IS NULL OR ("
                        + String.join(" AND ", Collections.nCopies(unlessWaitingOn.size(), "waiting_for NOT LIKE ? ESCAPE '\\'"))
                        + "))";
        return jdbc.queryForList(sql + " ORDER BY created_at", String.class,
                unlessWaitingOn.stream().map(JdbcRunStore::startingWith).toArray());
    }

    /** A LIKE pattern for the values that start with {@code prefix}, its {@code %}, {@code _} and {@code \} taken literally. */
    private static String startingWith(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    @Override
    public List<Run> waitingFor(String waitKey) {
        return jdbc.query("SELECT * FROM runs WHERE state = 'WAITING' AND waiting_for = ? ORDER BY created_at", MAPPER, waitKey);
    }

    @Override
    public List<Run> due(Instant now) {
        return jdbc.query("SELECT * FROM runs WHERE state = 'WAITING' AND wake_at <= ? ORDER BY wake_at, created_at",
                MAPPER, Sql.time(now));
    }

    /** {@inheritDoc} Runs stored before the requester had a column of its own are not listed. */
    @Override
    public List<Run> recentBy(String requester, int limit) {
        return jdbc.query("SELECT * FROM runs WHERE requester = ? ORDER BY created_at DESC LIMIT ?", MAPPER, requester, limit);
    }

    @Override
    public List<Run> recent(int limit) {
        return jdbc.query("SELECT * FROM runs ORDER BY created_at DESC LIMIT ?", MAPPER, limit);
    }

    @Override
    public List<Run> received(Instant before) {
        return jdbc.query("SELECT * FROM runs WHERE state = 'RECEIVED' AND created_at <= ? ORDER BY created_at", MAPPER,
                Sql.time(before));
    }

    @Override
    public boolean leaveReceived(String id, RunRequest request, RunState state, String outcome, Instant now) {
        return jdbc.update("UPDATE runs SET state = ?, request_json = ?, outcome = ?, updated_at = ? WHERE id = ? AND state = 'RECEIVED'",
                state.name(), Json.write(request), outcome == null ? "" : outcome, Sql.time(now), id) == 1;
    }

    @Override
    public List<Run> staleCards(int limit) {
        // a range on the index of V7 (not IS NOT NULL, which not every planner reads as a range): no scan of every run
        return jdbc.query("SELECT * FROM runs WHERE card_stale_since >= ? ORDER BY card_stale_since LIMIT ?", MAPPER,
                Sql.time(Instant.EPOCH), limit);
    }

    @Override
    public void cardShown(String id, Instant updatedAt) {
        jdbc.update("UPDATE runs SET card_shown_at = ?, card_stale_since = CASE WHEN updated_at <= ? THEN NULL "
                + "ELSE card_stale_since END WHERE id = ?", Sql.time(updatedAt), Sql.time(updatedAt), id);
    }

    private static final RowMapper<Run> MAPPER = JdbcRunStore::map;

    private static Run map(ResultSet rs, int row) throws SQLException {
        String cardTs = rs.getString("card_ts");
        ThreadRef thread = cardTs == null ? null : new ThreadRef(rs.getString("channel"), cardTs, rs.getString("thread_ts"));
        return new Run(rs.getString("id"), Json.read(rs.getString("request_json"), RunRequest.class),
                Sql.instant(rs, "created_at"), RunState.valueOf(rs.getString("state")),
                Json.read(rs.getString("steps_json"), STEPS), thread, rs.getString("waiting_for"), rs.getString("outcome"),
                Sql.instant(rs, "updated_at"), Json.read(rs.getString("posted_json"), KEYS), Sql.instant(rs, "wake_at"));
    }

    private static String cardTs(Run run) {
        return run.thread() == null ? null : run.thread().cardTs();
    }

    private static String threadTs(Run run) {
        return run.thread() == null ? null : run.thread().threadTs();
    }
}

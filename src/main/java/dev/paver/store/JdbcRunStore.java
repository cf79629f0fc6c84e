package dev.paver.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import dev.paver.core.run.StepRun;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * {@link RunStore} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}; the schema
 * is Flyway's {@code db/migration}. Request, steps and posted milestone keys are stored as JSON.
 */
public final class JdbcRunStore implements RunStore {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    private static final TypeReference<List<StepRun>> STEPS = new TypeReference<>() { };
    private static final TypeReference<LinkedHashSet<String>> KEYS = new TypeReference<>() { };

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcRunStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Run run) {
        jdbc.update("INSERT INTO runs (id, golden_path, request_json, state, steps_json, channel, card_ts, thread_ts, "
                        + "waiting_for, outcome, posted_json, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                run.id(), run.request().goldenPath(), write(run.request()), run.state().name(), write(run.steps()),
                run.request().channel(), cardTs(run), threadTs(run), run.waitingFor(), run.outcome(),
                write(run.posted()), time(run.createdAt()), time(run.updatedAt()));
    }

    @Override
    public void update(Run run) {
        int rows = jdbc.update("UPDATE runs SET state = ?, steps_json = ?, card_ts = ?, thread_ts = ?, channel = ?, "
                        + "waiting_for = ?, outcome = ?, posted_json = ?, updated_at = ? WHERE id = ?",
                run.state().name(), write(run.steps()), cardTs(run), threadTs(run),
                run.thread() == null ? run.request().channel() : run.thread().channel(), run.waitingFor(), run.outcome(),
                write(run.posted()), time(run.updatedAt()), run.id());
        if (rows != 1) {
            throw new IllegalStateException("run " + run.id() + " is not stored");
        }
    }

    @Override
    public Optional<Run> find(String id) {
        return jdbc.query("SELECT * FROM runs WHERE id = ?", MAPPER, id).stream().findFirst();
    }

    @Override
    public List<Run> unfinished() {
        return jdbc.query("SELECT * FROM runs WHERE state IN ('RUNNING', 'WAITING') ORDER BY created_at", MAPPER);
    }

    @Override
    public List<Run> waitingFor(String waitKey) {
        return jdbc.query("SELECT * FROM runs WHERE state = 'WAITING' AND waiting_for = ? ORDER BY created_at", MAPPER, waitKey);
    }

    @Override
    public List<Run> due(Instant now) {
        throw new UnsupportedOperationException("being written");
    }

    @Override
    public List<Run> recentBy(String requester, int limit) {
        throw new UnsupportedOperationException("being written");
    }

    @Override
    public List<Run> recent(int limit) {
        return jdbc.query("SELECT * FROM runs ORDER BY created_at DESC LIMIT ?", MAPPER, limit);
    }

    private static final RowMapper<Run> MAPPER = JdbcRunStore::map;

    private static Run map(ResultSet rs, int row) throws SQLException {
        String cardTs = rs.getString("card_ts");
        ThreadRef thread = cardTs == null ? null : new ThreadRef(rs.getString("channel"), cardTs, rs.getString("thread_ts"));
        return new Run(rs.getString("id"), read(rs.getString("request_json"), RunRequest.class),
                instant(rs, "created_at"), RunState.valueOf(rs.getString("state")), read(rs.getString("steps_json"), STEPS),
                thread, rs.getString("waiting_for"), rs.getString("outcome"), instant(rs, "updated_at"),
                read(rs.getString("posted_json"), KEYS));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String cardTs(Run run) {
        return run.thread() == null ? null : run.thread().cardTs();
    }

    private static String threadTs(Run run) {
        return run.thread() == null ? null : run.thread().threadTs();
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run data is not readable: " + e.getOriginalMessage(), e);
        }
    }
}

package dev.paver.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalRequest.Prompt;
import dev.paver.core.approval.ApprovalRequest.SummaryLine;
import dev.paver.core.approval.ApprovalRequest.Vote;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.approval.ApprovalStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

/**
 * {@link ApprovalStore} on a relational database (H2 or PostgreSQL) through Spring's {@link JdbcTemplate}: one
 * {@code approvals} row per request (summary and prompts as JSON) and one {@code approval_votes} row per approver and
 * pull request head. Every state change is a single conditional statement, so concurrent callers (two approvers, two
 * replicas) cannot both succeed; unreachable databases surface as Spring's unchecked {@code DataAccessException}.
 */
public final class JdbcApprovalStore implements ApprovalStore {

    private static final TypeReference<List<SummaryLine>> SUMMARY = new TypeReference<>() { };
    private static final TypeReference<List<Prompt>> PROMPTS = new TypeReference<>() { };
    private static final RowMapper<ApprovalRequest> MAPPER = JdbcApprovalStore::map;

    private final JdbcTemplate jdbc;

    /** @param jdbc on a database migrated with {@code db/migration} (Flyway) */
    public JdbcApprovalStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** {@inheritDoc} Votes the new request carries are recorded as {@link #addVote} would. */
    @Override
    public ApprovalRequest insertIfAbsent(ApprovalRequest request) {
        return Sql.insertIfAbsent(() -> insert(request), () -> find(request.id()));
    }

    private void insert(ApprovalRequest r) {
        jdbc.update("INSERT INTO approvals (id, run_id, request_key, purpose, domain, subject, requester, summary_json, "
                        + "pull_request, head_sha, required, state, decided_by, decided_at, reason, created_at, expires_at, "
                        + "prompts_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                r.id(), r.runId(), r.key(), r.purpose(), r.domain(), r.subject(), r.requester(), Json.write(r.summary()),
                Sql.text(r.pullRequest()), r.headSha(), r.required(), r.state().name(), Sql.text(r.decidedBy()),
                Sql.time(r.decidedAt()), Sql.text(r.reason()), Sql.time(r.createdAt()), Sql.time(r.expiresAt()),
                Json.write(r.prompts()));
        r.votes().forEach(vote -> addVote(r.id(), vote));
    }

    @Override
    public Optional<ApprovalRequest> find(String id) {
        return load("id = ?", id).stream().findFirst();
    }

    @Override
    public List<ApprovalRequest> forRun(String runId) {
        return load("run_id = ?", runId);
    }

    @Override
    public List<ApprovalRequest> pending() {
        return load("state = 'PENDING'");
    }

    @Override
    public boolean addVote(String id, Vote vote) {
        try {
            return jdbc.update("INSERT INTO approval_votes (approval_id, approver, head_sha, voted_at, origin) "
                            + "SELECT id, ?, head_sha, ?, ? FROM approvals WHERE id = ? AND state = 'PENDING' AND head_sha = ?",
                    vote.approver(), Sql.time(vote.at()), vote.origin(), id, head(vote.headSha())) == 1;
        } catch (DuplicateKeyException alreadyVoted) {
            return false;
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when {@code state} is PENDING, which decides nothing
     */
    @Override
    public boolean decide(String id, ApprovalState state, String decidedBy, Instant at, String reason) {
        if (!state.decided()) {
            throw new IllegalArgumentException("a decision is APPROVED, DENIED or EXPIRED, not " + state);
        }
        return jdbc.update("UPDATE approvals SET state = ?, decided_by = ?, decided_at = ?, reason = ? "
                        + "WHERE id = ? AND state = 'PENDING'",
                state.name(), Sql.text(decidedBy), Sql.time(at), Sql.text(reason), id) == 1;
    }

    /** {@inheritDoc} Only a pending or approved request moves; the same head is no move (false). */
    @Override
    public boolean rebase(String id, String oldHead, String newHead) {
        if (head(oldHead).equals(head(newHead))) {
            return false;
        }
        return jdbc.update("UPDATE approvals SET head_sha = ?, state = 'PENDING', decided_by = NULL, decided_at = NULL "
                        + "WHERE id = ? AND head_sha = ? AND state IN ('PENDING', 'APPROVED')",
                head(newHead), id, head(oldHead)) == 1;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when no request has this id
     */
    @Override
    public void prompts(String id, List<Prompt> prompts) {
        if (jdbc.update("UPDATE approvals SET prompts_json = ? WHERE id = ?", Json.write(List.copyOf(prompts)), id) != 1) {
            throw new IllegalStateException("approval request " + id + " is not stored");
        }
    }

    /**
     * The requests matching {@code where} (a condition on {@code approvals}' columns), oldest first, each with the
     * votes for the head it was read with, oldest first.
     */
    private List<ApprovalRequest> load(String where, Object... args) {
        List<ApprovalRequest> requests = jdbc.query(
                "SELECT * FROM approvals WHERE " + where + " ORDER BY created_at, id", MAPPER, args);
        if (requests.isEmpty()) {
            return requests;
        }
        Map<String, List<Vote>> votes = new HashMap<>();
        jdbc.query("SELECT * FROM approval_votes WHERE approval_id IN (SELECT id FROM approvals WHERE " + where + ") "
                        + "ORDER BY voted_at, approver",
                (RowCallbackHandler) rs -> votes.computeIfAbsent(rs.getString("approval_id"), k -> new ArrayList<>())
                        .add(new Vote(rs.getString("approver"), rs.getString("head_sha"), Sql.instant(rs, "voted_at"),
                                rs.getString("origin"))),
                args);
        return requests.stream().map(r -> withVotes(r, votes.getOrDefault(r.id(), List.of()).stream()
                .filter(v -> v.headSha().equals(r.headSha())).toList())).toList();
    }

    private static ApprovalRequest map(ResultSet rs, int row) throws SQLException {
        return new ApprovalRequest(rs.getString("id"), rs.getString("run_id"), rs.getString("request_key"),
                rs.getString("purpose"), rs.getString("domain"), rs.getString("subject"), rs.getString("requester"),
                Json.read(rs.getString("summary_json"), SUMMARY), rs.getString("pull_request"), rs.getString("head_sha"),
                rs.getInt("required"), ApprovalState.valueOf(rs.getString("state")), rs.getString("decided_by"),
                Sql.instant(rs, "decided_at"), rs.getString("reason"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"), List.of(), Json.read(rs.getString("prompts_json"), PROMPTS));
    }

    private static ApprovalRequest withVotes(ApprovalRequest r, List<Vote> votes) {
        return new ApprovalRequest(r.id(), r.runId(), r.key(), r.purpose(), r.domain(), r.subject(), r.requester(),
                r.summary(), r.pullRequest(), r.headSha(), r.required(), r.state(), r.decidedBy(), r.decidedAt(),
                r.reason(), r.createdAt(), r.expiresAt(), votes, r.prompts());
    }

    /** A head as stored: empty, not null, when there is no pull request. */
    private static String head(String sha) {
        return sha == null ? "" : sha;
    }
}

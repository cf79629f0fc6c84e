package dev.paver.core.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port to durable approval requests. Decisions are conditional updates, so that two approvers clicking at once, or
 * two Paver replicas, produce one decision. Implementations throw unchecked exceptions when the store is unreachable.
 */
public interface ApprovalStore {

    /** Stores the request unless one with its id exists; returns the stored one (the existing one wins). */
    ApprovalRequest insertIfAbsent(ApprovalRequest request);

    Optional<ApprovalRequest> find(String id);

    /** The requests of a run, oldest first. */
    List<ApprovalRequest> forRun(String runId);

    /** Pending requests, oldest first (App Home, expiry). */
    List<ApprovalRequest> pending();

    /**
     * Records a vote for the request's current head unless this approver already voted for it.
     *
     * @return false when the approver had voted already, or the request is decided or is at another head
     */
    boolean addVote(String id, ApprovalRequest.Vote vote);

    /**
     * Decides a pending request: {@code PENDING -> state}, only if it is still pending.
     *
     * @return true for the one caller whose update decided it
     */
    boolean decide(String id, ApprovalState state, String decidedBy, Instant at, String reason);

    /**
     * The pull request moved to {@code newHead}: votes for other heads are void and an approved request is pending
     * again. Conditional on the stored head being {@code oldHead}.
     *
     * @return true when this call moved it
     */
    boolean rebase(String id, String oldHead, String newHead);

    /** Where the prompts were posted (replaces the list). */
    void prompts(String id, List<ApprovalRequest.Prompt> prompts);
}

package dev.paver.core.approval;

import java.time.Instant;

/**
 * Hears each approval request opened and each decision of one, for what operators watch (metrics) and what people see
 * (App Home): {@link #decided} is called by {@link Approvals} once per request, by the caller whose conditional update
 * decided it, after it is stored. Must be quick (no I/O) and must not throw; an exception is logged and otherwise
 * ignored.
 */
public interface DecisionListener {

    /** Hears nothing. */
    DecisionListener NONE = (request, decision, at) -> { };

    /**
     * @param request  the request as it was before the decision (its {@code createdAt} and {@code purpose})
     * @param decision APPROVED, DENIED or EXPIRED
     * @param at       when it was decided
     */
    void decided(ApprovalRequest request, ApprovalState decision, Instant at);

    /** A request was opened and its prompts posted: it now waits for its approvers. Once per request. */
    default void asked(ApprovalRequest request) {
    }
}

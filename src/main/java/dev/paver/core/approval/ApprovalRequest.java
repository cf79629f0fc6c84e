package dev.paver.core.approval;

import java.time.Instant;
import java.util.List;

/**
 * A request for a second person's approval, opened by a run's {@code paver:approval} step (or by an Extend button):
 * what will change, who asks, who decided. Stored through {@link ApprovalStore}; one per run and key.
 *
 * @param id          stable id, {@code <runId>.<key>}, the value of the prompt's buttons
 * @param runId       the run that waits for it
 * @param key         the step id, or {@code extend-<expiry epoch seconds>} for an extension
 * @param purpose     {@code promote}, {@code elevate} or {@code extend}: the golden path's words for the prompt
 * @param domain      the domain whose approvers decide
 * @param subject     the semantic key it concerns, e.g. {@code payments-prod-api}
 * @param requester   Slack user id of the person who asked; never an approver
 * @param summary     label and value lines for the prompt: reason, files, revision, role and duration
 * @param pullRequest the pull request URL, or empty (elevations)
 * @param headSha     the pull request head the approvals are for, or empty; a new head voids earlier votes
 * @param required    how many distinct approvers must approve (N of M)
 * @param state       where it is
 * @param decidedBy   Slack user id of the approver whose vote decided it, the denier, or empty
 * @param decidedAt   when it was decided, or null
 * @param reason      the deny reason, or empty
 * @param createdAt   when it was opened
 * @param expiresAt   after this it can no longer be approved: the run ends as expired
 * @param votes       approvals given for the current head, oldest first
 * @param prompts     where the prompt was posted (channel and message ts), edited when decided
 */
public record ApprovalRequest(String id, String runId, String key, String purpose, String domain, String subject,
                              String requester, List<SummaryLine> summary, String pullRequest, String headSha,
                              int required, ApprovalState state, String decidedBy, Instant decidedAt, String reason,
                              Instant createdAt, Instant expiresAt, List<Vote> votes, List<Prompt> prompts) {

    public ApprovalRequest {
        summary = List.copyOf(summary);
        votes = List.copyOf(votes);
        prompts = List.copyOf(prompts);
        pullRequest = pullRequest == null ? "" : pullRequest;
        headSha = headSha == null ? "" : headSha;
        decidedBy = decidedBy == null ? "" : decidedBy;
        reason = reason == null ? "" : reason;
        if (required < 1) {
            throw new IllegalArgumentException("an approval needs at least one approver, got " + required);
        }
    }

    /** The id of a run's request for {@code key}. */
    public static String id(String runId, String key) {
        return runId + "." + key;
    }

    /** A label and value for the prompt, e.g. {@code Reason} / {@code "incident 4711"}. */
    public record SummaryLine(String label, String value) {
    }

    /**
     * One approval.
     *
     * @param approver Slack user id, from the signed payload
     * @param headSha  the pull request head it approved, or empty
     * @param at       when
     * @param origin   how: {@code BUTTON} in a message or App Home
     */
    public record Vote(String approver, String headSha, Instant at, String origin) {
    }

    /** Where a prompt was posted: channel id and the message's {@code ts}. */
    public record Prompt(String channel, String ts) {
    }
}

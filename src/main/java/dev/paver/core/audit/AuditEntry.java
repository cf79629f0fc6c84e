package dev.paver.core.audit;

import java.time.Instant;

/**
 * One line of the audit log: who did what, when, to what, from where. Never updated or deleted.
 *
 * @param at      when
 * @param actor   Slack user id of the person, or {@code paver} for what Paver did on its own (revocation at expiry)
 * @param action  {@code request}, {@code approve}, {@code deny}, {@code expire}, {@code void}, {@code grant},
 *                {@code extend}, {@code revoke}, {@code sweep} (a RoleBinding no active grant backs, deleted), {@code merge},
 *                {@code sync}
 * @param subject the semantic key ({@code payments-prod-api}), or {@code {domain}/{service}} when a run concerns
 *                every environment
 * @param runId   the run, or empty
 * @param origin  {@code TYPED}, {@code MODAL}, {@code BUTTON}, or {@code PAVER}
 * @param detail  one line: the golden path and parameters, the reason, the role and expiry
 */
public record AuditEntry(Instant at, String actor, String action, String subject, String runId, String origin, String detail) {
    public AuditEntry {
        runId = runId == null ? "" : runId;
        detail = detail == null ? "" : detail;
    }
}

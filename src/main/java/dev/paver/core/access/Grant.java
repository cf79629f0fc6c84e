package dev.paver.core.access;

import java.time.Instant;

/**
 * A time-boxed elevation: a RoleBinding in one production namespace that binds one person's cluster identity to a
 * role's ClusterRole until {@code expiresAt}. Stored through {@link GrantStore}; one per run.
 *
 * @param runId       the elevate run (also names the RoleBinding)
 * @param namespace   the semantic key, e.g. {@code payments-prod-api}
 * @param role        the role's name, e.g. {@code operator}
 * @param clusterRole the ClusterRole the RoleBinding references, e.g. {@code edit}
 * @param user        Slack user id of the person it is for
 * @param identity    their cluster identity (the RoleBinding's {@code User} subject), e.g. an email
 * @param approver    Slack user id of the approver of the grant (of the last extension, once extended)
 * @param binding     the RoleBinding's name
 * @param grantedAt   when the RoleBinding was created: the time starts here
 * @param expiresAt   when it is deleted
 * @param state       ACTIVE or REVOKED
 * @param revokedAt   when it was deleted, or null
 */
public record Grant(String runId, String namespace, String role, String clusterRole, String user, String identity,
                    String approver, String binding, Instant grantedAt, Instant expiresAt, State state, Instant revokedAt) {

    /** Whether the RoleBinding exists. */
    public enum State {
        ACTIVE, REVOKED
    }
}

package dev.paver.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port to durable grants. State changes are conditional updates, so that a grant is revoked once however many
 * passes or replicas see it expire. Implementations throw unchecked exceptions when the store is unreachable.
 */
public interface GrantStore {

    /** Stores the grant unless the run has one; returns the stored one. */
    Grant insertIfAbsent(Grant grant);

    Optional<Grant> find(String runId);

    /** Active grants, soonest expiry first. */
    List<Grant> active();

    /**
     * Moves an active grant's expiry from {@code from} to {@code to}, approved by {@code approver}.
     *
     * @return false when the grant is revoked or its expiry is no longer {@code from} (already extended)
     */
    boolean extend(String runId, Instant from, Instant to, String approver);

    /** ACTIVE to REVOKED; true for the one caller that changed it. */
    boolean revoked(String runId, Instant at);
}

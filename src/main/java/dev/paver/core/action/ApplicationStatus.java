package dev.paver.core.action;

import java.util.function.Predicate;

/**
 * What Paver reads of an Argo CD Application's {@code status} (argoproj.io/v1alpha1).
 *
 * @param name             {@code metadata.name}
 * @param syncStatus       {@code status.sync.status}: Synced, OutOfSync, Unknown
 * @param syncRevision     {@code status.sync.revision}
 * @param healthStatus     {@code status.health.status}: Healthy, Progressing, Degraded, Suspended, Missing, Unknown
 * @param healthMessage    {@code status.health.message}, may be empty
 * @param operationPhase   {@code status.operationState.phase}: Running, Succeeded, Failed, Error, Terminating; empty
 *                         when no operation ran
 * @param operationMessage {@code status.operationState.message}
 * @param operationRevision {@code status.operationState.syncResult.revision}
 */
public record ApplicationStatus(String name, String syncStatus, String syncRevision, String healthStatus,
                                String healthMessage, String operationPhase, String operationMessage,
                                String operationRevision) {

    /**
     * Argo CD's {@code on-deployed} trigger for one revision: operation phase Succeeded and health Healthy, for
     * the revision the sync applied (notifications catalog, {@code triggers/on-deployed.yaml}, which fires once
     * per {@code syncResult.revision}).
     */
    public boolean deployed(String revision) {
        return deployed(applied -> applied.equals(revision), revision);
    }

    /**
     * As {@link #deployed(String)}, where the sync may have applied a later commit: {@code includes} says whether
     * an applied revision contains the merge (Argo CD syncs the branch head, which may have moved on).
     */
    public boolean deployed(Predicate<String> includes, String revision) {
        return "Succeeded".equals(operationPhase) && "Healthy".equals(healthStatus) && applied(includes, revision);
    }

    /** Argo CD's {@code on-sync-failed}: operation phase Error or Failed, for this revision. */
    public boolean syncFailed(String revision) {
        return syncFailed(applied -> applied.equals(revision), revision);
    }

    /** As {@link #syncFailed(String)}, with {@code includes} as in {@link #deployed(Predicate, String)}. */
    public boolean syncFailed(Predicate<String> includes, String revision) {
        return ("Failed".equals(operationPhase) || "Error".equals(operationPhase)) && applied(includes, revision);
    }

    /**
     * Argo CD's {@code on-health-degraded}, once the sync of this revision has ended: a rollout may look Degraded
     * for a moment while its operation is still Running.
     */
    public boolean degraded(String revision) {
        return degraded(applied -> applied.equals(revision), revision);
    }

    /** As {@link #degraded(String)}, with {@code includes} as in {@link #deployed(Predicate, String)}. */
    public boolean degraded(Predicate<String> includes, String revision) {
        return "Degraded".equals(healthStatus) && applied(includes, revision) && !syncing();
    }

    /** Argo CD's {@code on-sync-running}. */
    public boolean syncing() {
        return "Running".equals(operationPhase);
    }

    private boolean applied(Predicate<String> includes, String revision) {
        if (revision == null || revision.isEmpty()) {
            return true;
        }
        return operationRevision != null && !operationRevision.isEmpty() && includes.test(operationRevision);
    }
}

package dev.paver.core.action;

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
        return "Succeeded".equals(operationPhase) && "Healthy".equals(healthStatus) && appliedRevision(revision);
    }

    /** Argo CD's {@code on-sync-failed}: operation phase Error or Failed, for this revision. */
    public boolean syncFailed(String revision) {
        return ("Failed".equals(operationPhase) || "Error".equals(operationPhase)) && appliedRevision(revision);
    }

    /**
     * Argo CD's {@code on-health-degraded}, once the sync of this revision has ended: a rollout may look Degraded
     * for a moment while its operation is still Running.
     */
    public boolean degraded(String revision) {
        return "Degraded".equals(healthStatus) && appliedRevision(revision) && !syncing();
    }

    /** Argo CD's {@code on-sync-running}. */
    public boolean syncing() {
        return "Running".equals(operationPhase);
    }

    private boolean appliedRevision(String revision) {
        return revision == null || revision.isEmpty() || revision.equals(operationRevision);
    }
}

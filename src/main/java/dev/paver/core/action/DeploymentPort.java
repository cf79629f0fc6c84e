package dev.paver.core.action;

import java.util.Map;
import java.util.Optional;

/** Port to the cluster's Argo CD: the Applications Paver follows. */
public interface DeploymentPort {

    /** False when no cluster is configured: deployment tracking is off and runs say so. */
    boolean enabled();

    /** The Application's current status, or empty when Argo CD has no such Application (yet). */
    Optional<ApplicationStatus> application(String name);

    /**
     * Starts a sync of the Application to {@code revision}, as Argo CD's UI and CLI do: sets the Application's
     * {@code operation} ({@code sync.revision}, {@code initiatedBy.username}, {@code info}) through the Kubernetes
     * API; Argo CD's controller then runs it and reports {@code status.operationState}.
     *
     * @param initiatedBy who it is done for, e.g. the approver's identity; shown by Argo CD as the initiator
     * @param info        name and value pairs Argo CD shows with the operation (the Paver run, the approver)
     * @return false when the Application does not exist
     * @throws IllegalStateException when another operation is running on the Application (Argo CD refuses a second)
     * @throws RuntimeException      when the API server refuses or cannot be reached
     */
    boolean sync(String name, String revision, String initiatedBy, Map<String, String> info);

    /**
     * Asks Argo CD to refresh the Application now, so that it compares with the repository's new head at once instead
     * of at its next poll (three minutes by default, {@code timeout.reconciliation}): sets the annotation
     * {@code argocd.argoproj.io/refresh: normal}, which Argo CD's controller removes once it refreshed (Argo CD docs,
     * "Annotations and Labels used by Argo CD"). An Application that syncs automatically then syncs the new revision.
     *
     * @return false when the Application does not exist (yet): Argo CD refreshes a new Application as it appears
     * @throws RuntimeException when the API server refuses (Paver needs {@code patch} on applications) or cannot be reached
     */
    boolean refresh(String name);

    /** A port for when no cluster is configured. */
    static DeploymentPort disabled() {
        return new DeploymentPort() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public Optional<ApplicationStatus> application(String name) {
                return Optional.empty();
            }

            @Override
            public boolean sync(String name, String revision, String initiatedBy, Map<String, String> info) {
                return false;
            }

            @Override
            public boolean refresh(String name) {
                return false;
            }
        };
    }
}

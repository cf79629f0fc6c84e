package dev.paver.core.action;

import java.util.Optional;

/** Port to the cluster's Argo CD: the Applications Paver follows. */
public interface DeploymentPort {

    /** False when no cluster is configured: deployment tracking is off and runs say so. */
    boolean enabled();

    /** The Application's current status, or empty when Argo CD has no such Application (yet). */
    Optional<ApplicationStatus> application(String name);

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
        };
    }
}

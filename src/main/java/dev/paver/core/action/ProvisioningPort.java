package dev.paver.core.action;

import java.util.Optional;

/**
 * Port to the cluster's Crossplane: the claims and composite resources (XRs) Paver follows, read with their composite
 * and composed resources. Read-only; an implementation never reads Secrets (a connection secret is reported by name).
 */
public interface ProvisioningPort {

    /** False when no cluster is configured: provisioning tracking is off and runs say so. */
    boolean enabled();

    /**
     * Why Paver cannot follow claims in {@code namespace}, or empty when it can. With one cluster per environment
     * the environment of a namespace {@code {domain}-{env}-{service}} may have none while others do.
     *
     * @param namespace the claim's namespace; empty for a cluster-scoped XR
     * @return by default {@code no cluster is configured} when {@link #enabled()} is false, else empty
     */
    default Optional<String> unavailable(String namespace) {
        return enabled() ? Optional.empty() : Optional.of("no cluster is configured");
    }

    /**
     * Reads a claim or XR and the chain below it: for a v1 claim, {@code spec.resourceRef} to its composite, then the
     * composite's {@code spec.resourceRefs}; for a v2 XR, {@code spec.crossplane.resourceRefs}; then each composed
     * resource's {@code status.conditions}. A composed resource that cannot be read (missing, forbidden, kind not
     * served) is reported as such in the snapshot, not thrown.
     *
     * @param apiVersion {@code group/version} of the claim or XR, e.g. {@code platform.paver.dev/v1alpha1}
     * @param kind       e.g. {@code PostgreSQLInstance}
     * @param namespace  its namespace; empty for a cluster-scoped XR
     * @param name       its name
     * @return the snapshot, or empty when the API server has no such object (not created yet, or deleted)
     * @throws Refused          when waiting cannot help: the kind is not served (its definition is not installed or
     *                          not established), Paver may not read it, or the namespace is missing or superfluous
     * @throws RuntimeException when the API server cannot be reached or fails: broken infrastructure, tried again
     */
    Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name);

    /**
     * The API server refused a read in a way that waiting does not fix; the message says what was refused and what
     * to do about it.
     */
    final class Refused extends RuntimeException {
        /** @param message what was refused and what to do, shown as the step's failure */
        public Refused(String message) {
            super(message);
        }
    }

    /** A port for when no cluster is configured. */
    static ProvisioningPort disabled() {
        return new ProvisioningPort() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
                return Optional.empty();
            }
        };
    }
}

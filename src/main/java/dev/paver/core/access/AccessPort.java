package dev.paver.core.access;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port to the cluster's RBAC: Paver's only way to grant production access. Both calls are idempotent and throw an
 * unchecked exception with the API server's reason when it refuses or cannot be reached.
 */
public interface AccessPort {

    /** False when no cluster is configured: elevations cannot be granted. */
    boolean enabled();

    /**
     * Why Paver cannot grant access in {@code namespace}, or empty when it can. With one cluster per environment the
     * environment of a namespace {@code {domain}-{env}-{service}} may have none while others do.
     *
     * @return by default {@code no cluster is configured} when {@link #enabled()} is false, else empty
     */
    default Optional<String> unavailable(String namespace) {
        return enabled() ? Optional.empty() : Optional.of("no cluster is configured");
    }

    /**
     * Creates or replaces the RoleBinding {@code name} in {@code namespace}: roleRef ClusterRole {@code clusterRole},
     * one subject {@code User identity} (rbac.authorization.k8s.io), with these annotations and the label
     * {@code app.kubernetes.io/managed-by: paver}.
     */
    void bind(String namespace, String name, String clusterRole, String identity, Map<String, String> annotations);

    /** Deletes the RoleBinding; false when it did not exist. */
    boolean unbind(String namespace, String name);

    /** True when the namespace exists in the cluster. */
    boolean namespaceExists(String namespace);

    /**
     * Every RoleBinding labelled {@code app.kubernetes.io/managed-by: paver}, in every namespace of every cluster Paver
     * writes elevations to: what the sweep checks against the stored grants ({@code list} on RoleBindings).
     *
     * @return empty when no cluster is configured
     * @throws RuntimeException with the API server's reason when it refuses or cannot be reached
     */
    List<AccessBinding> bindings();

    /** A port for when no cluster is configured. */
    static AccessPort disabled() {
        return new AccessPort() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public void bind(String namespace, String name, String clusterRole, String identity, Map<String, String> annotations) {
                throw new IllegalStateException("no cluster is configured: Paver cannot create RoleBindings");
            }

            @Override
            public boolean unbind(String namespace, String name) {
                throw new IllegalStateException("no cluster is configured: Paver cannot delete RoleBindings");
            }

            @Override
            public boolean namespaceExists(String namespace) {
                return false;
            }

            @Override
            public List<AccessBinding> bindings() {
                return List.of();
            }
        };
    }
}

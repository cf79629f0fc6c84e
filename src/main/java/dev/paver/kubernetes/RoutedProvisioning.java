package dev.paver.kubernetes;

import dev.paver.core.action.ClaimStatus;
import dev.paver.core.action.ProvisioningPort;
import java.util.Optional;

/**
 * Crossplane claims read in the cluster of their namespace's environment ({@code paver.kubernetes.clusters.<env>}),
 * else in the default cluster; a cluster-scoped XR (no namespace) in the default cluster.
 */
final class RoutedProvisioning implements ProvisioningPort {

    private final EnvironmentRouter<ProvisioningPort> router;

    RoutedProvisioning(EnvironmentRouter<ProvisioningPort> router) {
        this.router = router;
    }

    /** True when some environment has a cluster. */
    @Override
    public boolean enabled() {
        return router.any();
    }

    /** Empty when the namespace's environment has a cluster; else which setting gives it one. */
    @Override
    public Optional<String> unavailable(String namespace) {
        return router.forNamespace(namespace).isPresent() ? Optional.empty() : Optional.of(router.missing(namespace));
    }

    /** @throws Refused when the namespace's environment has no cluster ({@link #unavailable}) */
    @Override
    public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
        ProvisioningPort port = router.forNamespace(namespace).orElseThrow(() -> new Refused(router.missing(namespace)));
        return port.status(apiVersion, kind, namespace, name);
    }
}

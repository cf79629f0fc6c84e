package dev.paver.kubernetes;

import dev.paver.core.action.ClaimStatus;
import dev.paver.core.action.ProvisioningPort;
import java.util.Optional;

/**
 * Crossplane claims read in the cluster of their namespace's environment ({@code paver.kubernetes.clusters.<env>}),
 * else in the default cluster; a cluster-scoped XR (no namespace) in the default cluster.
 */
final class RoutedProvisioning extends RoutedPort<ProvisioningPort> implements ProvisioningPort {

    RoutedProvisioning(EnvironmentRouter<ProvisioningPort> router) {
        super(router);
    }

    /** @throws Refused when the namespace's environment has no cluster ({@link #unavailable}) */
    @Override
    public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
        ProvisioningPort port = router.forNamespace(namespace).orElseThrow(() -> new Refused(router.missing(namespace)));
        return port.status(apiVersion, kind, namespace, name);
    }
}

package dev.paver.kubernetes;

import dev.paver.core.access.AccessPort;
import java.util.Map;
import java.util.Optional;

/** RoleBindings written in the cluster of their namespace's environment ({@code paver.kubernetes.clusters.<env>}), else the default cluster. */
final class RoutedAccess implements AccessPort {

    private final EnvironmentRouter<AccessPort> router;

    RoutedAccess(EnvironmentRouter<AccessPort> router) {
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

    /** @throws IllegalStateException when the namespace's environment has no cluster */
    @Override
    public void bind(String namespace, String name, String clusterRole, String identity, Map<String, String> annotations) {
        router.require(namespace).bind(namespace, name, clusterRole, identity, annotations);
    }

    /** @throws IllegalStateException when the namespace's environment has no cluster */
    @Override
    public boolean unbind(String namespace, String name) {
        return router.require(namespace).unbind(namespace, name);
    }

    /** False when the namespace's environment has no cluster. */
    @Override
    public boolean namespaceExists(String namespace) {
        return router.forNamespace(namespace).map(port -> port.namespaceExists(namespace)).orElse(false);
    }
}

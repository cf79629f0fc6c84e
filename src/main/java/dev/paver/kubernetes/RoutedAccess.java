package dev.paver.kubernetes;

import dev.paver.core.access.AccessPort;
import java.util.Map;

/** RoleBindings written in the cluster of their namespace's environment ({@code paver.kubernetes.clusters.<env>}), else the default cluster. */
final class RoutedAccess extends RoutedPort<AccessPort> implements AccessPort {

    RoutedAccess(EnvironmentRouter<AccessPort> router) {
        super(router);
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

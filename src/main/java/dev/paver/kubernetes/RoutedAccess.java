package dev.paver.kubernetes;

import dev.paver.core.access.AccessBinding;
import dev.paver.core.access.AccessPort;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** RoleBindings written in the cluster of their namespace's environment ({@code paver.kubernetes.clusters.<env>}), else the default cluster. */
final class RoutedAccess extends RoutedPort<AccessPort> implements AccessPort {

    private static final Logger LOG = LoggerFactory.getLogger(RoutedAccess.class);

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

    /**
     * Paver's RoleBindings of every cluster, each once, as each cluster lists them. A binding found in a cluster that
     * is not its namespace's environment's (after {@code paver.kubernetes.clusters} changed) is left out, with a
     * warning: Paver deletes RoleBindings only through the cluster of their environment.
     *
     * @throws RuntimeException when a cluster refuses the list or cannot be reached
     */
    @Override
    public List<AccessBinding> bindings() {
        List<AccessBinding> all = new ArrayList<>();
        for (AccessPort port : router.distinct()) {
            for (AccessBinding binding : port.bindings()) {
                if (router.forNamespace(binding.namespace()).orElse(null) == port) {
                    all.add(binding);
                } else {
                    LOG.warn("{} is labelled as Paver's but is not in the cluster of its namespace's environment "
                            + "(paver.kubernetes.clusters): Paver leaves it; delete it there by hand if no one needs it",
                            binding.describe());
                }
            }
        }
        return all;
    }
}

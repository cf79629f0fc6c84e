package dev.paver.kubernetes;

import java.util.Optional;

/**
 * What the ports routed by environment share ({@link RoutedAccess}, {@link RoutedProvisioning}): on while some
 * environment has a cluster, and the reason a namespace's environment has none.
 *
 * @param <T> the port routed
 */
abstract class RoutedPort<T> {

    final EnvironmentRouter<T> router;

    RoutedPort(EnvironmentRouter<T> router) {
        this.router = router;
    }

    /** True when some environment has a cluster. */
    public boolean enabled() {
        return router.any();
    }

    /** Empty when the namespace's environment has a cluster; else which setting gives it one. */
    public Optional<String> unavailable(String namespace) {
        return router.unavailable(namespace);
    }
}

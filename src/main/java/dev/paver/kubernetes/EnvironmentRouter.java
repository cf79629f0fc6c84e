package dev.paver.kubernetes;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.SemanticKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One implementation of a port per environment, chosen by the environment, or by a service namespace
 * {@code {domain}-{env}-{service}} (CONVENTIONS.md, "The semantic key"; {@link Conventions#parseKey}): the port of the
 * environment's own cluster, else the default cluster's, else none, with a reason that names the setting to add.
 *
 * @param <T> the port
 */
final class EnvironmentRouter<T> {

    private final Conventions conventions;
    private final Map<String, T> ports;
    private final T fallback;

    private EnvironmentRouter(Conventions conventions, Map<String, T> ports, T fallback) {
        this.conventions = conventions;
        this.ports = ports;
        this.fallback = fallback;
    }

    /**
     * @param conventions the environments, and how a namespace names one
     * @param clusters    the clusters of the environments
     * @param fallback    the default cluster's port, or null when there is no default cluster
     * @param make        makes the port of an environment's own cluster
     */
    static <T> EnvironmentRouter<T> of(Conventions conventions, EnvironmentClusters clusters, T fallback,
                                       Function<KubernetesClient, T> make) {
        Map<String, T> ports = new LinkedHashMap<>();
        for (String environment : conventions.environments()) {
            clusters.own(environment).ifPresent(client -> ports.put(environment, make.apply(client)));
        }
        return new EnvironmentRouter<>(conventions, ports, fallback);
    }

    /** Every port, each once: the environments' own clusters' in the order of the environments, then the default's. */
    List<T> distinct() {
        List<T> out = new ArrayList<>();
        for (T port : ports.values()) {
            if (out.stream().noneMatch(p -> p == port)) {
                out.add(port);
            }
        }
        if (fallback != null && out.stream().noneMatch(p -> p == fallback)) {
            out.add(fallback);
        }
        return out;
    }

    /** True when some environment has a cluster (its own or the default). */
    boolean any() {
        return fallback != null || !ports.isEmpty();
    }

    /** The port of an environment: its own cluster's, else the default's; empty when it has none. */
    Optional<T> forEnvironment(String environment) {
        T port = ports.get(environment);
        return Optional.ofNullable(port != null ? port : fallback);
    }

    /**
     * The port of a namespace's environment; a namespace that names no environment (or none, for a cluster-scoped
     * object) is the default cluster's.
     */
    Optional<T> forNamespace(String namespace) {
        Optional<String> environment = environment(namespace);
        return environment.isPresent() ? forEnvironment(environment.get()) : Optional.ofNullable(fallback);
    }

    /** Why a namespace has no port: the setting of its environment's cluster, or of the default cluster. */
    String missing(String namespace) {
        return environment(namespace).map(EnvironmentClusters::missing)
                .orElseGet(() -> "no default cluster is configured (paver.kubernetes.*) and " + describe(namespace)
                        + " names no environment of " + conventions.environments() + " ({domain}-{env}-{service})");
    }

    /** Empty when the namespace's environment has a cluster; else which setting gives it one ({@link #missing}). */
    Optional<String> unavailable(String namespace) {
        return forNamespace(namespace).isPresent() ? Optional.empty() : Optional.of(missing(namespace));
    }

    /** The port of a namespace, or an {@link IllegalStateException} saying why there is none. */
    T require(String namespace) {
        return forNamespace(namespace).orElseThrow(() -> new IllegalStateException(missing(namespace)));
    }

    private Optional<String> environment(String namespace) {
        return namespace == null || namespace.isBlank() ? Optional.empty()
                : conventions.parseKey(namespace.strip()).map(SemanticKey::env);
    }

    private static String describe(String namespace) {
        return namespace == null || namespace.isBlank() ? "a cluster-scoped object" : "namespace " + namespace;
    }
}

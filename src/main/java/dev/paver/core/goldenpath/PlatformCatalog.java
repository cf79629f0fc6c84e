package dev.paver.core.goldenpath;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the platform already has, read from the domain GitOps repositories' Backstage catalog
 * ({@code catalog/*.yaml}: kind Domain, System, Group): the values offered by pickers and checked on input.
 *
 * @param systems system name to its domain and owner
 * @param groups  group name to its cost centre (annotation {@code platform/cost-center}, empty when absent)
 * @param services service name (Backstage Component) to its system and owner
 */
public record PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services) {

    public PlatformCatalog {
        systems = java.util.Collections.unmodifiableMap(new TreeMap<>(systems));
        groups = java.util.Collections.unmodifiableMap(new TreeMap<>(groups));
        services = java.util.Collections.unmodifiableMap(new TreeMap<>(services));
    }

    /** A catalog of systems and groups, no services. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups) {
        this(systems, groups, Map.of());
    }

    /** A catalog that knows nothing (no domain repository yet). */
    public static PlatformCatalog empty() {
        return new PlatformCatalog(Map.of(), Map.of(), Map.of());
    }

    /** The service's entry, if the catalog knows it. */
    public Optional<ServiceEntry> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /**
     * A Backstage Component of type service: its name, system, owning group, and the domain of its system (empty when
     * the system is unknown).
     */
    public record ServiceEntry(String name, String system, String owner, String domain) {
    }

    /** The system's entry, if the catalog knows it. */
    public Optional<SystemEntry> system(String name) {
        return Optional.ofNullable(systems.get(name));
    }

    /** A Backstage System: its name, the domain it belongs to and its owning group. */
    public record SystemEntry(String name, String domain, String owner) {
    }
}

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
 */
public record PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups) {

    public PlatformCatalog {
        systems = java.util.Collections.unmodifiableMap(new TreeMap<>(systems));
        groups = java.util.Collections.unmodifiableMap(new TreeMap<>(groups));
    }

    /** A catalog that knows nothing (no domain repository yet). */
    public static PlatformCatalog empty() {
        return new PlatformCatalog(Map.of(), Map.of());
    }

    /** The system's entry, if the catalog knows it. */
    public Optional<SystemEntry> system(String name) {
        return Optional.ofNullable(systems.get(name));
    }

    /** A Backstage System: its name, the domain it belongs to and its owning group. */
    public record SystemEntry(String name, String domain, String owner) {
    }
}

package dev.paver.core.goldenpath;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the platform already has, read from the domain GitOps repositories' Backstage catalog
 * ({@code catalog/**.yaml}: kind Domain, System, Component, Group, User): the values offered by pickers and checked on input.
 *
 * @param systems system name to its domain and owner
 * @param groups  group name to its cost centre (annotation {@code platform/cost-center}, empty when absent)
 * @param services service name (Backstage Component) to its system and owner
 * @param domains  domain name (Backstage Domain, {@code catalog/domain.yaml} of its GitOps repository) to its owner
 * @param users    user name (Backstage User, {@code catalog/users/}) to the groups it is a member of
 * @param repositories the names of the repositories the git host showed at the last refresh (application
 *                     repositories too), for refusing a taken name before a run starts; empty when unknown
 */
public record PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                              Map<String, String> domains, Map<String, List<String>> users, Set<String> repositories) {

    public PlatformCatalog {
        repositories = Collections.unmodifiableSet(new TreeSet<>(repositories));
        systems = Collections.unmodifiableMap(new TreeMap<>(systems));
        groups = Collections.unmodifiableMap(new TreeMap<>(groups));
        services = Collections.unmodifiableMap(new TreeMap<>(services));
        domains = Collections.unmodifiableMap(new TreeMap<>(domains));
        users = Collections.unmodifiableMap(new TreeMap<>(users));
    }

    /** A catalog of these entities; no repository is known. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                           Map<String, String> domains, Map<String, List<String>> users) {
        this(systems, groups, services, domains, users, Set.of());
    }

    /** This catalog, knowing that the git host has these repositories. */
    public PlatformCatalog withRepositories(Collection<String> names) {
        return new PlatformCatalog(systems, groups, services, domains, users, new TreeSet<>(names));
    }

    /** A catalog of systems, groups and services; no domain or user entities. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services) {
        this(systems, groups, services, Map.of(), Map.of());
    }

    /** A catalog of systems and groups, no services. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups) {
        this(systems, groups, Map.of());
    }

    /** A catalog that knows nothing (no domain repository yet). */
    public static PlatformCatalog empty() {
        return new PlatformCatalog(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    }

    /** The services whose system belongs to {@code domain}, by name. */
    public List<ServiceEntry> servicesOf(String domain) {
        return services.values().stream().filter(s -> s.domain().equals(domain)).toList();
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

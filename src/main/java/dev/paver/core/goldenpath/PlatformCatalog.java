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
 * @param groupAccess  group name to the developer access its catalog Group declares ({@link GroupAccess}); groups
 *                     without it (a domain's owning group) have none
 * @param types        an entity's {@code spec.type} (e.g. {@code service}, {@code team}) by {@link #typeKey(String, String)};
 *                     entities without one are not in it. Read by pickers' {@code catalogFilter: {spec.type: ...}}
 */
public record PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                              Map<String, String> domains, Map<String, List<String>> users, Set<String> repositories,
                              Map<String, GroupAccess> groupAccess, Map<String, String> types) {

    public PlatformCatalog {
        types = Collections.unmodifiableMap(new TreeMap<>(types));
        repositories = Collections.unmodifiableSet(new TreeSet<>(repositories));
        groupAccess = Collections.unmodifiableMap(new TreeMap<>(groupAccess));
        systems = Collections.unmodifiableMap(new TreeMap<>(systems));
        groups = Collections.unmodifiableMap(new TreeMap<>(groups));
        services = Collections.unmodifiableMap(new TreeMap<>(services));
        domains = Collections.unmodifiableMap(new TreeMap<>(domains));
        users = Collections.unmodifiableMap(new TreeMap<>(users));
    }

    /** A catalog of these entities, none with a {@code spec.type}. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                           Map<String, String> domains, Map<String, List<String>> users, Set<String> repositories,
                           Map<String, GroupAccess> groupAccess) {
        this(systems, groups, services, domains, users, repositories, groupAccess, Map.of());
    }

    /**
     * The key of an entity in {@link #types()}: its kind in lower case, a colon and its name, as in an entity ref
     * without namespace ({@code component:api}).
     */
    public static String typeKey(String kind, String name) {
        return kind.toLowerCase(java.util.Locale.ROOT) + ":" + name;
    }

    /** An entity's {@code spec.type}, or empty when it has none or is not in the catalog. */
    public String type(String kind, String name) {
        return types.getOrDefault(typeKey(kind, name), "");
    }

    /** A catalog of these entities; no group has developer access. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                           Map<String, String> domains, Map<String, List<String>> users, Set<String> repositories) {
        this(systems, groups, services, domains, users, repositories, Map.of());
    }

    /** A catalog of these entities; no repository is known. */
    public PlatformCatalog(Map<String, SystemEntry> systems, Map<String, String> groups, Map<String, ServiceEntry> services,
                           Map<String, String> domains, Map<String, List<String>> users) {
        this(systems, groups, services, domains, users, Set.of());
    }

    /** This catalog, knowing that the git host has these repositories. */
    public PlatformCatalog withRepositories(Collection<String> names) {
        return new PlatformCatalog(systems, groups, services, domains, users, new TreeSet<>(names), groupAccess, types);
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

    /**
     * The groups whose developer access covers {@code system} of {@code domain}, by name.
     *
     * @param domain the domain of the system
     * @param system the system's name
     */
    public List<GroupAccess> groupsWithAccessTo(String domain, String system) {
        return groupAccess.values().stream().filter(a -> a.covers(domain, system)).toList();
    }

    /**
     * The developer access of an identity-provider group, as its catalog Group declares it in the annotations
     * {@code platform/access-domain}, {@code platform/access-environments} and {@code platform/access-systems}
     * ({@link CatalogReader}): RoleBindings to the developer ClusterRole in the namespaces
     * {@code {domain}-{env}-{service}} of the services of those systems, in those environments (never production:
     * CONVENTIONS.md, "Access"). The catalog reader keeps only entries whose names are DNS-1123 labels.
     *
     * @param group        the group's name
     * @param domain       the domain whose namespaces the group works in
     * @param environments the environments of its RoleBindings, in the annotation's order
     * @param systems      the systems whose services it may work on; empty for every system of the domain, present
     *                     and future ({@code platform/access-systems: "*"})
     */
    public record GroupAccess(String group, String domain, List<String> environments, List<String> systems) {

        public GroupAccess {
            environments = List.copyOf(environments);
            systems = List.copyOf(systems);
        }

        /** Whether the group's access covers {@code system} of {@code domain}. */
        public boolean covers(String domain, String system) {
            return this.domain.equals(domain) && (systems.isEmpty() || systems.contains(system));
        }
    }

    /** The system's entry, if the catalog knows it. */
    public Optional<SystemEntry> system(String name) {
        return Optional.ofNullable(systems.get(name));
    }

    /** A Backstage System: its name, the domain it belongs to and its owning group. */
    public record SystemEntry(String name, String domain, String owner) {
    }
}

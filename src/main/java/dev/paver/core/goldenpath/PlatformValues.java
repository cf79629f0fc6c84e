package dev.paver.core.goldenpath;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.convention.Conventions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The lists of platform values a template's parameter may draw its choices from, by the name a template gives in
 * {@code paver:enum} (see {@link GoldenPathCatalog}): the configuration is their one source, so the modal's options,
 * the usage line of the help, the request check and the gate change together when it changes.
 *
 * <ul>
 *   <li>{@value #PROFILES}: the resource profiles ({@code paver.conventions.profiles.*}), in configured order;</li>
 *   <li>{@value #ENVIRONMENTS}: the environments in promotion order ({@code paver.conventions.environments});</li>
 *   <li>{@value #PROMOTION_TARGETS}: the environments a revision can be promoted into, every one but the first;</li>
 *   <li>{@value #DEVELOPER_ENVIRONMENTS}: the environments before production, where developer groups get access;</li>
 *   <li>(with one environment only, these two are that environment, since no list is empty: the request check then
 *       refuses it with its reason);</li>
 *   <li>{@value #RESOURCE_TYPES}: the resource types ({@code paver.conventions.resources.*});</li>
 *   <li>{@value #ROLES}: the production access roles ({@code paver.access.roles.*}).</li>
 * </ul>
 *
 * @param lists each list's values, by list name; every list non-empty
 */
public record PlatformValues(Map<String, List<String>> lists) {

    /** The resource profiles. */
    public static final String PROFILES = "profiles";
    /** The environments, in promotion order. */
    public static final String ENVIRONMENTS = "environments";
    /** The environments after the first. */
    public static final String PROMOTION_TARGETS = "promotionTargets";
    /** The environments before production. */
    public static final String DEVELOPER_ENVIRONMENTS = "developerEnvironments";
    /** The resource types. */
    public static final String RESOURCE_TYPES = "resourceTypes";
    /** The production access roles. */
    public static final String ROLES = "roles";

    /** @throws IllegalArgumentException when a list is empty */
    public PlatformValues {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        lists.forEach((name, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("the platform's list " + name + " is empty");
            }
            copy.put(name, List.copyOf(values));
        });
        lists = Map.copyOf(copy);
    }

    /** The lists of these conventions and access roles. */
    public static PlatformValues of(Conventions conventions, AccessPolicy access) {
        List<String> environments = conventions.environments();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put(PROFILES, conventions.profileNames());
        lists.put(ENVIRONMENTS, environments);
        lists.put(PROMOTION_TARGETS, environments.size() > 1 ? environments.subList(1, environments.size()) : environments);
        lists.put(DEVELOPER_ENVIRONMENTS, environments.size() > 1 ? conventions.developerEnvironments() : environments);
        lists.put(RESOURCE_TYPES, conventions.resourceKinds().types());
        lists.put(ROLES, List.copyOf(access.roles().keySet()));
        return new PlatformValues(lists);
    }

    /** The lists of {@link Conventions#defaults()} and {@link AccessPolicy#defaults()}. */
    public static PlatformValues defaults() {
        return of(Conventions.defaults(), AccessPolicy.defaults());
    }

    /** The values of the list called {@code name}, if there is one. */
    public Optional<List<String>> list(String name) {
        return Optional.ofNullable(lists.get(name));
    }

    /** The list names, sorted, for messages. */
    public List<String> names() {
        return List.copyOf(new TreeSet<>(lists.keySet()));
    }
}

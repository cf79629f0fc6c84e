package dev.paver.core.goldenpath;

import dev.paver.core.convention.Names;
import dev.paver.core.convention.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backstage's catalog field extensions ({@code @backstage/plugin-scaffolder}, "Field extensions"), read as its form
 * reads them and drawn from Paver's {@link PlatformCatalog} (its Domains, Systems, Components, Groups and Users):
 * <ul>
 *   <li>{@code EntityPicker}: one entity, filtered by {@code ui:options.catalogFilter} (a filter or a list of them, any
 *       of which an entity must fit; keys {@code kind}, {@code metadata.name}, {@code metadata.namespace},
 *       {@code spec.type}, each a value or a list) or the older {@code allowedKinds}; {@code defaultKind} and
 *       {@code defaultNamespace} complete a typed name; {@code allowArbitraryValues} (Backstage's default: true) lets
 *       a person give an entity the list does not hold.</li>
 *   <li>{@code OwnerPicker}: the same over {@code allowedKinds} (default {@code Group} and {@code User}), completing a
 *       name as a Group. A property with Paver's {@code paver:convention} (Paver's own templates) keeps Paver's plain
 *       group name, which the convention checks.</li>
 *   <li>{@code EntityNamePicker}: a text input whose value must be an entity name.</li>
 * </ul>
 * Values are stored as Backstage stores them: entity refs {@code kind:namespace/name} with the kind in lower case
 * ({@code stringifyEntityRef}, {@code @backstage/catalog-model}), e.g. {@code group:default/team-payments}.
 * A {@code spec.type} filter compares case-insensitively with the entity's {@code spec.type} as the catalog gives it
 * ({@link PlatformCatalog#type}); an entity without one fits no {@code spec.type} filter. Other keys (fields Paver's
 * catalog does not keep) do not narrow the choice.
 */
public final class EntityPickers {

    /** Backstage's picker of one catalog entity. */
    public static final String ENTITY_PICKER = "EntityPicker";
    /** Backstage's picker of an owner, a Group or User. */
    public static final String OWNER_PICKER = "OwnerPicker";
    /** Backstage's text field for a new entity's name. */
    public static final String ENTITY_NAME_PICKER = "EntityNamePicker";

    /**
     * Backstage's entity name rule ({@code KubernetesValidatorFunctions.isValidObjectName}, {@code @backstage/catalog-model}):
     * letters, digits, {@code -}, {@code _} and {@code .}, starting and ending with a letter or digit, at most 63.
     */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** A namespace: a DNS label ({@code isValidNamespace}, the same package). */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]+(-+[a-z0-9]+)*");
    /** {@code [kind:][namespace/]name}, as {@code parseEntityRef} reads it. */
    private static final Pattern REF = Pattern.compile("(?:([A-Za-z][A-Za-z0-9]*):)?(?:([^:/]+)/)?([^:/]+)");

    private static final String DEFAULT_NAMESPACE = "default";

    private EntityPickers() {
    }

    /** Whether {@code p}'s value is an entity ref: an {@code EntityPicker}, or an {@code OwnerPicker} of a Backstage template. */
    public static boolean storesRef(Parameter p) {
        return ENTITY_PICKER.equals(p.uiField()) || OWNER_PICKER.equals(p.uiField()) && p.convention() == null;
    }

    /** Whether a person may give an entity the picker does not offer ({@code allowArbitraryValues}, default true). */
    public static boolean allowsArbitrary(Parameter p) {
        return storesRef(p) && !Boolean.FALSE.equals(p.uiOptions().get("allowArbitraryValues"))
                && !"false".equals(String.valueOf(p.uiOptions().get("allowArbitraryValues")));
    }

    /** The entity refs the picker offers, in the catalog's order (by kind, then name). */
    public static List<String> choices(Parameter p, PlatformCatalog catalog) {
        List<Map<String, Object>> filters = filters(p);
        List<String> out = new ArrayList<>();
        for (Entity e : entities(catalog)) {
            if (filters.isEmpty() || filters.stream().anyMatch(f -> fits(e, f))) {
                out.add(e.ref());
            }
        }
        return out;
    }

    /**
     * How the picker shows {@code ref}: its name when its kind is the picker's default kind and its namespace the
     * default one, else {@code kind:name} or the whole ref (Backstage's {@code humanizeEntityRef}).
     */
    public static String label(Parameter p, String ref) {
        Matcher m = REF.matcher(ref);
        if (!m.matches() || m.group(1) == null) {
            return ref;
        }
        String namespace = m.group(2) == null ? DEFAULT_NAMESPACE : m.group(2);
        String shown = namespace.equals(DEFAULT_NAMESPACE) ? m.group(3) : namespace + "/" + m.group(3);
        String kind = defaultKind(p);
        return kind != null && kind.equalsIgnoreCase(m.group(1)) ? shown : m.group(1) + ":" + shown;
    }

    /**
     * {@code typed} as a full entity ref ({@code parseEntityRef} with the picker's {@code defaultKind} and
     * {@code defaultNamespace}), the kind in lower case; null when it is not one (no kind and no default kind, or a
     * part that breaks its rule).
     */
    public static String ref(Parameter p, String typed) {
        Matcher m = REF.matcher(typed.strip());
        if (!m.matches()) {
            return null;
        }
        String kind = m.group(1) != null ? m.group(1) : defaultKind(p);
        Object ns = p.uiOptions().get("defaultNamespace");
        String namespace = m.group(2) != null ? m.group(2) : ns instanceof String s && !s.isBlank() ? s : DEFAULT_NAMESPACE;
        if (kind == null || !NAMESPACE.matcher(namespace).matches() || !NAME.matcher(m.group(3)).matches()) {
            return null;
        }
        return kind.toLowerCase(Locale.ROOT) + ":" + namespace + "/" + m.group(3);
    }

    /**
     * What is wrong with {@code value} of a catalog picker or an {@code EntityNamePicker}, checked again at submission
     * whatever the modal offered: not an entity ref (or name), a kind the picker does not allow, or, without
     * {@code allowArbitraryValues}, an entity the catalog does not hold. Empty for other parameters.
     */
    public static Optional<Violation> check(Parameter p, String value, PlatformCatalog catalog) {
        if (ENTITY_NAME_PICKER.equals(p.uiField())) {
            return NAME.matcher(value).matches() ? Optional.empty()
                    : Optional.of(Violation.ofParameter(p.name(), "entity-name", p.name() + " " + Names.quote(value)
                    + " is not an entity name: use letters, digits, '-', '_' and '.', at most 63 characters, starting and "
                    + "ending with a letter or digit (Backstage's rule)"));
        }
        if (!storesRef(p)) {
            return Optional.empty();
        }
        String ref = ref(p, value);
        if (ref == null || !ref.equals(value)) {
            return Optional.of(Violation.ofParameter(p.name(), "entity-ref", p.name() + " " + Names.quote(value)
                    + " is not an entity: give kind:namespace/name, e.g. group:default/team-payments, or a name"));
        }
        List<String> kinds = kinds(p);
        String kind = ref.substring(0, ref.indexOf(':'));
        if (!kinds.isEmpty() && kinds.stream().noneMatch(k -> k.equalsIgnoreCase(kind))) {
            return Optional.of(Violation.ofParameter(p.name(), "entity-kind", p.name() + " " + Names.quote(value)
                    + " is a " + kind + "; choose a " + String.join(" or ", kinds)));
        }
        if (!allowsArbitrary(p) && !choices(p, catalog).contains(ref)) {
            return Optional.of(Violation.ofParameter(p.name(), "unknown-entity", p.name() + " " + Names.quote(value)
                    + " is not in the catalog among the choices of this field; choose one the form offers"));
        }
        return Optional.empty();
    }

    /** The kinds the picker allows (its filters' {@code kind}s, or {@code allowedKinds}); empty: any. */
    static List<String> kinds(Parameter p) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> f : filters(p)) {
            if (!f.containsKey("kind")) {
                return List.of(); // a filter without kind lets every kind through
            }
            values(f.get("kind")).stream().filter(k -> !out.contains(k)).forEach(out::add);
        }
        return out;
    }

    /** The kind a typed name is completed with: {@code defaultKind}, else the only allowed kind; Group for an owner. */
    private static String defaultKind(Parameter p) {
        Object kind = p.uiOptions().get("defaultKind");
        if (kind instanceof String k && !k.isBlank()) {
            return k;
        }
        if (OWNER_PICKER.equals(p.uiField())) {
            return "Group";
        }
        List<String> kinds = kinds(p);
        return kinds.size() == 1 ? kinds.get(0) : null;
    }

    /** The picker's filters: {@code catalogFilter} (one or a list), else {@code allowedKinds}, an owner's default kinds. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> filters(Parameter p) {
        Object filter = p.uiOptions().get("catalogFilter");
        List<Map<String, Object>> out = new ArrayList<>();
        if (filter instanceof Map<?, ?> one) {
            out.add((Map<String, Object>) one);
        } else if (filter instanceof List<?> many) {
            many.stream().filter(Map.class::isInstance).forEach(f -> out.add((Map<String, Object>) f));
        }
        if (out.isEmpty() && p.uiOptions().get("allowedKinds") instanceof List<?> kinds) {
            out.add(Map.of("kind", kinds));
        }
        if (out.isEmpty() && OWNER_PICKER.equals(p.uiField())) {
            out.add(Map.of("kind", List.of("Group", "User")));
        }
        return out;
    }

    private static List<String> values(Object v) {
        return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : v == null ? List.of() : List.of(String.valueOf(v));
    }

    /**
     * One entity of the catalog: its kind as Backstage spells it, its name (in the default namespace) and its
     * {@code spec.type} (empty when it has none).
     */
    private record Entity(String kind, String name, String type) {
        String ref() {
            return kind.toLowerCase(Locale.ROOT) + ":" + DEFAULT_NAMESPACE + "/" + name;
        }
    }

    private static List<Entity> entities(PlatformCatalog catalog) {
        List<Entity> out = new ArrayList<>();
        catalog.domains().keySet().forEach(n -> out.add(new Entity("Domain", n, catalog.type("Domain", n))));
        catalog.systems().keySet().forEach(n -> out.add(new Entity("System", n, catalog.type("System", n))));
        catalog.services().keySet().forEach(n -> out.add(new Entity("Component", n, catalog.type("Component", n))));
        catalog.groups().keySet().forEach(n -> out.add(new Entity("Group", n, catalog.type("Group", n))));
        catalog.users().keySet().forEach(n -> out.add(new Entity("User", n, catalog.type("User", n))));
        return out;
    }

    /** Whether {@code e} fits every key of {@code filter} (Backstage's catalog filter: a key's values are alternatives). */
    private static boolean fits(Entity e, Map<String, Object> filter) {
        for (Map.Entry<String, Object> f : filter.entrySet()) {
            List<String> wanted = values(f.getValue());
            boolean fits = switch (f.getKey()) {
                case "kind" -> wanted.stream().anyMatch(k -> k.equalsIgnoreCase(e.kind()));
                case "metadata.name" -> wanted.contains(e.name());
                case "metadata.namespace" -> wanted.contains(DEFAULT_NAMESPACE);
                case "spec.type" -> wanted.stream().anyMatch(t -> t.equalsIgnoreCase(e.type()));
                default -> true; // fields Paver's catalog does not keep: they do not narrow the choice
            };
            if (!fits) {
                return false;
            }
        }
        return true;
    }
}

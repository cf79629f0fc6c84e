package dev.paver.core.convention;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The developer access of an identity-provider group, as its Backstage Group entity in a domain GitOps repository
 * ({@code catalog/groups/{group}.yaml}) declares it in three annotations, which create-group writes and create-service
 * reads to bind every group with access to a new service:
 * <pre>
 * platform/access-domain: payments            the domain whose namespaces the group works in
 * platform/access-environments: dev,staging   where it has RoleBindings (never production)
 * platform/access-systems: "*"                the systems whose services it works on: "*" for all, or checkout,ledger
 * </pre>
 * A group with none of them (a domain's owning group) has no developer access. The group's RoleBindings are the files
 * {@code rbac/groups/{env}/{group}/{service}.yaml} of the domain repository (docs/golden-paths.md, "Group access").
 * This class only reads the annotations' shape; which environments exist is the caller's rule.
 */
public final class GroupAccessAnnotations {

    /** The annotation naming the domain. */
    public static final String DOMAIN = "platform/access-domain";
    /** The annotation listing the environments, comma-separated. */
    public static final String ENVIRONMENTS = "platform/access-environments";
    /** The annotation listing the systems, comma-separated, or {@link #ALL_SYSTEMS}. */
    public static final String SYSTEMS = "platform/access-systems";
    /** Every system of the domain, present and future. */
    public static final String ALL_SYSTEMS = "*";

    private GroupAccessAnnotations() {
    }

    /** What a Group's annotations say. */
    public sealed interface Reading permits None, Declared, Invalid {
    }

    /** The Group declares no developer access. */
    public record None() implements Reading {
    }

    /**
     * The Group declares access.
     *
     * @param domain       a DNS-1123 label
     * @param environments DNS-1123 labels, at least one, each once, in the annotation's order
     * @param systems      DNS-1123 labels, each once; empty for {@link #ALL_SYSTEMS}
     */
    public record Declared(String domain, List<String> environments, List<String> systems) implements Reading {
        public Declared {
            environments = List.copyOf(environments);
            systems = List.copyOf(systems);
        }
    }

    /**
     * The annotations are there but unusable.
     *
     * @param annotation the annotation at fault
     * @param problem    what is wrong and what to write instead, for a person
     */
    public record Invalid(String annotation, String problem) implements Reading {
    }

    /**
     * Reads the access annotations of a Group's {@code metadata.annotations}.
     *
     * @param annotations the entity's annotations (values as YAML read them); other annotations are ignored
     * @return {@link None} when none of the three is present, {@link Declared} when all three are well-formed, else
     * {@link Invalid} naming the first annotation at fault
     */
    public static Reading read(Map<String, Object> annotations) {
        Object domain = annotations.get(DOMAIN);
        Object environments = annotations.get(ENVIRONMENTS);
        Object systems = annotations.get(SYSTEMS);
        if (domain == null && environments == null && systems == null) {
            return new None();
        }
        for (String key : List.of(DOMAIN, ENVIRONMENTS, SYSTEMS)) {
            if (!(annotations.get(key) instanceof String)) {
                return new Invalid(key, (annotations.get(key) == null ? "is missing" : "is not a string")
                        + ": a group with developer access has all three annotations " + DOMAIN + ", " + ENVIRONMENTS
                        + " and " + SYSTEMS + ", e.g. payments, \"dev,staging\" and \"*\"");
            }
        }
        if (!Names.isDnsLabel((String) domain)) {
            return new Invalid(DOMAIN, Names.quote((String) domain) + " is not a domain name (a DNS-1123 label)");
        }
        List<String> envs = new ArrayList<>();
        String problem = labels((String) environments, envs);
        if (problem != null || envs.isEmpty()) {
            return new Invalid(ENVIRONMENTS, problem != null ? problem
                    : "names no environment: list them comma-separated, e.g. \"dev,staging\"");
        }
        List<String> names = new ArrayList<>();
        if (!((String) systems).strip().equals(ALL_SYSTEMS)) {
            problem = labels((String) systems, names);
            if (problem != null || names.isEmpty()) {
                return new Invalid(SYSTEMS, problem != null ? problem
                        : "names no system: list them comma-separated, e.g. \"checkout,ledger\", or write \"*\" for all");
            }
        }
        return new Declared((String) domain, envs, names);
    }

    /** The annotation value of a list: comma-separated, no spaces. */
    public static String join(List<String> values) {
        return values.isEmpty() ? ALL_SYSTEMS : String.join(",", values);
    }

    private static String labels(String text, List<String> out) {
        LinkedHashSet<String> seen = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String value = part.strip();
            if (!Names.isDnsLabel(value)) {
                return Names.quote(value) + " in " + Names.quote(text) + " is not a DNS-1123 label: write names "
                        + "separated by commas, e.g. \"dev,staging\"";
            }
            seen.add(value);
        }
        out.addAll(seen);
        return null;
    }
}

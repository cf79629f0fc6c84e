package dev.paver.core.convention;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The platform contract of CONVENTIONS.md as one value: environments in promotion order, the environments
 * that Argo CD syncs automatically, resource profiles, the required label keys, the GitOps repository suffix,
 * the image registry services push to and the platform's Crossplane resource kinds. {@link #defaults()} gives the
 * documented defaults; an organisation overrides them in configuration.
 *
 * @param resourceKinds the platform's Crossplane claims and namespaced composite resources: the type users name
 *                      ({@code database}), the kind ({@code PostgreSQLInstance}) and the segment that names it in
 *                      {@code {service}-{kind}-{name}} (CONVENTIONS.md, "The semantic key")
 */
public record Conventions(List<String> environments, List<String> automatedSyncEnvironments,
                          Map<String, ResourceProfile> profiles, RequiredLabels labels, String gitopsRepositorySuffix,
                          String imageRegistry, ResourceKinds resourceKinds) {

    /** The default image registry: where a service's CI pushes {@code <registry>/<service>:<version>}. */
    public static final String DEFAULT_IMAGE_REGISTRY = "ghcr.io/acme";

    /** Conventions with the default image registry and resource kinds. */
    public Conventions(List<String> environments, List<String> automatedSyncEnvironments,
                       Map<String, ResourceProfile> profiles, RequiredLabels labels, String gitopsRepositorySuffix) {
        this(environments, automatedSyncEnvironments, profiles, labels, gitopsRepositorySuffix, DEFAULT_IMAGE_REGISTRY);
    }

    /** Conventions with the default resource kinds. */
    public Conventions(List<String> environments, List<String> automatedSyncEnvironments,
                       Map<String, ResourceProfile> profiles, RequiredLabels labels, String gitopsRepositorySuffix,
                       String imageRegistry) {
        this(environments, automatedSyncEnvironments, profiles, labels, gitopsRepositorySuffix, imageRegistry,
                ResourceKinds.defaults());
    }

    /**
     * @throws IllegalArgumentException when there is no environment, an environment is not a DNS-1123 label without
     *         '-' or is named twice, an automated sync environment is not an environment, there is no profile, the
     *         suffix is missing, the image registry is not a registry path, or the resource kinds are missing
     */
    public Conventions {
        environments = List.copyOf(environments);
        automatedSyncEnvironments = List.copyOf(automatedSyncEnvironments);
        profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        if (resourceKinds == null) {
            throw new IllegalArgumentException("the resource kinds are required (default: ResourceKinds.defaults())");
        }
        if (environments.isEmpty()) {
            throw new IllegalArgumentException("at least one environment is required");
        }
        for (String env : environments) {
            if (!Names.isDnsLabel(env) || env.contains("-")) {
                throw new IllegalArgumentException("environment " + Names.quote(env)
                        + " must be a DNS-1123 label without '-' (it is the middle segment of {domain}-{env}-{service})");
            }
        }
        if (new HashSet<>(environments).size() != environments.size()) {
            throw new IllegalArgumentException("environments " + environments + " name one environment twice");
        }
        if (gitopsRepositorySuffix == null) {
            throw new IllegalArgumentException("the GitOps repository suffix is required (default -gitops)");
        }
        if (imageRegistry == null || !imageRegistry.matches("[a-z0-9]([a-z0-9.:-]*[a-z0-9])?(/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("image registry " + Names.quote(imageRegistry)
                    + " must look like ghcr.io/acme or registry.example.com:5000/team");
        }
        if (!environments.containsAll(automatedSyncEnvironments)) {
            throw new IllegalArgumentException("automated sync environments " + automatedSyncEnvironments
                    + " must be among the environments " + environments);
        }
        if (profiles.isEmpty()) {
            throw new IllegalArgumentException("at least one resource profile is required");
        }
    }

    /** dev, staging, prod; dev and staging sync automatically; small, medium, large; the nine labels. */
    public static Conventions defaults() {
        Map<String, ResourceProfile> profiles = new LinkedHashMap<>();
        profiles.put("small", new ResourceProfile("small", "100m", "128Mi", "500m", "512Mi"));
        profiles.put("medium", new ResourceProfile("medium", "250m", "256Mi", "1", "1Gi"));
        profiles.put("large", new ResourceProfile("large", "500m", "512Mi", "2", "2Gi"));
        return new Conventions(List.of("dev", "staging", "prod"), List.of("dev", "staging"), profiles,
                RequiredLabels.defaults(), "-gitops");
    }

    /** The first environment in promotion order, where new services are deployed first. */
    public String firstEnvironment() {
        return environments.get(0);
    }

    /**
     * The production environment: the last in promotion order ({@code prod} by default). Promotions into it need
     * approval, elevation is for it only, its claims must be orphaned on deletion and no developer RoleBinding
     * may exist in its namespaces.
     */
    public String productionEnvironment() {
        return environments.get(environments.size() - 1);
    }

    /** The environments before production, where developer groups get access ({@code dev}, {@code staging}). */
    public List<String> developerEnvironments() {
        return environments.subList(0, environments.size() - 1);
    }

    /** The GitOps repository of a domain, e.g. {@code payments-gitops}. */
    public String gitopsRepository(String domain) {
        return domain + gitopsRepositorySuffix;
    }

    /** Profile names in their configured order (small, medium, large by default). */
    public List<String> profileNames() {
        return List.copyOf(profiles.keySet());
    }

    /**
     * A validated key.
     *
     * @throws IllegalArgumentException when {@code env} is not a configured environment or a segment is invalid
     */
    public SemanticKey key(String domain, String env, String service) {
        if (!environments.contains(env)) {
            throw new IllegalArgumentException("environment " + Names.quote(env) + " is not one of " + environments);
        }
        return new SemanticKey(domain, env, service);
    }

    /**
     * Checks a name that becomes a key segment or a label value. Rules, in order: required, DNS-1123 label,
     * no environment name as a whole segment (for {@code domain} and {@code service}), and, for a key
     * segment, room for the longest environment and the other segment (one character when it is not known yet)
     * within {@value SemanticKey#MAX_LENGTH} characters.
     *
     * @param parameter the parameter's name as the user typed it, e.g. {@code service}
     * @param value     the value to check, possibly null
     * @param role      what the value becomes
     * @param otherSegment the other key segment (the domain when checking a service and vice versa), or null
     * @return the first broken rule, or empty
     */
    public Optional<Violation> checkName(String parameter, String value, NameRole role, String otherSegment) {
        if (value == null || value.isEmpty()) {
            return Optional.of(Violation.ofParameter(parameter, "required", parameter + " is required"));
        }
        if (!Names.isDnsLabel(value)) {
            String why = value.length() > 63 ? "it is " + value.length() + " characters, more than 63"
                    : "use lowercase letters, digits and '-', starting and ending with a letter or digit";
            return Optional.of(Violation.ofParameter(parameter, "dns-label",
                    parameter + " " + Names.quote(value) + " is not a DNS-1123 label: " + why));
        }
        if (Names.isNotAYamlString(value)) {
            return Optional.of(Violation.ofParameter(parameter, "yaml-type", parameter + " " + Names.quote(value)
                    + " would be read by YAML as a boolean, a number or null, not as a name; add a letter, e.g. "
                    + parameter + "-" + value.replaceAll("[^a-z0-9]", "") + "x"));
        }
        if (role == NameRole.KEY_SEGMENT) {
            for (String segment : value.split("-")) {
                if (environments.contains(segment)) {
                    return Optional.of(Violation.ofParameter(parameter, "environment-name",
                            parameter + " " + Names.quote(value) + " contains the environment name '" + segment
                                    + "' as a segment, which makes {domain}-{env}-{service} keys ambiguous; choose another name"));
                }
            }
            int longestEnv = environments.stream().mapToInt(String::length).max().orElse(0);
            boolean otherKnown = otherSegment != null && !otherSegment.isEmpty();
            // without the other segment (a new domain has no service yet), it needs room for one of one character
            int other = otherKnown ? otherSegment.length() : 1;
            int length = value.length() + longestEnv + other + 2;
            if (length > SemanticKey.MAX_LENGTH) {
                int most = value.length() - (length - SemanticKey.MAX_LENGTH);
                return Optional.of(Violation.ofParameter(parameter, "key-length", otherKnown
                        ? parameter + " " + Names.quote(value) + " makes the key " + length + " characters long (at most "
                                + SemanticKey.MAX_LENGTH + " with the longest environment); use at most " + most + " characters"
                        : parameter + " " + Names.quote(value) + " leaves no room for the other segment of {domain}-{env}-{service} "
                                + "keys, which are at most " + SemanticKey.MAX_LENGTH + " characters with the longest environment; use at most "
                                + most + " characters"));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a key {@code {domain}-{env}-{service}}: the environment is the one segment that is a configured environment
     * (domains and services may contain '-', but never an environment name as a segment: {@link #checkName}).
     *
     * @return the key, or empty when the text has no environment segment between two others or a part is not a
     *         DNS-1123 label
     */
    public Optional<SemanticKey> parseKey(String text) {
        String[] segments = text.split("-", -1);
        for (int i = 1; i < segments.length - 1; i++) {
            if (environments.contains(segments[i])) {
                try {
                    return Optional.of(new SemanticKey(String.join("-", List.of(segments).subList(0, i)), segments[i],
                            String.join("-", List.of(segments).subList(i + 1, segments.length))));
                } catch (IllegalArgumentException notALabel) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** Checks that {@code value} is a configured environment; returns the violation, or empty. */
    public Optional<Violation> checkEnvironment(String parameter, String value) {
        if (environments.contains(value)) {
            return Optional.empty();
        }
        return Optional.of(Violation.ofParameter(parameter, "environment",
                parameter + " " + Names.quote(value) + " is not one of " + environments));
    }

    /** What a checked name becomes. */
    public enum NameRole {
        /** a segment of {@code {domain}-{env}-{service}}: domain or service */
        KEY_SEGMENT,
        /** a name that is a label value or catalog name only: system, owner */
        LABEL
    }
}

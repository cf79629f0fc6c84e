package dev.paver.core.convention;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The kinds of cloud resource {@code create-resource} offers and the Crossplane object each becomes: a claim
 * (Crossplane v1: a namespaced claim of a cluster-scoped composite resource) or a namespaced composite resource
 * (Crossplane v2, no claim). The kinds are defined by the platform's CompositeResourceDefinitions
 * ({@code deploy/crossplane/}). The gate knows a claim by its kind ({@link #byKind}); create-resource by its type.
 *
 * @param kinds resource type as the user names it ({@code database}, {@code queue}, {@code bucket}) to its kind
 */
public record ResourceKinds(Map<String, ResourceKind> kinds) {

    /** How a type's object is made: a claim or a namespaced composite resource. */
    public enum Mode {
        /** Crossplane v1: a claim in the service namespace, bound to a cluster-scoped composite resource */
        CLAIM,
        /** Crossplane v2: a namespaced composite resource in the service namespace, no claim */
        XR
    }

    /**
     * @param type       what users call it: {@code database}
     * @param segment    the {@code {kind}} segment of the object's name {@code {service}-{kind}-{name}}: {@code postgres}
     * @param apiVersion the claim's or XR's apiVersion, e.g. {@code platform.paver.dev/v1alpha1}
     * @param kind       the claim's or XR's kind, e.g. {@code PostgreSQLInstance}
     * @param mode       claim or XR
     */
    public record ResourceKind(String type, String segment, String apiVersion, String kind, Mode mode) {
    }

    /**
     * @throws IllegalArgumentException when a segment is not a DNS-1123 label without '-' (it would split
     *         {@code {service}-{kind}-{name}}) or two types share a kind
     */
    public ResourceKinds {
        kinds = Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
        Set<String> seen = new HashSet<>();
        for (ResourceKind kind : kinds.values()) {
            if (!Names.isDnsLabel(kind.segment()) || kind.segment().contains("-")) {
                throw new IllegalArgumentException("resource kind " + kind.kind() + " has the name segment "
                        + Names.quote(kind.segment()) + ": it must be a DNS-1123 label without '-' ({service}-{kind}-{name})");
            }
            if (!seen.add(kind.kind())) {
                throw new IllegalArgumentException("resource kind " + kind.kind() + " is offered by two types");
            }
        }
    }

    /** The claim kinds of {@code deploy/crossplane/xrds.yaml}: database (postgres), queue, bucket. */
    public static ResourceKinds defaults() {
        Map<String, ResourceKind> kinds = new LinkedHashMap<>();
        kinds.put("database", new ResourceKind("database", "postgres", CLAIM_API_VERSION, "PostgreSQLInstance", Mode.CLAIM));
        kinds.put("queue", new ResourceKind("queue", "queue", CLAIM_API_VERSION, "Queue", Mode.CLAIM));
        kinds.put("bucket", new ResourceKind("bucket", "bucket", CLAIM_API_VERSION, "Bucket", Mode.CLAIM));
        return new ResourceKinds(kinds);
    }

    /** The apiVersion of the default claims. */
    public static final String CLAIM_API_VERSION = "platform.paver.dev/v1alpha1";
    /** The apiVersion of the default namespaced composite resources (Crossplane v2). */
    public static final String XR_API_VERSION = "xr.platform.paver.dev/v1alpha1";

    /** The kind of a type, if offered. */
    public Optional<ResourceKind> find(String type) {
        return Optional.ofNullable(kinds.get(type));
    }

    /** The kind of a claim or XR found in a repository, by its {@code kind}, if it is a platform resource. */
    public Optional<ResourceKind> byKind(String kind) {
        return kinds.values().stream().filter(k -> k.kind().equals(kind)).findFirst();
    }

    /** The platform's claim and XR kinds, in order of their types: PostgreSQLInstance, Queue, Bucket. */
    public List<String> kindNames() {
        return kinds.values().stream().map(ResourceKind::kind).toList();
    }

    /** The offered types, in order. */
    public List<String> types() {
        return List.copyOf(kinds.keySet());
    }
}

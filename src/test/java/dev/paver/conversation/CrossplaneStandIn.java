package dev.paver.conversation;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Plays Crossplane in fabric8's mock API server: the conversation step {@code crossplane:} (format in
 * {@code conversations/README.md}) creates or updates a v1 claim with its cluster-scoped composite and composed
 * managed resources, or a v2 namespaced XR with its namespaced composed resources, and sets their
 * {@code status.conditions} as Crossplane and its providers would. The objects start from the real ones of the shared
 * fixtures ({@code crossplane/}: the e2e claim {@code crossplane-e2e-composition-selection-claim.yaml}, the e2e
 * namespaced XR {@code crossplane-e2e-basic-namespaced-xr.yaml}, the observed composed resource
 * {@code function-go-templating-getResourceCondition-observed.yaml}); condition reasons and the messages Crossplane
 * writes when nothing else is said are Crossplane's (claim: {@code Waiting}, "Claim is waiting for composite resource
 * to become Ready"; composite: {@code Creating}, "Unready resources: a, b"). The platform's own kinds are served from
 * the start ({@link #PLATFORM_KINDS}), as if their definitions were installed; other kinds from their first use.
 */
public final class CrossplaneStandIn {

    private static final Path FIXTURES = Path.of("..", "shared", "fixtures", "crossplane");
    private static final String CLAIM_WAITING = "Claim is waiting for composite resource to become Ready";

    private final KubernetesClient client;
    private final Consumer<CustomResourceDefinitionContext> register;
    private final Set<String> registered = new java.util.HashSet<>();

    /**
     * @param client   a client of the mock API server
     * @param register registers a custom resource type with the server (status subresource on), e.g.
     *                 {@code server::expectCustomResource}; called once per kind
     */
    public CrossplaneStandIn(KubernetesClient client, Consumer<CustomResourceDefinitionContext> register) {
        this.client = client;
        this.register = register;
        // the platform's definitions are installed before any claim is written, as in a real cluster
        for (String kind : PLATFORM_KINDS) {
            type("platform.paver.dev/v1alpha1", kind, plural(kind), true);
            type("platform.paver.dev/v1alpha1", "X" + kind, "x" + plural(kind), false);
            type("xr.platform.paver.dev/v1alpha1", kind, plural(kind), true);
        }
    }

    /**
     * The claim kinds the platform's CompositeResourceDefinitions offer from the start (v1 claims and their X-prefixed
     * composites in {@code platform.paver.dev/v1alpha1}, v2 namespaced XRs in {@code xr.platform.paver.dev/v1alpha1});
     * other kinds are served once a step first uses them.
     */
    static final List<String> PLATFORM_KINDS = List.of("PostgreSQLInstance", "Queue", "Bucket");

    /**
     * Applies one {@code crossplane:} step.
     *
     * @return a line for the transcript, e.g. {@code PostgreSQLInstance api-postgres-main in payments-dev-api: Ready False
     *         (Creating), Synced True; Instance api-postgres-main-instance: Ready False (Creating)}
     * @throws IllegalArgumentException when a required key is missing or a value is not one of those documented
     */
    @SuppressWarnings("unchecked")
    public String apply(Map<String, Object> step) {
        String name = required(step, "claim");
        String namespace = required(step, "namespace");
        String kind = required(step, "kind");
        boolean v2 = Boolean.TRUE.equals(step.get("v2")) || "true".equals(String.valueOf(step.get("v2")));
        String apiVersion = text(step.getOrDefault("apiVersion", v2 ? "xr.platform.paver.dev/v1alpha1" : "platform.paver.dev/v1alpha1"));
        String plural = text(step.getOrDefault("plural", plural(kind)));
        CustomResourceDefinitionContext type = type(apiVersion, kind, plural, true);
        String xrKind = v2 ? kind : "X" + kind;
        String xrName = v2 ? name : name + "-" + suffix(namespace + "/" + name);
        CustomResourceDefinitionContext xrType = v2 ? type : type(apiVersion, xrKind, "x" + plural, false);

        if (Boolean.TRUE.equals(step.get("deleted")) || "true".equals(String.valueOf(step.get("deleted")))) {
            delete(type, namespace, name);
            if (!v2) {
                delete(xrType, "", xrName);
            }
            return kind + " " + name + " in " + namespace + " deleted";
        }

        // composed resources: cluster-scoped for a v1 composite, in the XR's namespace for a v2 XR
        List<Map<String, Object>> composedSteps = (List<Map<String, Object>>) step.getOrDefault("composed", List.of());
        List<String> unready = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        List<Map<String, Object>> refs = new ArrayList<>();
        for (Map<String, Object> c : composedSteps) {
            String cKind = required(c, "kind");
            String cApiVersion = required(c, "apiVersion");
            String resourceName = text(c.getOrDefault("resource", cKind.toLowerCase(Locale.ROOT)));
            String cName = text(c.getOrDefault("name", xrName + "-" + resourceName));
            String cNamespace = v2 ? namespace : "";
            CustomResourceDefinitionContext cType = type(cApiVersion, cKind, text(c.getOrDefault("plural", plural(cKind))), v2);
            String ready = status(c.getOrDefault("ready", "False"));
            if (!ready.equals("True")) {
                unready.add(resourceName);
            }
            List<Map<String, Object>> conditions = conditions(ready, text(c.getOrDefault("reason", ready.equals("True") ? "Available"
                    : "Creating")), text(c.get("message")), c.get("error"));
            conditions.addAll((List<Map<String, Object>>) c.getOrDefault("conditions", List.of()));
            upsert(cType, cNamespace, cName, () -> composed(cApiVersion, cKind, cNamespace, cName, resourceName, xrName, name,
                    namespace, v2), spec -> { }, conditions);
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("apiVersion", cApiVersion);
            ref.put("kind", cKind);
            ref.put("name", cName);
            refs.add(ref);
            lines.add(cKind + " " + cName + ": Ready " + ready + (c.containsKey("error") ? ", ReconcileError" : ""));
        }

        String ready = status(step.getOrDefault("ready", "False"));
        String secret = text(step.get("connectionSecret"));
        Object error = step.get("error");
        String xrReason = ready.equals("True") ? "Available" : "Creating";
        String xrMessage = ready.equals("True") || unready.isEmpty() ? "" : "Unready resources: " + unreadyList(unready);
        if (v2) {
            String reason = text(step.getOrDefault("reason", xrReason));
            String message = text(step.getOrDefault("message", reason.equals("Creating") ? xrMessage : ""));
            upsert(type, namespace, name, () -> xr(apiVersion, kind, namespace, name), spec -> {
                Map<String, Object> crossplane = (Map<String, Object>) spec.computeIfAbsent("crossplane", k -> new LinkedHashMap<>());
                crossplane.put("resourceRefs", union((List<Map<String, Object>>) crossplane.get("resourceRefs"), refs));
                if (!secret.isEmpty()) {
                    spec.put("writeConnectionSecretToRef", Map.of("name", secret));
                }
            }, conditions(ready, reason, message, error));
        } else {
            upsert(xrType, "", xrName, () -> composite(apiVersion, xrKind, xrName, kind, namespace, name), spec ->
                    spec.put("resourceRefs", union((List<Map<String, Object>>) spec.get("resourceRefs"), refs)),
                    conditions(ready, xrReason, xrMessage, null));
            String reason = text(step.getOrDefault("reason", ready.equals("True") ? "Available" : "Waiting"));
            String message = text(step.getOrDefault("message", reason.equals("Waiting") ? CLAIM_WAITING : ""));
            upsert(type, namespace, name, () -> claim(apiVersion, kind, namespace, name), spec -> {
                spec.put("resourceRef", Map.of("apiVersion", apiVersion, "kind", xrKind, "name", xrName));
                if (!secret.isEmpty()) {
                    spec.put("writeConnectionSecretToRef", Map.of("name", secret));
                }
            }, conditions(ready, reason, message, error));
        }
        String head = kind + " " + name + " in " + namespace + ": Ready " + ready
                + (step.containsKey("reason") ? " (" + step.get("reason") + ")" : "")
                + (error == null ? ", Synced True" : ", ReconcileError (" + error + ")");
        return lines.isEmpty() ? head : head + "; " + String.join("; ", lines);
    }

    /** Crossplane's {@code StableNAndSomeMore(3, names)}: sorted, {@code a, b, and c} or {@code a, b, c, and 2 more}. */
    static String unreadyList(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        java.util.Collections.sort(sorted);
        if (sorted.size() > 3) {
            return String.join(", ", sorted.subList(0, 3)) + ", and " + (sorted.size() - 3) + " more";
        }
        if (sorted.size() == 3) {
            return sorted.get(0) + ", " + sorted.get(1) + ", and " + sorted.get(2);
        }
        return String.join(", ", sorted);
    }

    private static List<Map<String, Object>> union(List<Map<String, Object>> existing, List<Map<String, Object>> added) {
        List<Map<String, Object>> all = new ArrayList<>(existing == null ? List.of() : existing);
        for (Map<String, Object> ref : added) {
            if (all.stream().noneMatch(r -> r.get("kind").equals(ref.get("kind")) && r.get("name").equals(ref.get("name")))) {
                all.add(ref);
            }
        }
        return all;
    }

    /** Synced (ReconcileSuccess, or ReconcileError with the error) and Ready, as crossplane-runtime writes them. */
    private static List<Map<String, Object>> conditions(String ready, String reason, String message, Object error) {
        List<Map<String, Object>> conditions = new ArrayList<>();
        Map<String, Object> synced = new LinkedHashMap<>();
        synced.put("type", "Synced");
        synced.put("status", error == null ? "True" : "False");
        synced.put("reason", error == null ? "ReconcileSuccess" : "ReconcileError");
        if (error != null) {
            synced.put("message", text(error));
        }
        synced.put("lastTransitionTime", "2026-11-21T10:00:00Z");
        conditions.add(synced);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "Ready");
        r.put("status", ready);
        r.put("reason", reason);
        if (!message.isEmpty()) {
            r.put("message", message);
        }
        r.put("lastTransitionTime", "2026-11-21T10:00:00Z");
        conditions.add(r);
        return conditions;
    }

    @SuppressWarnings("unchecked")
    private void upsert(CustomResourceDefinitionContext type, String namespace, String name,
                        java.util.function.Supplier<GenericKubernetesResource> create,
                        Consumer<Map<String, Object>> spec, List<Map<String, Object>> conditions) {
        var resources = client.genericKubernetesResources(type);
        var resource = namespace.isEmpty() ? resources.withName(name) : resources.inNamespace(namespace).withName(name);
        if (resource.get() == null) {
            GenericKubernetesResource object = create.get();
            spec.accept((Map<String, Object>) object.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>()));
            object.getAdditionalProperties().remove("status");
            (namespace.isEmpty() ? resources : resources.inNamespace(namespace)).resource(object).create();
        } else {
            resource.edit(object -> {
                spec.accept((Map<String, Object>) object.getAdditionalProperties().computeIfAbsent("spec", k -> new LinkedHashMap<>()));
                return object;
            });
        }
        resource.editStatus(object -> {
            Map<String, Object> status = new LinkedHashMap<>();
            Object old = object.getAdditionalProperties().get("status");
            if (old instanceof Map<?, ?> m) {
                status.putAll((Map<String, Object>) m);
            }
            status.put("conditions", conditions);
            object.getAdditionalProperties().put("status", status);
            return object;
        });
    }

    private void delete(CustomResourceDefinitionContext type, String namespace, String name) {
        var resources = client.genericKubernetesResources(type);
        (namespace.isEmpty() ? resources.withName(name) : resources.inNamespace(namespace).withName(name)).delete();
    }

    /** A real object of the fixtures with another apiVersion, kind, namespace and name. */
    private static GenericKubernetesResource renamed(String fixture, String apiVersion, String kind, String namespace,
                                                     String name) {
        GenericKubernetesResource object = fixture(fixture);
        object.setApiVersion(apiVersion);
        object.setKind(kind);
        object.getMetadata().setNamespace(namespace);
        object.getMetadata().setName(name);
        return object;
    }

    /** The e2e claim, renamed, with its composition selector. */
    private static GenericKubernetesResource claim(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource claim = renamed("crossplane-e2e-composition-selection-claim.yaml", apiVersion, kind,
                namespace, name);
        claim.getAdditionalProperties().put("spec", new LinkedHashMap<>(Map.of(
                "compositionSelector", Map.of("matchLabels", Map.of("platform.paver.dev/provider", "aws")),
                "compositeDeletePolicy", "Foreground")));
        return claim;
    }

    /** A v1 composite: cluster-scoped, bound to the claim ({@code spec.claimRef}), labelled as Crossplane labels it. */
    private static GenericKubernetesResource composite(String apiVersion, String kind, String name, String claimKind,
                                                       String claimNamespace, String claimName) {
        GenericKubernetesResource xr = new GenericKubernetesResource();
        xr.setApiVersion(apiVersion);
        xr.setKind(kind);
        xr.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withLabels(Map.of(
                "crossplane.io/claim-name", claimName, "crossplane.io/claim-namespace", claimNamespace,
                "crossplane.io/composite", name)).build());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("claimRef", Map.of("apiVersion", apiVersion, "kind", claimKind, "namespace", claimNamespace, "name", claimName));
        spec.put("compositionRef", Map.of("name", kind.toLowerCase(Locale.ROOT) + "-aws"));
        spec.put("writeConnectionSecretToRef", Map.of("namespace", "crossplane-system", "name", name));
        xr.getAdditionalProperties().put("spec", spec);
        return xr;
    }

    /** The e2e namespaced XR, renamed: its {@code spec.crossplane} stanza. */
    private static GenericKubernetesResource xr(String apiVersion, String kind, String namespace, String name) {
        GenericKubernetesResource xr = renamed("crossplane-e2e-basic-namespaced-xr.yaml", apiVersion, kind, namespace, name);
        Map<String, Object> crossplane = new LinkedHashMap<>();
        crossplane.put("compositionRef", Map.of("name", kind.toLowerCase(Locale.ROOT) + "-aws"));
        xr.getAdditionalProperties().put("spec", new LinkedHashMap<>(Map.of("crossplane", crossplane)));
        return xr;
    }

    /** The observed composed resource of the fixtures, renamed: composition resource name, composite label, provider config. */
    private static GenericKubernetesResource composed(String apiVersion, String kind, String namespace, String name,
                                                      String resourceName, String xrName, String claimName,
                                                      String claimNamespace, boolean v2) {
        GenericKubernetesResource mr = fixture("function-go-templating-getResourceCondition-observed.yaml");
        mr.setApiVersion(apiVersion);
        mr.setKind(kind);
        mr.getMetadata().setName(name);
        mr.getMetadata().setNamespace(namespace.isEmpty() ? null : namespace);
        mr.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of("crossplane.io/composition-resource-name", resourceName,
                "crossplane.io/external-name", name)));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("crossplane.io/composite", xrName);
        if (!v2) {
            labels.put("crossplane.io/claim-name", claimName);
            labels.put("crossplane.io/claim-namespace", claimNamespace);
        }
        mr.getMetadata().setLabels(labels);
        mr.getAdditionalProperties().put("spec", new LinkedHashMap<>(Map.of("forProvider", Map.of(),
                "providerConfigRef", Map.of("name", "default"))));
        return mr;
    }

    private CustomResourceDefinitionContext type(String apiVersion, String kind, String plural, boolean namespaced) {
        int slash = apiVersion.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("crossplane: apiVersion " + apiVersion + " has no group (group/version)");
        }
        CustomResourceDefinitionContext type = new CustomResourceDefinitionContext.Builder()
                .withGroup(apiVersion.substring(0, slash)).withVersion(apiVersion.substring(slash + 1)).withKind(kind)
                .withPlural(plural).withScope(namespaced ? "Namespaced" : "Cluster").withStatusSubresource(true).build();
        if (registered.add(apiVersion + "/" + kind)) {
            register.accept(type);
        }
        return type;
    }

    /** The plural Kubernetes gives a kind by default: lower case, {@code -y} to {@code -ies}, {@code -s}/{@code -x}/{@code -ch}/{@code -sh} + {@code es}. */
    static String plural(String kind) {
        String k = kind.toLowerCase(Locale.ROOT);
        if (k.endsWith("y") && k.length() > 1 && "aeiou".indexOf(k.charAt(k.length() - 2)) < 0) {
            return k.substring(0, k.length() - 1) + "ies";
        }
        if (k.endsWith("s") || k.endsWith("x") || k.endsWith("ch") || k.endsWith("sh")) {
            return k + "es";
        }
        return k + "s";
    }

    /** Five lower-case characters derived from the text, like the random suffix Crossplane gives a claim's composite. */
    static String suffix(String text) {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        long h = Integer.toUnsignedLong(text.hashCode());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            out.append(alphabet.charAt((int) (h % alphabet.length())));
            h /= alphabet.length();
        }
        return out.toString();
    }

    private static String status(Object value) {
        String s = text(value);
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> "True";
            case "false" -> "False";
            case "unknown" -> "Unknown";
            default -> throw new IllegalArgumentException("crossplane: ready must be \"True\", \"False\" or \"Unknown\", not " + s);
        };
    }

    private static String required(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v == null || text(v).isBlank()) {
            throw new IllegalArgumentException("crossplane: " + key + " is required in " + map);
        }
        return text(v);
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    private static GenericKubernetesResource fixture(String file) {
        Path path = FIXTURES.resolve(file);
        try {
            return Serialization.unmarshal(Files.readString(path), GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the Crossplane fixture " + path + " is missing", e);
        }
    }
}

package dev.paver.kubernetes;

import dev.paver.core.action.ClaimStatus;
import dev.paver.core.action.ProvisioningPort;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Crossplane claims and composite resources (XRs) with fabric8's generic resources: the claim or XR, for a v1
 * claim the composite of its {@code spec.resourceRef}, then the composed resources of the XR's
 * {@code spec.resourceRefs} (v1) or {@code spec.crossplane.resourceRefs} (v2), each with its {@code status.conditions}.
 *
 * <p><b>A get per check, not an informer.</b> The engine checks a waiting run at every poll and at its timers, and
 * the step decides on what one check reads; so each check does a few GETs (the claim, its composite, one per composed
 * resource) and keeps nothing between checks but the resource types it discovered. An informer would fit poorly:
 * the claim kinds come from templates and the composed kinds can be any managed resource of any provider, so Paver
 * would have to list and watch every object of every such kind in the cluster, keep them all in memory, and hold
 * list and watch rights on all of them, to follow a few objects for some minutes. Crossplane provisioning takes
 * minutes; a poll interval (15 to 60 s) of delay costs nothing, and the {@code slowAfter} timer is exact.
 *
 * <p>Resource types are found by API discovery ({@code /apis/<group>/<version>}, as kubectl does), once per
 * {@code apiVersion} and kind while they are served; a type not served is looked up again at the next check, so a
 * definition installed later is found.
 *
 * <p><b>Never a Secret.</b> A connection secret is reported by the name in the claim's
 * {@code spec.writeConnectionSecretToRef}; a composed {@code v1 Secret} (v2 compositions may compose one for connection
 * details) is listed as not read. No request of this class goes to {@code secrets}.
 *
 * <p>Errors: a refusal that waiting does not fix (the kind not served, HTTP 403 on the claim or XR, a namespace that
 * does not fit the kind's scope) is a {@link ProvisioningPort.Refused}; any other failure of the API server on the
 * claim or XR, or on discovery, is a {@link ClusterRequestException} (tried again by the engine). Composed resources
 * that cannot be read (not served, forbidden) are reported in the snapshot, not thrown.
 */
public final class CrossplaneResources implements ProvisioningPort {

    /** The annotation Crossplane sets on composed resources: the name the composition gives them. */
    static final String COMPOSITION_RESOURCE_NAME = "crossplane.io/composition-resource-name";

    private final KubernetesClient client;
    private final Map<String, ResourceDefinitionContext> types = new ConcurrentHashMap<>();
    private final ClusterMetrics metrics;

    /** @param client the cluster's API client; its credentials are those of Paver's service account (or kubeconfig) */
    public CrossplaneResources(KubernetesClient client) {
        this(client, ClusterMetrics.none());
    }

    /**
     * @param client  the cluster's API client; its credentials are those of Paver's service account (or kubeconfig)
     * @param metrics told when a claim or composite resource was read
     */
    public CrossplaneResources(KubernetesClient client, ClusterMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
        String ns = namespace == null ? "" : namespace.strip();
        String what = kind + " " + name + (ns.isEmpty() ? "" : " in " + ns);
        if (isSecret(apiVersion, kind)) {
            throw new Refused("Paver does not read Secrets; follow the claim or composite resource instead of " + what);
        }
        ResourceDefinitionContext type = type(apiVersion, kind, false)
                .orElseThrow(() -> notServed(apiVersion, kind, what));
        if (type.isNamespaceScoped() && ns.isEmpty()) {
            throw new Refused(kind + " (" + apiVersion + ") is namespaced: give the step's namespace (the service "
                    + "namespace {domain}-{env}-{service} the claim is written to)");
        }
        if (!type.isNamespaceScoped() && !ns.isEmpty()) {
            throw new Refused(kind + " (" + apiVersion + ") is cluster-scoped: leave the step's namespace empty, or follow "
                    + "the namespaced claim instead");
        }
        GenericKubernetesResource object;
        try {
            object = get(type, ns, name);
            metrics.crossplaneEvent();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new Refused("the API server does not let Paver read " + what + " (forbidden): give Paver's service "
                        + "account get on " + type.getPlural() + "." + type.getGroup() + " (deploy/kubernetes/base/rbac.yaml)");
            }
            throw ClusterRequestException.of("read " + what, e);
        }
        if (object == null) {
            // a missing object, or a type that is no longer served: GET answers 404 to both
            types.remove(key(apiVersion, kind));
            type(apiVersion, kind, true).orElseThrow(() -> notServed(apiVersion, kind, what));
            return Optional.empty();
        }
        ClaimStatus.Resource resource = resource(apiVersion, kind, object);
        Map<String, Object> spec = map(object.getAdditionalProperties().get("spec"));
        Map<String, Object> resourceRef = map(spec.get("resourceRef"));
        ClaimStatus.Resource composite = null;
        List<Map<String, Object>> refs = resourceRefs(spec);
        String composedNamespace = ns;
        if (!resourceRef.isEmpty()) {
            // a v1 claim: its composite is cluster-scoped and holds the composed resources' references
            Read xr = read(text(resourceRef.get("apiVersion")), text(resourceRef.get("kind")), "", text(resourceRef.get("name")));
            composite = xr.resource();
            refs = xr.object() == null ? List.of() : resourceRefs(map(xr.object().getAdditionalProperties().get("spec")));
            composedNamespace = "";
        }
        List<ClaimStatus.Resource> composed = new ArrayList<>();
        for (Map<String, Object> ref : refs) {
            String refNamespace = text(ref.get("namespace")).isEmpty() ? composedNamespace : text(ref.get("namespace"));
            composed.add(read(text(ref.get("apiVersion")), text(ref.get("kind")), refNamespace, text(ref.get("name"))).resource());
        }
        Map<String, Object> secretRef = map(spec.get("writeConnectionSecretToRef"));
        String secret = text(secretRef.get("name"));
        // a claim's reference is local to its namespace (LocalSecretReference); a cluster-scoped XR's names one
        String secretNamespace = secret.isEmpty() ? "" : type.isNamespaceScoped() ? ns : text(secretRef.get("namespace"));
        return Optional.of(new ClaimStatus(resource, composite, composed, secret, secretNamespace));
    }

    /** {@code spec.crossplane.resourceRefs} of a v2 XR, else {@code spec.resourceRefs} of a v1 XR; entries without a name are skipped. */
    private static List<Map<String, Object>> resourceRefs(Map<String, Object> spec) {
        Object refs = map(spec.get("crossplane")).get("resourceRefs");
        if (refs == null) {
            refs = spec.get("resourceRefs");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        if (refs instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> ref = map(o);
                if (!text(ref.get("name")).isEmpty() && !text(ref.get("kind")).isEmpty()) {
                    out.add(ref);
                }
            }
        }
        return out;
    }

    /** One referenced object, read as far as Paver may: never throws for refusals, only for a failing API server. */
    private record Read(ClaimStatus.Resource resource, GenericKubernetesResource object) {
    }

    private Read read(String apiVersion, String kind, String namespace, String name) {
        if (isSecret(apiVersion, kind)) {
            return new Read(new ClaimStatus.Resource(apiVersion, kind, namespace, name, "", ClaimStatus.Presence.NOT_READ,
                    "a Secret: Paver does not read Secrets", List.of()), null);
        }
        String what = kind + " " + name;
        Optional<ResourceDefinitionContext> type = type(apiVersion, kind, false);
        if (type.isEmpty()) {
            return new Read(new ClaimStatus.Resource(apiVersion, kind, namespace, name, "", ClaimStatus.Presence.UNREADABLE,
                    "the API server does not serve " + kind + " in " + apiVersion + " (is its provider installed and healthy?)",
                    List.of()), null);
        }
        String ns = type.get().isNamespaceScoped() ? namespace : "";
        if (type.get().isNamespaceScoped() && ns.isEmpty()) {
            return new Read(new ClaimStatus.Resource(apiVersion, kind, "", name, "", ClaimStatus.Presence.UNREADABLE,
                    "its reference names no namespace", List.of()), null);
        }
        try {
            GenericKubernetesResource object = get(type.get(), ns, name);
            if (object == null) {
                return new Read(new ClaimStatus.Resource(apiVersion, kind, ns, name, "", ClaimStatus.Presence.MISSING, "",
                        List.of()), null);
            }
            return new Read(resource(apiVersion, kind, object), object);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return new Read(new ClaimStatus.Resource(apiVersion, kind, ns, name, "", ClaimStatus.Presence.UNREADABLE,
                        "Paver may not read it (forbidden): bind Paver's service account to Crossplane's crossplane-view "
                                + "ClusterRole (deploy/kubernetes/base/rbac.yaml)", List.of()), null);
            }
            throw ClusterRequestException.of("read " + what, e);
        }
    }

    private GenericKubernetesResource get(ResourceDefinitionContext type, String namespace, String name) {
        var resources = client.genericKubernetesResources(type);
        return type.isNamespaceScoped() ? resources.inNamespace(namespace).withName(name).get() : resources.withName(name).get();
    }

    /**
     * The resource type of a kind, by discovery: empty when the API server does not serve it.
     *
     * @param fresh true to ask the API server even if the type was found before
     * @throws ClusterRequestException when discovery fails (other than 404, which means not served)
     */
    Optional<ResourceDefinitionContext> type(String apiVersion, String kind, boolean fresh) {
        String key = key(apiVersion, kind);
        ResourceDefinitionContext known = fresh ? null : types.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        if (apiVersion.isBlank() || kind.isBlank()) {
            return Optional.empty();
        }
        APIResourceList list;
        try {
            list = client.getApiResources(apiVersion);
        } catch (KubernetesClientException e) {
            throw ClusterRequestException.of("discover the resource types of " + apiVersion, e);
        }
        if (list == null || list.getResources() == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        for (APIResource r : list.getResources()) {
            // subresources (postgresqlinstances/status) carry the same kind
            if (kind.equals(r.getKind()) && r.getName() != null && !r.getName().contains("/")) {
                ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup(group).withVersion(version)
                        .withKind(kind).withPlural(r.getName()).withNamespaced(Boolean.TRUE.equals(r.getNamespaced())).build();
                types.put(key, type);
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static Refused notServed(String apiVersion, String kind, String what) {
        return new Refused("the API server does not serve " + kind + " in " + apiVersion + ", so " + what + " cannot exist: "
                + "check the claim's apiVersion and kind, and that the CompositeResourceDefinition that offers it is installed "
                + "and Established (kubectl get xrd)");
    }

    private static ClaimStatus.Resource resource(String apiVersion, String kind, GenericKubernetesResource object) {
        var metadata = object.getMetadata();
        Map<String, String> annotations = metadata.getAnnotations() == null ? Map.of() : metadata.getAnnotations();
        boolean deleting = metadata.getDeletionTimestamp() != null && !metadata.getDeletionTimestamp().isBlank();
        return new ClaimStatus.Resource(apiVersion, kind, metadata.getNamespace(), metadata.getName(),
                annotations.get(COMPOSITION_RESOURCE_NAME), deleting ? ClaimStatus.Presence.DELETING : ClaimStatus.Presence.FOUND,
                "", conditions(object));
    }

    /** {@code status.conditions}: type, status, reason and message of each. */
    static List<ClaimStatus.Condition> conditions(GenericKubernetesResource object) {
        Object conditions = map(object.getAdditionalProperties().get("status")).get("conditions");
        List<ClaimStatus.Condition> out = new ArrayList<>();
        if (conditions instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> c = map(o);
                if (!text(c.get("type")).isEmpty()) {
                    out.add(new ClaimStatus.Condition(text(c.get("type")), text(c.get("status")), text(c.get("reason")),
                            text(c.get("message"))));
                }
            }
        }
        return out;
    }

    private static boolean isSecret(String apiVersion, String kind) {
        return "v1".equals(apiVersion) && "Secret".equals(kind);
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }
}

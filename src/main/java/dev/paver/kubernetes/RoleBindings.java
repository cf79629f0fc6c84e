package dev.paver.kubernetes;

import dev.paver.core.access.AccessBinding;
import dev.paver.core.access.AccessPort;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants and revokes production access as namespaced RoleBindings ({@code rbac.authorization.k8s.io/v1}) to a
 * ClusterRole, following <a href="https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding">
 * Kubernetes RBAC: RoleBinding and ClusterRoleBinding</a>. A binding Paver makes looks like:
 * <pre>{@code
 * metadata: {name: <name>, namespace: <namespace>, labels: {app.kubernetes.io/managed-by: paver}, annotations: {...}}
 * roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: <clusterRole>}
 * subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: <identity>}]
 * }</pre>
 * The API server only lets Paver create a binding to a ClusterRole Paver holds or may {@code bind}
 * (<a href="https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update">
 * restrictions on role binding creation</a>); any other is refused with 403 and reported as a
 * {@link ClusterRequestException}.
 */
public final class RoleBindings implements AccessPort {

    /** The label on every RoleBinding Paver makes. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /** The API group of RoleBindings, their roleRef and their User subjects. */
    public static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    private static final Logger LOG = LoggerFactory.getLogger(RoleBindings.class);
    /** Tries per call when another writer changed the binding in between (HTTP 409). */
    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;
    private final ClusterMetrics metrics;

    /** @param client a client authenticated as Paver's ServiceAccount */
    public RoleBindings(KubernetesClient client) {
        this(client, ClusterMetrics.none());
    }

    /**
     * @param client  a client authenticated as Paver's ServiceAccount
     * @param metrics told of every deletion ({@link #unbind}) and whether it worked
     */
    public RoleBindings(KubernetesClient client, ClusterMetrics metrics) {
        this.client = client;
        this.metrics = metrics;
    }

    /** Always true: a client was configured. */
    @Override
    public boolean enabled() {
        return true;
    }

    /**
     * Creates the RoleBinding, or replaces the one of that name (subjects, labels and annotations become exactly the
     * given ones). Because a RoleBinding's roleRef cannot be changed, an existing binding to another ClusterRole is
     * deleted and created again.
     *
     * @throws ClusterRequestException when the API server refuses (e.g. 403 when Paver may not bind {@code clusterRole},
     *                                 404 when the namespace does not exist) or cannot be reached
     */
    @Override
    public void bind(String namespace, String name, String clusterRole, String identity, Map<String, String> annotations) {
        RoleBinding desired = desired(namespace, name, clusterRole, identity, annotations);
        String where = "RoleBinding " + name + " in " + namespace;
        Resource<RoleBinding> resource = client.rbac().roleBindings().inNamespace(namespace).withName(name);
        for (int attempt = 1; ; attempt++) {
            String step = "read " + where;
            try {
                RoleBinding existing = resource.get();
                if (existing != null && !sameRoleRef(existing.getRoleRef(), desired.getRoleRef())) {
                    step = "delete " + where + " (bound to " + describe(existing.getRoleRef()) + ") to bind it to ClusterRole "
                            + clusterRole;
                    resource.delete();
                    existing = null;
                }
                if (existing == null) {
                    step = "create " + where;
                    client.rbac().roleBindings().inNamespace(namespace).resource(copyOf(desired)).create();
                } else {
                    step = "replace " + where;
                    RoleBinding replacement = copyOf(desired);
                    replacement.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
                    client.rbac().roleBindings().inNamespace(namespace).resource(replacement).update();
                }
                LOG.info("bound {} to ClusterRole {} in namespace {} (RoleBinding {})", identity, clusterRole, namespace, name);
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && attempt < ATTEMPTS) {
                    continue; // created, changed or still being deleted by someone else: read again
                }
                throw ClusterRequestException.of(step, e);
            }
        }
    }

    /**
     * Deletes the RoleBinding.
     *
     * @return true when it existed, false when there was none (nothing is thrown for a missing binding)
     * @throws ClusterRequestException when the API server refuses or cannot be reached
     */
    @Override
    public boolean unbind(String namespace, String name) {
        try {
            boolean existed = !client.rbac().roleBindings().inNamespace(namespace).withName(name).delete().isEmpty();
            if (existed) {
                LOG.info("deleted RoleBinding {} in namespace {}", name, namespace);
            }
            metrics.revocation(true);
            return existed;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                metrics.revocation(true);
                return false;
            }
            metrics.revocation(false);
            throw ClusterRequestException.of("delete RoleBinding " + name + " in " + namespace, e);
        } catch (RuntimeException e) {
            metrics.revocation(false);
            throw e;
        }
    }

    /**
     * @return true when the namespace exists
     * @throws ClusterRequestException when the API server refuses (Paver needs {@code get} on namespaces) or cannot be
     *                                 reached
     */
    @Override
    public boolean namespaceExists(String namespace) {
        try {
            return client.namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            throw ClusterRequestException.of("read namespace " + namespace, e);
        }
    }

    /**
     * Lists the RoleBindings labelled {@code app.kubernetes.io/managed-by: paver} in every namespace (one request, with
     * a label selector).
     *
     * @throws ClusterRequestException when the API server refuses (Paver needs {@code list} on rolebindings) or cannot
     *                                 be reached
     */
    @Override
    public List<AccessBinding> bindings() {
        try {
            return client.rbac().roleBindings().inAnyNamespace().withLabel(MANAGED_BY, "paver").list().getItems().stream()
                    .map(RoleBindings::binding).toList();
        } catch (KubernetesClientException e) {
            throw ClusterRequestException.of("list the RoleBindings labelled " + MANAGED_BY + "=paver", e);
        }
    }

    private static AccessBinding binding(RoleBinding b) {
        RoleRef ref = b.getRoleRef();
        List<String> subjects = b.getSubjects() == null ? List.of()
                : b.getSubjects().stream().map(s -> s.getKind() + "/" + s.getName()).toList();
        return new AccessBinding(b.getMetadata().getNamespace(), b.getMetadata().getName(), ref == null ? "" : ref.getKind(),
                ref == null ? "" : ref.getName(), subjects, b.getMetadata().getAnnotations());
    }

    private static RoleBinding desired(String namespace, String name, String clusterRole, String identity,
                                       Map<String, String> annotations) {
        Objects.requireNonNull(clusterRole, "clusterRole");
        Objects.requireNonNull(identity, "identity");
        return new RoleBindingBuilder()
                .withNewMetadata()
                .withName(name).withNamespace(namespace)
                .withLabels(Map.of(MANAGED_BY, "paver"))
                .withAnnotations(annotations == null ? Map.of() : new LinkedHashMap<>(annotations))
                .endMetadata()
                .withNewRoleRef().withApiGroup(RBAC_GROUP).withKind("ClusterRole").withName(clusterRole).endRoleRef()
                .addNewSubject().withKind("User").withApiGroup(RBAC_GROUP).withName(identity).endSubject()
                .build();
    }

    private static RoleBinding copyOf(RoleBinding binding) {
        return new RoleBindingBuilder(binding).build();
    }

    private static boolean sameRoleRef(RoleRef a, RoleRef b) {
        return a != null && Objects.equals(a.getApiGroup(), b.getApiGroup()) && Objects.equals(a.getKind(), b.getKind())
                && Objects.equals(a.getName(), b.getName());
    }

    private static String describe(RoleRef ref) {
        return ref == null ? "no role" : ref.getKind() + " " + ref.getName();
    }
}

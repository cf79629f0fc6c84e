package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Access grants against fabric8's mock API server in CRUD mode: every assertion reads the server back. */
@EnableKubernetesMockClient(crud = true)
class RoleBindingsTest {

    static KubernetesClient client;

    private static final String NS = "payments-prod";

    private RoleBinding read(String name) {
        return client.rbac().roleBindings().inNamespace(NS).withName(name).get();
    }

    @Test
    void bindCreatesARoleBindingToTheClusterRoleForTheUser() {
        new RoleBindings(client).bind(NS, "paver-g-1", "view", "ada@acme.example",
                Map.of("paver.dev/grant", "g-1", "paver.dev/expires-at", "2026-11-21T12:00:00Z"));

        RoleBinding binding = read("paver-g-1");
        assertThat(binding).isNotNull();
        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getRoleRef().getName()).isEqualTo("view");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("User");
            assertThat(subject.getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
            assertThat(subject.getName()).isEqualTo("ada@acme.example");
            assertThat(subject.getNamespace()).isNull();
        });
        assertThat(binding.getMetadata().getLabels()).containsExactlyEntriesOf(Map.of("app.kubernetes.io/managed-by", "paver"));
        assertThat(binding.getMetadata().getAnnotations()).containsOnly(Map.entry("paver.dev/grant", "g-1"),
                Map.entry("paver.dev/expires-at", "2026-11-21T12:00:00Z"));
    }

    @Test
    void bindingTwiceLeavesOneBindingWithTheLatestAnnotationsAndSubject() {
        RoleBindings access = new RoleBindings(client);
        access.bind(NS, "paver-g-2", "edit", "ada@acme.example", Map.of("paver.dev/expires-at", "2026-11-21T12:00:00Z"));
        access.bind(NS, "paver-g-2", "edit", "grace@acme.example", Map.of("paver.dev/expires-at", "2026-11-21T14:00:00Z"));

        assertThat(client.rbac().roleBindings().inNamespace(NS).list().getItems())
                .filteredOn(b -> b.getMetadata().getName().equals("paver-g-2")).hasSize(1);
        RoleBinding binding = read("paver-g-2");
        assertThat(binding.getMetadata().getAnnotations()).containsExactlyEntriesOf(Map.of("paver.dev/expires-at", "2026-11-21T14:00:00Z"));
        assertThat(binding.getSubjects()).extracting(Subject::getName).containsExactly("grace@acme.example");
        assertThat(binding.getRoleRef().getName()).isEqualTo("edit");
    }

    @Test
    void bindingToAnotherClusterRoleReplacesTheImmutableRoleRef() {
        RoleBindings access = new RoleBindings(client);
        access.bind(NS, "paver-g-3", "view", "ada@acme.example", Map.of("paver.dev/role", "viewer"));
        String firstUid = read("paver-g-3").getMetadata().getUid();

        access.bind(NS, "paver-g-3", "edit", "ada@acme.example", Map.of("paver.dev/role", "operator"));

        RoleBinding binding = read("paver-g-3");
        assertThat(binding.getRoleRef().getName()).isEqualTo("edit");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(binding.getMetadata().getAnnotations()).containsEntry("paver.dev/role", "operator");
        assertThat(binding.getMetadata().getUid()).as("deleted and created again, not updated in place").isNotEqualTo(firstUid);
    }

    @Test
    void unbindSaysWhetherTheBindingExisted() {
        RoleBindings access = new RoleBindings(client);
        access.bind(NS, "paver-g-4", "view", "ada@acme.example", Map.of());

        assertThat(access.unbind(NS, "paver-g-4")).isTrue();
        assertThat(read("paver-g-4")).isNull();
        assertThat(access.unbind(NS, "paver-g-4")).isFalse();
        assertThat(access.unbind("no-such-namespace", "paver-g-4")).isFalse();
    }

    @Test
    void namespaceExistsAsksTheServer() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("checkout-prod").endMetadata().build())
                .create();
        RoleBindings access = new RoleBindings(client);

        assertThat(access.namespaceExists("checkout-prod")).isTrue();
        assertThat(access.namespaceExists("checkout-staging")).isFalse();
    }

    @Test
    void aRefusalSaysWhatWasRefusedAndTheServersReason() {
        // expectations mode: the server answers the create with the 403 Kubernetes sends for an escalation
        KubernetesMockServer server = new KubernetesMockServer(false);
        server.init(java.net.InetAddress.getLoopbackAddress(), 0);
        String message = "rolebindings.rbac.authorization.k8s.io \"paver-g-5\" is forbidden: user \"system:serviceaccount:paver:paver\""
                + " (groups=[\"system:serviceaccounts\"]) is attempting to grant RBAC permissions not currently held";
        server.expect().get().withPath("/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/rolebindings/paver-g-5")
                .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound").build()).always();
        server.expect().post().withPath("/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/rolebindings")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage(message).build()).always();
        try (KubernetesClient refusing = server.createClient()) {
            RoleBindings access = new RoleBindings(refusing);

            assertThatThrownBy(() -> access.bind(NS, "paver-g-5", "cluster-admin", "ada@acme.example", Map.of()))
                    .isInstanceOf(ClusterRequestException.class)
                    .hasMessage("the API server refused to create RoleBinding paver-g-5 in " + NS + ": " + message)
                    .satisfies(e -> assertThat(((ClusterRequestException) e).code()).isEqualTo(403));
        } finally {
            server.destroy();
        }
    }
}

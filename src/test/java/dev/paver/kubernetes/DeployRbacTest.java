package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Paver's own RBAC in the deployment manifest is what it calls and nothing broader; above all it may bind only the
 * ClusterRoles of its elevation roles, so a grant can never become cluster-admin. The one role it does not define is
 * Crossplane's read-only {@code crossplane-view}, for composed resources of any kind.
 */
class DeployRbacTest {

    /** ClusterRoles that Paver's service account is bound to without the manifest defining them. */
    private static final java.util.Set<String> EXTERNAL = java.util.Set.of("crossplane-view");

    /** The kustomize base every overlay of deploy/kubernetes builds on: its manifests, read as written. */
    private static final Path BASE = Path.of("deploy", "kubernetes", "base");

    private static List<Map<String, Object>> documents;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        documents = new ArrayList<>();
        List<Path> manifests;
        try (Stream<Path> files = Files.list(BASE)) {
            // kustomization.yaml is kustomize's, application.yml is Paver's configuration: neither is a manifest
            manifests = files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(manifests).extracting(f -> f.getFileName().toString()).contains("rbac.yaml", "serviceaccount.yaml");
        for (Path manifest : manifests) {
            for (Object document : new Yaml().loadAll(Files.readString(manifest))) {
                if (document != null) {
                    documents.add((Map<String, Object>) document);
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    private static String name(Map<String, Object> document) {
        return String.valueOf(map(document.get("metadata")).get("name"));
    }

    private static boolean boundToPaver(Map<String, Object> binding) {
        return list(binding.get("subjects")).stream().map(DeployRbacTest::map).anyMatch(s -> "ServiceAccount".equals(s.get("kind"))
                && "paver".equals(s.get("name")) && "paver".equals(s.get("namespace")));
    }

    /** Every Role and ClusterRole a binding of the manifest gives Paver's ServiceAccount. */
    private static List<Map<String, Object>> paverRoles(String bindingKind, String roleKind) {
        List<Map<String, Object>> roles = new ArrayList<>();
        for (Map<String, Object> binding : documents) {
            if (!bindingKind.equals(binding.get("kind")) || !boundToPaver(binding)) {
                continue;
            }
            Map<String, Object> ref = map(binding.get("roleRef"));
            assertThat(ref.get("kind")).isEqualTo(roleKind);
            if (roleKind.equals("ClusterRole") && EXTERNAL.contains(String.valueOf(ref.get("name")))) {
                continue; // not in the manifest: checked by composedResourcesAreReadThroughCrossplanesViewRoleOnly
            }
            Map<String, Object> role = documents.stream()
                    .filter(d -> roleKind.equals(d.get("kind")) && Objects.equals(name(d), ref.get("name"))
                            && Objects.equals(map(d.get("metadata")).get("namespace"), map(binding.get("metadata")).get("namespace")))
                    .findFirst().orElseThrow(() -> new AssertionError(bindingKind + " " + name(binding) + " refers to a missing "
                            + roleKind + " " + ref.get("name")));
            roles.add(role);
        }
        return roles;
    }

    private static List<Map<String, Object>> rules(List<Map<String, Object>> roles) {
        return roles.stream().flatMap(r -> list(r.get("rules")).stream()).map(DeployRbacTest::map).toList();
    }

    private static List<Map<String, Object>> allPaverRules() {
        List<Map<String, Object>> all = new ArrayList<>(rules(paverRoles("ClusterRoleBinding", "ClusterRole")));
        all.addAll(rules(paverRoles("RoleBinding", "Role")));
        return all;
    }

    private static List<Object> field(Map<String, Object> rule, String key) {
        return list(rule.get(key));
    }

    @Test
    void paverHasOneClusterRoleOfItsOwnBoundToItsServiceAccount() {
        assertThat(paverRoles("ClusterRoleBinding", "ClusterRole")).singleElement()
                .satisfies(role -> assertThat(name(role)).isEqualTo("paver"));
    }

    @Test
    void noWildcardAnywhere() {
        for (Map<String, Object> rule : allPaverRules()) {
            for (String key : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                assertThat(field(rule, key)).as("%s of %s", key, rule).noneMatch(v -> String.valueOf(v).contains("*"));
            }
        }
        // nor in any other RBAC object of the manifest
        documents.stream().filter(d -> String.valueOf(d.get("apiVersion")).startsWith("rbac.authorization.k8s.io/"))
                .flatMap(d -> list(d.get("rules")).stream()).map(DeployRbacTest::map)
                .forEach(rule -> assertThat(rule.toString()).doesNotContain("*"));
    }

    @Test
    void bindIsGrantedOnlyOnTheViewAndEditClusterRoles() {
        List<Map<String, Object>> bindRules = allPaverRules().stream().filter(r -> field(r, "verbs").contains("bind")).toList();

        assertThat(bindRules).isNotEmpty().allSatisfy(rule -> {
            assertThat(field(rule, "apiGroups")).containsExactly("rbac.authorization.k8s.io");
            assertThat(field(rule, "resources")).containsExactly("clusterroles");
            assertThat(field(rule, "verbs")).containsExactly("bind");
            assertThat(field(rule, "resourceNames")).containsExactlyInAnyOrder("edit", "view");
        });
        // no other verb on roles or clusterroles: escalate would lift the bind restriction, create/update would let Paver
        // write a role it could then bind
        assertThat(allPaverRules()).filteredOn(r -> field(r, "resources").contains("clusterroles") || field(r, "resources").contains("roles"))
                .allSatisfy(rule -> assertThat(field(rule, "verbs")).containsExactly("bind"));
    }

    @Test
    void rolebindingsCanBeCreatedReplacedListedAndDeletedAndNamespacesRead() {
        List<Object> verbs = allPaverRules().stream()
                .filter(r -> field(r, "apiGroups").contains("rbac.authorization.k8s.io") && field(r, "resources").contains("rolebindings"))
                .flatMap(r -> field(r, "verbs").stream()).toList();
        // list: the sweep finds Paver's own bindings by label; no watch, no patch, no deletecollection
        assertThat(verbs).containsExactlyInAnyOrder("get", "list", "create", "update", "delete");
        assertThat(allPaverRules()).anySatisfy(rule -> {
            assertThat(field(rule, "apiGroups")).containsExactly("");
            assertThat(field(rule, "resources")).containsExactly("namespaces");
            assertThat(field(rule, "verbs")).containsExactly("get");
        });
    }

    @Test
    void argoCdApplicationsCanBeFollowedAndPatchedInTheArgoCdNamespaceOnly() {
        List<Map<String, Object>> applicationRules = allPaverRules().stream()
                .filter(r -> field(r, "resources").contains("applications")).toList();
        assertThat(applicationRules).singleElement().satisfies(rule -> {
            assertThat(field(rule, "apiGroups")).containsExactly("argoproj.io");
            assertThat(field(rule, "verbs")).contains("get", "list", "watch", "patch").doesNotContain("delete", "create");
        });
        assertThat(rules(paverRoles("ClusterRoleBinding", "ClusterRole"))).as("not in every namespace")
                .noneMatch(r -> field(r, "apiGroups").contains("argoproj.io"));
    }

    @Test
    void applicationSetsCanOnlyBePatchedToRefreshThemInTheArgoCdNamespace() {
        List<Map<String, Object>> setRules = allPaverRules().stream()
                .filter(r -> field(r, "resources").contains("applicationsets")).toList();
        // the argocd.argoproj.io/application-set-refresh annotation: no read, no create, no delete
        assertThat(setRules).singleElement().satisfies(rule -> {
            assertThat(field(rule, "apiGroups")).containsExactly("argoproj.io");
            assertThat(field(rule, "resources")).containsExactly("applicationsets");
            assertThat(field(rule, "verbs")).containsExactly("patch");
        });
        Map<String, Object> role = paverRoles("RoleBinding", "Role").stream()
                .filter(r -> list(r.get("rules")).stream().map(DeployRbacTest::map)
                        .anyMatch(rule -> field(rule, "resources").contains("applicationsets")))
                .findFirst().orElseThrow();
        assertThat(map(role.get("metadata")).get("namespace")).isEqualTo("argocd");
    }

    @Test
    void theSealedSecretsCertificateIsReadThroughTheControllersServiceProxyOnly() {
        List<Map<String, Object>> proxyRules = allPaverRules().stream()
                .filter(r -> field(r, "resources").stream().anyMatch(v -> String.valueOf(v).startsWith("services"))).toList();
        assertThat(proxyRules).singleElement().satisfies(rule -> {
            assertThat(field(rule, "apiGroups")).containsExactly("");
            assertThat(field(rule, "resources")).containsExactly("services/proxy");
            assertThat(field(rule, "verbs")).containsExactly("get");
            // kubeseal --fetch-cert's request: GET .../services/http:sealed-secrets-controller:http/proxy/v1/cert.pem
            assertThat(field(rule, "resourceNames")).containsExactly("http:sealed-secrets-controller:http");
        });
        assertThat(rules(paverRoles("ClusterRoleBinding", "ClusterRole"))).as("not in every namespace")
                .noneMatch(r -> field(r, "resources").contains("services/proxy"));
        Map<String, Object> role = paverRoles("RoleBinding", "Role").stream()
                .filter(r -> list(r.get("rules")).stream().map(DeployRbacTest::map)
                        .anyMatch(rule -> field(rule, "resources").contains("services/proxy")))
                .findFirst().orElseThrow();
        assertThat(map(role.get("metadata")).get("namespace")).as("the controller's default namespace").isEqualTo("kube-system");
    }

    @Test
    void crossplaneClaimsAndCompositesOfThePaverGroupsAreReadOnly() {
        List<String> plurals = List.of("postgresqlinstances", "queues", "buckets", "xpostgresqlinstances", "xqueues", "xbuckets");
        for (String group : List.of("platform.paver.dev", "xr.platform.paver.dev")) {
            List<Map<String, Object>> rules = allPaverRules().stream().filter(r -> field(r, "apiGroups").contains(group)).toList();
            assertThat(rules).as(group).isNotEmpty().allSatisfy(rule -> {
                assertThat(field(rule, "verbs")).containsExactlyInAnyOrder("get", "list", "watch");
                assertThat(field(rule, "resources")).noneMatch(r -> String.valueOf(r).contains("/"));
            });
            assertThat(rules.stream().flatMap(r -> field(r, "resources").stream()).toList()).as(group).containsAll(plurals);
        }
    }

    @Test
    void composedResourcesAreReadThroughCrossplanesViewRoleOnly() {
        List<Map<String, Object>> bindings = documents.stream().filter(d -> "ClusterRoleBinding".equals(d.get("kind"))
                && boundToPaver(d) && EXTERNAL.contains(String.valueOf(map(d.get("roleRef")).get("name")))).toList();
        assertThat(bindings).singleElement().satisfies(binding -> {
            assertThat(map(binding.get("roleRef"))).containsEntry("kind", "ClusterRole").containsEntry("name", "crossplane-view")
                    .containsEntry("apiGroup", "rbac.authorization.k8s.io");
            assertThat(list(binding.get("subjects"))).as("only Paver's service account").hasSize(1);
        });
        // never Crossplane's roles that read or write Secrets, nor any other role the manifest does not define
        assertThat(documents).filteredOn(d -> String.valueOf(d.get("kind")).endsWith("Binding") && boundToPaver(d))
                .extracting(d -> String.valueOf(map(d.get("roleRef")).get("name")))
                .doesNotContain("crossplane-admin", "crossplane-edit", "crossplane", "cluster-admin", "admin", "edit")
                .allMatch(name -> EXTERNAL.contains(name) || documents.stream().anyMatch(d -> String.valueOf(d.get("kind"))
                        .endsWith("Role") && name.equals(name(d))));
    }

    @Test
    void noSecretsNoLeasesNoClusterRoleBindings() {
        assertThat(allPaverRules()).allSatisfy(rule -> {
            assertThat(field(rule, "resources")).doesNotContain("secrets", "leases", "clusterrolebindings", "serviceaccounts",
                    "pods/exec", "users", "groups");
            assertThat(field(rule, "apiGroups")).doesNotContain("coordination.k8s.io");
            assertThat(field(rule, "verbs")).doesNotContain("escalate", "impersonate");
        });
    }
}

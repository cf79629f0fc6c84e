package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.extensions.CelExtensions;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The ValidatingAdmissionPolicy of {@code deploy/kubernetes/base/admission-policy.yaml}, evaluated as the API server
 * evaluates it (https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/): its
 * matchConditions, then its variables in order, then each validation; the request is refused at the first validation
 * that is false, with its message. The expressions are read from the file and run by Google's CEL for Java with the
 * extension libraries Kubernetes enables (strings, lists), on admission requests shaped as the API server sends them
 * ({@code request}, {@code object}, {@code oldObject}); the RoleBindings Paver writes are made by {@link RoleBindings}
 * itself against fabric8's mock API server.
 */
@EnableKubernetesMockClient(crud = true)
class AdmissionPolicyTest {

    static KubernetesClient client;

    private static final Path POLICY = Path.of("deploy", "kubernetes", "base", "admission-policy.yaml");
    private static final String PAVER = "system:serviceaccount:paver:paver";
    private static final String PROD = "payments-prod-api";

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("request", SimpleType.DYN).addVar("object", SimpleType.DYN).addVar("oldObject", SimpleType.DYN)
            .addVar("params", SimpleType.DYN).addVar("namespaceObject", SimpleType.DYN).addVar("variables", SimpleType.DYN)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings(), CelExtensions.lists())
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings(), CelExtensions.lists())
            .build();

    private static Map<String, Object> policy;
    private static Map<String, Object> policyBinding;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        for (Object doc : new Yaml().loadAll(Files.readString(POLICY))) {
            Map<String, Object> d = (Map<String, Object>) doc;
            if ("ValidatingAdmissionPolicy".equals(d.get("kind"))) {
                policy = d;
            } else if ("ValidatingAdmissionPolicyBinding".equals(d.get("kind"))) {
                policyBinding = d;
            }
        }
        assertThat(policy).isNotNull();
        assertThat(policyBinding).isNotNull();
    }

    // ----- the evaluator: the API server's order, the file's expressions -----

    /** What the policy decided: not concerned (a matchCondition false), allowed, or refused with a message. */
    private record Decision(boolean matched, boolean allowed, String message) {
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec() {
        return (Map<String, Object>) policy.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(String key) {
        return (List<Map<String, Object>>) spec().getOrDefault(key, List.of());
    }

    private static Object eval(String expression, Map<String, Object> activation) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast).eval(activation);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new AssertionError("the policy's expression does not evaluate: " + expression + "\n" + e.getMessage(), e);
        }
    }

    private static Decision admit(Map<String, Object> request, Object object, Object oldObject) {
        assertThat(matchesResource(request)).as("the request is one the policy's matchConstraints select").isTrue();
        Map<String, Object> activation = new LinkedHashMap<>();
        activation.put("request", cel(request));
        activation.put("object", object == null ? NullValue.NULL_VALUE : cel(object));
        activation.put("oldObject", oldObject == null ? NullValue.NULL_VALUE : cel(oldObject));
        activation.put("params", NullValue.NULL_VALUE);
        activation.put("namespaceObject", NullValue.NULL_VALUE);
        Map<String, Object> variables = new LinkedHashMap<>();
        activation.put("variables", variables);
        for (Map<String, Object> condition : entries("matchConditions")) {
            if (!Boolean.TRUE.equals(eval(String.valueOf(condition.get("expression")), activation))) {
                return new Decision(false, true, "");
            }
        }
        for (Map<String, Object> variable : entries("variables")) {
            variables.put(String.valueOf(variable.get("name")), eval(String.valueOf(variable.get("expression")), activation));
        }
        for (Map<String, Object> validation : entries("validations")) {
            Object result = eval(String.valueOf(validation.get("expression")), activation);
            assertThat(result).as("a validation is a boolean: %s", validation.get("expression")).isInstanceOf(Boolean.class);
            if (!(Boolean) result) {
                String message = validation.get("messageExpression") != null
                        ? String.valueOf(eval(String.valueOf(validation.get("messageExpression")), activation))
                        : String.valueOf(validation.get("message"));
                return new Decision(true, false, message);
            }
        }
        return new Decision(true, true, "");
    }

    @SuppressWarnings("unchecked")
    private static boolean matchesResource(Map<String, Object> request) {
        Map<String, Object> resource = (Map<String, Object>) request.get("resource");
        for (Map<String, Object> rule : (List<Map<String, Object>>) ((Map<String, Object>) spec().get("matchConstraints"))
                .get("resourceRules")) {
            if (((List<String>) rule.get("apiGroups")).contains(resource.get("group"))
                    && ((List<String>) rule.get("apiVersions")).contains(resource.get("version"))
                    && ((List<String>) rule.get("resources")).contains(resource.get("resource"))
                    && ((List<String>) rule.get("operations")).contains(request.get("operation"))) {
                return true;
            }
        }
        return false;
    }

    /** JSON-shaped values as CEL takes them: integers as long. */
    @SuppressWarnings("unchecked")
    private static Object cel(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                if (v != null) {
                    out.put(String.valueOf(k), cel(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(cel(v)));
            return out;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }

    // ----- admission requests -----

    /** An AdmissionRequest (admission.k8s.io/v1) on a RoleBinding, as the API server passes it to CEL as {@code request}. */
    private static Map<String, Object> request(String operation, String namespace, String name, String user) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("kind", Map.of("group", "rbac.authorization.k8s.io", "version", "v1", "kind", "RoleBinding"));
        r.put("resource", Map.of("group", "rbac.authorization.k8s.io", "version", "v1", "resource", "rolebindings"));
        r.put("name", name);
        r.put("namespace", namespace);
        r.put("operation", operation);
        r.put("userInfo", Map.of("username", user, "groups", List.of("system:serviceaccounts", "system:authenticated")));
        r.put("dryRun", false);
        return r;
    }

    /** The RoleBinding {@link RoleBindings} writes for a grant, read back from the API server, as JSON. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> pavers(String namespace, String name, String clusterRole) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
                .endMetadata().build()).createOr(existing -> existing.update());
        new RoleBindings(client).bind(namespace, name, clusterRole, "dana@acme.example",
                Map.of("paver.dev/run", "r-1", "paver.dev/expires-at", "2026-12-06T12:00:00Z"));
        RoleBinding written = client.rbac().roleBindings().inNamespace(namespace).withName(name).get();
        return Serialization.jsonMapper().convertValue(written, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> with(Map<String, Object> binding, String path, Object value) {
        Map<String, Object> copy = (Map<String, Object>) Serialization.jsonMapper().convertValue(binding, Map.class);
        String[] keys = path.split("\\.");
        Map<String, Object> at = copy;
        for (int i = 0; i < keys.length - 1; i++) {
            at = (Map<String, Object>) at.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
        }
        if (value == null) {
            at.remove(keys[keys.length - 1]);
        } else {
            at.put(keys[keys.length - 1], value);
        }
        return copy;
    }

    // ----- allowed -----

    @Test
    void paverMayCreateReplaceAndDeleteItsElevationBindingsInProductionNamespaces() {
        Map<String, Object> view = pavers(PROD, "paver-r-1", "view");
        Map<String, Object> edit = pavers("checkout-prod-web", "paver-r-2", "edit");

        assertThat(admit(request("CREATE", PROD, "paver-r-1", PAVER), view, null)).isEqualTo(new Decision(true, true, ""));
        assertThat(admit(request("CREATE", "checkout-prod-web", "paver-r-2", PAVER), edit, null).allowed()).isTrue();
        Map<String, Object> extended = with(view, "metadata.annotations", Map.of("paver.dev/expires-at", "2026-12-06T14:00:00Z"));
        assertThat(admit(request("UPDATE", PROD, "paver-r-1", PAVER), extended, view).allowed()).isTrue();
        assertThat(admit(request("DELETE", PROD, "paver-r-1", PAVER), null, view).allowed()).isTrue();
    }

    @Test
    void paverMayDeleteABindingOfItsOwnThatSomeoneReboundToAnotherRole() {
        Map<String, Object> tampered = with(pavers(PROD, "paver-r-3", "view"), "roleRef.name", "cluster-admin");

        assertThat(admit(request("DELETE", PROD, "paver-r-3", PAVER), null, tampered).allowed()).isTrue();
        assertThat(admit(request("UPDATE", PROD, "paver-r-3", PAVER), tampered, tampered).allowed()).isFalse();
    }

    @Test
    void otherUsersAndServiceAccountsAreNotConcerned() {
        Map<String, Object> adminBinding = with(pavers(PROD, "paver-r-4", "view"), "roleRef.name", "cluster-admin");

        Decision decision = admit(request("CREATE", "kube-system", "anything", "system:serviceaccount:argocd:argocd-application-controller"),
                adminBinding, null);
        assertThat(decision.matched()).isFalse();
        assertThat(admit(request("CREATE", "kube-system", "anything", "ada@acme.example"), adminBinding, null).matched()).isFalse();
    }

    // ----- refused -----

    @Test
    void paverMayNotWriteOutsideProductionNamespacesOfTheSemanticKey() {
        for (String namespace : List.of("kube-system", "payments-dev-api", "payments-staging-api", "paver", "default",
                "payments-prod", "prod-api", "payments-production-api")) {
            Map<String, Object> binding = with(pavers(PROD, "paver-r-5", "view"), "metadata.namespace", namespace);
            for (String operation : List.of("CREATE", "UPDATE", "DELETE")) {
                Decision decision = admit(request(operation, namespace, "paver-r-5", PAVER),
                        operation.equals("DELETE") ? null : binding, operation.equals("CREATE") ? null : binding);
                assertThat(decision.allowed()).as("%s in %s", operation, namespace).isFalse();
                assertThat(decision.message()).as("%s in %s", operation, namespace)
                        .isEqualTo("Paver may write RoleBindings only in production namespaces {domain}-prod-{service}, not in "
                                + namespace);
            }
        }
    }

    @Test
    void paverMayBindOnlyTheConfiguredClusterRoles() {
        Map<String, Object> view = pavers(PROD, "paver-r-6", "view");
        for (String role : List.of("cluster-admin", "admin", "paver", "system:auth-delegator")) {
            Decision decision = admit(request("CREATE", PROD, "paver-r-6", PAVER), with(view, "roleRef.name", role), null);
            assertThat(decision.allowed()).as(role).isFalse();
            assertThat(decision.message()).isEqualTo("Paver may bind only the ClusterRoles view, edit, not ClusterRole " + role);
        }
        Decision namespacedRole = admit(request("CREATE", PROD, "paver-r-6", PAVER), with(view, "roleRef.kind", "Role"), null);
        assertThat(namespacedRole.message()).isEqualTo("Paver may bind only the ClusterRoles view, edit, not Role view");
    }

    @Test
    void paverMayNotWriteBindingsThatAreNotLabelledAsItsOwn() {
        Map<String, Object> view = pavers(PROD, "paver-r-7", "view");
        Map<String, Object> unlabelled = with(view, "metadata.labels", null);
        Map<String, Object> otherManager = with(view, "metadata.labels", Map.of("app.kubernetes.io/managed-by", "argocd"));
        String message = "Paver's ServiceAccount may write only RoleBindings labelled app.kubernetes.io/managed-by: paver";

        assertThat(admit(request("CREATE", PROD, "paver-r-7", PAVER), unlabelled, null).message()).isEqualTo(message);
        assertThat(admit(request("CREATE", PROD, "paver-r-7", PAVER), otherManager, null).message()).isEqualTo(message);
        // taking over somebody else's binding by labelling it, or deleting one
        assertThat(admit(request("UPDATE", PROD, "paver-r-7", PAVER), view, otherManager).message()).isEqualTo(message);
        assertThat(admit(request("DELETE", PROD, "paver-r-7", PAVER), null, unlabelled).message()).isEqualTo(message);
        assertThat(admit(request("DELETE", PROD, "paver-r-7", PAVER), null, otherManager).allowed()).isFalse();
    }

    @Test
    void paversBindingsBindExactlyOneUser() {
        Map<String, Object> view = pavers(PROD, "paver-r-8", "view");
        String message = "Paver's RoleBindings bind exactly one User";
        Map<String, Object> group = with(view, "subjects", List.of(Map.of("kind", "Group", "apiGroup", "rbac.authorization.k8s.io",
                "name", "system:authenticated")));
        Map<String, Object> serviceAccount = with(view, "subjects", List.of(Map.of("kind", "ServiceAccount", "name", "default",
                "namespace", PROD)));
        Map<String, Object> two = with(view, "subjects", List.of(Map.of("kind", "User", "apiGroup", "rbac.authorization.k8s.io",
                "name", "dana@acme.example"), Map.of("kind", "User", "apiGroup", "rbac.authorization.k8s.io", "name", "eve@acme.example")));
        Map<String, Object> none = with(view, "subjects", null);

        for (Map<String, Object> binding : List.of(group, serviceAccount, two, none)) {
            assertThat(admit(request("CREATE", PROD, "paver-r-8", PAVER), binding, null).message()).as("%s", binding.get("subjects"))
                    .isEqualTo(message);
        }
    }

    // ----- the policy agrees with the rest of deploy/ -----

    @Test
    void theBindingDeniesWithThePolicyAndTheClusterRolesAreThoseOfTheConfigurationAndOfPaversBindRule() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> bindingSpec = (Map<String, Object>) policyBinding.get("spec");
        assertThat(bindingSpec).containsEntry("policyName", ((Map<?, ?>) policy.get("metadata")).get("name"));
        assertThat(bindingSpec.get("validationActions")).isEqualTo(List.of("Deny"));
        assertThat(spec()).containsEntry("failurePolicy", "Fail");

        Map<String, Object> activation = new LinkedHashMap<>();
        Optional<Map<String, Object>> variable = entries("variables").stream().filter(v -> "clusterRoles".equals(v.get("name"))).findFirst();
        assertThat(variable).isPresent();
        Object clusterRoles = eval(String.valueOf(variable.get().get("expression")), activation);

        // paver.access.roles.*.cluster-role of the ConfigMap's application.yml
        Map<String, Object> configuration = new Yaml().load(Files.readString(Path.of("deploy", "kubernetes", "base", "application.yml")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> roles = (Map<String, Map<String, Object>>) ((Map<?, ?>) ((Map<?, ?>) configuration.get("paver"))
                .get("access")).get("roles");
        List<Object> configured = roles.values().stream().map(r -> r.get("cluster-role")).toList();
        // the ClusterRole paver's bind rule
        List<Object> bindable = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(Path.of("deploy", "kubernetes", "base", "rbac.yaml")))) {
            Map<?, ?> d = (Map<?, ?>) doc;
            if ("ClusterRole".equals(d.get("kind")) && "paver".equals(((Map<?, ?>) d.get("metadata")).get("name"))) {
                for (Object rule : (List<?>) d.get("rules")) {
                    if (((List<?>) ((Map<?, ?>) rule).get("verbs")).contains("bind")) {
                        bindable.addAll((List<?>) ((Map<?, ?>) rule).get("resourceNames"));
                    }
                }
            }
        }
        assertThat(clusterRoles).isInstanceOf(List.class);
        List<Object> policyRoles = new ArrayList<>((List<?>) clusterRoles);
        assertThat(policyRoles).containsExactlyInAnyOrderElementsOf(configured).containsExactlyInAnyOrderElementsOf(bindable);
    }
}

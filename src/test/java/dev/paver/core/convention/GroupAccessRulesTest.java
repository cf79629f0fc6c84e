package dev.paver.core.convention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RoleBindings in {@code rbac/groups/} (CONVENTIONS.md, "Access"): identity-provider groups only, and never in a
 * production namespace or cluster-wide.
 */
class GroupAccessRulesTest {

    private final ManifestRules rules = new ManifestRules(Conventions.defaults());

    private List<Violation> check(String path, String text) {
        return rules.check(Map.of(path, text), "payments");
    }

    static String roleBinding(String kind, String namespace, String subjects) {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: %s
                metadata:
                  name: team-payments-developer
                %sroleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: platform-developer
                subjects:
                %s""".formatted(kind, namespace == null ? "" : "  namespace: " + namespace + "\n", subjects);
    }

    private static final String GROUP = "  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: team-payments\n";

    @Test
    void acceptsGroupRoleBindingsInDevAndStaging() {
        String text = roleBinding("RoleBinding", "payments-dev-api", GROUP) + "---\n"
                + roleBinding("RoleBinding", "payments-staging-api", GROUP);
        assertThat(check("rbac/groups/team-payments.yaml", text)).isEmpty();
    }

    @Test
    void reportsAGroupBoundInAProductionNamespace() {
        assertThat(check("rbac/groups/team-payments.yaml", roleBinding("RoleBinding", "payments-prod-api", GROUP)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(5, "no-prod-developer-access", "RoleBinding/team-payments-developer binds group "
                        + "'team-payments' to ClusterRole 'platform-developer' in the prod namespace payments-prod-api: "
                        + "production access is a time-boxed elevation that someone else approves (/platform elevate), "
                        + "never a standing binding"));
    }

    @Test
    void reportsAGroupBoundInEveryNamespace() {
        assertThat(check("rbac/groups/team-payments.yaml", roleBinding("ClusterRoleBinding", null, GROUP)))
                .extracting(Violation::rule).containsExactly("no-prod-developer-access");
    }

    @Test
    void reportsAUserOrServiceAccountBoundDirectly() {
        String subjects = GROUP + "  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: dana@example.com\n"
                + "  - kind: ServiceAccount\n    name: deployer\n    namespace: payments-dev-api\n";

        assertThat(check("rbac/groups/team-payments.yaml", roleBinding("RoleBinding", "payments-dev-api", subjects)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(
                        tuple(14, "group-subjects", "RoleBinding/team-payments-developer binds User 'dana@example.com': "
                                + "access is granted to identity-provider groups, never to individual users or service accounts"),
                        tuple(17, "group-subjects", "RoleBinding/team-payments-developer binds ServiceAccount 'deployer': "
                                + "access is granted to identity-provider groups, never to individual users or service accounts"));
    }

    @Test
    void takesTheProductionEnvironmentFromTheConventions() {
        Conventions live = new Conventions(List.of("dev", "live"), List.of("dev"), Conventions.defaults().profiles(),
                RequiredLabels.defaults(), "-gitops");
        ManifestRules liveRules = new ManifestRules(live);

        assertThat(liveRules.check(Map.of("rbac/groups/team-payments.yaml",
                roleBinding("RoleBinding", "payments-live-api", GROUP)), "payments"))
                .extracting(Violation::rule).containsExactly("no-prod-developer-access");
    }
}

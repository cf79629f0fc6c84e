package dev.paver.core.convention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Group access in a domain repository (CONVENTIONS.md, "Access"; docs/golden-paths.md, "Group access"): RoleBindings at
 * {@code rbac/groups/{env}/{group}/{service}.yaml} in the namespace their folders name, of identity-provider groups
 * only, never in production or cluster-wide; and the access annotations of catalog Groups.
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

    private static final String DEV_API = "rbac/groups/dev/team-payments/api.yaml";

    @Test
    void acceptsARoleBindingOfTheFoldersGroupInTheNamespaceOfItsEnvironmentAndService() {
        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-dev-api", GROUP))).isEmpty();
        assertThat(check("rbac/groups/staging/team-payments/ledger-worker.yaml",
                roleBinding("RoleBinding", "payments-staging-ledger-worker", GROUP))).isEmpty();
    }

    @Test
    void refusesOneFileForAllEnvironmentsSayingWhereEachBindingGoes() {
        String text = roleBinding("RoleBinding", "payments-dev-api", GROUP) + "---\n"
                + roleBinding("RoleBinding", "payments-staging-api", GROUP);

        assertThat(check("rbac/groups/team-payments.yaml", text))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("layout", "rbac/groups/team-payments.yaml is not where group access goes: each "
                        + "environment's bindings are in its own folder, one RoleBinding per file, "
                        + "rbac/groups/{env}/{group}/{service}.yaml, e.g. rbac/groups/dev/team-ledger/api.yaml; the "
                        + "ApplicationSet {domain}-groups applies rbac/groups/{env} on the cluster of that environment, and "
                        + "nothing else under rbac/groups/"));
        assertThat(check("rbac/groups/dev/team-payments.yaml", roleBinding("RoleBinding", "payments-dev-api", GROUP)))
                .extracting(Violation::rule).containsExactly("layout");
        assertThat(check("rbac/groups/dev/team-payments/api/binding.yaml", roleBinding("RoleBinding", "payments-dev-api", GROUP)))
                .extracting(Violation::rule).containsExactly("layout");
    }

    @Test
    void refusesABindingInTheNamespaceOfAnotherEnvironmentThanItsFolder() {
        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-staging-api", GROUP)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(5, "semantic-key", "RoleBinding/team-payments-developer is in namespace "
                        + "'payments-staging-api', expected payments-dev-api (rbac/groups/dev/team-payments/api.yaml binds "
                        + "group team-payments to service api in dev)"));
    }

    @Test
    void refusesABindingInTheNamespaceOfAnotherServiceOrDomain() {
        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-dev-ledger", GROUP)))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("semantic-key", "RoleBinding/team-payments-developer is in namespace "
                        + "'payments-dev-ledger', expected payments-dev-api (rbac/groups/dev/team-payments/api.yaml binds "
                        + "group team-payments to service api in dev)"));
        assertThat(check(DEV_API, roleBinding("RoleBinding", "shipping-dev-api", GROUP)))
                .extracting(Violation::rule).containsExactly("semantic-key");
        assertThat(check(DEV_API, roleBinding("RoleBinding", null, GROUP)))
                .extracting(Violation::rule).containsExactly("semantic-key");
    }

    @Test
    void refusesAnotherGroupsBindingInTheFolderOfAGroup() {
        String other = "  - kind: Group\n    apiGroup: rbac.authorization.k8s.io\n    name: team-ledger\n";

        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-dev-api", other)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(11, "group-binding", "RoleBinding/team-payments-developer binds group 'team-ledger' "
                        + "in the folder of team-payments: a group's bindings are in its own folder, "
                        + "rbac/groups/dev/team-ledger/api.yaml"));
    }

    @Test
    void refusesAProductionFolder() {
        assertThat(check("rbac/groups/prod/team-payments/api.yaml", roleBinding("RoleBinding", "payments-prod-api", GROUP)))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("no-prod-developer-access", "rbac/groups/prod/team-payments/api.yaml is in "
                        + "rbac/groups/prod/: developer groups never get a RoleBinding in prod; production access is a "
                        + "time-boxed elevation that someone else approves (/platform elevate). Bind groups in [dev, staging]"));
    }

    @Test
    void refusesAFolderThatIsNoEnvironmentAndNamesThatAreNoLabels() {
        assertThat(check("rbac/groups/qa/team-payments/api.yaml", roleBinding("RoleBinding", "payments-qa-api", GROUP)))
                .extracting(Violation::rule).containsExactly("environment");
        assertThat(check("rbac/groups/dev/Team_Payments/api.yaml", roleBinding("RoleBinding", "payments-dev-api", GROUP)))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("dns-label", "the group 'Team_Payments' of rbac/groups/dev/Team_Payments/api.yaml is "
                        + "not a DNS-1123 label: rbac/groups/{env}/{group}/{service}.yaml, e.g. rbac/groups/dev/team-ledger/api.yaml"));
    }

    @Test
    void refusesWhatIsNotARoleBinding() {
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\n  namespace: payments-dev-api\n";

        assertThat(check(DEV_API, configMap)).extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("group-binding", "ConfigMap/notes is not a RoleBinding: rbac/groups/ holds the "
                        + "RoleBindings of groups only, one per file"));
    }

    @Test
    void reportsAGroupBoundInAProductionNamespace() {
        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-prod-api", GROUP)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .contains(tuple(5, "no-prod-developer-access", "RoleBinding/team-payments-developer binds group "
                        + "'team-payments' to ClusterRole 'platform-developer' in the prod namespace payments-prod-api: "
                        + "production access is a time-boxed elevation that someone else approves (/platform elevate), "
                        + "never a standing binding"));
    }

    @Test
    void reportsAGroupBoundInEveryNamespace() {
        assertThat(check(DEV_API, roleBinding("ClusterRoleBinding", null, GROUP)))
                .extracting(Violation::rule).containsExactly("no-prod-developer-access");
    }

    @Test
    void reportsAUserOrServiceAccountBoundDirectly() {
        String subjects = GROUP + "  - kind: User\n    apiGroup: rbac.authorization.k8s.io\n    name: dana@example.com\n"
                + "  - kind: ServiceAccount\n    name: deployer\n    namespace: payments-dev-api\n";

        assertThat(check(DEV_API, roleBinding("RoleBinding", "payments-dev-api", subjects)))
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

        assertThat(liveRules.check(Map.of("rbac/groups/live/team-payments/api.yaml",
                roleBinding("RoleBinding", "payments-live-api", GROUP)), "payments"))
                .extracting(Violation::rule).containsExactly("no-prod-developer-access");
        assertThat(liveRules.check(Map.of("rbac/groups/prod/team-payments/api.yaml",
                roleBinding("RoleBinding", "payments-prod-api", GROUP)), "payments"))
                .extracting(Violation::rule).containsExactly("environment");
    }

    static String group(String annotations) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: team-ledger
                  annotations:
                    platform/cost-center: cc-4712
                %sspec:
                  type: team
                  children: []
                """.formatted(annotations);
    }

    @Test
    void acceptsTheAccessACatalogGroupDeclares() {
        assertThat(check("catalog/groups/team-ledger.yaml", group("""
                    platform/access-domain: payments
                    platform/access-environments: dev,staging
                    platform/access-systems: "*"
                """))).isEmpty();
        assertThat(check("catalog/groups/team-payments.yaml", group(""))).isEmpty();
    }

    @Test
    void refusesCatalogAccessToProductionOrAnotherDomainOrHalfDeclared() {
        assertThat(check("catalog/groups/team-ledger.yaml", group("""
                    platform/access-domain: payments
                    platform/access-environments: dev,prod
                    platform/access-systems: checkout
                """))).extracting(Violation::line, Violation::rule).containsExactly(tuple(8, "no-prod-developer-access"));
        assertThat(check("catalog/groups/team-ledger.yaml", group("""
                    platform/access-domain: shipping
                    platform/access-environments: dev
                    platform/access-systems: "*"
                """))).extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("group-access", "Group/team-ledger declares access to domain 'shipping' in the "
                        + "GitOps repository of payments: a group's access to shipping is declared in shipping-gitops"));
        assertThat(check("catalog/groups/team-ledger.yaml", group("""
                    platform/access-domain: payments
                    platform/access-environments: dev
                """))).extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("group-access", "Group/team-ledger annotation platform/access-systems is missing: a "
                        + "group with developer access has all three annotations platform/access-domain, "
                        + "platform/access-environments and platform/access-systems, e.g. payments, \"dev,staging\" and \"*\""));
        assertThat(check("catalog/groups/team-ledger.yaml", group("""
                    platform/access-domain: payments
                    platform/access-environments: "dev, ../etc"
                    platform/access-systems: "*"
                """))).extracting(Violation::rule).containsExactly("group-access");
    }
}

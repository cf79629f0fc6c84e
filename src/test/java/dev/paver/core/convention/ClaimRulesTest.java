package dev.paver.core.convention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Crossplane claims in {@code crossplane/claims/{env}/} (CONVENTIONS.md, "The semantic key" and "The domain GitOps
 * repository"): named {@code {service}-{kind}-{name}} in the service namespace of the folder's environment, orphaned on
 * deletion in production. Each rule holds for a claim written as the conventions say and fires on a realistic mistake,
 * naming the file, the line, the rule and the value.
 */
class ClaimRulesTest {

    private final ManifestRules rules = new ManifestRules(Conventions.defaults());

    private List<Violation> check(String path, String text) {
        return rules.check(Map.of(path, text), "payments");
    }

    static String claim(String kind, String name, String namespace, String parameters) {
        return """
                apiVersion: platform.paver.dev/v1alpha1
                kind: %s
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  parameters:
                %s  writeConnectionSecretToRef:
                    name: %s-connection
                """.formatted(kind, name, namespace, parameters.indent(4), name);
    }

    @Test
    void acceptsAClaimNamedAndPlacedAsTheConventionsSay() {
        assertThat(check("crossplane/claims/dev/api-postgres-main.yaml",
                claim("PostgreSQLInstance", "api-postgres-main", "payments-dev-api", "size: small"))).isEmpty();
        assertThat(check("crossplane/claims/staging/api-queue-orders.yaml",
                claim("Queue", "api-queue-orders", "payments-staging-api", "size: medium"))).isEmpty();
    }

    @Test
    void acceptsAProductionClaimThatIsOrphanedOnDeletion() {
        assertThat(check("crossplane/claims/prod/api-postgres-main.yaml", claim("PostgreSQLInstance",
                "api-postgres-main", "payments-prod-api", "size: large\ndeletionPolicy: Orphan"))).isEmpty();
    }

    @Test
    void reportsAProductionClaimThatWouldDeleteItsDatabase() {
        String text = claim("PostgreSQLInstance", "api-postgres-main", "payments-prod-api", "size: large\ndeletionPolicy: Delete");

        assertThat(check("crossplane/claims/prod/api-postgres-main.yaml", text))
                .extracting(Violation::file, Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple("crossplane/claims/prod/api-postgres-main.yaml", 9, "deletion-protection",
                        "PostgreSQLInstance/api-postgres-main in prod has spec.parameters.deletionPolicy 'Delete': set "
                                + "deletionPolicy: Orphan, so that deleting the claim keeps the postgres and its data"));
    }

    @Test
    void reportsAProductionClaimWithoutDeletionPolicy() {
        List<Violation> violations = check("crossplane/claims/prod/api-bucket-assets.yaml",
                claim("Bucket", "api-bucket-assets", "payments-prod-api", "size: small"));

        assertThat(violations).extracting(Violation::rule).containsExactly("deletion-protection");
        assertThat(violations.get(0).message()).contains("no spec.parameters.deletionPolicy (the default is Delete)");
    }

    @Test
    void reportsAClaimNotNamedServiceKindName() {
        assertThat(check("crossplane/claims/dev/db.yaml",
                claim("PostgreSQLInstance", "api-db-main", "payments-dev-api", "size: small")))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(4, "semantic-key", "PostgreSQLInstance 'api-db-main' must be named "
                        + "{service}-{kind}-{name}, e.g. api-postgres-main (the kind segment of PostgreSQLInstance is 'postgres')"));
    }

    @Test
    void reportsAClaimInTheNamespaceOfAnotherEnvironment() {
        assertThat(check("crossplane/claims/dev/api-postgres-main.yaml",
                claim("PostgreSQLInstance", "api-postgres-main", "payments-staging-api", "size: small")))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(5, "semantic-key", "PostgreSQLInstance/api-postgres-main is in namespace "
                        + "'payments-staging-api', expected payments-dev-api (crossplane/claims/dev/api-postgres-main.yaml "
                        + "is in crossplane/claims/dev/)"));
    }

    @Test
    void reportsAClaimOfAnotherDomainOrWithoutNamespace() {
        assertThat(check("crossplane/claims/dev/api-queue-orders.yaml",
                claim("Queue", "api-queue-orders", "billing-dev-api", "size: small")))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("semantic-key", "Queue/api-queue-orders is in namespace 'billing-dev-api', "
                        + "expected payments-dev-api (crossplane/claims/dev/api-queue-orders.yaml is in crossplane/claims/dev/)"));
        assertThat(check("crossplane/claims/dev/api-queue-orders.yaml",
                claim("Queue", "api-queue-orders", "payments-dev-api", "size: small").replace("  namespace: payments-dev-api\n", "")))
                .extracting(Violation::rule).containsExactly("semantic-key");
    }

    @Test
    void acceptsANamespacedCompositeResourceOfCrossplaneV2() {
        String xr = claim("Queue", "api-queue-orders", "payments-dev-api", "size: small")
                .replace("platform.paver.dev/v1alpha1", "xr.platform.paver.dev/v1alpha1");
        assertThat(check("crossplane/claims/dev/api-queue-orders.yaml", xr)).isEmpty();
    }

    @Test
    void reportsSomethingElseThanAPlatformResourceInTheClaimsFolder() {
        assertThat(check("crossplane/claims/dev/config.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: payments-dev-api\n"))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("claim-kind", "ConfigMap/api-config (v1) is not a platform resource: "
                        + "crossplane/claims/ holds claims of PostgreSQLInstance, Queue, Bucket"));
    }

    @Test
    void reportsAClaimOutsideAnEnvironmentFolder() {
        String text = claim("PostgreSQLInstance", "api-postgres-main", "payments-dev-api", "size: small");
        assertThat(check("crossplane/claims/api-postgres-main.yaml", text)).extracting(Violation::rule).containsExactly("layout");
        assertThat(check("crossplane/claims/qa/api-postgres-main.yaml", text)).extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("environment", "folder 'qa' of crossplane/claims/qa/api-postgres-main.yaml is not "
                        + "one of the environments [dev, staging, prod]"));
    }

    @Test
    void takesTheProductionEnvironmentFromTheConventions() {
        Conventions live = new Conventions(List.of("dev", "live"), List.of("dev"), Conventions.defaults().profiles(),
                RequiredLabels.defaults(), "-gitops");
        ManifestRules liveRules = new ManifestRules(live);

        assertThat(liveRules.check(Map.of("crossplane/claims/live/api-postgres-main.yaml",
                claim("PostgreSQLInstance", "api-postgres-main", "payments-live-api", "size: small")), "payments"))
                .extracting(Violation::rule).containsExactly("deletion-protection");
        assertThat(liveRules.check(Map.of("crossplane/claims/dev/api-postgres-main.yaml",
                claim("PostgreSQLInstance", "api-postgres-main", "payments-dev-api", "size: small")), "payments")).isEmpty();
    }
}

package dev.paver.kubernetes.schema;

import static dev.paver.core.goldenpath.GoldenPathFixtures.apiInCheckout;
import static dev.paver.core.goldenpath.GoldenPathFixtures.renderCreateService;
import static dev.paver.core.goldenpath.GoldenPathFixtures.under;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.paver.SharedFixtures;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.Violation;
import dev.paver.core.convention.YamlDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The schemas of the custom resources a domain repository holds (Argo CD, SealedSecret, the platform's Crossplane
 * resources), checked on real manifests, and the schema check inside the conventions gate.
 */
class KubernetesSchemasTest {

    private static final KubernetesSchemas SCHEMAS = new KubernetesSchemas(false);
    private static final KubernetesSchemas STRICT = new KubernetesSchemas(true);

    private static List<Violation> check(KubernetesSchemas schemas, String file, String text) {
        List<Violation> out = new ArrayList<>();
        for (ManifestDocument doc : YamlDocuments.parse(file, text)) {
            out.addAll(schemas.check(doc));
        }
        return out;
    }

    private static String argocd(String file) {
        return SharedFixtures.text("argocd", file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"docs-operator-manual-application.yaml", "docs-operator-manual-project.yaml",
            "applicationset-matrix-cluster-and-git.yaml", "applicationset-matrix-list-and-git.yaml"})
    void acceptsArgoCdsDocumentedManifests(String file) {
        assertThat(check(SCHEMAS, file, argocd(file))).isEmpty();
        assertThat(check(STRICT, file, argocd(file))).isEmpty();
    }

    @Test
    void reportsASourceThatIsNotAnObject() {
        String text = argocd("docs-operator-manual-application.yaml");
        String broken = text.substring(0, text.indexOf("  source:\n")) + "  source: https://github.com/argoproj/argocd-example-apps.git\n"
                + text.substring(text.indexOf("  # Sources field"));

        assertThat(check(SCHEMAS, "app.yaml", broken)).extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(21, "schema", "Application/guestbook: spec.source is the string "
                        + "'https://github.com/argoproj/argocd-example-apps.git', expected object"));
    }

    @Test
    void reportsAnApplicationWithoutProjectOrDestination() {
        String text = """
                apiVersion: argoproj.io/v1alpha1
                kind: Application
                metadata:
                  name: payments-dev-api
                  namespace: argocd
                spec:
                  source:
                    repoURL: https://git.example.com/acme/payments-gitops.git
                    path: apps/checkout/api/overlays/dev
                """;

        assertThat(check(SCHEMAS, "app.yaml", text)).extracting(Violation::line, Violation::message).containsExactlyInAnyOrder(
                tuple(6, "Application/payments-dev-api: spec: required field destination is missing"),
                tuple(6, "Application/payments-dev-api: spec: required field project is missing"));
    }

    @Test
    void reportsAFieldArgoCdDoesNotHaveAndAWrongEnumeration() {
        String text = argocd("applicationset-matrix-list-and-git.yaml")
                .replace("  goTemplate: true\n", "  goTemplate: true\n  syncPolicy:\n    applicationsSync: delete-all\n")
                .replace("        namespace: '{{.path.basename}}'", "        namespaces: '{{.path.basename}}'");

        assertThat(check(SCHEMAS, "appset.yaml", text)).extracting(Violation::message).containsExactly(
                "ApplicationSet/list-git: spec.syncPolicy.applicationsSync is the string 'delete-all', expected one of "
                        + "[create-only, create-update, create-delete, sync]",
                "ApplicationSet/list-git: spec.template.spec.destination.namespaces is not a field of ApplicationSet "
                        + "(argoproj.io/v1alpha1)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caarlos0-home-nextdns-sealedsecret.yaml", "sealed-secrets-docs-config-template-sealedsecret.yaml"})
    void acceptsRealSealedSecrets(String file) {
        String text = SharedFixtures.text("kubernetes", "sealed-secrets", file);
        assertThat(check(SCHEMAS, file, text)).isEmpty();
        assertThat(check(STRICT, file, text)).isEmpty();
    }

    @Test
    void reportsASealedSecretWithoutEncryptedDataAndMetadataOfTheWrongType() {
        String text = """
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata:
                  name: api-stripe-key
                  labels: [stripe]
                spec:
                  template:
                    type: Opaque
                """;

        assertThat(check(SCHEMAS, "secret.yaml", text)).extracting(Violation::line, Violation::message).containsExactlyInAnyOrder(
                tuple(5, "SealedSecret/api-stripe-key: metadata.labels is a list, expected object"),
                tuple(6, "SealedSecret/api-stripe-key: spec: required field encryptedData is missing"));
    }

    static String claim(String apiVersion, String kind, String spec) {
        return """
                apiVersion: %s
                kind: %s
                metadata:
                  name: api-postgres-main
                  namespace: payments-prod-api
                spec:
                %s""".formatted(apiVersion, kind, spec.indent(2));
    }

    @Test
    void acceptsClaimsWithTheFieldsCrossplaneAdds() {
        String claim = claim("platform.paver.dev/v1alpha1", "PostgreSQLInstance", """
                parameters:
                  size: large
                  deletionPolicy: Orphan
                compositionSelector:
                  matchLabels:
                    provider: aws
                compositeDeletePolicy: Foreground
                writeConnectionSecretToRef:
                  name: api-postgres-main-connection
                """);
        String xr = claim("xr.platform.paver.dev/v1alpha1", "PostgreSQLInstance", """
                parameters:
                  size: small
                crossplane:
                  compositionRef:
                    name: postgres-aws
                """);

        assertThat(check(SCHEMAS, "claim.yaml", claim)).isEmpty();
        assertThat(check(STRICT, "claim.yaml", claim)).isEmpty();
        assertThat(check(STRICT, "xr.yaml", xr)).isEmpty();
    }

    @Test
    void reportsAClaimAgainstItsCompositeResourceDefinition() {
        String claim = claim("platform.paver.dev/v1alpha1", "Queue", """
                parameters:
                  size: huge
                  deletionPolicy: Keep
                  region: eu-west-1
                """);

        assertThat(check(SCHEMAS, "claim.yaml", claim)).extracting(Violation::line, Violation::message).containsExactly(
                tuple(8, "Queue/api-postgres-main: spec.parameters.size is the string 'huge', expected one of [small, medium, large]"),
                tuple(9, "Queue/api-postgres-main: spec.parameters.deletionPolicy is the string 'Keep', expected one of [Delete, Orphan]"),
                tuple(10, "Queue/api-postgres-main: spec.parameters.region is not a field of Queue (platform.paver.dev/v1alpha1)"));
        assertThat(check(SCHEMAS, "claim.yaml", claim("platform.paver.dev/v1alpha1", "Bucket", "parameters: {}\n")))
                .extracting(Violation::message)
                .containsExactly("Bucket/api-postgres-main: spec.parameters: required field size is missing");
    }

    @Test
    void knowsTheCompositeResourcesAndNotTheFieldsOfAnotherCrossplaneVersion() {
        String legacy = """
                apiVersion: platform.paver.dev/v1alpha1
                kind: XBucket
                metadata:
                  name: api-bucket-assets-x7k2p
                spec:
                  parameters:
                    size: small
                  claimRef:
                    apiVersion: platform.paver.dev/v1alpha1
                    kind: Bucket
                    namespace: payments-dev-api
                    name: api-bucket-assets
                  writeConnectionSecretToRef:
                    name: api-bucket-assets
                    namespace: crossplane-system
                """;
        String v2WithClaimField = claim("xr.platform.paver.dev/v1alpha1", "Bucket", """
                parameters:
                  size: small
                writeConnectionSecretToRef:
                  name: api-bucket-assets
                """);

        assertThat(check(SCHEMAS, "xr.yaml", legacy)).isEmpty();
        assertThat(check(SCHEMAS, "xr.yaml", v2WithClaimField)).extracting(Violation::message).containsExactly(
                "Bucket/api-postgres-main: spec.writeConnectionSecretToRef is not a field of Bucket (xr.platform.paver.dev/v1alpha1)");
    }

    @Test
    void saysWhenItHasNoSchemaForAKind() {
        String text = SharedFixtures.text("crossplane", "crossplane-e2e-composition-selection-claim.yaml");

        assertThat(check(SCHEMAS, "claim.yaml", text)).extracting(Violation::line, Violation::message).containsExactly(
                tuple(1, "NopResource/composition-selection: could not find schema for NopResource (nop.example.org/v1alpha1): "
                        + "the gate knows the built-in kinds of Kubernetes 1.36.0, SealedSecret, Argo CD's Application, "
                        + "ApplicationSet and AppProject, and the platform's Crossplane resources"));
    }

    @Test
    void derivesTheBuiltInKindsFromFabric8sRegistry() {
        assertThat(SCHEMAS.build("apps/v1", "Deployment")).isPresent();
        assertThat(SCHEMAS.build("rbac.authorization.k8s.io/v1", "RoleBinding")).isPresent();
        assertThat(SCHEMAS.build("gateway.networking.k8s.io/v1", "HTTPRoute")).isPresent();
        assertThat(SCHEMAS.build("apps/v1", "DeploymentList")).isPresent();
        assertThat(SCHEMAS.build("apps/v1beta1", "Deployment")).isEmpty();
        assertThat(SCHEMAS.build("v1", "Deployment")).isEmpty();
    }

    // the gate: ManifestRules with the schemas

    private static final String BASE = "apps/checkout/api/base/";

    @Test
    void theFilesCreateServiceRendersFollowTheSchemas() {
        Map<String, String> files = under("gitops", renderCreateService(apiInCheckout()));

        assertThat(new ManifestRules(Conventions.defaults(), SCHEMAS).check(files, "payments")).isEmpty();
        assertThat(new ManifestRules(Conventions.defaults(), STRICT).check(files, "payments")).isEmpty();
    }

    @Test
    void reportsASchemaErrorOfABaseOnceAtItsOwnLineThoughThreeOverlaysBuildIt() {
        Map<String, String> files = new TreeMap<>(under("gitops", renderCreateService(apiInCheckout())));
        String deployment = files.get(BASE + "deployment.yaml");
        files.put(BASE + "deployment.yaml", deployment.replace("  replicas: 1\n", "  replicas: \"one\"\n"));
        int line = (int) deployment.substring(0, deployment.indexOf("  replicas: 1")).chars().filter(c -> c == '\n').count() + 1;

        assertThat(new ManifestRules(Conventions.defaults(), SCHEMAS).check(files, "payments"))
                .extracting(Violation::file, Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(BASE + "deployment.yaml", line, "schema",
                        "Deployment/api: spec.replicas is the string 'one', expected integer"));
    }

    @Test
    void leavesTheCatalogToBackstage() {
        Map<String, String> files = new TreeMap<>(under("gitops", renderCreateService(apiInCheckout())));
        assertThat(files).containsKey("catalog/components/api.yaml");
        files.put("argocd/notes.yaml", "owner: team-payments\n");

        assertThat(new ManifestRules(Conventions.defaults(), SCHEMAS).check(files, "payments"))
                .extracting(Violation::file, Violation::rule, Violation::message)
                .containsExactly(tuple("argocd/notes.yaml", "schema",
                        "document: missing 'kind' key: a manifest names its apiVersion and kind"));
    }
}

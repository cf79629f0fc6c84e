package dev.paver.core.convention;

import static dev.paver.core.goldenpath.GoldenPathFixtures.apiInCheckout;
import static dev.paver.core.goldenpath.GoldenPathFixtures.renderCreateService;
import static dev.paver.core.goldenpath.GoldenPathFixtures.under;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.paver.SharedFixtures;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conventions gate on what {@code create-service} renders: clean as rendered, and each rule fires on a
 * realistic mistake, naming the file, the line and the rule.
 */
class ManifestRulesTest {

    private static final String BASE = "apps/checkout/api/base/";
    private static final String DEV = "apps/checkout/api/overlays/dev/";
    private static final String STAGING = "apps/checkout/api/overlays/staging/";
    private static final String PROD = "apps/checkout/api/overlays/prod/";

    private static Map<String, String> rendered;

    private final ManifestRules rules = new ManifestRules(Conventions.defaults());

    @BeforeAll
    static void renderTheGitOpsFilesOnce() {
        rendered = under("gitops", renderCreateService(apiInCheckout()));
    }

    /** A fresh, mutable copy of the rendered GitOps tree. */
    private static Map<String, String> gitops() {
        return new TreeMap<>(rendered);
    }

    private static void edit(Map<String, String> files, String path, String from, String to) {
        String text = files.get(path);
        assertThat(text).as(path).isNotNull().contains(from);
        files.put(path, text.replace(from, to));
    }

    /** The 1-based line where {@code snippet} starts in {@code text}. */
    private static int lineOf(String text, String snippet) {
        int at = text.indexOf(snippet);
        assertThat(at).as("%s in the text", snippet).isNotNegative();
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private List<Violation> check(Map<String, String> files) {
        return rules.check(files, "payments");
    }

    @Test
    void rendersTheCreateServiceFilesThePullRequestWillHold() {
        assertThat(rendered).containsKeys(BASE + "deployment.yaml", BASE + "service.yaml", BASE + "kustomization.yaml",
                DEV + "kustomization.yaml", DEV + "namespace.yaml", DEV + "profile-patch.yaml",
                STAGING + "kustomization.yaml", PROD + "kustomization.yaml", "catalog/components/api.yaml");
    }

    @Test
    void acceptsTheRenderedCreateServiceFiles() {
        assertThat(check(gitops())).isEmpty();
    }

    @Test
    void acceptsTheRenderedFilesWhenTheDomainIsReadFromTheNamespaceLabels() {
        assertThat(rules.check(gitops(), null)).isEmpty();
    }

    static Stream<Map<String, String>> templateExamples() {
        return GoldenPathFixtures.createService().examples().stream();
    }

    @ParameterizedTest
    @MethodSource("templateExamples")
    void acceptsWhatEveryExampleOfTheTemplateRenders(Map<String, String> example) {
        Map<String, String> files = under("gitops", renderCreateService(example));

        assertThat(files).isNotEmpty();
        assertThat(rules.check(files, "payments")).isEmpty();
    }

    @Test
    void reportsALabelMissingFromTheNamespace() {
        Map<String, String> files = gitops();
        edit(files, DEV + "namespace.yaml", "    platform/owner: team-payments\n", "");

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple(DEV + "namespace.yaml", 1, "required-label"));
        assertThat(check(files).get(0).message()).contains("Namespace/payments-dev-api", "platform/owner", "overlay dev");
    }

    @Test
    void reportsAWrongEnvironmentLabelOnEveryResourceItReaches() {
        Map<String, String> files = gitops();
        edit(files, STAGING + "kustomization.yaml", "platform/env: staging", "platform/env: prod");

        List<Violation> violations = check(files);

        assertThat(violations).extracting(Violation::file, Violation::line, Violation::rule).containsExactlyInAnyOrder(
                tuple(BASE + "deployment.yaml", 1, "label-value"),
                tuple(BASE + "deployment.yaml", 1, "label-value"),
                tuple(STAGING + "namespace.yaml", 1, "label-value"));
        assertThat(violations).allSatisfy(v ->
                assertThat(v.message()).contains("platform/env='prod', expected staging (overlay staging)"));
        assertThat(violations).extracting(Violation::message).anyMatch(m -> m.contains("Deployment/api pod template"));
    }

    @Test
    void reportsAContainerWithoutLimits() {
        Map<String, String> files = gitops();
        edit(files, BASE + "deployment.yaml", "      containers:\n", """
                      containers:
                        - name: log-shipper
                          image: fluent/fluent-bit:3.1.4
                          readinessProbe:
                            tcpSocket:
                              port: 2020
                          resources:
                            requests:
                              cpu: 10m
                              memory: 32Mi
                """);

        List<Violation> violations = check(files);

        assertThat(violations).extracting(Violation::file, Violation::line, Violation::rule, Violation::message)
                .contains(tuple(BASE + "deployment.yaml", 1, "resources", "Deployment/api container 'log-shipper' has no "
                        + "limits.cpu (use a resource profile: small, medium, large)"));
        assertThat(violations).extracting(Violation::message)
                .anyMatch(m -> m.contains("'log-shipper' has no limits.memory"))
                .noneMatch(m -> m.contains("has no requests."))
                .noneMatch(m -> m.contains("container 'api'"));
    }

    @Test
    void reportsARequestAboveItsLimitAndAValueThatIsNotAQuantityAtTheirLines() {
        Map<String, String> files = gitops();
        edit(files, DEV + "profile-patch.yaml", "              cpu: \"100m\"\n              memory: \"128Mi\"",
                "              cpu: \"1\"\n              memory: \"128MB\"");

        List<Violation> violations = check(files);

        assertThat(violations).extracting(Violation::file, Violation::line, Violation::rule, Violation::message).containsExactly(
                tuple(BASE + "deployment.yaml", 44, "resources", "Deployment/api container 'api' requests cpu '1', more than "
                        + "its limit '500m': Kubernetes refuses a request above the limit; fix the resource profile"),
                tuple(BASE + "deployment.yaml", 45, "resources", "Deployment/api container 'api' has requests.memory "
                        + "'128MB', which is not a Kubernetes quantity (e.g. 500m, 1, 128Mi, 1Gi)"));
    }

    @Test
    void readsKubernetesQuantities() {
        assertThat(Quantities.parse("500m")).contains(new java.math.BigDecimal("0.500"));
        assertThat(Quantities.parse("1")).hasValueSatisfying(v -> assertThat(v).isGreaterThan(Quantities.parse("500m").orElseThrow()));
        assertThat(Quantities.parse("1Gi").orElseThrow()).isEqualByComparingTo("1073741824");
        assertThat(Quantities.parse("1e3").orElseThrow()).isEqualByComparingTo("1000");
        assertThat(Quantities.parse("128M").orElseThrow()).isLessThan(Quantities.parse("128Mi").orElseThrow());
        assertThat(Quantities.parse("128MB")).isEmpty();
        assertThat(Quantities.parse("")).isEmpty();
        assertThat(Quantities.parse("one")).isEmpty();
    }

    @Test
    void reportsTheLatestImageTagInProduction() {
        Map<String, String> files = gitops();
        edit(files, PROD + "kustomization.yaml", "newTag: \"0.1.0\"", "newTag: latest");

        // where the user changes it: the overlay's images: entry, not the base manifest (whose image is not latest)
        int newTagLine = List.of(files.get(PROD + "kustomization.yaml").split("\n")).indexOf("    newTag: latest") + 1;
        assertThat(newTagLine).isPositive();
        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(PROD + "kustomization.yaml", newTagLine, "image-tag", "Deployment/api container 'api' "
                        + "uses image 'ghcr.io/acme/api:latest' in prod: pin a version tag or digest (set by images: of this overlay)"));
    }

    @Test
    void allowsTheLatestImageTagOutsideProduction() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "newTag: \"0.1.0\"", "newTag: latest");

        assertThat(check(files)).isEmpty();
    }

    @Test
    void reportsAPlainSecretButNotTheSealedSecretBesideIt() {
        // a real SealedSecret, named and placed as CONVENTIONS.md wants it
        String sealed = SharedFixtures.text("kubernetes", "sealed-secrets", "caarlos0-home-nextdns-sealedsecret.yaml")
                .replace("  name: nextdns\nspec:", "  name: api-stripe-key\n  namespace: payments-dev-api\nspec:");
        String file = sealed + "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: api-stripe-key\n  namespace: payments-dev-api\n"
                + "stringData:\n  key: sk_test_123\n";
        Map<String, String> files = gitops();
        files.put("secrets/dev/api/stripe-key.yaml", file);

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule, Violation::subject)
                .containsExactly(tuple("secrets/dev/api/stripe-key.yaml", lineOf(file, "apiVersion: v1\nkind: Secret"),
                        "no-plain-secret", "Secret/api-stripe-key"));
    }

    @Test
    void reportsAPlainSecretThatAnOverlayDeploys() {
        Map<String, String> files = gitops();
        files.put(DEV + "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\nstringData:\n  password: hunter2\n");
        edit(files, DEV + "kustomization.yaml", "  - namespace.yaml\n", "  - namespace.yaml\n  - secret.yaml\n");

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple(DEV + "secret.yaml", 1, "no-plain-secret"));
    }

    @Test
    void reportsANamespaceThatIsNotTheSemanticKey() {
        Map<String, String> files = gitops();
        edit(files, DEV + "namespace.yaml", "  name: payments-dev-api", "  name: payments-api-dev");

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(DEV + "namespace.yaml", 1, "semantic-key", "Namespace 'payments-api-dev' must be "
                        + "named payments-dev-api ({domain}-{env}-{service}) (overlay dev)"));
    }

    @Test
    void reportsResourcesPutInAnotherServicesNamespace() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "namespace: payments-dev-api", "namespace: payments-dev-ledger");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::subject)
                .containsExactlyInAnyOrder(tuple(BASE + "deployment.yaml", "semantic-key", "Deployment/api"),
                        tuple(BASE + "service.yaml", "semantic-key", "Service/api"));
    }

    @Test
    void reportsInvalidYamlWithItsFileAndLine() {
        String duplicate = SharedFixtures.text("kubernetes", "kubeconform", "duplicate_property.yaml");
        Map<String, String> files = gitops();
        files.put("apps/checkout/api/extra/daemonset.yaml", duplicate);

        List<Violation> violations = check(files);

        assertThat(violations).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple("apps/checkout/api/extra/daemonset.yaml", 16, "yaml"));
        assertThat(violations.get(0).message()).contains("duplicate key containers");
    }

    @Test
    void reportsInvalidYamlReachedThroughAnOverlayOnce() {
        Map<String, String> files = gitops();
        files.put(BASE + "daemonset.yaml", SharedFixtures.text("kubernetes", "kubeconform", "duplicate_property.yaml"));
        edit(files, BASE + "kustomization.yaml", "  - service.yaml\n", "  - service.yaml\n  - daemonset.yaml\n");

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple(BASE + "daemonset.yaml", 16, "yaml"));
    }

    @Test
    void reportsAKustomizationThatReferencesAMissingResource() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "  - namespace.yaml\n", "  - namespace.yaml\n  - hpa.yaml\n");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message)
                .containsExactly(tuple(DEV + "kustomization.yaml", "kustomize", "resource 'hpa.yaml' does not exist"));
    }

    @Test
    void reportsAKustomizationThatReachesOutOfTheRepository() {
        Map<String, String> files = gitops();
        edit(files, PROD + "kustomization.yaml", "  - ../../base\n", "  - ../../../../../../etc/passwd\n");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message)
                .containsExactly(tuple(PROD + "kustomization.yaml", "kustomize",
                        "reference '../../../../../../etc/passwd' leaves the repository"));
    }

    @Test
    void reportsAKustomizationThatReferencesAnAbsolutePath() {
        Map<String, String> files = gitops();
        edit(files, PROD + "kustomization.yaml", "  - ../../base\n", "  - /etc/passwd\n");

        assertThat(check(files)).extracting(Violation::file, Violation::rule)
                .containsExactly(tuple(PROD + "kustomization.yaml", "kustomize"));
        assertThat(check(files).get(0).message()).contains("must be a relative path inside the repository");
    }

    @Test
    void reportsAnOverlayForAnEnvironmentThatDoesNotExist() {
        Map<String, String> files = gitops();
        rendered.forEach((path, text) -> {
            if (path.startsWith(DEV)) {
                files.put(path.replace("/overlays/dev/", "/overlays/qa/"), text);
            }
        });

        assertThat(check(files)).extracting(Violation::file, Violation::rule)
                .containsExactly(tuple("apps/checkout/api/overlays/qa/kustomization.yaml", "environment"));
    }
}

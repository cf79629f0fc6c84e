package dev.paver.core.convention;

import static dev.paver.core.goldenpath.GoldenPathFixtures.apiInCheckout;
import static dev.paver.core.goldenpath.GoldenPathFixtures.renderCreateService;
import static dev.paver.core.goldenpath.GoldenPathFixtures.under;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Manifests that no kustomization reaches are held to the semantic key and the nine labels from their folder's place:
 * an overlay folder without kustomization file (an Argo CD directory source of plain manifests), and a file elsewhere
 * under {@code apps/{system}/{service}/}. Each rule fires on such files as on a built overlay.
 */
class UnreachedManifestRulesTest {

    private static final String DEV = "apps/checkout/api/overlays/dev/";
    private static final String PROD = "apps/checkout/api/overlays/prod/";
    private static Map<String, String> rendered;
    private final ManifestRules rules = new ManifestRules(Conventions.defaults());

    @BeforeAll
    static void renderAndFlattenOverlays() {
        Map<String, String> files = new TreeMap<>(under("gitops", renderCreateService(apiInCheckout())));
        // dev and prod become directory sources: the plain manifests their kustomizations built, no kustomization.yaml
        for (String overlay : List.of(DEV, PROD)) {
            List<ManifestDocument> built = new KustomizeView(files).build(overlay.substring(0, overlay.length() - 1));
            files.keySet().removeIf(p -> p.startsWith(overlay));
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            for (ManifestDocument doc : built) {
                files.put(overlay + doc.kind().toLowerCase() + ".yaml", new Yaml(options).dump(doc.body()));
            }
        }
        rendered = files;
    }

    private static Map<String, String> gitops() {
        return new TreeMap<>(rendered);
    }

    private static void edit(Map<String, String> files, String path, String from, String to) {
        assertThat(files.get(path)).as(path).isNotNull().contains(from);
        files.put(path, files.get(path).replace(from, to));
    }

    private List<Violation> check(Map<String, String> files) {
        return rules.check(files, "payments");
    }

    @Test
    void acceptsPlainManifestsThatFollowTheConventions() {
        assertThat(rendered).doesNotContainKey(DEV + "kustomization.yaml").containsKeys(DEV + "deployment.yaml", DEV + "namespace.yaml");
        assertThat(check(gitops())).isEmpty();
    }

    @Test
    void semanticKeyOfTheNamespace() {
        Map<String, String> files = gitops();
        edit(files, DEV + "deployment.yaml", "namespace: payments-dev-api", "namespace: payments-dev-ledger");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message).containsExactly(tuple(
                DEV + "deployment.yaml", "semantic-key", "Deployment/api is in namespace 'payments-dev-ledger', expected "
                        + "payments-dev-api (overlay dev)"));
    }

    @Test
    void semanticKeyOfAFolderWithoutNamespace() {
        Map<String, String> files = gitops();
        files.remove(DEV + "namespace.yaml");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message)
                .containsExactly(tuple(DEV, "semantic-key", "overlay dev has no Namespace payments-dev-api"));
    }

    @Test
    void requiredLabel() {
        Map<String, String> files = gitops();
        edit(files, DEV + "namespace.yaml", "    platform/owner: team-payments\n", "");

        assertThat(check(files)).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple(DEV + "namespace.yaml", 1, "required-label"));
    }

    @Test
    void labelValue() {
        Map<String, String> files = gitops();
        edit(files, DEV + "deployment.yaml", "    platform/env: dev\n", "    platform/env: prod\n");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message).containsExactlyInAnyOrder(
                tuple(DEV + "deployment.yaml", "label-value", "Deployment/api has platform/env='prod', expected dev (overlay dev)"),
                tuple(DEV + "deployment.yaml", "label-value", "Deployment/api pod template has platform/env='prod', expected "
                        + "dev (overlay dev)"));
    }

    @Test
    void resources() {
        Map<String, String> files = gitops();
        edit(files, DEV + "deployment.yaml", "            cpu: 500m\n", "");

        assertThat(check(files)).extracting(Violation::file, Violation::rule, Violation::message).containsExactly(tuple(
                DEV + "deployment.yaml", "resources", "Deployment/api container 'api' has no limits.cpu (use a resource "
                        + "profile: small, medium, large)"));
    }

    @Test
    void nonRoot() {
        Map<String, String> files = gitops();
        edit(files, DEV + "deployment.yaml", "runAsNonRoot: true", "runAsNonRoot: false");

        assertThat(check(files)).extracting(Violation::file, Violation::rule).containsExactly(tuple(DEV + "deployment.yaml", "non-root"));
    }

    @Test
    void readinessProbe() {
        Map<String, String> files = gitops();
        edit(files, DEV + "deployment.yaml", "readinessProbe:", "livenessProbe:");

        assertThat(check(files)).extracting(Violation::file, Violation::rule)
                .containsExactly(tuple(DEV + "deployment.yaml", "readiness-probe"));
    }

    @Test
    void imageTagInProduction() {
        Map<String, String> files = gitops();
        edit(files, PROD + "deployment.yaml", "image: ghcr.io/acme/api:0.1.0", "image: ghcr.io/acme/api:latest");

        assertThat(check(files)).extracting(Violation::file, Violation::rule).containsExactly(tuple(PROD + "deployment.yaml", "image-tag"));
    }

    @Test
    void noPlainSecret() {
        Map<String, String> files = gitops();
        files.put(DEV + "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\n  namespace: payments-dev-api\n"
                + "stringData:\n  password: hunter2\n");

        assertThat(check(files)).extracting(Violation::file, Violation::rule).containsExactly(tuple(DEV + "secret.yaml", "no-plain-secret"));
    }

    @Test
    void dnsLabel() {
        Map<String, String> files = gitops();
        files.put(DEV + "service-extra.yaml", files.get(DEV + "service.yaml").replace("  name: api\n", "  name: Api_Extra\n"));

        assertThat(check(files)).extracting(Violation::file, Violation::rule).containsExactly(tuple(DEV + "service-extra.yaml", "dns-label"));
    }

    @Test
    void environmentOfTheFolder() {
        Map<String, String> files = gitops();
        rendered.forEach((path, text) -> {
            if (path.startsWith(DEV)) {
                files.put(path.replace("/overlays/dev/", "/overlays/qa/"), text);
            }
        });

        assertThat(check(files)).extracting(Violation::file, Violation::rule)
                .containsExactly(tuple("apps/checkout/api/overlays/qa/", "environment"));
    }

    @Test
    void aFileElsewhereUnderTheServiceTakesItsEnvironmentFromItsNamespace() {
        Map<String, String> files = gitops();
        String deployment = files.get(DEV + "deployment.yaml");
        files.put("apps/checkout/api/extra/deployment.yaml", deployment.replace("\n    platform/owner: team-payments\n", "\n"));
        files.put("apps/checkout/api/extra/worker.yaml", deployment.replace("namespace: payments-dev-api", "namespace: payments-dev-ledger"));

        assertThat(check(files)).extracting(Violation::file, Violation::rule).containsExactlyInAnyOrder(
                tuple("apps/checkout/api/extra/deployment.yaml", "required-label"),
                tuple("apps/checkout/api/extra/worker.yaml", "semantic-key"));
    }
}

package dev.paver.kustomize;

import static dev.paver.core.goldenpath.GoldenPathFixtures.apiInCheckout;
import static dev.paver.core.goldenpath.GoldenPathFixtures.renderCreateService;
import static dev.paver.core.goldenpath.GoldenPathFixtures.under;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.ManifestSchemas;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.core.convention.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conventions gate with a real kustomize sees what Argo CD applies (a namePrefix, an inline patch), quotes
 * kustomize when a build fails, never fetches a remote base; without kustomize it refuses what it does not model.
 */
class KustomizeGateTest {

    private static final String DEV = "apps/checkout/api/overlays/dev/";
    private static Map<String, String> rendered;
    private static ManifestRules withKustomize;
    private final ManifestRules builtIn = new ManifestRules(Conventions.defaults());

    @BeforeAll
    static void renderAndFindKustomize() {
        rendered = under("gitops", renderCreateService(apiInCheckout()));
        OverlayBuilder builder = KustomizeOverlays.detect(null, Duration.ofSeconds(30));
        assertThat(builder).as("a kustomize v4+ on the PATH (kubectl 1.24+ bundles one)").isInstanceOf(KustomizeOverlays.class);
        withKustomize = new ManifestRules(Conventions.defaults(), ManifestSchemas.NONE, builder);
    }

    private static Map<String, String> gitops() {
        return new TreeMap<>(rendered);
    }

    private static void edit(Map<String, String> files, String path, String from, String to) {
        assertThat(files.get(path)).contains(from);
        files.put(path, files.get(path).replace(from, to));
    }

    @Test
    void acceptsTheRenderedCreateServiceFilesBuiltByKustomize() {
        assertThat(withKustomize.check(gitops(), "payments")).isEmpty();
    }

    @Test
    void seesAnInlinePatchThatChangesALabel() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "  - path: profile-patch.yaml\n", """
                  - path: profile-patch.yaml
                  - patch: |-
                      apiVersion: v1
                      kind: Namespace
                      metadata:
                        name: payments-dev-api
                        labels:
                          platform/owner: team-ledger!
                """);

        assertThat(withKustomize.check(files, "payments")).extracting(Violation::file, Violation::line, Violation::rule)
                .containsExactly(tuple(DEV + "namespace.yaml", 1, "label-value"));
    }

    @Test
    void seesAJson6902PatchThatTakesTheLimitsAway() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "  - path: profile-patch.yaml\n", """
                  - path: profile-patch.yaml
                  - patch: |-
                      - op: remove
                        path: /spec/template/spec/containers/0/resources/limits
                    target:
                      kind: Deployment
                """);

        assertThat(withKustomize.check(files, "payments")).extracting(Violation::file, Violation::rule, Violation::message)
                .containsExactlyInAnyOrder(
                        tuple("apps/checkout/api/base/deployment.yaml", "resources", "Deployment/api container 'api' has no "
                                + "limits.cpu (use a resource profile: small, medium, large)"),
                        tuple("apps/checkout/api/base/deployment.yaml", "resources", "Deployment/api container 'api' has no "
                                + "limits.memory (use a resource profile: small, medium, large)"));
    }

    @Test
    void quotesKustomizeWhenTheBuildFails() {
        Map<String, String> files = gitops();
        edit(files, DEV + "profile-patch.yaml", "kind: Deployment", "kind: StatefulSet");

        List<Violation> violations = withKustomize.check(files, "payments");

        assertThat(violations).extracting(Violation::file, Violation::rule).containsExactly(tuple(DEV + "kustomization.yaml", "kustomize"));
        assertThat(violations.get(0).message()).contains("apps/checkout/api/overlays/dev failed (exit 1)", "no matches for")
                .doesNotContain("paver-kustomize-");
    }

    @Test
    void refusesARemoteBaseWithoutFetchingIt() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "  - ../../base\n", "  - https://github.com/kubernetes-sigs/kustomize//examples/multibases?ref=v5.5.0\n");

        List<Violation> violations = withKustomize.check(files, "payments");

        assertThat(violations).extracting(Violation::file, Violation::rule).containsExactly(tuple(DEV + "kustomization.yaml", "kustomize"));
        assertThat(violations.get(0).message()).contains("is a remote base: Paver never fetches remote bases");
    }

    @Test
    void withoutKustomizeRefusesEveryFieldItDoesNotModelNamingIt() {
        Map<String, String> files = gitops();
        edit(files, DEV + "kustomization.yaml", "resources:\n", "namePrefix: old-\nreplicas:\n  - name: api\n    count: 3\nresources:\n");

        List<Violation> violations = builtIn.check(files, "payments");

        assertThat(violations).extracting(Violation::file, Violation::rule, Violation::message).containsExactlyInAnyOrder(
                tuple(DEV + "kustomization.yaml", "kustomize", "kustomization.yaml uses namePrefix, which the built-in view "
                        + "does not model; install kustomize (or kubectl) so Paver builds overlays as Argo CD does"),
                tuple(DEV + "kustomization.yaml", "kustomize", "kustomization.yaml uses replicas, which the built-in view "
                        + "does not model; install kustomize (or kubectl) so Paver builds overlays as Argo CD does"));
        assertThat(violations).extracting(Violation::line).containsExactlyInAnyOrder(
                lineOf(files.get(DEV + "kustomization.yaml"), "namePrefix"), lineOf(files.get(DEV + "kustomization.yaml"), "replicas"));
    }

    @Test
    void withoutKustomizeRefusesAPatchOfPortsWhichKustomizeMergesByPort() {
        Map<String, String> files = gitops();
        edit(files, DEV + "profile-patch.yaml", "          resources:\n", "          ports:\n            - containerPort: 9090\n          resources:\n");

        assertThat(builtIn.check(files, "payments")).extracting(Violation::file, Violation::rule).containsExactly(
                tuple(DEV + "profile-patch.yaml", "kustomize"));
        assertThat(builtIn.check(files, "payments").get(0).message()).contains("sets the list /spec/template/spec/containers/0/ports");
    }

    private static int lineOf(String text, String snippet) {
        return (int) text.substring(0, text.indexOf(snippet)).chars().filter(c -> c == '\n').count() + 1;
    }
}

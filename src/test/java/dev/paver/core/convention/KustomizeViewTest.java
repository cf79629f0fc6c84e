package dev.paver.core.convention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What Argo CD would apply for an overlay, as far as the conventions gate needs it. */
public class KustomizeViewTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              labels:
                app.kubernetes.io/name: api
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: api
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: api
                spec:
                  containers:
                    - name: api
                      image: ghcr.io/payments/api
                      ports:
                        - name: http
                          containerPort: 8080
                      resources:
                        requests: {cpu: 100m, memory: 128Mi}
                        limits: {cpu: 500m, memory: 512Mi}
                    - name: log-shipper
                      image: fluent/fluent-bit:3.1.4
                      resources:
                        requests: {cpu: 10m, memory: 32Mi}
                        limits: {cpu: 50m, memory: 64Mi}
            """;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: api
            spec:
              selector:
                app.kubernetes.io/name: api
              ports:
                - port: 80
                  targetPort: http
            """;

    private static final String NAMESPACE = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: payments-prod-api
            """;

    private static final String OVERLAY = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: payments-prod-api
            resources:
              - namespace.yaml
              - ../../base
            labels:
              - pairs:
                  platform/env: prod
                includeTemplates: true
            patches:
              - path: profile-patch.yaml
            images:
              - name: ghcr.io/payments/api
                newTag: "1.4.2"
            """;

    private static final String PATCH = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
            spec:
              template:
                spec:
                  containers:
                    - name: api
                      resources:
                        requests: {cpu: 500m, memory: 512Mi}
                        limits: {cpu: "2", memory: 2Gi}
            """;

    private static Map<String, String> tree(String overlay, String patch) {
        return Map.of(
                "apps/checkout/api/base/kustomization.yaml", "resources:\n  - deployment.yaml\n  - service.yaml\n",
                "apps/checkout/api/base/deployment.yaml", DEPLOYMENT,
                "apps/checkout/api/base/service.yaml", SERVICE,
                "apps/checkout/api/overlays/prod/kustomization.yaml", overlay,
                "apps/checkout/api/overlays/prod/namespace.yaml", NAMESPACE,
                "apps/checkout/api/overlays/prod/profile-patch.yaml", patch);
    }

    /**
     * The overlays these tests build, as trees of files: the prod overlay of api as written here, with
     * includeSelectors instead of includeTemplates, with a digest, and with a patch that adds a container.
     */
    public static List<Map<String, String>> fixtureTrees() {
        Map<String, String> digest = new java.util.HashMap<>(tree(OVERLAY.replace("    newTag: \"1.4.2\"\n",
                "    digest: sha256:0123abcd\n"), PATCH));
        digest.put("apps/checkout/api/base/deployment.yaml", DEPLOYMENT.replace("image: ghcr.io/payments/api\n",
                "image: ghcr.io/payments/api:0.9.0\n"));
        return List.of(tree(OVERLAY, PATCH),
                tree(OVERLAY.replace("    includeTemplates: true\n", "    includeSelectors: true\n"), PATCH),
                tree(OVERLAY.replace("    includeTemplates: true\n", ""), PATCH), digest,
                tree(OVERLAY, PATCH.replace("        - name: api\n", "        - name: migrate\n          image: ghcr.io/payments/migrate:1\n")));
    }

    private static List<ManifestDocument> build(Map<String, String> files) {
        return new KustomizeView(files).build("apps/checkout/api/overlays/prod");
    }

    private static ManifestDocument find(List<ManifestDocument> docs, String kind) {
        return docs.stream().filter(d -> d.kind().equals(kind)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> body, String... path) {
        Map<String, Object> current = body;
        for (String key : path) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> containers(ManifestDocument deployment) {
        return (List<Map<String, Object>>) at(deployment.body(), "spec", "template", "spec").get("containers");
    }

    @Test
    void buildsTheOverlayResourcesAndTheBaseItReferences() {
        List<ManifestDocument> docs = build(tree(OVERLAY, PATCH));

        assertThat(docs).extracting(ManifestDocument::describe)
                .containsExactly("Namespace/payments-prod-api", "Deployment/api", "Service/api");
        assertThat(find(docs, "Deployment").file()).isEqualTo("apps/checkout/api/base/deployment.yaml");
    }

    @Test
    void putsNamespacedResourcesIntoTheOverlayNamespaceButNotTheNamespaceItself() {
        List<ManifestDocument> docs = build(tree(OVERLAY, PATCH));

        assertThat(find(docs, "Deployment").namespace()).isEqualTo("payments-prod-api");
        assertThat(find(docs, "Service").namespace()).isEqualTo("payments-prod-api");
        assertThat(find(docs, "Namespace").namespace()).isEmpty();
    }

    @Test
    void addsLabelsToResourcesAndPodTemplatesButNotToSelectors() {
        ManifestDocument deployment = find(build(tree(OVERLAY, PATCH)), "Deployment");

        assertThat(at(deployment.body(), "metadata", "labels")).containsEntry("platform/env", "prod")
                .containsEntry("app.kubernetes.io/name", "api");
        assertThat(at(deployment.body(), "spec", "template", "metadata", "labels")).containsEntry("platform/env", "prod");
        assertThat(at(deployment.body(), "spec", "selector", "matchLabels")).containsOnlyKeys("app.kubernetes.io/name");
    }

    @Test
    void leavesPodTemplatesAloneWithoutIncludeTemplates() {
        ManifestDocument deployment = find(build(tree(OVERLAY.replace("    includeTemplates: true\n", ""), PATCH)), "Deployment");

        assertThat(at(deployment.body(), "metadata", "labels")).containsEntry("platform/env", "prod");
        assertThat(at(deployment.body(), "spec", "template", "metadata", "labels")).doesNotContainKey("platform/env");
    }

    @Test
    void addsLabelsToSelectorsWithIncludeSelectors() {
        String overlay = OVERLAY.replace("    includeTemplates: true\n", "    includeSelectors: true\n");
        List<ManifestDocument> docs = build(tree(overlay, PATCH));

        assertThat(at(find(docs, "Deployment").body(), "spec", "selector", "matchLabels")).containsEntry("platform/env", "prod");
        assertThat(at(find(docs, "Deployment").body(), "spec", "template", "metadata", "labels")).containsEntry("platform/env", "prod");
        assertThat(at(find(docs, "Service").body(), "spec", "selector")).containsEntry("platform/env", "prod");
    }

    @Test
    void setsTheNewTagOnlyOnTheImageItNames() {
        List<Map<String, Object>> containers = containers(find(build(tree(OVERLAY, PATCH)), "Deployment"));

        assertThat(containers).extracting(c -> c.get("image"))
                .containsExactly("ghcr.io/payments/api:1.4.2", "fluent/fluent-bit:3.1.4");
    }

    @Test
    void replacesAnExistingTagAndPrefersADigest() {
        String files = OVERLAY.replace("    newTag: \"1.4.2\"\n", "    digest: sha256:0123abcd\n");
        Map<String, String> tree = new java.util.HashMap<>(tree(files, PATCH));
        tree.put("apps/checkout/api/base/deployment.yaml", DEPLOYMENT.replace("image: ghcr.io/payments/api\n",
                "image: ghcr.io/payments/api:0.9.0\n"));

        assertThat(containers(find(build(tree), "Deployment")).get(0).get("image")).isEqualTo("ghcr.io/payments/api@sha256:0123abcd");
    }

    @Test
    @SuppressWarnings("unchecked")
    void mergesThePatchIntoTheContainerWithTheSameNameAndKeepsTheRest() {
        List<Map<String, Object>> containers = containers(find(build(tree(OVERLAY, PATCH)), "Deployment"));

        assertThat(containers).extracting(c -> c.get("name")).containsExactly("api", "log-shipper");
        Map<String, Object> api = containers.get(0);
        assertThat(at(api, "resources", "requests")).isEqualTo(Map.of("cpu", "500m", "memory", "512Mi"));
        assertThat(at(api, "resources", "limits")).isEqualTo(Map.of("cpu", "2", "memory", "2Gi"));
        assertThat((List<Map<String, Object>>) api.get("ports")).extracting(p -> p.get("containerPort")).containsExactly(8080);
        assertThat(at(containers.get(1), "resources", "limits")).isEqualTo(Map.of("cpu", "50m", "memory", "64Mi"));
    }

    @Test
    void addsAContainerThatThePatchNamesAndTheBaseDoesNot() {
        String patch = PATCH.replace("        - name: api\n", "        - name: migrate\n          image: ghcr.io/payments/migrate:1\n");
        List<Map<String, Object>> containers = containers(find(build(tree(OVERLAY, patch)), "Deployment"));

        // as kustomize orders them: the patch's containers first, then the others of the base
        assertThat(containers).extracting(c -> c.get("name")).containsExactly("migrate", "api", "log-shipper");
    }

    @Test
    void remembersEveryFileItReadSoThatTheGateDoesNotCheckThemAlone() {
        Map<String, String> files = new java.util.HashMap<>(tree(OVERLAY, PATCH));
        files.put("apps/checkout/api/overlays/prod/unused.yaml", NAMESPACE);
        KustomizeView view = new KustomizeView(files);

        view.build("apps/checkout/api/overlays/prod");

        assertThat(view.filesRead()).hasSize(6).doesNotContain("apps/checkout/api/overlays/prod/unused.yaml")
                .contains("apps/checkout/api/overlays/prod/profile-patch.yaml", "apps/checkout/api/base/kustomization.yaml");
    }

    @Test
    void refusesAPatchForAResourceThatNoOneDefines() {
        assertThatThrownBy(() -> build(tree(OVERLAY, PATCH.replace("  name: api\n", "  name: worker\n"))))
                .isInstanceOf(KustomizeView.KustomizeException.class)
                .hasMessageContaining("targets Deployment/worker, which no resource defines");
    }

    @Test
    void refusesAMissingPatchFile() {
        assertThatThrownBy(() -> build(tree(OVERLAY.replace("profile-patch.yaml", "large.yaml"), PATCH)))
                .isInstanceOf(KustomizeView.KustomizeException.class)
                .hasMessage("patch 'large.yaml' does not exist")
                .extracting(e -> ((KustomizeView.KustomizeException) e).file())
                .isEqualTo("apps/checkout/api/overlays/prod/kustomization.yaml");
    }

    @Test
    void refusesADirectoryWithoutKustomization() {
        assertThatThrownBy(() -> new KustomizeView(Map.of()).build("apps/checkout/api/overlays/prod"))
                .isInstanceOf(KustomizeView.KustomizeException.class).hasMessage("missing kustomization.yaml");
    }

    @Test
    void refusesKustomizationsThatIncludeEachOther() {
        Map<String, String> files = Map.of("a/kustomization.yaml", "resources: [../b]\n", "b/kustomization.yaml", "resources: [../a]\n");

        assertThatThrownBy(() -> new KustomizeView(files).build("a"))
                .isInstanceOf(KustomizeView.KustomizeException.class).hasMessageContaining("more than 10 deep");
    }
}

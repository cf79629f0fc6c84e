package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.config.PaverProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@code paver.kubernetes.clusters.<env>}: bound from settings as an operator writes them, checked against the
 * conventions' environments, and each entry turned into a client by fabric8's own configuration loading.
 */
class EnvironmentClustersTest {

    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod");
    /** Outside a pod: no KUBERNETES_SERVICE_HOST. */
    private static final UnaryOperator<String> NOT_IN_A_POD = name -> null;

    @TempDir
    Path tmp;

    private static Map<String, PaverProperties.Cluster> bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("paver", PaverProperties.class)
                .kubernetes().clustersOrEmpty();
    }

    private static EnvironmentClusters clusters(Map<String, String> settings) {
        return EnvironmentClusters.of(bind(settings), ENVIRONMENTS, null, NOT_IN_A_POD);
    }

    /** A kubeconfig with two clusters and contexts, as kubectl writes one; current-context dev. */
    private Path kubeconfig() throws Exception {
        return Files.writeString(tmp.resolve("config"), """
                apiVersion: v1
                kind: Config
                clusters:
                - name: dev-cluster
                  cluster: {server: "https://127.0.0.1:6443"}
                - name: prod-cluster
                  cluster: {server: "https://127.0.0.1:7443"}
                contexts:
                - name: dev
                  context: {cluster: dev-cluster, user: paver}
                - name: prod
                  context: {cluster: prod-cluster, user: paver, namespace: payments-prod-api}
                current-context: dev
                users:
                - name: paver
                  user: {token: not-a-real-token}
                """);
    }

    @Test
    void noClustersLeavesEverythingToTheDefaultCluster() {
        EnvironmentClusters clusters = clusters(Map.of());

        assertThat(clusters.isEmpty()).isTrue();
        assertThat(clusters.own("prod")).isEmpty();
    }

    @Test
    void everyKindOfEntryBindsFromItsKebabCaseKeys() {
        Map<String, PaverProperties.Cluster> bound = bind(Map.of(
                "paver.kubernetes.clusters.prod.kubeconfig", "/etc/paver/prod.kubeconfig",
                "paver.kubernetes.clusters.prod.context", "prod-admin",
                "paver.kubernetes.clusters.prod.sealed-secrets-certificate-file", "/etc/paver/prod-cert.pem",
                "paver.kubernetes.clusters.staging.in-cluster", "true",
                "paver.kubernetes.clusters.dev.api-url", "http://127.0.0.1:8001"));

        assertThat(bound).containsOnlyKeys("dev", "staging", "prod");
        assertThat(bound.get("prod")).isEqualTo(new PaverProperties.Cluster("/etc/paver/prod.kubeconfig", "prod-admin",
                null, null, "/etc/paver/prod-cert.pem"));
        assertThat(bound.get("staging").inCluster()).isTrue();
        assertThat(bound.get("dev").apiUrl()).isEqualTo("http://127.0.0.1:8001");
    }

    @Test
    void anEnvironmentThatIsNotOneOfTheConventionsStopsTheStartNamingItAndTheKnownOnes() {
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.production.api-url", "http://127.0.0.1:8001",
                "paver.kubernetes.clusters.dev.api-url", "http://127.0.0.1:8002")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("production is not an environment of the conventions")
                .hasMessageContaining("[dev, staging, prod] (paver.conventions.environments)");
    }

    @Test
    void anEntryNamesExactlyOneCluster() {
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.context", "prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("paver.kubernetes.clusters.prod names no cluster: give exactly one of "
                        + "paver.kubernetes.clusters.prod.kubeconfig");
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.in-cluster", "true",
                "paver.kubernetes.clusters.prod.api-url", "http://127.0.0.1:8001")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("paver.kubernetes.clusters.prod names 2 clusters");
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.api-url", "http://127.0.0.1:8001",
                "paver.kubernetes.clusters.prod.context", "prod")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("paver.kubernetes.clusters.prod.context is a context of a kubeconfig file: give "
                        + "paver.kubernetes.clusters.prod.kubeconfig too");
    }

    @Test
    void anApiUrlIsUsedAloneForItsEnvironment() {
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.prod.api-url", "http://127.0.0.1:8001"));

        assertThat(clusters.isEmpty()).isFalse();
        assertThat(clusters.own("prod")).hasValueSatisfying(c -> assertThat(c.getMasterUrl()).hasToString("http://127.0.0.1:8001/"));
        assertThat(clusters.own("dev")).isEmpty();
        assertThat(clusters.described()).containsExactly(Map.entry("prod", "http://127.0.0.1:8001/"));
    }

    @Test
    void aKubeconfigContextIsReadByFabric8AndTheCurrentContextIsTheDefault() throws Exception {
        Path file = kubeconfig();
        EnvironmentClusters clusters = clusters(Map.of(
                "paver.kubernetes.clusters.prod.kubeconfig", file.toString(),
                "paver.kubernetes.clusters.prod.context", "prod",
                "paver.kubernetes.clusters.dev.kubeconfig", file.toString()));

        assertThat(clusters.own("prod")).hasValueSatisfying(c -> {
            assertThat(c.getMasterUrl()).hasToString("https://127.0.0.1:7443/");
            assertThat(c.getConfiguration().getAutoOAuthToken()).isEqualTo("not-a-real-token");
        });
        assertThat(clusters.own("dev")).hasValueSatisfying(c -> assertThat(c.getMasterUrl()).hasToString("https://127.0.0.1:6443/"));
        assertThat(clusters.described().get("prod")).isEqualTo("https://127.0.0.1:7443/ (kubeconfig " + file + ", context prod)");
    }

    @Test
    void aContextTheKubeconfigDoesNotHaveIsRefusedListingItsContexts() throws Exception {
        Path file = kubeconfig();

        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.kubeconfig", file.toString(),
                "paver.kubernetes.clusters.prod.context", "production")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("paver.kubernetes.clusters.prod.context: " + file + " has no context production")
                .hasMessageEndingWith("its contexts are [dev, prod]");
    }

    @Test
    void aMissingOrBrokenKubeconfigIsRefusedNamingTheKey() throws Exception {
        Path missing = tmp.resolve("nowhere");
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.kubeconfig", missing.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("paver.kubernetes.clusters.prod.kubeconfig: cannot read " + missing + " (no such file)");

        Path broken = Files.writeString(tmp.resolve("broken"), "clusters: [unclosed");
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.kubeconfig", broken.toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("paver.kubernetes.clusters.prod.kubeconfig: " + broken);
    }

    @Test
    void inClusterOutsideAPodIsRefused() {
        assertThatThrownBy(() -> clusters(Map.of("paver.kubernetes.clusters.prod.in-cluster", "true")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("paver.kubernetes.clusters.prod.in-cluster=true, but Paver is not running in a pod "
                        + "(KUBERNETES_SERVICE_HOST is not set): give paver.kubernetes.clusters.prod.kubeconfig instead");
    }

    @Test
    void aCertificateFileAloneGivesTheEnvironmentNoClusterOfItsOwn() {
        EnvironmentClusters clusters = clusters(Map.of(
                "paver.kubernetes.clusters.prod.sealed-secrets-certificate-file", "/etc/paver/prod-cert.pem"));

        assertThat(clusters.isEmpty()).isTrue();
        assertThat(clusters.own("prod")).isEmpty();
    }
}

package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.SharedFixtures;
import dev.paver.config.PaverProperties;
import dev.paver.core.access.AccessPort;
import dev.paver.core.action.ClaimStatus;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.convention.Conventions;
import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.CertificateUnavailableException;
import dev.paver.core.secret.SealingKey;
import dev.paver.core.secret.TestKeys;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * With {@code paver.kubernetes.clusters.<env>}, each environment's RoleBindings, claims and Sealed Secrets certificate
 * come from its own cluster: three of fabric8's mock API servers (Argo CD's default, dev's and prod's), each read back.
 */
class EnvironmentRoutingTest {

    private static final String CERT_PATH =
            "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem";
    private static final String PROD_PEM = SharedFixtures.text("kubernetes", "sealed-secrets", "caarlos0-home-pub-sealed-secrets.pem");

    private final Conventions conventions = Conventions.defaults();
    private final List<Server> servers = new ArrayList<>();

    @TempDir
    Path tmp;

    /** A mock API server in CRUD mode that also answers expectations (the controller's certificate). */
    private record Server(KubernetesMockServer server, KubernetesClient client) {
    }

    private Server server() {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Server s = new Server(server, server.createClient());
        servers.add(s);
        return s;
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> {
            s.client().close();
            s.server().destroy();
        });
    }

    private static PaverProperties properties(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("paver", PaverProperties.class);
    }

    private EnvironmentClusters clusters(Map<String, String> settings, KubernetesClient defaultClient) {
        return EnvironmentClusters.of(properties(settings).kubernetes().clustersOrEmpty(), conventions.environments(),
                defaultClient, name -> null);
    }

    private static void namespace(Server server, String name) {
        server.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static int bindings(Server server, String namespace) {
        return server.client().rbac().roleBindings().inNamespace(namespace).list().getItems().size();
    }

    @Test
    void aRoleBindingGoesToItsEnvironmentsClusterAndAnEnvironmentNotListedToTheDefault() {
        Server argo = server();
        Server dev = server();
        Server prod = server();
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.dev.api-url", dev.server().url("/"),
                "paver.kubernetes.clusters.prod.api-url", prod.server().url("/")), argo.client());
        AccessPort access = new KubernetesConfiguration().access(new KubernetesConfiguration.Cluster(argo.client()), clusters,
                conventions, ClusterMetrics.none());
        namespace(prod, "payments-prod-api");

        assertThat(access.namespaceExists("payments-prod-api")).isTrue();
        assertThat(access.namespaceExists("payments-dev-api")).isFalse();
        access.bind("payments-prod-api", "paver-r1", "edit", "dana@acme.com", Map.of());
        access.bind("payments-staging-api", "paver-r2", "view", "dana@acme.com", Map.of());

        assertThat(bindings(prod, "payments-prod-api")).isEqualTo(1);
        assertThat(bindings(dev, "payments-prod-api")).isZero();
        assertThat(bindings(argo, "payments-prod-api")).isZero();
        assertThat(bindings(argo, "payments-staging-api")).isEqualTo(1);
        assertThat(bindings(prod, "payments-staging-api")).isZero();

        assertThat(access.unbind("payments-prod-api", "paver-r1")).isTrue();
        assertThat(bindings(prod, "payments-prod-api")).isZero();
    }

    @Test
    void theSweepListsPaversBindingsOfEveryClusterOnceAndOnlyWhereTheirEnvironmentIs() {
        Server argo = server();
        Server prod = server();
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.prod.api-url", prod.server().url("/")),
                argo.client());
        AccessPort access = new KubernetesConfiguration().access(new KubernetesConfiguration.Cluster(argo.client()), clusters,
                conventions, ClusterMetrics.none());
        access.bind("payments-prod-api", "paver-r1", "edit", "dana@acme.com", Map.of());
        access.bind("payments-staging-api", "paver-r2", "view", "dana@acme.com", Map.of());
        // left on the default cluster from before prod had its own: not deleted through prod's cluster
        new RoleBindings(argo.client()).bind("payments-prod-api", "paver-r0", "edit", "dana@acme.com", Map.of());

        assertThat(access.bindings()).extracting(b -> b.namespace() + "/" + b.name())
                .containsExactlyInAnyOrder("payments-prod-api/paver-r1", "payments-staging-api/paver-r2");
    }

    @Test
    void withoutADefaultClusterAnEnvironmentWithoutOneIsRefusedNamingItsSetting() {
        Server dev = server();
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.dev.api-url", dev.server().url("/")), null);
        AccessPort access = new KubernetesConfiguration().access(new KubernetesConfiguration.Cluster(null), clusters, conventions,
                ClusterMetrics.none());

        assertThat(access.enabled()).isTrue();
        assertThat(access.unavailable("payments-dev-api")).isEmpty();
        assertThat(access.unavailable("payments-prod-api")).hasValue("no cluster is configured for prod (set "
                + "paver.kubernetes.clusters.prod.kubeconfig, or a default cluster with paver.kubernetes.*)");
        assertThat(access.namespaceExists("payments-prod-api")).isFalse();
        assertThatThrownBy(() -> access.bind("payments-prod-api", "paver-r1", "edit", "dana@acme.com", Map.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("paver.kubernetes.clusters.prod");
        assertThat(bindings(dev, "payments-prod-api")).isZero();
    }

    @Test
    void withNoClustersTheDefaultClustersPortsAreUsedAsBefore() {
        Server argo = server();
        EnvironmentClusters clusters = clusters(Map.of(), argo.client());
        KubernetesConfiguration configuration = new KubernetesConfiguration();

        assertThat(configuration.access(new KubernetesConfiguration.Cluster(argo.client()), clusters, conventions,
                ClusterMetrics.none()))
                .isInstanceOf(RoleBindings.class);
        assertThat(configuration.provisioning(new KubernetesConfiguration.Cluster(argo.client()), clusters, conventions,
                ClusterMetrics.none()))
                .isInstanceOf(CrossplaneResources.class);
        AccessPort none = configuration.access(new KubernetesConfiguration.Cluster(null), clusters(Map.of(), null), conventions,
                ClusterMetrics.none());
        assertThat(none.enabled()).isFalse();
        assertThat(none.unavailable("payments-prod-api")).hasValue("no cluster is configured");
    }

    /** A port that records which cluster was asked. */
    private static ProvisioningPort recording(String cluster, List<String> calls) {
        return new ProvisioningPort() {
            @Override
            public boolean enabled() {
                return true;
            }

            @Override
            public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
                calls.add(cluster + ": " + kind + " " + name + " in '" + namespace + "'");
                return Optional.empty();
            }
        };
    }

    @Test
    void aClaimIsReadInItsNamespacesEnvironmentAndAClusterScopedCompositeInTheDefault() {
        List<String> calls = new ArrayList<>();
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.dev.api-url", "http://127.0.0.1:1",
                "paver.kubernetes.clusters.prod.api-url", "http://127.0.0.1:2"), null);
        ProvisioningPort routed = new RoutedProvisioning(EnvironmentRouter.of(conventions, clusters, recording("default", calls),
                client -> recording(client.getMasterUrl().getPort() == 1 ? "dev" : "prod", calls)));

        routed.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", "payments-dev-api", "api-postgres-main");
        routed.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", "payments-prod-api", "api-postgres-main");
        routed.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", "payments-staging-api", "api-postgres-main");
        routed.status("platform.paver.dev/v1alpha1", "XPostgreSQLInstance", "", "api-postgres-main-x7k2q");

        assertThat(calls).containsExactly(
                "dev: PostgreSQLInstance api-postgres-main in 'payments-dev-api'",
                "prod: PostgreSQLInstance api-postgres-main in 'payments-prod-api'",
                "default: PostgreSQLInstance api-postgres-main in 'payments-staging-api'",
                "default: XPostgreSQLInstance api-postgres-main-x7k2q in ''");
    }

    @Test
    void withoutADefaultClusterProvisioningTrackingIsOffForAnEnvironmentWithoutOneAndSaysWhy() {
        List<String> calls = new ArrayList<>();
        EnvironmentClusters clusters = clusters(Map.of("paver.kubernetes.clusters.dev.api-url", "http://127.0.0.1:1"), null);
        ProvisioningPort routed = new RoutedProvisioning(EnvironmentRouter.of(conventions, clusters, null,
                client -> recording("dev", calls)));

        assertThat(routed.enabled()).isTrue();
        assertThat(routed.unavailable("payments-dev-api")).isEmpty();
        assertThat(routed.unavailable("payments-prod-api")).hasValueSatisfying(why ->
                assertThat(why).startsWith("no cluster is configured for prod (set paver.kubernetes.clusters.prod.kubeconfig"));
        assertThat(routed.unavailable("")).hasValue("no default cluster is configured (paver.kubernetes.*) and a "
                + "cluster-scoped object names no environment of [dev, staging, prod] ({domain}-{env}-{service})");
        assertThatThrownBy(() -> routed.status("platform.paver.dev/v1alpha1", "Queue", "payments-prod-api", "api-queue-jobs"))
                .isInstanceOf(ProvisioningPort.Refused.class).hasMessageContaining("paver.kubernetes.clusters.prod");
        assertThat(calls).isEmpty();
    }

    @Test
    void eachEnvironmentsValueIsSealedWithItsOwnControllersKey() {
        Server argo = server();
        Server dev = server();
        Server prod = server();
        String devPem = TestKeys.pem(TestKeys.rsa(2048));
        String argoPem = TestKeys.pem(TestKeys.rsa(3072));
        dev.server().expect().get().withPath(CERT_PATH).andReturn(200, devPem).always();
        prod.server().expect().get().withPath(CERT_PATH).andReturn(200, PROD_PEM).always();
        argo.server().expect().get().withPath(CERT_PATH).andReturn(200, argoPem).always();
        Map<String, String> settings = Map.of("paver.kubernetes.clusters.dev.api-url", dev.server().url("/"),
                "paver.kubernetes.clusters.prod.api-url", prod.server().url("/"));

        CertificateSource source = new KubernetesConfiguration().sealedSecretsCertificate(properties(settings),
                new KubernetesConfiguration.Cluster(argo.client()), clusters(settings, argo.client()), Clock.systemUTC());

        assertThat(source.current("prod")).isEqualTo(SealingKey.fromPem(PROD_PEM));
        assertThat(source.current("dev")).isEqualTo(SealingKey.fromPem(devPem));
        assertThat(source.current("staging")).isEqualTo(SealingKey.fromPem(argoPem));
        assertThat(source.current()).isEqualTo(SealingKey.fromPem(argoPem));
    }

    @Test
    void theSharedCertificateFileServesEveryEnvironmentUnlessOneHasItsOwnFile() throws Exception {
        Server prod = server();
        String sharedPem = TestKeys.pem(TestKeys.rsa(2048));
        Path shared = Files.writeString(tmp.resolve("cert.pem"), sharedPem);
        Path prodFile = Files.writeString(tmp.resolve("prod-cert.pem"), PROD_PEM);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("paver.sealed-secrets.certificate-file", shared.toString());
        settings.put("paver.kubernetes.clusters.prod.api-url", prod.server().url("/"));
        settings.put("paver.kubernetes.clusters.prod.sealed-secrets-certificate-file", prodFile.toString());

        CertificateSource source = new KubernetesConfiguration().sealedSecretsCertificate(properties(settings),
                new KubernetesConfiguration.Cluster(null), clusters(settings, null), Clock.systemUTC());

        assertThat(source.current("prod")).isEqualTo(SealingKey.fromPem(PROD_PEM));
        assertThat(source.current("dev")).isEqualTo(SealingKey.fromPem(sharedPem));
        assertThat(prod.server().getRequestCount()).as("no request for a certificate from a file").isZero();
    }

    @Test
    void anEnvironmentWithNoCertificateAndNoClusterIsRefusedNamingItsSettings() {
        Server dev = server();
        dev.server().expect().get().withPath(CERT_PATH).andReturn(200, TestKeys.pem(TestKeys.rsa(2048))).always();
        Map<String, String> settings = Map.of("paver.kubernetes.clusters.dev.api-url", dev.server().url("/"));

        CertificateSource source = new KubernetesConfiguration().sealedSecretsCertificate(properties(settings),
                new KubernetesConfiguration.Cluster(null), clusters(settings, null), Clock.systemUTC());

        assertThat(source.current("dev").modulusBits()).isEqualTo(2048);
        assertThatThrownBy(() -> source.current("prod")).isInstanceOf(CertificateUnavailableException.class)
                .hasMessageStartingWith("no Sealed Secrets certificate for prod: set "
                        + "paver.kubernetes.clusters.prod.sealed-secrets-certificate-file");
    }
}

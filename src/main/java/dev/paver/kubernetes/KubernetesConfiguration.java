package dev.paver.kubernetes;

import dev.paver.config.KubernetesDetection;
import dev.paver.config.PaverProperties;
import dev.paver.config.SealedSecretsSettings;
import dev.paver.core.access.AccessPort;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.convention.Conventions;
import dev.paver.core.secret.CertificateSource;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The clusters and what Paver reads and writes there: Argo CD applications in the default cluster
 * ({@code paver.kubernetes.*}); Crossplane resources, role bindings and the Sealed Secrets certificate of each
 * environment in that environment's cluster ({@code paver.kubernetes.clusters.<env>}, {@link EnvironmentClusters}),
 * else in the default cluster. With no {@code clusters} the default cluster serves everything. Without a cluster a
 * port is off and says so.
 */
@Configuration(proxyBeanMethods = false)
public class KubernetesConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesConfiguration.class);

    /** The cluster's API client, or none when no cluster is configured. */
    record Cluster(KubernetesClient client) {
    }

    @Bean(destroyMethod = "")
    Cluster cluster(PaverProperties properties) {
        PaverProperties.Kubernetes kubernetes = properties.kubernetes();
        boolean explicitUrl = kubernetes.apiUrl() != null && !kubernetes.apiUrl().isBlank();
        if (!explicitUrl && !KubernetesDetection.enabled(kubernetes.enabled())) {
            LOG.info("no cluster configured: deployment and provisioning tracking are off, elevations cannot be granted");
            return new Cluster(null);
        }
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        if (explicitUrl) {
            // an explicit URL is used alone: no kubeconfig context, credentials or exec plugins are read
            builder.withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(kubernetes.apiUrl()).build());
        }
        return new Cluster(builder.build());
    }

    /**
     * The clusters of the environments ({@code paver.kubernetes.clusters.<env>}).
     *
     * @throws InvalidSettingException naming the key when an entry names an unknown environment or is not a usable cluster
     */
    @Bean(destroyMethod = "")
    EnvironmentClusters environmentClusters(PaverProperties properties, Conventions conventions, Cluster cluster) {
        EnvironmentClusters clusters = EnvironmentClusters.of(properties.kubernetes().clustersOrEmpty(),
                conventions.environments(), cluster.client(), System::getenv);
        clusters.described().forEach((env, where) -> LOG.info("cluster of {}: {}", env, where));
        return clusters;
    }

    /** What Paver sees of its clusters as metrics: informer events, Crossplane reads, revocations. */
    @Bean
    ClusterMetrics clusterMetrics(MeterRegistry registry) {
        return new ClusterMetrics(registry);
    }

    @Bean(destroyMethod = "")
    DeploymentPort deployments(Cluster cluster, PaverProperties properties, ClusterMetrics metrics) {
        return cluster.client() == null ? DeploymentPort.disabled()
                : new ArgoCdApplications(cluster.client(), properties.kubernetes().argocdNamespace(), metrics);
    }

    /**
     * Crossplane claims and composite resources, read with a get per check in the cluster of the claim's environment;
     * off without a cluster.
     */
    @Bean
    ProvisioningPort provisioning(Cluster cluster, EnvironmentClusters clusters, Conventions conventions,
                                  ClusterMetrics metrics) {
        ProvisioningPort fallback = cluster.client() == null ? null : new CrossplaneResources(cluster.client(), metrics);
        if (clusters.isEmpty()) {
            return fallback == null ? ProvisioningPort.disabled() : fallback;
        }
        return new RoutedProvisioning(EnvironmentRouter.of(conventions, clusters, fallback,
                client -> new CrossplaneResources(client, metrics)));
    }

    /** RoleBindings of elevations, in the cluster of the namespace's environment; off without a cluster. */
    @Bean
    AccessPort access(Cluster cluster, EnvironmentClusters clusters, Conventions conventions, ClusterMetrics metrics) {
        AccessPort fallback = cluster.client() == null ? null : new RoleBindings(cluster.client(), metrics);
        if (clusters.isEmpty()) {
            return fallback == null ? AccessPort.disabled() : fallback;
        }
        return new RoutedAccess(EnvironmentRouter.of(conventions, clusters, fallback, client -> new RoleBindings(client, metrics)));
    }

    /**
     * The Sealed Secrets controllers' keys, for sealing values: {@code paver.sealed-secrets.*}, and with clusters per
     * environment each environment's ({@link SealedSecretsSettings#forEnvironment}).
     */
    @Bean
    CertificateSource sealedSecretsCertificate(PaverProperties properties, Cluster cluster, EnvironmentClusters clusters,
                                               Clock clock) {
        CertificateSource shared = SealedSecretsSettings.certificateSource(properties.sealedSecrets(), cluster.client(), clock);
        Map<String, PaverProperties.Cluster> settings = properties.kubernetes().clustersOrEmpty();
        if (clusters.isEmpty() && settings.isEmpty()) {
            LOG.info("Sealed Secrets certificate: {}", origin(shared));
            return shared;
        }
        Map<String, CertificateSource> byEnvironment = new LinkedHashMap<>();
        for (String env : clusters.environments()) {
            CertificateSource source = SealedSecretsSettings.forEnvironment(env, settings.get(env), properties.sealedSecrets(),
                    clusters.own(env).orElse(null), cluster.client(), shared, clock);
            byEnvironment.put(env, source);
            LOG.info("Sealed Secrets certificate of {}: {}", env, origin(source));
        }
        return new RoutedCertificates(byEnvironment, shared);
    }

    private static String origin(CertificateSource source) {
        return source instanceof SealedSecretsCertificate c ? c.origin() : "none configured";
    }

    /** The schemas of the conventions gate, the same as {@code java -jar paver.jar validate} uses (not strict). */
    @Bean
    KubernetesSchemas manifestSchemas() {
        return new KubernetesSchemas(false);
    }
}

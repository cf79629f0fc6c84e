package dev.paver.kubernetes;

import dev.paver.config.KubernetesDetection;
import dev.paver.config.PaverProperties;
import dev.paver.config.SealedSecretsSettings;
import dev.paver.core.access.AccessPort;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.secret.CertificateSource;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The cluster ({@code paver.kubernetes.*}) and what Paver reads and writes there: Argo CD applications, Crossplane
 * resources, role bindings, the Sealed Secrets certificate. Without a cluster each port is off and says so.
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

    @Bean(destroyMethod = "")
    DeploymentPort deployments(Cluster cluster, PaverProperties properties) {
        return cluster.client() == null ? DeploymentPort.disabled()
                : new ArgoCdApplications(cluster.client(), properties.kubernetes().argocdNamespace());
    }

    /** Crossplane claims and composite resources, read with a get per check; off without a cluster. */
    @Bean
    ProvisioningPort provisioning(Cluster cluster) {
        return cluster.client() == null ? ProvisioningPort.disabled() : new CrossplaneResources(cluster.client());
    }

    @Bean
    AccessPort access(Cluster cluster) {
        return cluster.client() == null ? AccessPort.disabled() : new RoleBindings(cluster.client());
    }

    /** The Sealed Secrets controller's key, for sealing values: {@code paver.sealed-secrets.*}. */
    @Bean
    CertificateSource sealedSecretsCertificate(PaverProperties properties, Cluster cluster, Clock clock) {
        CertificateSource source = SealedSecretsSettings.certificateSource(properties.sealedSecrets(), cluster.client(), clock);
        LOG.info("Sealed Secrets certificate: {}", source instanceof SealedSecretsCertificate c ? c.origin() : "none configured");
        return source;
    }

    /** The schemas of the conventions gate, the same as {@code java -jar paver.jar validate} uses (not strict). */
    @Bean
    KubernetesSchemas manifestSchemas() {
        return new KubernetesSchemas(false);
    }
}

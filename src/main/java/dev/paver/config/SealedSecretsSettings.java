package dev.paver.config;

import dev.paver.core.secret.CertificateSource;
import dev.paver.kubernetes.SealedSecretsCertificate;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;

/** Chooses where the Sealed Secrets certificate comes from, from {@code paver.sealed-secrets.*}. */
public final class SealedSecretsSettings {

    /** What {@link CertificateSource#current()} says when there is neither a certificate file nor a cluster. */
    static final String NONE = "no Sealed Secrets certificate: set paver.sealed-secrets.certificate-file "
            + "(PAVER_SEALED_SECRETS_CERTIFICATE_FILE) to the controller's PEM certificate (`kubeseal --fetch-cert > cert.pem`), "
            + "or configure a cluster (paver.kubernetes.*) so that Paver reads it from the controller "
            + "(paver.sealed-secrets.controller-name and controller-namespace, default sealed-secrets-controller in kube-system)";

    private SealedSecretsSettings() {
    }

    /**
     * The file when one is configured, else the controller when a cluster is, else a source that refuses with
     * {@link #NONE}.
     *
     * @param client the cluster's client, null when no cluster is configured
     * @throws IllegalArgumentException when the controller's names are not valid names
     */
    public static CertificateSource certificateSource(PaverProperties.SealedSecrets config, KubernetesClient client, Clock clock) {
        if (config.hasCertificateFile()) {
            return SealedSecretsCertificate.fromFile(Path.of(config.certificateFile().strip()), config.certificateRefresh(), clock);
        }
        if (client != null) {
            return SealedSecretsCertificate.fromController(client, config.controllerNamespace(), config.controllerName(),
                    config.controllerPort(), config.certificateRefresh(), clock);
        }
        return CertificateSource.unavailable(NONE);
    }

    /**
     * The source of one environment's certificate when environments have clusters of their own
     * ({@code paver.kubernetes.clusters.<env>}), in this order: the environment's
     * {@code sealed-secrets-certificate-file}; {@code paver.sealed-secrets.certificate-file} (then {@code shared}, one
     * file for every environment); the controller of the environment's own cluster; the default source {@code shared}
     * when there is a default cluster; else a source that refuses, naming the settings of that environment.
     *
     * @param environment   the environment, for messages
     * @param cluster       its {@code paver.kubernetes.clusters.<env>} entry, or null
     * @param ownClient     the client of its own cluster, or null when the default cluster serves it
     * @param defaultClient the default cluster's client, or null
     * @param shared        {@link #certificateSource} of the default settings, shared by the environments it serves
     * @throws IllegalArgumentException when the controller's names are not valid names
     */
    public static CertificateSource forEnvironment(String environment, PaverProperties.Cluster cluster,
                                                   PaverProperties.SealedSecrets config, KubernetesClient ownClient,
                                                   KubernetesClient defaultClient, CertificateSource shared, Clock clock) {
        String file = cluster == null ? null : cluster.sealedSecretsCertificateFile();
        if (file != null && !file.isBlank()) {
            return SealedSecretsCertificate.fromFile(Path.of(file.strip()), config.certificateRefresh(), clock);
        }
        if (config.hasCertificateFile()) {
            return shared;
        }
        if (ownClient != null) {
            return SealedSecretsCertificate.fromController(ownClient, config.controllerNamespace(), config.controllerName(),
                    config.controllerPort(), config.certificateRefresh(), clock);
        }
        if (defaultClient != null) {
            return shared;
        }
        String key = "paver.kubernetes.clusters." + environment;
        return CertificateSource.unavailable("no Sealed Secrets certificate for " + environment + ": set "
                + key + ".sealed-secrets-certificate-file to " + environment + "'s controller certificate "
                + "(`kubeseal --fetch-cert > cert.pem` against that cluster), or give " + environment + " a cluster ("
                + key + ".kubeconfig) so that Paver reads it from its controller");
    }
}

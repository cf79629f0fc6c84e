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
}

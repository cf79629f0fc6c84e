package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.CertificateUnavailableException;
import dev.paver.kubernetes.SealedSecretsCertificate;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code paver.sealed-secrets.*}: names, defaults, and which certificate source they give. */
class SealedSecretsSettingsTest {

    private static PaverProperties.SealedSecrets bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("paver", PaverProperties.class)
                .sealedSecrets();
    }

    @Test
    void defaultsAreKubesealsControllerAndAnHourOfCaching() {
        PaverProperties.SealedSecrets config = bind(Map.of());

        assertThat(config.certificateFile()).isNull();
        assertThat(config.hasCertificateFile()).isFalse();
        assertThat(config.controllerName()).isEqualTo("sealed-secrets-controller");
        assertThat(config.controllerNamespace()).isEqualTo("kube-system");
        assertThat(config.controllerPort()).isEqualTo("http");
        assertThat(config.certificateRefresh()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void everySettingBinds() {
        PaverProperties.SealedSecrets config = bind(Map.of("paver.sealed-secrets.certificate-file", "/etc/paver/cert.pem",
                "paver.sealed-secrets.controller-name", "sealed-secrets", "paver.sealed-secrets.controller-namespace",
                "sealed-secrets", "paver.sealed-secrets.controller-port", "web", "paver.sealed-secrets.certificate-refresh", "5m"));

        assertThat(config).isEqualTo(new PaverProperties.SealedSecrets("/etc/paver/cert.pem", "sealed-secrets",
                "sealed-secrets", "web", Duration.ofMinutes(5)));
    }

    @Test
    void theFileWinsThenTheClusterOtherwiseACleanRefusal() {
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(io.fabric8.kubernetes.client.Config.empty()).withMasterUrl("https://127.0.0.1:1").build())
                .build()) {
            CertificateSource file = SealedSecretsSettings.certificateSource(
                    bind(Map.of("paver.sealed-secrets.certificate-file", "/etc/paver/cert.pem")), client, Clock.systemUTC());
            assertThat(file).isInstanceOfSatisfying(SealedSecretsCertificate.class,
                    c -> assertThat(c.origin()).isEqualTo("the Sealed Secrets certificate file /etc/paver/cert.pem"));

            CertificateSource controller = SealedSecretsSettings.certificateSource(bind(Map.of()), client, Clock.systemUTC());
            assertThat(controller).isInstanceOfSatisfying(SealedSecretsCertificate.class, c -> assertThat(c.origin())
                    .isEqualTo("the Sealed Secrets controller (Service sealed-secrets-controller in namespace kube-system)"));
        }

        CertificateSource none = SealedSecretsSettings.certificateSource(bind(Map.of()), null, Clock.systemUTC());
        assertThatThrownBy(none::current).isInstanceOf(CertificateUnavailableException.class)
                .hasMessageStartingWith("no Sealed Secrets certificate: set paver.sealed-secrets.certificate-file")
                .hasMessageContaining("configure a cluster (paver.kubernetes.*)");
    }
}

package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.SharedFixtures;
import dev.paver.core.secret.CertificateUnavailableException;
import dev.paver.core.secret.InvalidCertificateException;
import dev.paver.core.secret.SealingKey;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.paver.conversation.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's certificate read through the API server's service proxy (fabric8's mock API server answering the
 * path kubeseal --fetch-cert asks for with the real certificate) and from a file; kept for the refresh period.
 */
@EnableKubernetesMockClient
class SealedSecretsCertificateTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    private static final String PEM = SharedFixtures.text("kubernetes", "sealed-secrets", "caarlos0-home-pub-sealed-secrets.pem");
    private static final String PROXY_PATH =
            "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem";

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-11-20T10:00:00Z"));

    @TempDir
    Path tmp;

    @BeforeEach
    void resetServer() {
        server.reset();
    }

    private SealedSecretsCertificate controller() {
        return SealedSecretsCertificate.fromController(client, "kube-system", "sealed-secrets-controller", "http",
                Duration.ofHours(1), clock);
    }

    @Test
    void readsTheControllersCertificateThroughTheServiceProxyAsKubesealDoes() throws Exception {
        server.expect().get().withPath(PROXY_PATH).andReturn(200, PEM).always();

        SealingKey key = controller().current();

        assertThat(key.modulusBits()).isEqualTo(4096);
        assertThat(key.notAfter()).isEqualTo(Instant.parse("2032-09-27T01:13:46Z"));
        var request = server.getLastRequest();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getPath()).isEqualTo(PROXY_PATH);
        assertThat(request.getHeader("Accept")).startsWith("application/x-pem-file");
    }

    @Test
    void theControllersNamesAndPortAreConfigurable() {
        server.expect().get().withPath("/api/v1/namespaces/sealed-secrets/services/http:sealed-secrets:/proxy/v1/cert.pem")
                .andReturn(200, PEM).always();

        SealedSecretsCertificate source = SealedSecretsCertificate.fromController(client, "sealed-secrets", "sealed-secrets",
                "", Duration.ofHours(1), clock);

        assertThat(source.current().modulusBits()).isEqualTo(4096);
        assertThat(source.origin()).isEqualTo("the Sealed Secrets controller (Service sealed-secrets in namespace sealed-secrets)");
        assertThatThrownBy(() -> SealedSecretsCertificate.fromController(client, "kube-system", "../secrets", "http",
                Duration.ofHours(1), clock)).hasMessageContaining("paver.sealed-secrets.controller-name");
        assertThatThrownBy(() -> SealedSecretsCertificate.fromController(client, "kube-system", "sealed-secrets-controller",
                "http/../x", Duration.ofHours(1), clock)).hasMessageContaining("paver.sealed-secrets.controller-port");
    }

    @Test
    void theCertificateIsKeptForTheRefreshPeriodThenReadAgain() {
        server.expect().get().withPath(PROXY_PATH).andReturn(200, PEM).always();
        SealedSecretsCertificate source = controller();

        SealingKey first = source.current();
        clock.advance(Duration.ofMinutes(59));
        assertThat(source.current()).isSameAs(first);
        assertThat(server.getRequestCount()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(2));
        assertThat(source.current()).isEqualTo(first);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void whenReadingAgainFailsTheStillValidKeyGoesOnBeingUsed() {
        server.expect().get().withPath(PROXY_PATH).andReturn(200, PEM).once();
        server.expect().get().withPath(PROXY_PATH).andReturn(503, "no endpoints available").always();
        SealedSecretsCertificate source = controller();

        SealingKey first = source.current();
        clock.advance(Duration.ofHours(2));

        assertThat(source.current()).isSameAs(first);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aRefusalSaysWhichRightPaverNeeds() {
        server.expect().get().withPath(PROXY_PATH).andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("services \"http:sealed-secrets-controller:http\" is forbidden: User \"system:serviceaccount:paver:paver\" "
                        + "cannot get resource \"services/proxy\" in API group \"\" in the namespace \"kube-system\"").build()).always();

        assertThatThrownBy(() -> controller().current()).isInstanceOf(CertificateUnavailableException.class)
                .hasMessageContaining("HTTP 403 (services \"http:sealed-secrets-controller:http\" is forbidden")
                .hasMessageContaining("must allow get on services/proxy for the resource name http:sealed-secrets-controller:http")
                .hasMessageContaining("deploy/kubernetes/base/rbac.yaml");
    }

    @Test
    void aMissingServiceOrStoppedControllerIsNamed() {
        server.expect().get().withPath(PROXY_PATH).andReturn(404, new StatusBuilder().withCode(404)
                .withMessage("services \"sealed-secrets-controller\" not found").build()).once();
        assertThatThrownBy(() -> controller().current())
                .hasMessageContaining("HTTP 404 (services \"sealed-secrets-controller\" not found)")
                .hasMessageContaining("paver.sealed-secrets.controller-name");

        server.expect().get().withPath(PROXY_PATH).andReturn(503, new StatusBuilder().withCode(503)
                .withMessage("no endpoints available for service \"http:sealed-secrets-controller:http\"").build()).once();
        assertThatThrownBy(() -> controller().current())
                .hasMessageContaining("HTTP 503 (no endpoints available")
                .hasMessageContaining("is the controller running");
    }

    @Test
    void somethingThatIsNotACertificateIsRefusedWithWhereItCameFrom() {
        server.expect().get().withPath(PROXY_PATH).andReturn(200, "<html>login</html>").always();

        assertThatThrownBy(() -> controller().current()).isInstanceOf(CertificateUnavailableException.class)
                .hasMessageStartingWith("the Sealed Secrets controller (Service sealed-secrets-controller in namespace kube-system): ")
                .hasMessageContaining("is not PEM")
                .hasCauseInstanceOf(InvalidCertificateException.class);
    }

    @Test
    void readsAFileAndReadsItAgainAfterTheRefreshPeriod() throws Exception {
        Path file = tmp.resolve("cert.pem");
        Files.writeString(file, PEM);
        SealedSecretsCertificate source = SealedSecretsCertificate.fromFile(file, Duration.ofMinutes(10), clock);

        assertThat(source.current().modulusBits()).isEqualTo(4096);

        Files.writeString(file, "not a certificate");
        clock.advance(Duration.ofMinutes(5));
        assertThat(source.current().modulusBits()).as("still the one read").isEqualTo(4096);
        clock.advance(Duration.ofMinutes(6));
        assertThat(source.current().modulusBits()).as("the file is broken now, the valid key is kept").isEqualTo(4096);
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = tmp.resolve("missing.pem");
        assertThatThrownBy(() -> SealedSecretsCertificate.fromFile(file, Duration.ofHours(1), clock).current())
                .isInstanceOf(CertificateUnavailableException.class)
                .hasMessageContaining("the Sealed Secrets certificate file " + file + " does not exist")
                .hasMessageContaining("kubeseal --fetch-cert > missing.pem");
    }

    @Test
    void anExpiredCertificateIsRefusedEvenWhenItWasReadBefore() throws Exception {
        Path file = tmp.resolve("cert.pem");
        Files.writeString(file, PEM);
        MutableClock late = MutableClock.startingAt(Instant.parse("2032-09-27T00:00:00Z"));
        SealedSecretsCertificate source = SealedSecretsCertificate.fromFile(file, Duration.ofHours(24), late);
        assertThat(source.current()).isNotNull();

        late.advance(Duration.ofHours(2));

        assertThatThrownBy(source::current).isInstanceOf(CertificateUnavailableException.class)
                .hasMessageContaining("expired on 2032-09-27 01:13 UTC")
                .hasMessageContaining("fetch the controller's current certificate");
    }
}

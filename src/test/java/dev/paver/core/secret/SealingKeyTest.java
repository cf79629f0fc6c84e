package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The controller's certificate as kubeseal reads it: the first PEM certificate, RSA, not expired. */
class SealingKeyTest {

    @Test
    void theRealControllerCertificateIsA4096BitRsaKeyValidUntil2032() {
        SealingKey key = SealingKey.fromPem(TestKeys.FIXTURE_PEM, Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(key.modulusBits()).isEqualTo(4096);
        assertThat(key.modulusBytes()).isEqualTo(512);
        assertThat(key.publicKey().getPublicExponent().intValue()).isEqualTo(65537);
        assertThat(key.notAfter()).isEqualTo(Instant.parse("2032-09-27T01:13:46Z"));
        assertThat(key).hasToString("RSA 4096-bit Sealed Secrets key, certificate valid until 2032-09-27T01:13:46Z");
    }

    @Test
    void certificatesWithAnEmptyIssuerAsTheControllerMakesThemAndWithACommonNameGiveTheSameKey() throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        String empty = TestKeys.pem(pair);
        String named = TestKeys.pemWithCommonName(pair, "sealed-secrets");

        // the JDK's parser refuses the first (RFC 5280 wants an issuer), reads the second
        java.security.cert.CertificateFactory jdk = java.security.cert.CertificateFactory.getInstance("X.509");
        assertThatThrownBy(() -> jdk.generateCertificate(new java.io.ByteArrayInputStream(empty.getBytes())))
                .hasMessageContaining("Empty issuer DN");
        assertThat(jdk.generateCertificate(new java.io.ByteArrayInputStream(named.getBytes()))).isNotNull();

        SealingKey fromEmpty = SealingKey.fromPem(empty);
        SealingKey fromNamed = SealingKey.fromPem(named);
        assertThat(fromEmpty).isEqualTo(fromNamed);
        assertThat(fromEmpty.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(fromEmpty.notAfter()).isEqualTo(fromNamed.notAfter().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Test
    void textAroundTheCertificateAndASecondCertificateAreIgnored() {
        String other = TestKeys.pem(TestKeys.rsa(2048));
        SealingKey key = SealingKey.fromPem("the controller's certificate:\n" + TestKeys.FIXTURE_PEM + other);
        assertThat(key).isEqualTo(SealingKey.fromPem(TestKeys.FIXTURE_PEM));
        assertThat(key).isNotEqualTo(SealingKey.fromPem(other));
    }

    @Test
    void anExpiredCertificateIsRefusedWithItsDateAndWhatToDo() {
        assertThatThrownBy(() -> SealingKey.fromPem(TestKeys.FIXTURE_PEM, Instant.parse("2032-09-28T00:00:00Z")))
                .isInstanceOf(InvalidCertificateException.class)
                .hasMessageContaining("expired on 2032-09-27 01:13 UTC")
                .hasMessageContaining("fetch the controller's current certificate");

        KeyPair pair = TestKeys.rsa(2048);
        String expired = TestKeys.pem(pair, Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2021-01-01T00:00:00Z"));
        assertThatThrownBy(() -> SealingKey.fromPem(expired)).hasMessageContaining("expired on 2021-01-01 00:00 UTC");
    }

    @Test
    void aKeyThatIsNotRsaIsRefused() {
        String ec = TestKeys.pem(TestKeys.generate("EC", 256));
        assertThatThrownBy(() -> SealingKey.fromPem(ec)).isInstanceOf(InvalidCertificateException.class)
                .hasMessageContaining("holds a EC key, not an RSA key");
    }

    @Test
    void anRsaKeyUnder2048BitsIsRefused() {
        String small = TestKeys.pem(TestKeys.generate("RSA", 1024));
        assertThatThrownBy(() -> SealingKey.fromPem(small)).hasMessageContaining("has 1024 bits, fewer than the 2048");
    }

    @Test
    void textThatIsNotAPemCertificateIsRefusedAndNamed() {
        assertThatThrownBy(() -> SealingKey.fromPem("")).isInstanceOf(InvalidCertificateException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> SealingKey.fromPem("hello")).hasMessageContaining("is not PEM")
                .hasMessageContaining("-----BEGIN CERTIFICATE-----");
        String publicKey = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(TestKeys.rsa(2048).getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertThatThrownBy(() -> SealingKey.fromPem(publicKey)).hasMessageContaining("a PEM public key without its certificate");
        assertThatThrownBy(() -> SealingKey.fromPem("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"))
                .hasMessageContaining("a PEM private key").hasMessageContaining("must never be shared");
        assertThatThrownBy(() -> SealingKey.fromPem("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"))
                .hasMessageContaining("not a readable X.509 certificate");
    }
}

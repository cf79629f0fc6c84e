package dev.paver.core.secret;

import dev.paver.core.report.Times;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Sealed Secrets controller's public key, read from its certificate: the PEM X.509 certificate the controller
 * serves at {@code /v1/cert.pem} and {@code kubeseal --fetch-cert} prints (bitnami-labs/sealed-secrets
 * {@code pkg/kubeseal/certs.go}, {@code ParseKey}). Like kubeseal, only the first certificate of the text is read and
 * an expired certificate is refused; unlike kubeseal, an RSA key under {@value #MIN_BITS} bits is refused too (the
 * controller makes 4096-bit keys by default). The JDK's {@code CertificateFactory} reads the certificate; when it
 * refuses, as it does the controller's default certificates with their empty issuer, only the validity and the public
 * key are read from the DER structure ({@link CertificateDer}). The certificate's signature is not checked, nor is it by
 * kubeseal: trust comes from where the certificate was read.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class SealingKey {

    /** The smallest RSA modulus accepted, in bits. */
    public static final int MIN_BITS = 2048;

    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    private final RSAPublicKey publicKey;
    private final Instant notAfter;

    private SealingKey(RSAPublicKey publicKey, Instant notAfter) {
        this.publicKey = publicKey;
        this.notAfter = notAfter;
    }

    /**
     * Reads the key from a PEM certificate, checking its validity against the current time.
     *
     * @see #fromPem(String, Instant)
     */
    public static SealingKey fromPem(String pem) {
        return fromPem(pem, Instant.now());
    }

    /**
     * Reads the key from a PEM certificate.
     *
     * @param pem text holding a {@code -----BEGIN CERTIFICATE-----} block (text around it is ignored; of several
     *            certificates the first is used)
     * @param now the time at which the certificate must not have expired yet
     * @return the certificate's RSA public key and its {@code notAfter} date
     * @throws InvalidCertificateException when the text holds no PEM certificate (a PEM public or private key is named
     *                                     as such), the certificate cannot be parsed, its key is not RSA or is under
     *                                     {@value #MIN_BITS} bits, or {@code now} is after its {@code notAfter} date
     */
    public static SealingKey fromPem(String pem, Instant now) {
        Objects.requireNonNull(now, "now");
        if (pem == null || pem.isBlank()) {
            throw new InvalidCertificateException("the Sealed Secrets certificate is empty: expected the controller's "
                    + "PEM certificate (-----BEGIN CERTIFICATE-----), as `kubeseal --fetch-cert` prints it");
        }
        int start = pem.indexOf(PEM_CERTIFICATE);
        if (start < 0) {
            throw new InvalidCertificateException(notACertificate(pem));
        }
        String text = pem.substring(start);
        PublicKey publicKey;
        Instant notAfter;
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
            publicKey = certificate.getPublicKey();
            notAfter = certificate.getNotAfter().toInstant();
        } catch (CertificateException | ClassCastException refused) {
            // the controller's own certificates have an empty issuer, which the JDK refuses: read the two fields
            try {
                CertificateDer.Fields fields = CertificateDer.read(CertificateDer.decodePem(text));
                notAfter = fields.notAfter();
                if (!Arrays.equals(fields.algorithm(), CertificateDer.RSA_ENCRYPTION)) {
                    throw notRsa(algorithmName(fields.algorithm()));
                }
                publicKey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(fields.subjectPublicKeyInfo()));
            } catch (CertificateDer.NotACertificate | GeneralSecurityException e) {
                throw new InvalidCertificateException("the Sealed Secrets certificate is not a readable X.509 certificate ("
                        + e.getMessage() + "): fetch the controller's certificate again with `kubeseal --fetch-cert`", e);
            }
        }
        if (!(publicKey instanceof RSAPublicKey rsa)) {
            throw notRsa(publicKey.getAlgorithm());
        }
        int bits = rsa.getModulus().bitLength();
        if (bits < MIN_BITS) {
            throw new InvalidCertificateException("the Sealed Secrets certificate's RSA key has " + bits
                    + " bits, fewer than the " + MIN_BITS + " Paver seals with: give the controller a larger key "
                    + "(its --key-size, default 4096)");
        }
        if (now.isAfter(notAfter)) {
            throw new InvalidCertificateException("the Sealed Secrets certificate expired on " + Times.instant(notAfter)
                    + ": fetch the controller's current certificate (`kubeseal --fetch-cert`, or let Paver read it from "
                    + "the controller) and use that one");
        }
        return new SealingKey(rsa, notAfter);
    }

    private static InvalidCertificateException notRsa(String algorithm) {
        return new InvalidCertificateException("the Sealed Secrets certificate holds a " + algorithm + " key, not an RSA "
                + "key: Sealed Secrets controllers seal with RSA; is this the controller's certificate?");
    }

    private static String algorithmName(byte[] oid) {
        return switch (CertificateDer.dotted(oid)) {
            case "1.2.840.10045.2.1" -> "EC";
            case "1.3.101.112" -> "Ed25519";
            case "1.3.101.113" -> "Ed448";
            case "1.2.840.10040.4.1" -> "DSA";
            case "1.2.840.113549.1.1.10" -> "RSASSA-PSS";
            default -> "OID " + CertificateDer.dotted(oid);
        };
    }

    private static String notACertificate(String text) {
        String what;
        if (text.contains("PRIVATE KEY-----")) {
            what = "a PEM private key: Paver needs only the controller's certificate, and a private key must never be "
                    + "shared; ";
        } else if (text.contains("-----BEGIN PUBLIC KEY-----") || text.contains("-----BEGIN RSA PUBLIC KEY-----")) {
            what = "a PEM public key without its certificate; ";
        } else {
            what = "not PEM; ";
        }
        return "the Sealed Secrets certificate is " + what + "expected the controller's PEM certificate "
                + "(-----BEGIN CERTIFICATE-----), as `kubeseal --fetch-cert` prints it";
    }

    /** The controller's RSA public key. */
    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The modulus size in bits, e.g. 4096. */
    public int modulusBits() {
        return publicKey.getModulus().bitLength();
    }

    /**
     * The modulus size in bytes, e.g. 512 for a 4096-bit key: the length of every RSA-OAEP ciphertext made with this
     * key, so the length prefix of every value sealed with it.
     */
    public int modulusBytes() {
        return (modulusBits() + 7) / 8;
    }

    /** The certificate's {@code notAfter} date: the key is refused after it. */
    public Instant notAfter() {
        return notAfter;
    }

    /** E.g. {@code RSA 4096-bit Sealed Secrets key, certificate valid until 2032-09-27T01:13:46Z}. */
    @Override
    public String toString() {
        return "RSA " + modulusBits() + "-bit Sealed Secrets key, certificate valid until " + notAfter;
    }

    /** Same modulus and public exponent (the certificate dates are not compared). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SealingKey other && publicKey.getModulus().equals(other.publicKey.getModulus())
                && publicKey.getPublicExponent().equals(other.publicKey.getPublicExponent());
    }

    @Override
    public int hashCode() {
        return publicKey.getModulus().hashCode();
    }
}

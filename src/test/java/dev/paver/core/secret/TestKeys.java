package dev.paver.core.secret;

import dev.paver.SharedFixtures;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Key pairs made in the tests, their self-signed certificates (as the controller makes them: empty subject), and an
 * unsealer that follows kubeseal's {@code HybridDecrypt} with BouncyCastle's own RSA-OAEP and AES-GCM, so that the
 * JCA code under test is checked by an implementation that shares none of it.
 */
public final class TestKeys {

    /** The fixture: a real controller certificate and a SealedSecret sealed with it. */
    static final String FIXTURE_PEM = SharedFixtures.text("kubernetes", "sealed-secrets", "caarlos0-home-pub-sealed-secrets.pem");
    static final String FIXTURE_SEALED_SECRET = SharedFixtures.text("kubernetes", "sealed-secrets",
            "caarlos0-home-nextdns-sealedsecret.yaml");

    private static final Map<Integer, KeyPair> PAIRS = new ConcurrentHashMap<>();

    private TestKeys() {
    }

    /** One RSA key pair per size for the whole test run (a 4096-bit pair takes a moment to make). */
    public static KeyPair rsa(int bits) {
        return PAIRS.computeIfAbsent(bits, b -> generate("RSA", b));
    }

    static KeyPair generate(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PEM certificate for the pair, valid from a day before to a year after now. */
    public static String pem(KeyPair pair) {
        return pem(pair, Instant.now().minusSeconds(86_400), Instant.now().plusSeconds(365L * 86_400));
    }

    /**
     * A self-signed PEM certificate for the pair with an empty subject and issuer, as the controller makes them by
     * default (the JDK's own certificate parser refuses those; BouncyCastle writes them).
     */
    static String pem(KeyPair pair, Instant notBefore, Instant notAfter) {
        return pem(pair, notBefore, notAfter, new X500Name(new RDN[0]));
    }

    /** The same with a subject and issuer, as a controller started with {@code --my-cn} makes them. */
    static String pemWithCommonName(KeyPair pair, String cn) {
        return pem(pair, Instant.now().minusSeconds(86_400), Instant.now().plusSeconds(365L * 86_400),
                new X500Name("CN=" + cn));
    }

    private static String pem(KeyPair pair, Instant notBefore, Instant notAfter, X500Name name) {
        try {
            String signature = pair.getPublic().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(notBefore),
                    Date.from(notAfter), name, pair.getPublic())
                    .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())).getEncoded();
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
            return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SealingKey key(int bits) {
        return SealingKey.fromPem(pem(rsa(bits)));
    }

    /**
     * kubeseal's {@code HybridDecrypt}: split {@code uint16 len || rsa || aes}, RSA-OAEP (SHA-256, MGF1 SHA-256, label)
     * for the session key, AES-256-GCM with a zero nonce and no additional data for the value.
     *
     * @throws InvalidCipherTextException when the label, key or bytes are wrong
     */
    public static byte[] unseal(KeyPair pair, String sealedBase64, byte[] label) throws InvalidCipherTextException {
        byte[] sealed = Base64.getDecoder().decode(sealedBase64);
        int rsaLength = ((sealed[0] & 0xff) << 8) | (sealed[1] & 0xff);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) pair.getPrivate();
        AsymmetricBlockCipher oaep = new OAEPEncoding(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), label);
        oaep.init(false, new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()));
        byte[] sessionKey = oaep.processBlock(sealed, 2, rsaLength);
        if (sessionKey.length != 32) {
            throw new InvalidCipherTextException("session key of " + sessionKey.length + " bytes");
        }
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(sessionKey), 128, new byte[12], null));
        int offset = 2 + rsaLength;
        byte[] plaintext = new byte[gcm.getOutputSize(sealed.length - offset)];
        int n = gcm.processBytes(sealed, offset, sealed.length - offset, plaintext, 0);
        n += gcm.doFinal(plaintext, n);
        return java.util.Arrays.copyOf(plaintext, n);
    }
}

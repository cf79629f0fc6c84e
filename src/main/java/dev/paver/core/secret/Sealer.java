package dev.paver.core.secret;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals one value the way {@code kubeseal --raw} does, so that the Sealed Secrets controller holding the key's private
 * half unseals it: bitnami-labs/sealed-secrets {@code pkg/crypto/crypto.go} ({@code HybridEncrypt}) and
 * {@code docs/developer/crypto.md}.
 * <ol>
 *   <li>a random 32-byte session key ({@link SecureRandom});</li>
 *   <li>the session key encrypted with RSA-OAEP, SHA-256 as both the hash and the MGF1 hash, the scope's label
 *       ({@link Scope#label(String, String)}) as the OAEP label;</li>
 *   <li>the value encrypted with AES-256-GCM under the session key, a 12-byte all-zero nonce (each session key is used
 *       once), no additional data, a 16-byte tag;</li>
 *   <li>bytes: {@code uint16 big-endian len(rsaCiphertext) || rsaCiphertext || aesCiphertext || tag}, encoded as standard
 *       base64 with padding: a value of {@code spec.encryptedData}.</li>
 * </ol>
 * A sealed value is {@code 2 + key.modulusBytes() + plaintext.length + 16} bytes before base64. Sealing the same value
 * twice gives different results (a new session key and OAEP seed each time).
 */
public final class Sealer {

    /** Bytes of the AES-256 session key. */
    public static final int SESSION_KEY_BYTES = 32;
    /** Bytes of the AES-GCM nonce (all zero). */
    public static final int NONCE_BYTES = 12;
    /** Bytes of the AES-GCM tag at the end of every sealed value. */
    public static final int TAG_BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Sealer() {
    }

    /**
     * Seals a value for a Secret {@code name} in {@code namespace}. The {@code plaintext} array is filled with zeros
     * before this method returns, whether it succeeds or not: pass a copy when the caller still needs it. Nothing of
     * the plaintext is ever put into an exception message.
     *
     * @param key       the controller's key
     * @param scope     where the value may be unsealed; it decides the label
     * @param namespace the Secret's namespace (a DNS-1123 label); ignored for {@link Scope#CLUSTER_WIDE}
     * @param name      the Secret's name (a DNS-1123 subdomain); used only for {@link Scope#STRICT}
     * @param plaintext the value's bytes, e.g. UTF-8 text; may be empty
     * @return the sealed value, standard base64, for {@code spec.encryptedData}
     * @throws IllegalArgumentException when the scope needs a namespace or name that is not valid
     * @throws IllegalStateException    when the Java runtime lacks RSA-OAEP or AES-GCM (never on a standard JDK)
     */
    public static String seal(SealingKey key, Scope scope, String namespace, String name, byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] sessionKey = new byte[SESSION_KEY_BYTES];
        byte[] sealed = null;
        try {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(scope, "scope");
            byte[] label = scope.label(namespace, name);
            RANDOM.nextBytes(sessionKey);

            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding");
            rsa.init(Cipher.ENCRYPT_MODE, key.publicKey(), oaep(label), RANDOM);
            byte[] rsaCiphertext = rsa.doFinal(sessionKey);

            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(sessionKey, "AES"),
                    new GCMParameterSpec(TAG_BYTES * 8, new byte[NONCE_BYTES]));
            int aesLength = aes.getOutputSize(plaintext.length);
            sealed = new byte[2 + rsaCiphertext.length + aesLength];
            ByteBuffer out = ByteBuffer.wrap(sealed);
            out.putShort((short) rsaCiphertext.length);
            out.put(rsaCiphertext);
            int written = aes.doFinal(plaintext, 0, plaintext.length, sealed, 2 + rsaCiphertext.length);
            if (written != aesLength) {
                throw new IllegalStateException("AES-GCM wrote " + written + " bytes where " + aesLength + " were expected");
            }
            return Base64.getEncoder().encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            // the JCA's messages name algorithms and sizes, never the data
            throw new IllegalStateException("cannot seal the value: " + e.getMessage(), e);
        } finally {
            Arrays.fill(sessionKey, (byte) 0);
            Arrays.fill(plaintext, (byte) 0);
            if (sealed != null) {
                Arrays.fill(sealed, (byte) 0); // already base64-encoded, or abandoned
            }
        }
    }

    /**
     * The OAEP parameters kubeseal uses: SHA-256 for the hash and for MGF1 (Go's {@code rsa.EncryptOAEP(sha256.New(),
     * ...)}), the label as {@code PSource.PSpecified}. Java's {@code OAEPWithSHA-256AndMGF1Padding} shortcut would use
     * SHA-1 for MGF1 and the controller could not unseal.
     */
    static OAEPParameterSpec oaep(byte[] label) {
        return new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label));
    }
}

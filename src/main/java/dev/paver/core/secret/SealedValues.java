package dev.paver.core.secret;

import java.util.Base64;
import java.util.Objects;

/**
 * Checks a value someone sealed themselves ({@code kubeseal --raw}) before it is written into a SealedSecret: that it
 * has the shape of {@code HybridEncrypt}'s output (bitnami-labs/sealed-secrets {@code pkg/crypto/crypto.go}; see
 * {@link Sealer}) for the controller's key size.
 *
 * <p>What it cannot check: only the controller's private key can tell whether the value unseals, so a value sealed
 * with another controller's key of the same size, for another scope, namespace or name, or simply corrupted in its
 * body passes here and fails later in the cluster (the controller reports it on the SealedSecret's status). This check
 * catches the common mistakes early: a plain value pasted where a sealed one belongs, a truncated paste, a value sealed
 * with another key size (another cluster's controller).
 */
public final class SealedValues {

    private SealedValues() {
    }

    /**
     * Checks one sealed value against the controller's key.
     * <ul>
     *   <li>surrounding blanks and line breaks inside are dropped (the controller's base64 reader skips line breaks);</li>
     *   <li>the rest must be standard base64 with padding ({@code A-Z a-z 0-9 + /}, {@code =} only at the end);</li>
     *   <li>its 2-byte big-endian length prefix must equal {@code key.modulusBytes()} (512 for a 4096-bit key);</li>
     *   <li>it must hold at least {@code 2 + key.modulusBytes() + 16} bytes: prefix, encrypted session key, GCM tag.</li>
     * </ul>
     * Messages never contain the value, not even in part.
     *
     * @param key          the controller's key
     * @param sealedBase64 the value as pasted
     * @return the value as it goes into {@code spec.encryptedData}: without blanks and line breaks
     * @throws InvalidSealedValueException when the value is empty, not standard base64, too short, or its prefix does
     *                                     not match the key (a value sealed with a 2048-bit key for a 4096-bit
     *                                     controller is refused with both sizes and what to do)
     */
    public static String check(SealingKey key, String sealedBase64) {
        Objects.requireNonNull(key, "key");
        String value = sealedBase64 == null ? "" : sealedBase64.strip().replace("\r", "").replace("\n", "");
        if (value.isEmpty()) {
            throw new InvalidSealedValueException("the sealed value is empty: paste the output of `kubeseal --raw` "
                    + "for this controller, or give the plain value in the modal and Paver seals it");
        }
        checkBase64(value);
        byte[] bytes = Base64.getDecoder().decode(value);
        int keyBytes = key.modulusBytes();
        int minimum = 2 + keyBytes + Sealer.TAG_BYTES;
        if (bytes.length >= 2) {
            int prefix = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
            if (prefix != keyBytes && looksLikeAnRsaLength(prefix) && bytes.length >= 2 + prefix + Sealer.TAG_BYTES) {
                throw new InvalidSealedValueException("the sealed value was sealed with a " + prefix * 8 + "-bit key, but "
                        + "this cluster's Sealed Secrets controller has a " + key.modulusBits() + "-bit key: it was "
                        + "sealed for another controller. Seal it again with `kubeseal --raw --cert` and this "
                        + "controller's certificate, or give the plain value in the modal and Paver seals it");
            }
        }
        if (bytes.length < minimum) {
            throw new InvalidSealedValueException("the sealed value is too short: " + bytes.length + " bytes, where a "
                    + "value sealed for this controller's " + key.modulusBits() + "-bit key has at least " + minimum
                    + ". Was it cut off, or is it not a sealed value? Paste the whole output of `kubeseal --raw`, or give "
                    + "the plain value in the modal and Paver seals it");
        }
        int prefix = ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff);
        if (prefix != keyBytes) {
            throw new InvalidSealedValueException("the sealed value is not a Sealed Secrets value for this controller: "
                    + "it should start with the length of the encrypted session key, " + keyBytes + " bytes for its "
                    + key.modulusBits() + "-bit key, and starts with " + prefix + ". Paste the output of `kubeseal --raw`, "
                    + "or give the plain value in the modal and Paver seals it");
        }
        return value;
    }

    /** A plausible RSA ciphertext length in bytes: a modulus of 1024 to 16384 bits in whole 32-bit words. */
    private static boolean looksLikeAnRsaLength(int bytes) {
        return bytes >= 128 && bytes <= 2048 && bytes % 4 == 0;
    }

    private static void checkBase64(String value) {
        int padding = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
                    || c == '/';
            if (c == '=') {
                padding++;
            } else if (alphabet && padding > 0) {
                throw new InvalidSealedValueException("the sealed value is not standard base64: '=' appears before "
                        + "character " + (i + 1) + " of " + value.length() + ", where it may only end the value. Paste the "
                        + "output of `kubeseal --raw`, or give the plain value in the modal and Paver seals it");
            } else if (!alphabet) {
                String why = c == '-' || c == '_' ? " (URL-safe base64 is not what kubeseal writes)"
                        : Character.isWhitespace(c) ? " (a blank)" : "";
                throw new InvalidSealedValueException("the sealed value is not standard base64: character " + (i + 1)
                        + " of " + value.length() + " is not in its alphabet" + why + ". Paste the output of "
                        + "`kubeseal --raw`, or give the plain value in the modal and Paver seals it");
            }
        }
        if (padding > 2 || value.length() % 4 != 0) {
            throw new InvalidSealedValueException("the sealed value is not standard base64: " + value.length()
                    + " characters with " + padding + " '=' of padding, where base64 comes in groups of 4. Was it cut "
                    + "off? Paste the whole output of `kubeseal --raw`, or give the plain value in the modal");
        }
    }
}

package dev.paver.core.secret;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The only thing about a plain value that Paver shows (in Slack, in the audit log, in a pull request description):
 * {@code sha256:} and the first {@value #HEX_CHARS} lowercase hex characters (48 bits) of the SHA-256 of its bytes,
 * e.g. {@code sha256:2cf24dba5fb0} for {@code hello}. Enough for a person to tell whether two values are the same
 * (compare with {@code printf %s "$VALUE" | sha256sum | cut -c1-12}); short so that it is read as a check, not a
 * digest.
 *
 * <p>Caution: for a value that can be guessed (a short password, a word, a small number) the fingerprint lets anyone
 * who sees it test guesses offline; truncation does not prevent that. It hides nothing of a random key or token.
 */
public final class Fingerprint {

    /** How many hex characters of the digest are shown. */
    public static final int HEX_CHARS = 12;
    /** What every fingerprint starts with. */
    public static final String PREFIX = "sha256:";

    private Fingerprint() {
    }

    /**
     * @param plaintext the value's bytes; not changed (the caller zeroes it)
     * @return {@code sha256:} and {@value #HEX_CHARS} hex characters
     */
    public static String of(byte[] plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(plaintext);
            return PREFIX + HexFormat.of().formatHex(digest).substring(0, HEX_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}

package dev.paver.core.secret;

/**
 * Port to the Sealed Secrets controller's certificate: where the key that seals values comes from (a configured PEM
 * file, or the controller itself through the Kubernetes API, as {@code kubeseal --fetch-cert} reads it).
 * Implementations cache the key and may do I/O on a call: do not call it on a thread that must answer Slack at once.
 */
public interface CertificateSource {

    /**
     * The controller's current key.
     *
     * @return a key whose certificate has not expired
     * @throws CertificateUnavailableException when no certificate is configured, it cannot be read, or it is not a valid
     *                                         one; the message says where Paver looked and what to do
     */
    SealingKey current();

    /**
     * The current key of one environment's controller: with one cluster per environment, a value for prod is sealed
     * with prod's controller key, which alone can unseal it.
     *
     * @param environment an environment of the conventions, e.g. {@code prod}
     * @return by default {@link #current()}: one controller for every environment
     * @throws CertificateUnavailableException as {@link #current()}, for that environment's certificate
     */
    default SealingKey current(String environment) {
        return current();
    }

    /** A source for when none is configured: every call throws with {@code message}. */
    static CertificateSource unavailable(String message) {
        return () -> {
            throw new CertificateUnavailableException(message);
        };
    }
}

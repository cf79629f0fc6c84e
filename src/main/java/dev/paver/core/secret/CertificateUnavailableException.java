package dev.paver.core.secret;

/**
 * The Sealed Secrets certificate could not be had: none is configured, the file or the controller could not be read,
 * or what was read is not a valid certificate (then the cause is an {@link InvalidCertificateException}). The message
 * says where Paver looked and what to do.
 */
public final class CertificateUnavailableException extends RuntimeException {

    /** @param message where Paver looked, what went wrong and what to do */
    public CertificateUnavailableException(String message) {
        super(message);
    }

    /** @param message where Paver looked, what went wrong and what to do */
    public CertificateUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.paver.core.secret;

/**
 * A text that cannot be used as the Sealed Secrets controller's certificate: not a PEM X.509 certificate, a key that
 * is not RSA or too small, or a certificate past its {@code notAfter} date. The message says which and what to do; it
 * never repeats the text it was given.
 */
public final class InvalidCertificateException extends IllegalArgumentException {

    InvalidCertificateException(String message) {
        super(message);
    }

    InvalidCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}

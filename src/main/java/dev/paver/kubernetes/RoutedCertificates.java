package dev.paver.kubernetes;

import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.SealingKey;
import java.util.Map;

/**
 * The Sealed Secrets certificate of each environment: a value for prod is sealed with prod's controller key. Without
 * an environment (no caller does so today), the default source's.
 */
final class RoutedCertificates implements CertificateSource {

    private final Map<String, CertificateSource> byEnvironment;
    private final CertificateSource fallback;

    /**
     * @param byEnvironment every environment of the conventions and its source (an unavailable one says which setting
     *                      is missing)
     * @param fallback      the source when no environment is given, as with one cluster
     */
    RoutedCertificates(Map<String, CertificateSource> byEnvironment, CertificateSource fallback) {
        this.byEnvironment = Map.copyOf(byEnvironment);
        this.fallback = fallback;
    }

    @Override
    public SealingKey current() {
        return fallback.current();
    }

    /** The key of that environment's controller; an environment not of the conventions gets the default source's. */
    @Override
    public SealingKey current(String environment) {
        return byEnvironment.getOrDefault(environment, fallback).current();
    }
}

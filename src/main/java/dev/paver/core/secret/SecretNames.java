package dev.paver.core.secret;

import dev.paver.core.convention.Names;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Kubernetes name rules a SealedSecret must meet (k8s.io/apimachinery {@code pkg/util/validation}): its data keys
 * ({@code IsConfigMapKey}), its name ({@code IsDNS1123Subdomain}) and its namespace ({@code IsDNS1123Label}).
 * Messages quote the offending name (names are not secret) and the rule it breaks.
 */
public final class SecretNames {

    /** Longest data key and Secret name: 253 characters. */
    public static final int MAX_LENGTH = 253;

    private static final Pattern DATA_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
    private static final Pattern SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private SecretNames() {
    }

    /**
     * What is wrong with a Secret data key (a key of {@code spec.encryptedData}, then of the Secret's {@code data}):
     * it must match {@code [-._a-zA-Z0-9]+}, have at most 253 characters, and not be {@code .}, {@code ..} or start with
     * {@code ..}.
     *
     * @return the problem, empty when the key is valid
     */
    public static Optional<String> dataKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a Secret data key must not be empty");
        }
        String quoted = Names.quote(key);
        if (key.length() > MAX_LENGTH) {
            return Optional.of("Secret data key " + quoted + " is " + key.length() + " characters long, at most "
                    + MAX_LENGTH + " are allowed");
        }
        if (!DATA_KEY.matcher(key).matches()) {
            return Optional.of("Secret data key " + quoted + " may only contain letters, digits, '-', '_' and '.' "
                    + "(e.g. STRIPE_KEY, api.token)");
        }
        if (key.equals(".") || key.equals("..") || key.startsWith("..")) {
            return Optional.of("Secret data key " + quoted + " must not be '.' or '..' nor start with '..'");
        }
        return Optional.empty();
    }

    /**
     * Checks a Secret data key.
     *
     * @return the key
     * @throws IllegalArgumentException with {@link #dataKeyProblem(String)}'s message
     */
    public static String checkDataKey(String key) {
        dataKeyProblem(key).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        return key;
    }

    /**
     * Checks a Secret (and SealedSecret) name: a DNS-1123 subdomain, lowercase letters, digits, '-' and '.', starting
     * and ending with a letter or digit, at most 253 characters.
     *
     * @return the name
     * @throws IllegalArgumentException when it is not
     */
    public static String checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a Secret name must not be empty");
        }
        if (name.length() > MAX_LENGTH || !SUBDOMAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("Secret name " + Names.quote(name) + " is not a DNS-1123 subdomain "
                    + "(lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most "
                    + MAX_LENGTH + " characters)");
        }
        return name;
    }

    /**
     * Checks a namespace: a DNS-1123 label, lowercase letters, digits and '-', at most 63 characters.
     *
     * @return the namespace
     * @throws IllegalArgumentException when it is not
     */
    public static String checkNamespace(String namespace) {
        if (!Names.isDnsLabel(namespace)) {
            throw new IllegalArgumentException("namespace " + Names.quote(namespace) + " is not a DNS-1123 label "
                    + "(lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)");
        }
        return namespace;
    }
}

package dev.paver.core.convention;

/**
 * The three-segment address {@code {domain}-{env}-{service}} of every per-environment thing: Namespace,
 * Argo CD Application (CONVENTIONS.md, "The semantic key"). It cannot exist invalid: each segment is a
 * DNS-1123 label and the whole key is at most {@value #MAX_LENGTH} characters. Whether {@code env} is a
 * configured environment is checked by {@link Conventions#key}.
 *
 * @throws IllegalArgumentException from the constructor when a segment or the length is invalid
 */
public record SemanticKey(String domain, String env, String service) {

    /** Kubernetes' limit for a namespace name (a DNS-1123 label). */
    public static final int MAX_LENGTH = 63;

    public SemanticKey {
        for (String[] segment : new String[][] {{"domain", domain}, {"env", env}, {"service", service}}) {
            if (!Names.isDnsLabel(segment[1])) {
                throw new IllegalArgumentException(segment[0] + " " + Names.quote(segment[1]) + " is not a DNS-1123 label");
            }
        }
        int length = domain.length() + env.length() + service.length() + 2;
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("key " + domain + "-" + env + "-" + service + " is " + length
                    + " characters, more than " + MAX_LENGTH);
        }
    }

    @Override
    public String toString() {
        return domain + "-" + env + "-" + service;
    }
}

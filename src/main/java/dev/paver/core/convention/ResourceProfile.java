package dev.paver.core.convention;

import java.util.Objects;

/**
 * A named size for containers: CPU in Kubernetes quantity form ({@code 100m}, {@code 1}), memory likewise
 * ({@code 128Mi}, {@code 1Gi}). Every container gets exactly these requests and limits.
 * Source: CONVENTIONS.md, "Resource profiles".
 */
public record ResourceProfile(String name, String requestsCpu, String requestsMemory, String limitsCpu, String limitsMemory) {
    public ResourceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(requestsCpu, "requestsCpu");
        Objects.requireNonNull(requestsMemory, "requestsMemory");
        Objects.requireNonNull(limitsCpu, "limitsCpu");
        Objects.requireNonNull(limitsMemory, "limitsMemory");
    }
}

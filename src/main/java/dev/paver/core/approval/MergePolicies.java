package dev.paver.core.approval;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code paver.merge.policies}: for which golden paths, environments and (optionally) domains Paver may merge its own
 * pull request once the conventions gate passed and the pull request's checks are green, instead of waiting for a
 * person. None by default: every pull request waits for a person. Never for the production environment of the
 * conventions: production keeps four eyes (a second person's approval), so a policy naming it is refused here, and
 * {@link #allows} never matches it whatever the list says.
 *
 * @param policies             in the order configured
 * @param productionEnvironment the conventions' production environment, e.g. {@code prod}
 */
public record MergePolicies(List<Policy> policies, String productionEnvironment) {

    /**
     * One policy.
     *
     * @param goldenPath   a golden path id, e.g. {@code create-service}
     * @param environments the environments whose pull requests it merges, e.g. {@code [dev, staging]}; not empty
     * @param domains      the domains it is limited to; empty: every domain
     */
    public record Policy(String goldenPath, List<String> environments, List<String> domains) {
        public Policy {
            Objects.requireNonNull(goldenPath, "goldenPath");
            environments = environments == null ? List.of() : List.copyOf(environments);
            domains = domains == null ? List.of() : List.copyOf(domains);
        }

        /** "create-service in dev, staging" or "create-service in dev for payments". */
        public String describe() {
            return goldenPath + " in " + String.join(", ", environments)
                    + (domains.isEmpty() ? "" : " for " + String.join(", ", domains));
        }
    }

    /**
     * @throws IllegalArgumentException naming the policy (by its index) and what is wrong: no golden path, no
     *                                  environment, or the production environment listed (production keeps four eyes)
     */
    public MergePolicies {
        policies = policies == null ? List.of() : List.copyOf(policies);
        Objects.requireNonNull(productionEnvironment, "productionEnvironment");
        for (int i = 0; i < policies.size(); i++) {
            Policy p = policies.get(i);
            if (p.goldenPath().isBlank()) {
                throw new IllegalArgumentException("policies[" + i + "].golden-path is missing: name the golden path whose "
                        + "pull requests Paver may merge, e.g. create-service");
            }
            if (p.environments().isEmpty()) {
                throw new IllegalArgumentException("policies[" + i + "].environments is missing: list the environments whose "
                        + "pull requests Paver may merge, e.g. [dev, staging]");
            }
            if (p.environments().contains(productionEnvironment)) {
                throw new IllegalArgumentException("policies[" + i + "].environments names " + productionEnvironment
                        + ", the production environment: Paver never merges a production pull request by policy, "
                        + "production keeps four eyes (a second person approves). Remove " + productionEnvironment
                        + " from the list");
            }
        }
    }

    /** No policy: every pull request waits for a person. */
    public static MergePolicies none(String productionEnvironment) {
        return new MergePolicies(List.of(), productionEnvironment);
    }

    /**
     * The first policy that lets Paver merge a pull request of {@code goldenPath} for {@code environment} in
     * {@code domain}; empty when none does, when the environment is unknown (blank), or when it is the production
     * environment (never by policy).
     *
     * @param domain the run's domain; blank when the golden path has none (then only policies without domains match)
     */
    public Optional<Policy> allows(String goldenPath, String environment, String domain) {
        if (environment == null || environment.isBlank() || environment.equals(productionEnvironment)) {
            return Optional.empty();
        }
        for (Policy p : policies) {
            if (p.goldenPath().equals(goldenPath) && p.environments().contains(environment)
                    && (p.domains().isEmpty() || (domain != null && p.domains().contains(domain)))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}

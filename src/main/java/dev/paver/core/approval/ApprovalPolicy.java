package dev.paver.core.approval;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who approves what, from configuration ({@code paver.approvals.*}).
 *
 * @param approvers references ({@link Directory}) of each domain's approvers, by domain; {@code "*"} for domains
 *                  not listed. A domain with no approvers cannot approve anything: requests are refused at once
 * @param channels  each domain's approvals channel id, by domain ({@code "*"} for the rest); prompts go there and
 *                  into the run's thread
 * @param required  how many distinct approvers must approve (N of M), at least 1
 * @param timeout   how long a request may wait for a decision before it expires
 * @param mayRun    who may run a golden path, by golden path id, then by domain ({@code "*"} for any domain):
 *                  references; a path with no entry may be run by anyone
 * @param remindBefore how long before a request's expiry its approvers who have not voted get a direct message;
 *                  null for {@link #defaultRemindBefore}
 */
public record ApprovalPolicy(Map<String, List<String>> approvers, Map<String, String> channels, int required,
                             Duration timeout, Map<String, Map<String, List<String>>> mayRun, Duration remindBefore) {

    public ApprovalPolicy {
        approvers = Map.copyOf(approvers);
        channels = Map.copyOf(channels);
        mayRun = Map.copyOf(mayRun);
        if (required < 1) {
            throw new IllegalArgumentException("paver.approvals.required must be at least 1, got " + required);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("paver.approvals.timeout must be positive, got " + timeout);
        }
        if (remindBefore == null) {
            remindBefore = defaultRemindBefore(timeout);
        }
        if (remindBefore.isNegative() || remindBefore.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("paver.approvals.remind-before must be at least 0 and less than "
                    + "paver.approvals.timeout (" + timeout + "), got " + remindBefore);
        }
    }

    /** A policy with the default reminder ({@link #defaultRemindBefore}). */
    public ApprovalPolicy(Map<String, List<String>> approvers, Map<String, String> channels, int required, Duration timeout,
                          Map<String, Map<String, List<String>>> mayRun) {
        this(approvers, channels, required, timeout, mayRun, null);
    }

    /** How long before its expiry a request's approvers are reminded by default: a quarter of the timeout, at most 2 h. */
    public static Duration defaultRemindBefore(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofHours(2)) > 0 ? Duration.ofHours(2) : quarter;
    }

    /** The default approval timeout: a request waits a day. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(24);

    /** The approvers of a domain: its own list, else the {@code "*"} list, else none. */
    public List<String> approversOf(String domain) {
        return approvers.getOrDefault(domain, approvers.getOrDefault("*", List.of()));
    }

    /** The domain's approvals channel, if one is configured. */
    public Optional<String> channelOf(String domain) {
        return Optional.ofNullable(channels.getOrDefault(domain, channels.get("*"))).filter(c -> !c.isBlank());
    }

    /** The references allowed to run the golden path in the domain, or empty when anyone may. */
    public Optional<List<String>> whoMayRun(String goldenPath, String domain) {
        Map<String, List<String>> byDomain = mayRun.get(goldenPath);
        if (byDomain == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byDomain.getOrDefault(domain, byDomain.get("*")));
    }
}

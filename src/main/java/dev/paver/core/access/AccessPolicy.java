package dev.paver.core.access;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The production access roles a person can be elevated to, from configuration ({@code paver.access.*}).
 *
 * @param roles          by name ({@code viewer}, {@code operator})
 * @param remindBefore   how long before expiry the thread reminds the holder, with an Extend button
 */
public record AccessPolicy(Map<String, Role> roles, Duration remindBefore) {

    /** The shortest elevation: five minutes. */
    public static final Duration MIN_DURATION = Duration.ofMinutes(5);

    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,3})h)?(?:(\\d{1,4})m)?");

    public AccessPolicy {
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("paver.access.roles must name at least one role");
        }
    }

    /**
     * A role: the ClusterRole its RoleBinding references and the longest time it may be held.
     *
     * @param name        what people type, e.g. {@code operator}
     * @param clusterRole an existing ClusterRole, e.g. {@code edit}; Paver's own RBAC must allow {@code bind} on it
     * @param max         the longest elevation, e.g. 4 hours
     */
    public record Role(String name, String clusterRole, Duration max) {
    }

    /** viewer (ClusterRole {@code view}, up to 8 h) and operator ({@code edit}, up to 4 h); reminder 10 minutes before. */
    public static AccessPolicy defaults() {
        Map<String, Role> roles = new LinkedHashMap<>();
        roles.put("viewer", new Role("viewer", "view", Duration.ofHours(8)));
        roles.put("operator", new Role("operator", "edit", Duration.ofHours(4)));
        return new AccessPolicy(roles, Duration.ofMinutes(10));
    }

    /** The role, if configured. */
    public Optional<Role> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    /**
     * Parses a duration as people type it: {@code 30m}, {@code 2h}, {@code 1h30m}.
     *
     * @return the duration, or empty when the text is not one
     */
    public static Optional<Duration> parseDuration(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        var m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || m.group(1) == null && m.group(2) == null) {
            return Optional.empty();
        }
        long hours = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
        long minutes = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        return Optional.of(Duration.ofHours(hours).plusMinutes(minutes));
    }
}

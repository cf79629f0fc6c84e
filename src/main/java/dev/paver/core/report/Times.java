package dev.paver.core.report;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times and durations as Paver's messages show them (thread replies, cards, approval prompts, reminders, the App
 * Home and the audit answer): the one place that formats them. Every moment is shown in UTC with the zone named,
 * so it reads the same in a Slack message, in the audit log and in a run's outcome.
 */
public final class Times {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    /**
     * How long something took, has waited or has left, to the second below an hour: {@code 14s}, {@code 2m 05s},
     * {@code 1h 03m} (seconds dropped from an hour on). A negative duration shows as {@code 0s}.
     */
    public static String elapsed(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm %02ds", s / 60, s % 60);
        }
        return String.format("%dh %02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * A span people ask for or the platform configures (an access duration, a role's maximum, an approval timeout,
     * how long Paver retries), written the way people type it in {@code --for} and in the configuration:
     * {@code 45m}, {@code 2h}, {@code 1h30m}. Whole minutes: seconds are dropped, except that a span shorter than
     * a minute shows as seconds ({@code 30s}); a negative span shows as {@code 0s}. What this returns from a
     * minute on is read back by {@code AccessPolicy.parseDuration}.
     */
    public static String duration(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        long h = minutes / 60;
        long m = minutes % 60;
        return h == 0 ? m + "m" : m == 0 ? h + "h" : h + "h" + m + "m";
    }

    /**
     * An HTTP {@code Retry-After} header (RFC 9110, section 10.2.3) as a message shows it: a number of seconds as
     * {@link #elapsed} writes it ({@code 8s}, {@code 1m 00s}); an HTTP date, or anything else, as sent.
     */
    public static String retryAfter(String header) {
        String text = header.strip();
        if (!text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit)) {
            return elapsed(Duration.ofSeconds(Long.parseLong(text)));
        }
        return text;
    }

    /** A moment to the minute, in UTC: {@code 2026-11-21 14:05 UTC}. */
    public static String instant(Instant at) {
        return MINUTE.format(at);
    }

    /** A moment to the second, in UTC, for the lines of the audit log: {@code 2026-11-21 14:05:09 UTC}. */
    public static String logged(Instant at) {
        return SECOND.format(at);
    }
}

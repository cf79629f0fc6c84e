package dev.paver.core.run;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How much of a run's thread a channel gets ({@code paver.notifications.channels.<channel>}). The status card is
 * posted and kept current at every level; what a level holds back is counted for the channel's daily digest
 * ({@link DailyDigest}). Which reply is which kind: {@link NoiseBudget#kind}.
 */
public enum NoiseLevel {
    /** every reply (the default, as before there were levels) */
    ALL("all"),
    /** the milestones and the failures and requests for action; the chatty progress replies are held back */
    MILESTONES("milestones"),
    /** only failures and requests for action (approval prompts, "your pull request waits", a retry) */
    FAILURES("failures"),
    /** no reply at all, but those that carry a button a person must click to go on */
    CARD_ONLY("card-only");

    private final String id;

    NoiseLevel(String id) {
        this.id = id;
    }

    /** The level's name in configuration, e.g. {@code card-only}. */
    public String id() {
        return id;
    }

    /** The names of all levels, in the order above. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(NoiseLevel::id).toList();
    }

    /**
     * The level named {@code value} (case and surrounding blanks ignored).
     *
     * @param key the setting it came from, for the message
     * @throws IllegalArgumentException naming the key, the value and the allowed values when no level has that name
     */
    public static NoiseLevel parse(String key, String value) {
        String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        for (NoiseLevel level : values()) {
            if (level.id.equals(wanted)) {
                return level;
            }
        }
        throw new IllegalArgumentException(key + " is '" + value + "', which is not a notification level; use one of "
                + String.join(", ", ids()));
    }
}

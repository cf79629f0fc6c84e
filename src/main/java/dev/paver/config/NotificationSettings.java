package dev.paver.config;

import dev.paver.core.run.NoiseBudget;
import dev.paver.core.run.NoiseLevel;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code paver.notifications.*} ({@link PaverProperties.Notifications}), failing start-up with an
 * {@link InvalidSettingException} that names the key, the value and what is allowed.
 */
final class NotificationSettings {

    /** A Slack channel id: {@code C}, {@code G} or {@code D} and upper-case letters and digits. */
    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");

    private NotificationSettings() {
    }

    /**
     * The channels' levels. Channel ids are read in upper case (an environment variable's key arrives in lower case).
     *
     * @throws InvalidSettingException when a key is not a channel id or a value not a level
     */
    static NoiseBudget budget(PaverProperties.Notifications settings) {
        Map<String, NoiseLevel> levels = new LinkedHashMap<>();
        settings.channels().forEach((channel, value) -> {
            String id = channel.strip().toUpperCase(Locale.ROOT);
            String key = "paver.notifications.channels." + channel;
            if (!CHANNEL_ID.matcher(id).matches()) {
                throw new InvalidSettingException(key + ": '" + channel + "' is not a Slack channel id; name the channel "
                        + "by its id (C0123ABCD, shown at the bottom of the channel's details), not by its name");
            }
            try {
                levels.put(id, NoiseLevel.parse(key, value));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(e.getMessage());
            }
        });
        return new NoiseBudget(levels);
    }

    /**
     * {@code paver.notifications.digest-at}.
     *
     * @throws InvalidSettingException when it is not a time of day such as {@code 09:00}
     */
    static LocalTime digestAt(PaverProperties.Notifications settings) {
        try {
            return LocalTime.parse(settings.digestAt().strip());
        } catch (DateTimeParseException e) {
            throw new InvalidSettingException("paver.notifications.digest-at is '" + settings.digestAt()
                    + "', which is not a time of day; write it as HH:mm, e.g. 09:00");
        }
    }

    /**
     * {@code paver.notifications.digest-zone}.
     *
     * @throws InvalidSettingException when it is not a time zone id such as {@code Europe/Berlin} or {@code UTC}
     */
    static ZoneId digestZone(PaverProperties.Notifications settings) {
        try {
            return ZoneId.of(settings.digestZone().strip());
        } catch (DateTimeException e) {
            throw new InvalidSettingException("paver.notifications.digest-zone is '" + settings.digestZone()
                    + "', which is not a time zone; use a region id such as Europe/Berlin, or UTC");
        }
    }
}

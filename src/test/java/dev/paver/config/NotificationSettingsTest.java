package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.PaverApplication;
import dev.paver.core.run.NoiseLevel;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** {@code paver.notifications.*}: what is read, and a wrong value stopping the start with the key and what is allowed. */
class NotificationSettingsTest {

    @TempDir
    Path tmp;

    private static PaverProperties.Notifications settings(Map<String, String> channels, String at, String zone) {
        return new PaverProperties.Notifications(channels, at, zone);
    }

    @Test
    void readsChannelIdsInUpperCaseAsAnEnvironmentVariableGivesThemInLowerCase() {
        var budget = NotificationSettings.budget(settings(Map.of("c0busy", "failures", "C0QUIET", "card-only"), "09:00", "UTC"));
        assertThat(budget.level("C0BUSY")).isEqualTo(NoiseLevel.FAILURES);
        assertThat(budget.level("C0QUIET")).isEqualTo(NoiseLevel.CARD_ONLY);
        assertThat(budget.level("C0PAYMENTS")).isEqualTo(NoiseLevel.ALL);
    }

    @Test
    void aChannelNamedByItsNameIsRefused() {
        assertThatThrownBy(() -> NotificationSettings.budget(settings(Map.of("#busy", "failures"), "09:00", "UTC")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("paver.notifications.channels.#busy: '#busy' is not a Slack channel id");
    }

    @Test
    void readsTheDigestTimeAndZoneAndRefusesWhatIsNotOne() {
        assertThat(NotificationSettings.digestAt(settings(Map.of(), "17:30", "UTC"))).isEqualTo(LocalTime.of(17, 30));
        assertThat(NotificationSettings.digestZone(settings(Map.of(), "09:00", "Europe/Berlin"))).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThatThrownBy(() -> NotificationSettings.digestAt(settings(Map.of(), "9am", "UTC")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessage("paver.notifications.digest-at is '9am', which is not a time of day; write it as HH:mm, e.g. 09:00");
        assertThatThrownBy(() -> NotificationSettings.digestZone(settings(Map.of(), "09:00", "Mars/Olympus")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("paver.notifications.digest-zone is 'Mars/Olympus', which is not a time zone");
    }

    @Test
    void anUnknownLevelStopsTheStartNamingTheKeyAndTheAllowedLevels() {
        String[] args = {"--server.port=0", "--server.address=127.0.0.1", "--paver.slack.bot-token=xoxb-test",
                "--paver.slack.signing-secret=secret", "--paver.slack.api-url=http://127.0.0.1:1/api/",
                "--paver.git.local-root=" + tmp.resolve("git"), "--paver.git.work-dir=" + tmp.resolve("git-work"),
                "--spring.datasource.url=jdbc:h2:file:" + tmp.resolve("db/paver"), "--logging.level.root=OFF",
                "--paver.kubernetes.enabled=false", "--paver.notifications.channels.C0BUSY=quiet"};

        assertThatThrownBy(() -> new SpringApplicationBuilder(PaverApplication.class).run(args))
                .rootCause().isInstanceOf(InvalidSettingException.class)
                .hasMessage("paver.notifications.channels.C0BUSY is 'quiet', which is not a notification level; use one of "
                        + "all, milestones, failures, card-only");
    }
}

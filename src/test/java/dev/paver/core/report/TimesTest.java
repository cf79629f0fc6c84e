package dev.paver.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {

    @Test
    void elapsedTimesShowSecondsBelowAnHourAndMinutesAbove() {
        assertThat(Times.elapsed(Duration.ofSeconds(1))).isEqualTo("1s");
        assertThat(Times.elapsed(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Times.elapsed(Duration.ofSeconds(60))).isEqualTo("1m 00s");
        assertThat(Times.elapsed(Duration.ofMinutes(11).plusSeconds(2))).isEqualTo("11m 02s");
        assertThat(Times.elapsed(Duration.ofHours(1).plusMinutes(3).plusSeconds(59))).isEqualTo("1h 03m");
        assertThat(Times.elapsed(Duration.ofHours(26))).isEqualTo("26h 00m");
    }

    @Test
    void aTimeAlreadyPastShowsAsNothingLeft() {
        assertThat(Times.elapsed(Duration.ofSeconds(-90))).isEqualTo("0s");
        assertThat(Times.duration(Duration.ofMinutes(-5))).isEqualTo("0s");
    }

    @Test
    void spansAreWrittenAsPeopleTypeThem() {
        assertThat(Times.duration(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Times.duration(Duration.ofMinutes(45))).isEqualTo("45m");
        assertThat(Times.duration(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Times.duration(Duration.ofHours(24))).isEqualTo("24h");
        assertThat(Times.duration(Duration.ofMinutes(30).plusSeconds(40))).as("seconds dropped").isEqualTo("30m");
        assertThat(Times.duration(Duration.ofSeconds(30))).as("under a minute").isEqualTo("30s");
    }

    @Test
    void retryAfterSecondsReadAsADurationAndADateAsSent() {
        assertThat(Times.retryAfter("8")).isEqualTo("8s");
        assertThat(Times.retryAfter(" 90 ")).isEqualTo("1m 30s");
        assertThat(Times.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo("Wed, 21 Oct 2026 07:28:00 GMT");
        assertThat(Times.retryAfter("99999999999999999999")).as("too long to be seconds").isEqualTo("99999999999999999999");
    }

    @Test
    void momentsAreInUtcWithTheZoneNamed() {
        Instant at = Instant.parse("2026-11-21T14:05:09Z");
        assertThat(Times.instant(at)).isEqualTo("2026-11-21 14:05 UTC");
        assertThat(Times.logged(at)).isEqualTo("2026-11-21 14:05:09 UTC");
        assertThat(Times.instant(Instant.parse("2026-12-31T23:59:59Z"))).as("not rounded into the next year")
                .isEqualTo("2026-12-31 23:59 UTC");
    }
}

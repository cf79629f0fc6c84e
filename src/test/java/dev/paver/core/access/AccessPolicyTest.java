package dev.paver.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.report.Times;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    @Test
    void readsDurationsAsPeopleTypeThem() {
        assertThat(AccessPolicy.parseDuration("2h")).contains(Duration.ofHours(2));
        assertThat(AccessPolicy.parseDuration("30m")).contains(Duration.ofMinutes(30));
        assertThat(AccessPolicy.parseDuration("1h30m")).contains(Duration.ofMinutes(90));
        assertThat(AccessPolicy.parseDuration(" 2H ")).contains(Duration.ofHours(2));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[] {"", "soon", "2", "h", "2d", "-1h", "1h-30m", "30m1h", "1.5h", "9999h"}) {
            assertThat(AccessPolicy.parseDuration(text)).as(text).isEmpty();
        }
    }

    @Test
    void readsBackWhatMessagesWrite() {
        for (Duration d : new Duration[] {Duration.ofMinutes(90), Duration.ofHours(4), Duration.ofMinutes(45),
                AccessPolicy.MIN_DURATION, Duration.ofHours(24)}) {
            assertThat(AccessPolicy.parseDuration(Times.duration(d))).as(Times.duration(d)).contains(d);
        }
    }

    @Test
    void defaultRolesAreViewerAndOperatorOnTheBuiltInClusterRoles() {
        AccessPolicy defaults = AccessPolicy.defaults();
        assertThat(defaults.role("viewer")).hasValueSatisfying(r -> {
            assertThat(r.clusterRole()).isEqualTo("view");
            assertThat(r.max()).isEqualTo(Duration.ofHours(8));
        });
        assertThat(defaults.role("operator")).hasValueSatisfying(r -> {
            assertThat(r.clusterRole()).isEqualTo("edit");
            assertThat(r.max()).isEqualTo(Duration.ofHours(4));
        });
        assertThat(defaults.role("admin")).isEmpty();
        assertThat(defaults.remindBefore()).isEqualTo(Duration.ofMinutes(10));
    }
}

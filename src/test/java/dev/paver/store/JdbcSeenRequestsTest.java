package dev.paver.store;

import static dev.paver.store.StoreFixtures.atOnce;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Seen Slack signatures on H2: the first arrival wins, a replay is told, and old rows go at the next sweep. */
class JdbcSeenRequestsTest {

    private static final Instant T0 = Instant.parse("2026-03-04T09:15:00.123Z");
    private static final String SIG = "v0=" + "a1".repeat(32);
    private static final String OTHER = "v0=" + "b2".repeat(32);

    private JdbcSeenRequests seen;

    @BeforeEach
    void migrateAFreshDatabase() {
        seen = new JdbcSeenRequests(new JdbcTemplate(StoreFixtures.h2()), Duration.ofMinutes(1));
    }

    @Test
    void theFirstArrivalIsNewAndTheSecondIsAReplay() {
        assertThat(seen.firstTime(SIG, T0, T0.plusSeconds(360))).isTrue();
        assertThat(seen.firstTime(SIG, T0.plusSeconds(5), T0.plusSeconds(365))).isFalse();
        assertThat(seen.firstTime(OTHER, T0.plusSeconds(5), T0.plusSeconds(365))).isTrue();
        assertThat(seen.count()).isEqualTo(2);
    }

    @Test
    void oneOfTwoSimultaneousArrivalsWins() throws Exception {
        assertThat(atOnce(() -> seen.firstTime(SIG, T0, T0.plusSeconds(360)), () -> seen.firstTime(SIG, T0, T0.plusSeconds(360))))
                .containsExactlyInAnyOrder(true, false);
    }

    @Test
    void aBurstSharesCommitsAndStillTellsEachReplay() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                String signature = "v0=" + String.format("%064x", i % 24); // each signature twice
                answers.add(threads.submit(() -> seen.firstTime(signature, T0, T0.plusSeconds(360))));
            }
            int first = 0;
            for (Future<Boolean> answer : answers) {
                first += answer.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(first).as("each of the 24 signatures is new once, a replay once").isEqualTo(24);
            assertThat(seen.count()).isEqualTo(24);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void rowsPastTheirTimeAreDeletedByTheFirstCallAfterTheSweepInterval() {
        seen.firstTime(SIG, T0, T0.plusSeconds(40));
        seen.firstTime(OTHER, T0.plusSeconds(30), T0.plusSeconds(100));
        assertThat(seen.firstTime(SIG, T0.plusSeconds(50), T0.plusSeconds(90))).as("past its time, not swept yet").isFalse();

        seen.firstTime("v0=" + "c3".repeat(32), T0.plusSeconds(60), T0.plusSeconds(400));

        assertThat(seen.count()).as("swept a minute after the first sweep").isEqualTo(2);
        assertThat(seen.firstTime(SIG, T0.plusSeconds(61), T0.plusSeconds(401))).as("forgotten").isTrue();
        assertThat(seen.firstTime(OTHER, T0.plusSeconds(61), T0.plusSeconds(401))).as("kept until T0+100 s").isFalse();
    }
}

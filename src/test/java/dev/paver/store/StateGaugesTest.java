package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.approval.ApprovalState;
import dev.paver.core.run.RunState;
import dev.paver.metrics.StateGauges;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link StateGauges} read from the JDBC stores, as a scrape reads them. */
class StateGaugesTest {

    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    private final JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
    private final JdbcApprovalStore approvals = new JdbcApprovalStore(jdbc);
    private final JdbcGrantStore grants = new JdbcGrantStore(jdbc);
    private final JdbcRunStore runs = new JdbcRunStore(jdbc, "replica-1");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    StateGaugesTest() {
        new StateGauges(approvals, grants, runs, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10)).bindTo(registry);
    }

    @Test
    void countsPendingApprovalsAndActiveElevationsAndTheOnesPastTheirExpiryForLong() {
        approvals.insertIfAbsent(StoreFixtures.approval("r1", "approval", NOW.minusSeconds(600), 1));
        approvals.insertIfAbsent(StoreFixtures.approval("r2", "approval", NOW.minusSeconds(60), 1));
        approvals.decide(approvals.forRun("r2").get(0).id(), ApprovalState.APPROVED, "U0OMAR", NOW, "");
        grants.insertIfAbsent(StoreFixtures.grant("r3", NOW.minusSeconds(3600), NOW.plusSeconds(600)));
        grants.insertIfAbsent(StoreFixtures.grant("r4", NOW.minusSeconds(7200), NOW.minusSeconds(60)));
        grants.insertIfAbsent(StoreFixtures.grant("r5", NOW.minusSeconds(7200), NOW.minus(Duration.ofMinutes(30))));

        assertThat(gauge(StateGauges.APPROVALS_WAITING)).isEqualTo(1);
        assertThat(gauge(StateGauges.ELEVATIONS_ACTIVE)).isEqualTo(3);
        assertThat(gauge(StateGauges.ELEVATIONS_OVERDUE)).as("expired more than 10 minutes ago").isEqualTo(1);

        grants.revoked("r5", NOW);
        assertThat(gauge(StateGauges.ELEVATIONS_OVERDUE)).isZero();
    }

    @Test
    void countsRunsNotStartedOrPastTheirTimerForLongerThanStuckAfter() {
        runs.insert(StoreFixtures.run("r1", "U0DANA", NOW.minus(Duration.ofMinutes(11)), RunState.RECEIVED, null));
        runs.insert(StoreFixtures.run("r2", "U0DANA", NOW.minus(Duration.ofMinutes(2)), RunState.RECEIVED, null));
        runs.insert(StoreFixtures.run("r3", "U0DANA", NOW.minus(Duration.ofHours(1)), RunState.WAITING,
                NOW.minus(Duration.ofMinutes(20))));
        runs.insert(StoreFixtures.run("r4", "U0DANA", NOW.minus(Duration.ofHours(1)), RunState.WAITING,
                NOW.minus(Duration.ofMinutes(1))));
        runs.insert(StoreFixtures.run("r5", "U0DANA", NOW.minus(Duration.ofHours(1)), RunState.WAITING, NOW.plusSeconds(60)));

        assertThat(gauge(StateGauges.RUNS_STUCK)).as("r1 not started, r3's timer due 20 minutes ago").isEqualTo(2);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}

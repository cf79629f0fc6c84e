package dev.paver.metrics;

import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.run.RunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What is stored now, read from the database when Prometheus scrapes (a few small queries per scrape, never on a
 * request's path). Every replica reports the same figures, the shared database's: aggregate them with {@code max}.
 * <ul>
 *   <li>{@value #APPROVALS_WAITING}: approval requests pending;</li>
 *   <li>{@value #ELEVATIONS_ACTIVE}: elevations whose RoleBinding exists (as Paver knows it);</li>
 *   <li>{@value #ELEVATIONS_OVERDUE}: of those, the ones whose expiry passed more than {@code stuckAfter} ago: their
 *       revocation keeps failing;</li>
 *   <li>{@value #RUNS_STUCK}: runs acknowledged but not started, or waiting for a timer that was due, for more than
 *       {@code stuckAfter}: nothing moves them.</li>
 * </ul>
 * A query that fails (the database is down) makes the gauge's value NaN for that scrape.
 */
public final class StateGauges implements MeterBinder {

    public static final String APPROVALS_WAITING = "paver.approvals.waiting";
    public static final String ELEVATIONS_ACTIVE = "paver.elevations.active";
    public static final String ELEVATIONS_OVERDUE = "paver.elevations.overdue";
    public static final String RUNS_STUCK = "paver.runs.stuck";

    private final ApprovalStore approvals;
    private final GrantStore grants;
    private final RunStore runs;
    private final Clock clock;
    private final Duration stuckAfter;

    /** @param stuckAfter how long a run or an expired elevation may stand still before it counts as stuck */
    public StateGauges(ApprovalStore approvals, GrantStore grants, RunStore runs, Clock clock, Duration stuckAfter) {
        this.approvals = approvals;
        this.grants = grants;
        this.runs = runs;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(APPROVALS_WAITING, () -> approvals.pending().size())
                .description("Approval requests waiting for a decision").register(registry);
        Gauge.builder(ELEVATIONS_ACTIVE, () -> grants.active().size())
                .description("Production access elevations whose RoleBinding exists").register(registry);
        Gauge.builder(ELEVATIONS_OVERDUE, this::overdue)
                .description("Elevations still active longer than paver.metrics.stuck-after after their expiry").register(registry);
        Gauge.builder(RUNS_STUCK, this::stuck)
                .description("Runs not started, or past their timer, for longer than paver.metrics.stuck-after").register(registry);
    }

    private long overdue() {
        Instant before = clock.instant().minus(stuckAfter);
        return grants.active().stream().map(Grant::expiresAt).filter(at -> at.isBefore(before)).count();
    }

    private long stuck() {
        Instant before = clock.instant().minus(stuckAfter);
        return runs.received(before).size() + runs.due(before).size();
    }
}

package dev.paver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

    private static final Instant REQUESTED = Instant.parse("2026-11-20T09:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunMetrics metrics = new RunMetrics(registry);

    @Test
    void everySeriesAGoldenPathCanReachIsThereAtZeroBeforeTheFirstRun() {
        metrics.expect(GoldenPathFixtures.templates());

        assertThat(registry.get(RunMetrics.STARTED).tags("golden.path", "create-service", "origin", "modal").counter().count())
                .isZero();
        assertThat(registry.get(RunMetrics.FINISHED).tags("golden.path", "promote", "origin", "button", "outcome", "expired")
                .counter().count()).isZero();
        assertThat(registry.find("paver.runs.time.to.provisioned").tag("golden.path", "create-resource").timer())
                .as("create-resource waits for Crossplane").isNotNull();
        assertThat(registry.find("paver.runs.time.to.provisioned").tag("golden.path", "create-system").timer())
                .as("create-system provisions nothing").isNull();
        assertThat(registry.get(RunMetrics.DECISION).tags("purpose", "elevate", "decision", "denied").timer().count()).isZero();
    }

    @Test
    void countsRunsByGoldenPathOriginAndOutcome() {
        RunRequest typed = request("create-service", RunRequest.Origin.TYPED);
        metrics.started(typed);
        metrics.started(request("create-service", RunRequest.Origin.MODAL));
        metrics.finished(typed, RunState.FAILED);

        assertThat(registry.get(RunMetrics.STARTED).tags("golden.path", "create-service", "origin", "slash_command")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(RunMetrics.STARTED).tags("origin", "modal").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(RunMetrics.FINISHED).tags("golden.path", "create-service", "outcome", "failed").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void timesEachMilestoneFromTheRequestAndNothingForOtherSteps() {
        Run run = new Run("r1", request("create-service", RunRequest.Origin.TYPED), REQUESTED, RunState.RUNNING,
                List.of(StepRun.pending("publish")), null, null, "", REQUESTED, Set.of());
        metrics.stepDone(run, "fetch:template", REQUESTED.plusSeconds(5));
        metrics.stepDone(run, "publish:github:pull-request", REQUESTED.plusSeconds(90));
        metrics.stepDone(run, "argocd:await-sync", REQUESTED.plus(Duration.ofMinutes(42)));

        Timer pullRequest = registry.get("paver.runs.time.to.pull.request").tag("golden.path", "create-service").timer();
        assertThat(pullRequest.count()).isEqualTo(1);
        assertThat(pullRequest.totalTime(TimeUnit.SECONDS)).isEqualTo(90.0);
        assertThat(registry.get("paver.runs.time.to.deployed").timer().totalTime(TimeUnit.MINUTES)).isEqualTo(42.0);
        assertThat(registry.find("paver.runs.time.to.merge").timer()).as("no merge yet").isNull();
    }

    @Test
    void timesADecisionFromItsRequest() {
        ApprovalRequest request = new ApprovalRequest("a1", "r1", "approval", "promote", "payments", "payments-prod-api",
                "U0DANA", List.of(), "", "", 1, ApprovalState.PENDING, null, null, null, REQUESTED,
                REQUESTED.plus(Duration.ofDays(1)), List.of(), List.of());
        metrics.decided(request, ApprovalState.APPROVED, REQUESTED.plus(Duration.ofMinutes(12)));

        Timer decision = registry.get(RunMetrics.DECISION).tags("purpose", "promote", "decision", "approved").timer();
        assertThat(decision.count()).isEqualTo(1);
        assertThat(decision.totalTime(TimeUnit.MINUTES)).isEqualTo(12.0);
    }

    private static RunRequest request(String path, RunRequest.Origin origin) {
        return new RunRequest(path, Map.of(), Map.of(), "U0DANA", origin, "C0PAYMENTS");
    }
}

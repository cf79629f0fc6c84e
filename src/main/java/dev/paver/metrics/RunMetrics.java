package dev.paver.metrics;

import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.approval.DecisionListener;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunListener;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Runs and approvals as Micrometer meters: the binding of the core's {@link RunListener} and {@link DecisionListener}.
 * Every series a golden path of the catalog can produce is registered at zero when Paver starts ({@link #expect}),
 * so that a rate or an alert over it has a value before the first run.
 * <ul>
 *   <li>{@value #STARTED} (counter; tags {@code golden.path}, {@code origin}: {@code slash_command}, {@code modal},
 *       {@code button}): runs stored, once per run;</li>
 *   <li>{@value #FINISHED} (counter; tags {@code golden.path}, {@code origin}, {@code outcome}: {@code succeeded},
 *       {@code failed}, {@code denied}, {@code expired}): runs ended, refused ones included;</li>
 *   <li>{@code paver.runs.time.to.pull.request}, {@code .merge}, {@code .deployed}, {@code .provisioned} (timers in
 *       seconds with histogram buckets; tag {@code golden.path}): from the request to each pull request opened, each
 *       merge, each Argo CD sync seen healthy, each Crossplane resource seen ready (the steps of
 *       {@link #MILESTONES});</li>
 *   <li>{@value #DECISION} (timer in seconds with buckets; tags {@code purpose}: {@code promote}, {@code elevate},
 *       {@code extend}, and {@code decision}: {@code approved}, {@code denied}, {@code expired}): from an approval
 *       request to its decision.</li>
 * </ul>
 */
public final class RunMetrics implements RunListener, DecisionListener {

    /** Runs stored. */
    public static final String STARTED = "paver.runs.started";
    /** Runs ended. */
    public static final String FINISHED = "paver.runs.finished";
    /** From an approval request to its decision. */
    public static final String DECISION = "paver.approvals.time.to.decision";

    /** The actions whose end is a milestone people wait for, and the timer of each. */
    public static final Map<String, String> MILESTONES = Map.of(
            "publish:github:pull-request", "paver.runs.time.to.pull.request",
            "paver:await-merge", "paver.runs.time.to.merge",
            "argocd:await-sync", "paver.runs.time.to.deployed",
            "crossplane:await-ready", "paver.runs.time.to.provisioned");

    /** The purposes of approval requests (Approvals.Ask). */
    static final List<String> PURPOSES = List.of("promote", "elevate", "extend");

    /** Buckets of the times from a request to a milestone: from half a minute (a pull request) to a week (a merge). */
    private static final Duration[] MILESTONE_BUCKETS = {seconds(30), minutes(1), minutes(2), minutes(5),
        minutes(10), minutes(30), hours(1), hours(2), hours(4), hours(8), days(1), days(2), days(7)};
    /** Buckets of the times to an approval decision: from a minute to a week. */
    private static final Duration[] DECISION_BUCKETS = {minutes(1), minutes(5), minutes(15), minutes(30), hours(1),
        hours(2), hours(4), hours(8), days(1), days(2), days(7)};

    private final MeterRegistry registry;

    /** Approval decisions' series are registered at zero here; runs' by {@link #expect}. */
    public RunMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String purpose : PURPOSES) {
            for (ApprovalState decision : Set.of(ApprovalState.APPROVED, ApprovalState.DENIED, ApprovalState.EXPIRED)) {
                decision(purpose, decision);
            }
        }
    }

    /** Registers, at zero, the series that the golden paths of {@code catalog} can produce. */
    public void expect(GoldenPathCatalog catalog) {
        for (GoldenPath path : catalog.all()) {
            for (RunRequest.Origin origin : RunRequest.Origin.values()) {
                started(path.id(), origin);
                for (RunState ending : Set.of(RunState.SUCCEEDED, RunState.FAILED, RunState.DENIED, RunState.EXPIRED,
                        RunState.ABANDONED, RunState.CANCELLED)) {
                    finished(path.id(), origin, ending);
                }
            }
            for (StepSpec step : path.steps()) {
                String timer = MILESTONES.get(step.action());
                if (timer != null) {
                    milestone(timer, path.id());
                }
            }
        }
    }

    @Override
    public void started(RunRequest request) {
        started(request.goldenPath(), request.origin()).increment();
    }

    @Override
    public void finished(RunRequest request, RunState ending) {
        finished(request.goldenPath(), request.origin(), ending).increment();
    }

    @Override
    public void stepDone(Run run, String action, Instant doneAt) {
        String timer = MILESTONES.get(action);
        if (timer != null) {
            Duration since = Duration.between(run.createdAt(), doneAt);
            milestone(timer, run.request().goldenPath()).record(since.isNegative() ? Duration.ZERO : since);
        }
    }

    @Override
    public void decided(ApprovalRequest request, ApprovalState decision, Instant at) {
        Duration since = Duration.between(request.createdAt(), at);
        decision(request.purpose(), decision).record(since.isNegative() ? Duration.ZERO : since);
    }

    /** The tag value of an origin: {@code slash_command}, {@code modal}, {@code button}. */
    static String origin(RunRequest.Origin origin) {
        return origin == RunRequest.Origin.TYPED ? "slash_command" : origin.name().toLowerCase(Locale.ROOT);
    }

    private Counter started(String path, RunRequest.Origin origin) {
        return Counter.builder(STARTED).description("Runs stored, by golden path and how they were asked for")
                .tag("golden.path", path).tag("origin", origin(origin)).register(registry);
    }

    private Counter finished(String path, RunRequest.Origin origin, RunState ending) {
        return Counter.builder(FINISHED).description("Runs ended, by golden path, origin and outcome")
                .tag("golden.path", path).tag("origin", origin(origin))
                .tag("outcome", ending.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    private Timer milestone(String name, String path) {
        return Timer.builder(name).description("From the request to this milestone of a run")
                .tag("golden.path", path).serviceLevelObjectives(MILESTONE_BUCKETS)
                .minimumExpectedValue(MILESTONE_BUCKETS[0]).maximumExpectedValue(MILESTONE_BUCKETS[MILESTONE_BUCKETS.length - 1])
                .register(registry);
    }

    private Timer decision(String purpose, ApprovalState decision) {
        return Timer.builder(DECISION).description("From an approval request to its decision")
                .tag("purpose", purpose).tag("decision", decision.name().toLowerCase(Locale.ROOT))
                .serviceLevelObjectives(DECISION_BUCKETS)
                .minimumExpectedValue(DECISION_BUCKETS[0]).maximumExpectedValue(DECISION_BUCKETS[DECISION_BUCKETS.length - 1])
                .register(registry);
    }

    private static Duration seconds(long n) {
        return Duration.ofSeconds(n);
    }

    private static Duration minutes(long n) {
        return Duration.ofMinutes(n);
    }

    private static Duration hours(long n) {
        return Duration.ofHours(n);
    }

    private static Duration days(long n) {
        return Duration.ofDays(n);
    }
}

package dev.paver.demo;

import dev.paver.core.run.Run;
import dev.paver.core.run.StepRun;
import java.time.Duration;
import java.util.Set;

/**
 * Splits a run's time into Paver's own work (rendering, checking, git, Slack) and waiting for the outside world
 * (a person merging, Argo CD syncing, Crossplane provisioning), from the steps' recorded start and end times.
 */
final class RunTimes {

    /** Steps whose time is spent waiting for people, Argo CD or Crossplane. */
    private static final Set<String> WAITING = Set.of("await-merge", "await-sync", "await-ready");

    private RunTimes() {
    }

    static String describe(Run run) {
        long own = 0;
        long waiting = 0;
        StringBuilder steps = new StringBuilder();
        for (StepRun step : run.steps()) {
            if (step.startedAt() == null || step.finishedAt() == null) {
                continue;
            }
            long ms = Duration.between(step.startedAt(), step.finishedAt()).toMillis();
            if (WAITING.contains(step.stepId())) {
                waiting += ms;
            } else {
                own += ms;
            }
            steps.append(String.format("%n    %-16s %6d ms%s", step.stepId(), ms, WAITING.contains(step.stepId()) ? "  (waiting)" : ""));
        }
        long total = run.updatedAt() == null ? 0 : Duration.between(run.createdAt(), run.updatedAt()).toMillis();
        return String.format("Run %s (%s): %d ms from request to %s; Paver's own work %d ms, waiting for people, Argo CD and Crossplane %d ms.%s",
                run.id(), run.request().goldenPath(), total, run.state().name().toLowerCase(java.util.Locale.ROOT), own, waiting, steps);
    }
}

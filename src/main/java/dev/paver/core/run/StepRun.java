package dev.paver.core.run;

import java.time.Instant;
import java.util.Map;

/**
 * The persisted state of one template step in one run.
 *
 * @param stepId     the template step id
 * @param status     where it is
 * @param output     the action's output (Backstage: {@code steps.<id>.output}); empty until done
 * @param detail     a short line for the card: PR number, revision, what it waits for
 * @param startedAt  when it first ran, or null
 * @param finishedAt when it ended, or null
 * @param retryingSince when its action first failed on broken infrastructure in the current series of attempts,
 *                      or null
 */
public record StepRun(String stepId, StepStatus status, Map<String, Object> output, String detail,
                      Instant startedAt, Instant finishedAt, Instant retryingSince) {
    public StepRun {
        output = output == null ? Map.of() : Map.copyOf(output);
        detail = detail == null ? "" : detail;
    }

    /** A step that has not run yet. */
    public static StepRun pending(String stepId) {
        return new StepRun(stepId, StepStatus.PENDING, Map.of(), "", null, null, null);
    }

    /**
     * This step in a new state.
     *
     * @param began when the current execution began; kept as {@code startedAt} unless the step started earlier
     * @param now   when the new state was reached
     */
    StepRun with(StepStatus newStatus, Map<String, Object> newOutput, String newDetail, Instant began, Instant now) {
        Instant started = startedAt == null ? began : startedAt;
        Instant finished = newStatus == StepStatus.DONE || newStatus == StepStatus.FAILED || newStatus == StepStatus.SKIPPED
                ? now : null;
        return new StepRun(stepId, newStatus, newOutput, newDetail, started, finished, null);
    }

    /** This step, unchanged but for a detail saying why it will be tried again, and since when. */
    StepRun retrying(String newDetail, Instant now) {
        return new StepRun(stepId, status, output, newDetail, startedAt == null ? now : startedAt, null,
                retryingSince == null ? now : retryingSince);
    }
}

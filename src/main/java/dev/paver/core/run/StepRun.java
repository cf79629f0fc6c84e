package dev.paver.core.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The persisted state of one template step in one run.
 *
 * @param stepId     the template step id
 * @param status     where it is
 * @param output     the action's output (Backstage: {@code steps.<id>.output}) once done; while waiting, what the
 *                   action kept for its next pass ({@link ActionResult.Waiting#state()})
 * @param detail     a short line for the card: PR number, revision, what it waits for
 * @param startedAt  when it first ran, or null
 * @param finishedAt when it ended, or null
 * @param retryingSince when its action first failed on broken infrastructure in the current series of attempts,
 *                      or null
 * @param milestones the milestones the step's action gave when it was done, stored with the step before any is
 *                   posted, so that a process killed between the two posts them after the restart instead of
 *                   doing the step again; which were posted is the run's {@link Run#posted()} set. Empty for a
 *                   step that is not done.
 */
public record StepRun(String stepId, StepStatus status, Map<String, Object> output, String detail,
                      Instant startedAt, Instant finishedAt, Instant retryingSince, List<Milestone> milestones) {
    public StepRun {
        output = output == null ? Map.of() : Map.copyOf(output);
        detail = detail == null ? "" : detail;
        milestones = milestones == null ? List.of() : List.copyOf(milestones);
    }

    /** A step without milestones to post. */
    public StepRun(String stepId, StepStatus status, Map<String, Object> output, String detail,
                   Instant startedAt, Instant finishedAt, Instant retryingSince) {
        this(stepId, status, output, detail, startedAt, finishedAt, retryingSince, List.of());
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
        return new StepRun(stepId, newStatus, newOutput, newDetail, started, finished, null, List.of());
    }

    /** This step done, with its output and the milestones it still has to post. */
    StepRun done(Map<String, Object> newOutput, String newDetail, List<Milestone> toPost, Instant began, Instant now) {
        return new StepRun(stepId, StepStatus.DONE, newOutput, newDetail, startedAt == null ? began : startedAt, now,
                null, toPost);
    }

    /**
     * This step, unchanged but for a detail saying what it waits for (a host's rate limit): not a failure, so
     * {@code retryingSince} is kept as it was.
     */
    StepRun holding(String newDetail, Instant now) {
        return new StepRun(stepId, status, output, newDetail, startedAt == null ? now : startedAt, null, retryingSince,
                milestones);
    }

    /** This step, unchanged but for a detail saying why it will be tried again, and since when. */
    StepRun retrying(String newDetail, Instant now) {
        return new StepRun(stepId, status, output, newDetail, startedAt == null ? now : startedAt, null,
                retryingSince == null ? now : retryingSince, milestones);
    }
}

package dev.paver.core.action;

import java.util.List;
import java.util.Map;

/**
 * Port to a Backstage Scaffolder that runs golden paths as its tasks (Backstage as the engine): starts a task of a
 * Template and tells, without waiting long, what happened to it since the last event read.
 */
public interface ScaffolderPort {

    /**
     * Starts a task of the Template with the form's values ({@code POST /api/scaffolder/v2/tasks}).
     *
     * @param templateRef the Template's entity reference, {@code template:<namespace>/<name>}
     * @param values      the parameters, as Backstage's form sends them
     * @return the task's id
     * @throws Refused          when Backstage refuses the task (values against the Template's schema, an unknown
     *                          Template): trying again cannot help
     * @throws RuntimeException when Backstage cannot be reached: broken infrastructure, tried again
     */
    String start(String templateRef, Map<String, Object> values);

    /**
     * What the task's events say after the event {@code after} (0: from its start). Waits at most a few seconds: a
     * task with nothing new answers with no step and {@code after} unchanged.
     *
     * @throws RuntimeException when Backstage cannot be reached or no longer knows the task
     */
    Progress progress(String taskId, long after);

    /**
     * Cancels the task ({@code POST /api/scaffolder/v2/tasks/{id}/cancel}): Backstage stops it before its next step; a
     * task that has ended stays as it ended.
     *
     * @throws RuntimeException when Backstage cannot be reached or refuses
     */
    void cancel(String taskId);

    /**
     * A step of the task whose status changed.
     *
     * @param id     the Template step's id
     * @param name   its name, or its id when the task does not say
     * @param status {@code processing}, {@code completed}, {@code failed} or {@code skipped}
     */
    record Step(String id, String name, String status) {
    }

    /**
     * What the events after the one asked for say.
     *
     * @param after   the last event's id: ask for the events after it next time
     * @param steps   the steps whose status changed, each with its last status, in the order they started
     * @param ended   whether the task has ended (completed, failed or cancelled)
     * @param failed  whether it ended other than completed
     * @param failure when it failed: Backstage's error, or the failed step's last log line; else ""
     * @param output  when it completed: the task's output ({@code links}, {@code text} and the Template's own keys);
     *                else empty
     */
    record Progress(long after, List<Step> steps, boolean ended, boolean failed, String failure,
                    Map<String, Object> output) {
        public Progress {
            steps = List.copyOf(steps);
            failure = failure == null ? "" : failure;
            output = output == null ? Map.of() : output;
        }
    }

    /** Backstage refused what was asked; the message says what and why, in Backstage's words. */
    final class Refused extends RuntimeException {
        /** @param message what was refused and why */
        public Refused(String message) {
            super(message);
        }
    }
}

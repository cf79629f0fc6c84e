package dev.paver.backstage;

import dev.paver.core.action.ScaffolderPort;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link ScaffolderPort} of a Backstage backend: tasks started with {@code POST /api/scaffolder/v2/tasks}, their
 * events read with a short wait instead of Backstage's 30 s long poll (a run worker is not held), folded by
 * {@link ScaffolderTasks.Progress}; step names from the task's spec.
 */
final class BackstageScaffolder implements ScaffolderPort {

    /** How long one read of a task's events may wait for a new one. */
    static final Duration EVENTS_WAIT = Duration.ofSeconds(2);

    private final ScaffolderTasks tasks;

    BackstageScaffolder(ScaffolderTasks tasks) {
        this.tasks = tasks;
    }

    /**
     * {@inheritDoc}
     *
     * @throws Refused when Backstage answers 400 (the values against the Template's schema, each error named), 404 (no
     *                 such Template) or 422
     */
    @Override
    public String start(String templateRef, Map<String, Object> values) {
        try {
            return tasks.start(templateRef, values);
        } catch (BackstageApi.Refusal e) {
            if (e.status() == 400 || e.status() == 404 || e.status() == 422) {
                throw new Refused("Backstage refused to run " + templateRef + ": " + e.getMessage());
            }
            throw e;
        }
    }

    @Override
    public void cancel(String taskId) {
        tasks.cancel(taskId);
    }

    @Override
    public Progress progress(String taskId, long after) {
        ScaffolderTasks.Progress fold = new ScaffolderTasks.Progress();
        fold.take(tasks.events(taskId, after, EVENTS_WAIT));
        if (fold.failed() && !fold.steps().isEmpty() && fold.failure().startsWith("Run completed")) {
            // no error and the failed step's log lines came before these events: read the task's whole log
            ScaffolderTasks.Progress whole = new ScaffolderTasks.Progress();
            whole.take(tasks.events(taskId, 0, EVENTS_WAIT));
            fold = whole.ended() ? whole : fold;
        }
        List<Step> steps = new ArrayList<>();
        if (!fold.steps().isEmpty()) {
            Map<String, String> names = tasks.stepNames(taskId);
            fold.steps().forEach((id, status) -> steps.add(new Step(id, names.getOrDefault(id, id), status)));
        }
        return new Progress(Math.max(after, fold.after()), steps, fold.ended(), fold.failed(), fold.failure(),
                fold.output());
    }
}

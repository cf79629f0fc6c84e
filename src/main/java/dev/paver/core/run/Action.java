package dev.paver.core.run;

import java.util.List;

/**
 * A step's behaviour, registered by id in the {@link ActionRegistry}. Standard Backstage ids
 * ({@code fetch:template}, {@code publish:github:pull-request}, {@code github:repo:create}) keep their
 * Backstage meaning and inputs; Paver's long-running steps use {@code paver:}, {@code argocd:} and
 * {@code crossplane:} ids.
 *
 * <p>An action may be executed again for the same step: after a restart, and each time a waiting run is woken.
 * It must therefore be idempotent, keyed by {@link ActionContext#runId()} and step id.
 */
public interface Action {

    /** The id templates use in {@code action:}. */
    String id();

    /**
     * True when the action only computes (renders, checks) and has no side effect: when a later step of a resumed
     * run {@linkplain #usesWorkspace() uses the workspace}, it is executed again to rebuild it.
     */
    default boolean pure() {
        return false;
    }

    /**
     * True when the action reads files that earlier steps rendered into the workspace; the engine then rebuilds
     * the workspace (by executing the done pure steps again) before executing it in a later pass.
     */
    default boolean usesWorkspace() {
        return false;
    }

    /**
     * Does the step's work or checks whether what it waits for happened.
     *
     * @throws RuntimeException only for broken infrastructure; the engine fails the step with the message
     */
    ActionResult execute(ActionContext context);

    /**
     * What this step undoes when its run is cancelled while it waits ({@link RunEngine#cancel}): the engine asks every
     * step that is done or waiting, the last first, and runs what they return. The default is nothing: a step that only
     * renders, checks or waits changes nothing outside Paver. Must not do I/O itself: the returned
     * {@link Compensation}s do it.
     *
     * @param cancel who cancels which run
     * @param step   the step as stored: its status and output ({@code DONE} or {@code WAITING})
     */
    default List<Compensation> undo(Compensation.Cancel cancel, StepRun step) {
        return List.of();
    }
}

package dev.paver.core.run;

import java.time.Instant;

/**
 * Hears what happens to runs, for what operators watch (metrics), what people see (App Home) and the audit log. The
 * {@link RunEngine} calls it once per change, after the change is stored, on the thread that made it: a request's
 * thread for {@link #started} (before Slack's acknowledgement), a run worker for the others. An implementation must be
 * quick (no network call; one database insert at most, like the engine's own writes) and must not throw; an exception
 * is logged and otherwise ignored.
 */
public interface RunListener {

    /** Hears nothing. */
    RunListener NONE = new RunListener() {
    };

    /** A new run was stored: acknowledged and about to start, or started at once. Once per run. */
    default void started(RunRequest request) {
    }

    /**
     * A run ended in {@code ending} (SUCCEEDED, FAILED, DENIED, EXPIRED, ABANDONED or CANCELLED), also one refused before it started (who
     * may not run it, an intake that failed). Once per run on the replica that ended it.
     */
    default void finished(RunRequest request, RunState ending) {
    }

    /**
     * The same end as {@link #finished}, with what the audit log keeps of it: the run's id, its outcome (why it ended,
     * possibly empty) and when.
     */
    default void ended(String runId, RunRequest request, RunState ending, String outcome, Instant at) {
    }

    /**
     * {@code by} cancelled {@code run} ({@link RunEngine#cancel}), stored as {@link RunState#CANCELLED} at {@code at}:
     * after {@link #ended}, which says the same without who. Once per run.
     */
    default void cancelled(Run run, String by, Instant at) {
    }

    /**
     * A step of {@code run} was done: the action with id {@code action} (e.g. {@code publish:github:pull-request},
     * {@code argocd:await-sync}) at {@code doneAt}, which {@link Run#createdAt()} turns into the time since the
     * request. Once per step (a step of a template's {@code each} once, for all its items).
     */
    default void stepDone(Run run, String action, Instant doneAt) {
    }
}

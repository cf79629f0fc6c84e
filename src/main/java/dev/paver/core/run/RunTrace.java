package dev.paver.core.run;

/**
 * Marks the stretch of work that the {@link RunEngine} does for one run (a pass over it with the actions its steps
 * execute, a card edit), on the thread that does it, so that an adapter can tag everything logged meanwhile with the
 * run's id, golden path and requester (SLF4J's MDC in Paver). An implementation must be quick, must not throw, and
 * must undo what it did when the returned scope is closed, on the same thread.
 */
public interface RunTrace {

    /** Tags nothing. */
    RunTrace NONE = (runId, request) -> () -> {
    };

    /**
     * Called on the worker thread as the engine starts working on a run.
     *
     * @param runId   the run's id
     * @param request what the run was asked for: its golden path and requester
     * @return closed, on the same thread, when that work ends
     */
    Scope enter(String runId, RunRequest request);

    /** The end of a stretch of work on a run; closing it never throws. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

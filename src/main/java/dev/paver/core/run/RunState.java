package dev.paver.core.run;

/** Where a run is. SUCCEEDED and FAILED are final. */
public enum RunState {
    RUNNING, WAITING, SUCCEEDED, FAILED;

    /** True for SUCCEEDED and FAILED: nothing more happens. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}

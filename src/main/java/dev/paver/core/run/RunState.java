package dev.paver.core.run;

/** Where a run is. SUCCEEDED and FAILED are final. */
public enum RunState {
    RUNNING, WAITING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}

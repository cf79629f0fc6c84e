package dev.paver.core.run;

/** Where a run is. SUCCEEDED, FAILED, DENIED and EXPIRED are final. */
public enum RunState {
    RUNNING, WAITING, SUCCEEDED, FAILED,
    /** an approver denied the request (with a reason) */
    DENIED,
    /** nobody decided the approval request in time */
    EXPIRED;

    /** True for the final states: nothing more happens. */
    public boolean finished() {
        return this != RUNNING && this != WAITING;
    }
}

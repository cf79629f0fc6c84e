package dev.paver.core.run;

/** Where a run is. SUCCEEDED, FAILED, DENIED, EXPIRED, ABANDONED and CANCELLED are final. */
public enum RunState {
    /**
     * stored before the request was acknowledged; the intake's checks after the acknowledgement (who may run it,
     * sealing a secret value) start it ({@link Intake#start}), or a restart resumes it ({@link Intake#resumeReceived})
     */
    RECEIVED,
    RUNNING, WAITING, SUCCEEDED, FAILED,
    /** an approver denied the request (with a reason) */
    DENIED,
    /** nobody decided the approval request in time */
    EXPIRED,
    /** nobody merged its pull request in time ({@code paver.runs.abandon-after}); the pull request stays open */
    ABANDONED,
    /**
     * the requester or an approver of its domain cancelled it while it waited ({@link RunEngine#cancel}): its pull
     * requests closed, its branches deleted, its grant revoked
     */
    CANCELLED;

    /** True for the final states: nothing more happens. */
    public boolean finished() {
        return this != RECEIVED && this != RUNNING && this != WAITING;
    }
}

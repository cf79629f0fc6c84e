package dev.paver.core.run;

import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.Approvals;
import java.time.Instant;
import java.util.List;

/**
 * What one person's App Home shows: the requests waiting for their approval, their recent runs, and their active
 * elevations with the time left.
 *
 * @param toApprove  pending requests this user may decide, oldest first
 * @param runs       their most recent runs, newest first
 * @param elevations their active grants, soonest expiry first
 * @param now        when it was built (time left is counted from here)
 */
public record Home(List<ApprovalRequest> toApprove, List<Run> runs, List<Grant> elevations, Instant now) {

    /** How many runs the tab lists. */
    public static final int RUNS = 10;

    /** Builds a user's home from the stores. */
    public static Home of(String userId, Approvals approvals, RunStore runs, GrantStore grants, Instant now) {
        return new Home(approvals.pendingFor(userId), runs.recentBy(userId, RUNS),
                grants.active().stream().filter(g -> g.user().equals(userId)).toList(), now);
    }
}

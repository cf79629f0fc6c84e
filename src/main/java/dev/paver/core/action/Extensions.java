package dev.paver.core.action;

import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.Approvals;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The Extend button of an elevation's reminder: opens an approval request for one more period (the duration first
 * asked for), which the elevation's {@code kubernetes:revoke-access} step applies once approved. Only the holder may
 * ask, once per expiry time; the request expires with the access.
 */
public final class Extensions {

    private final GrantStore grants;
    private final RunStore runs;
    private final Approvals approvals;
    private final AuditLog audit;
    private final Clock clock;

    public Extensions(GrantStore grants, RunStore runs, Approvals approvals, AuditLog audit, Clock clock) {
        this.grants = grants;
        this.runs = runs;
        this.approvals = approvals;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Asks the approvers to extend the run's grant.
     *
     * @param userId the user who clicked, from the signed payload
     * @return what to tell them, privately
     */
    public String request(String runId, String userId) {
        Grant grant = grants.find(runId).orElse(null);
        Run run = runs.find(runId).orElse(null);
        if (grant == null || run == null || grant.state() == Grant.State.REVOKED) {
            return "This access has ended. Ask again with /platform elevate.";
        }
        if (!grant.user().equals(userId)) {
            return "Only " + Message.mention(grant.user()) + " can ask to extend their access. Nothing changed.";
        }
        if (!clock.instant().isBefore(grant.expiresAt())) {
            return "This access has just expired. Ask again with /platform elevate.";
        }
        String key = RevokeAccessAction.extensionKey(grant.expiresAt());
        if (approvals.find(ApprovalRequest.id(runId, key)).isPresent()) {
            return "An extension of this access was asked for already; the approvers decide in the thread.";
        }
        Duration more = RevokeAccessAction.extension(run.request());
        String domain = String.valueOf(run.request().platform().get("domain"));
        approvals.open(new Approvals.Ask(runId, key, RevokeAccessAction.EXTEND_PURPOSE, domain, grant.namespace(), userId,
                "Extend the " + grant.role() + " access of " + Message.mention(userId) + " to " + grant.namespace() + " by "
                        + Times.duration(more),
                List.of(new ApprovalRequest.SummaryLine("Role", grant.role() + " (" + grant.clusterRole() + ")"),
                        new ApprovalRequest.SummaryLine("Ends now at", Times.instant(grant.expiresAt())),
                        new ApprovalRequest.SummaryLine("Would end at", Times.instant(grant.expiresAt().plus(more))),
                        new ApprovalRequest.SummaryLine("Reason", String.valueOf(run.request().parameters().get("reason")))),
                "", "", grant.expiresAt()), run.thread());
        audit.append(new AuditEntry(clock.instant(), userId, "request", grant.namespace(), runId, "BUTTON",
                "extension of " + grant.role() + " by " + Times.duration(more)));
        return "The approvers are asked to extend your access by " + Times.duration(more) + ".";
    }
}

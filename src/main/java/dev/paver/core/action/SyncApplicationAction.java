package dev.paver.core.action;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Message;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code argocd:sync}: starts the sync of an Application that Argo CD does not sync automatically (prod), on behalf
 * of the approver: sets the Application's {@code operation} with {@code sync.revision} and
 * {@code initiatedBy.username} (the approver's cluster identity, else {@code slack:<user id>}), as Argo CD's UI
 * does ({@link DeploymentPort#sync}). Inputs: {@code application}, {@code revision}, {@code initiatedBy} (the
 * approver's user id), {@code subject}. Waits on {@code argocd:<application>} while the Application does not exist
 * yet or another operation runs. With no cluster configured it ends at once and says to sync in Argo CD.
 * Output: {@code application}, {@code revision}, {@code initiatedBy}.
 */
public final class SyncApplicationAction implements Action {

    private final DeploymentPort deployments;
    private final IdentityPort identities;
    private final AuditLog audit;

    public SyncApplicationAction(DeploymentPort deployments, IdentityPort identities, AuditLog audit) {
        this.deployments = deployments;
        this.identities = identities;
        this.audit = audit;
    }

    @Override
    public String id() {
        return "argocd:sync";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String application = ctx.required("application");
        String revision = ctx.required("revision");
        String approver = ctx.required("initiatedBy");
        if (!deployments.enabled()) {
            return new ActionResult.Done(Map.of("application", application, "revision", revision, "initiatedBy", approver),
                    "no cluster: sync it in Argo CD", List.of(Milestone.of("sync-off", "No cluster is configured, so Paver "
                    + "cannot start the sync: sync " + application + " to " + Message.shortSha(revision) + " in Argo CD.")));
        }
        String initiatedBy = identities.clusterIdentity(approver).orElse("slack:" + approver);
        Map<String, String> info = new LinkedHashMap<>();
        info.put("Paver run", ctx.runId());
        info.put("Approved in Slack by", approver);
        boolean started;
        try {
            started = deployments.sync(application, revision, initiatedBy, info);
        } catch (IllegalStateException busy) {
            return new ActionResult.Waiting(AwaitSyncAction.waitKey(application), "waiting to sync " + application + ": "
                    + busy.getMessage(), List.of());
        }
        if (!started) {
            return new ActionResult.Waiting(AwaitSyncAction.waitKey(application), "waiting for Argo CD Application "
                    + application + " to exist", List.of());
        }
        audit.append(new AuditEntry(ctx.clock().instant(), approver, "sync", ctx.required("subject"), ctx.runId(), "PAVER",
                application + " to " + revision + " initiated by " + initiatedBy));
        return new ActionResult.Done(Map.of("application", application, "revision", revision, "initiatedBy", initiatedBy),
                "sync of " + Message.shortSha(revision) + " started",
                List.of(Milestone.of("sync", "Paver started the Argo CD sync of " + application + " to "
                        + Message.shortSha(revision) + " on behalf of " + Message.mention(approver) + ".")));
    }
}

package dev.paver.core.action;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.approval.Approvals;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RunRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kubernetes:revoke-access}: holds an elevation until it expires, then deletes its RoleBinding. A durable
 * timer: the run waits with a wake time (the reminder, then the expiry), so it survives a restart (the next pass picks
 * it up), and the revocation is a conditional update of the stored grant, so it happens once. On each pass:
 * approved extensions ({@link #EXTEND} requests) move the expiry and re-annotate the RoleBinding; {@code remindBefore}
 * the expiry the thread reminds the holder with an Extend button; at the expiry the RoleBinding is deleted and the
 * thread says so. No inputs. Output: {@code revokedAt}.
 */
public final class RevokeAccessAction implements Action {

    /** Action id of the Extend button on the reminder; its value is the run id. */
    public static final String EXTEND = "access-extend";
    /** Purpose of an extension's approval request; its key is {@code extend-<expiry epoch seconds>}. */
    public static final String EXTEND_PURPOSE = "extend";

    private final AccessPort access;
    private final GrantStore grants;
    private final Approvals approvals;
    private final AccessPolicy policy;
    private final AuditLog audit;

    public RevokeAccessAction(AccessPort access, GrantStore grants, Approvals approvals, AccessPolicy policy, AuditLog audit) {
        this.access = access;
        this.grants = grants;
        this.approvals = approvals;
        this.policy = policy;
        this.audit = audit;
    }

    @Override
    public String id() {
        return "kubernetes:revoke-access";
    }

    /** What an elevation's run waits for while its access lasts: woken when someone revokes it early. */
    public static String waitKey(String runId) {
        return "access:" + runId;
    }

    /** The key of the extension request of an expiry. */
    public static String extensionKey(Instant expiresAt) {
        return "extend-" + expiresAt.getEpochSecond();
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Grant grant = grants.find(ctx.runId()).orElse(null);
        if (grant == null) {
            return new ActionResult.Failed("this run has no grant to revoke; nothing was changed.", List.of());
        }
        List<Milestone> milestones = new ArrayList<>();
        Instant now = ctx.clock().instant();
        if (grant.state() == Grant.State.ACTIVE) {
            grant = applyExtensions(ctx, grant, milestones);
        }
        if (grant.state() == Grant.State.ACTIVE && !now.isBefore(grant.expiresAt())) {
            access.unbind(grant.namespace(), grant.binding());
            if (grants.revoked(ctx.runId(), now)) {
                audit.append(new AuditEntry(now, "paver", "revoke", grant.namespace(), ctx.runId(), "PAVER",
                        grant.role() + " of " + grant.user() + " expired; RoleBinding " + grant.binding() + " deleted"));
            }
            grant = grants.find(ctx.runId()).orElseThrow();
        }
        if (grant.state() == Grant.State.REVOKED) {
            Instant at = grant.revokedAt() == null ? now : grant.revokedAt();
            if (at.isBefore(grant.expiresAt())) {
                String by = Revocations.revokedBy(audit, grant).map(Message::mention).orElse("Paver");
                milestones.add(Milestone.of("revoked", "Access ended early: " + by + " revoked the " + grant.role()
                        + " access of " + Message.mention(grant.user()) + " to " + grant.namespace() + " at " + Times.instant(at)
                        + " (it was to end at " + Times.instant(grant.expiresAt()) + ") and Paver deleted the RoleBinding "
                        + grant.binding() + "."));
            } else {
                milestones.add(Milestone.of("revoked", "Access ended: the " + grant.role() + " access of "
                        + Message.mention(grant.user()) + " to " + grant.namespace() + " expired at " + Times.instant(grant.expiresAt())
                        + " and Paver deleted the RoleBinding " + grant.binding() + "."));
            }
            return new ActionResult.Done(Map.of("revokedAt", at.toString()), "revoked at " + Times.instant(at), milestones);
        }
        Instant remindAt = grant.expiresAt().minus(policy.remindBefore());
        if (!now.isBefore(remindAt)) {
            milestones.add(new Milestone("remind-" + grant.expiresAt().getEpochSecond(), Message.mention(grant.user())
                    + ", your " + grant.role() + " access to " + grant.namespace() + " ends at " + Times.instant(grant.expiresAt())
                    + ". Extend asks the approvers again.", List.of(),
                    List.of(new Message.Button("Extend", EXTEND, ctx.runId(), ""))));
        }
        return new ActionResult.Waiting(waitKey(ctx.runId()), "access until " + Times.instant(grant.expiresAt()), milestones,
                now.isBefore(remindAt) ? remindAt : grant.expiresAt());
    }

    private Grant applyExtensions(ActionContext ctx, Grant grant, List<Milestone> milestones) {
        for (ApprovalRequest request : approvals.forRun(ctx.runId())) {
            if (!EXTEND_PURPOSE.equals(request.purpose()) || !request.key().equals(extensionKey(grant.expiresAt()))) {
                continue;
            }
            if (request.state() == ApprovalState.DENIED) {
                milestones.add(Milestone.of("extension-denied-" + request.key(), "Extension denied by "
                        + Message.mention(request.decidedBy()) + ": " + request.reason() + ". Access still ends at "
                        + Times.instant(grant.expiresAt()) + "."));
            } else if (request.state() == ApprovalState.APPROVED) {
                Instant to = grant.expiresAt().plus(extension(ctx.request()));
                if (grants.extend(ctx.runId(), grant.expiresAt(), to, request.decidedBy())) {
                    audit.append(new AuditEntry(ctx.clock().instant(), request.decidedBy(), "extend", grant.namespace(),
                            ctx.runId(), "BUTTON", grant.role() + " of " + grant.user() + " until " + to));
                }
                grant = grants.find(ctx.runId()).orElseThrow();
                access.bind(grant.namespace(), grant.binding(), grant.clusterRole(), grant.identity(),
                        GrantAccessAction.annotations(grant, ctx.request().parameters().getOrDefault("reason", "").toString()));
                milestones.add(Milestone.of("extended-" + request.key(), "Extended: " + Message.mention(grant.user())
                        + " keeps " + grant.role() + " access to " + grant.namespace() + " until " + Times.instant(grant.expiresAt())
                        + ", approved by " + Message.mention(request.decidedBy()) + "."));
            }
        }
        return grant;
    }

    /**
     * One extension adds the duration the elevation first asked for (its {@code for}, which the request check kept
     * within the role's maximum), or one hour when the stored request has none that reads as a duration.
     */
    public static Duration extension(RunRequest request) {
        return AccessPolicy.parseDuration(String.valueOf(request.parameters().get("for"))).orElse(Duration.ofHours(1));
    }
}

package dev.paver.core.action;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kubernetes:grant-access}: creates the time-boxed RoleBinding of an approved elevation. Inputs:
 * {@code namespace} (the prod key), {@code role}, {@code clusterRole}, {@code duration} ({@code 2h}, {@code 30m}),
 * {@code identity} (from {@code paver:identity}), {@code approvedBy}, {@code reason}. The grant is stored before the
 * RoleBinding is created, so that a crash in between still ends in a revocation; the time starts now, at the grant.
 * The RoleBinding {@code paver-<run id>} binds {@code User <identity>} to the ClusterRole and is annotated with the
 * run, requester, approver, reason and expiry ({@link #ANNOTATION_PREFIX}). Output: {@code binding},
 * {@code expiresAt} (ISO-8601). When its run is cancelled ({@link #undo}), an active grant is revoked as
 * {@code /platform revoke} revokes it ({@link Revocations}).
 */
public final class GrantAccessAction implements Action {

    /** Prefix of the annotations Paver puts on the RoleBindings it creates. */
    public static final String ANNOTATION_PREFIX = "paver.dev/";

    private final AccessPort access;
    private final GrantStore grants;
    private final AuditLog audit;

    public GrantAccessAction(AccessPort access, GrantStore grants, AuditLog audit) {
        this.access = access;
        this.grants = grants;
        this.audit = audit;
    }

    @Override
    public String id() {
        return "kubernetes:grant-access";
    }

    /** The name of a run's RoleBinding. */
    public static String bindingName(String runId) {
        return "paver-" + runId;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String namespace = ctx.required("namespace");
        String user = ctx.request().requester();
        Optional<String> off = access.unavailable(namespace);
        if (off.isPresent()) {
            return new ActionResult.Failed(off.get() + ", so Paver cannot create a RoleBinding in " + namespace
                    + ". Nothing was granted.", List.of());
        }
        Grant grant = grants.find(ctx.runId()).orElse(null);
        if (grant == null) {
            if (!access.namespaceExists(namespace)) {
                return new ActionResult.Failed("the namespace " + namespace + " does not exist in the cluster (has the service "
                        + "been promoted to prod?). Nothing was granted.", List.of());
            }
            Duration duration = AccessPolicy.parseDuration(ctx.required("duration"))
                    .orElseThrow(() -> new IllegalArgumentException("step " + ctx.stepId() + ": duration " + ctx.text("duration")
                            + " is not a duration like 2h or 30m"));
            Instant now = ctx.clock().instant();
            grant = grants.insertIfAbsent(new Grant(ctx.runId(), namespace, ctx.required("role"), ctx.required("clusterRole"),
                    user, ctx.required("identity"), ctx.required("approvedBy"), bindingName(ctx.runId()), now,
                    now.plus(duration), Grant.State.ACTIVE, null));
            audit.append(new AuditEntry(now, grant.approver(), "grant", namespace, ctx.runId(), "PAVER", grant.role() + " ("
                    + grant.clusterRole() + ") for " + user + " as " + grant.identity() + " until " + Times.instant(grant.expiresAt())));
        }
        if (grant.state() == Grant.State.ACTIVE) {
            access.bind(namespace, grant.binding(), grant.clusterRole(), grant.identity(), annotations(grant, ctx.text("reason")));
        }
        return new ActionResult.Done(Map.of("binding", grant.binding(), "expiresAt", grant.expiresAt().toString()),
                grant.role() + " until " + Times.instant(grant.expiresAt()),
                List.of(Milestone.of("granted", "Access granted: " + Message.mention(user) + " is " + grant.role() + " ("
                        + grant.clusterRole() + ") in " + namespace + " as " + grant.identity() + " until "
                        + Times.instant(grant.expiresAt()) + ". Paver deletes the RoleBinding "
                        + grant.binding() + " then.")));
    }

    /** The annotations of a grant's RoleBinding. */
    static Map<String, String> annotations(Grant grant, String reason) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(ANNOTATION_PREFIX + "run", grant.runId());
        a.put(ANNOTATION_PREFIX + "requester", grant.user());
        a.put(ANNOTATION_PREFIX + "approved-by", grant.approver());
        a.put(ANNOTATION_PREFIX + "expires-at", grant.expiresAt().toString());
        if (reason != null && !reason.isEmpty()) {
            a.put(ANNOTATION_PREFIX + "reason", reason);
        }
        return a;
    }

    /**
     * Revokes the run's grant while it is active: the RoleBinding deleted, then the grant stored as revoked (once,
     * however many try) and the revocation audited with who cancelled the run, as {@link Revocations#revoke} does.
     */
    @Override
    public List<Compensation> undo(Compensation.Cancel cancel, StepRun step) {
        if (step.status() != StepStatus.DONE) {
            return List.of(); // the grant is stored and bound within one execution: not done, nothing granted yet
        }
        Grant grant = grants.find(cancel.runId()).orElse(null);
        if (grant == null || grant.state() != Grant.State.ACTIVE) {
            return List.of();
        }
        return List.of(new Compensation("delete RoleBinding " + grant.binding() + " in " + grant.namespace(), () -> {
            access.unbind(grant.namespace(), grant.binding());
            if (grants.revoked(grant.runId(), cancel.at())) {
                audit.append(new AuditEntry(cancel.at(), cancel.by(), Revocations.ACTION, grant.namespace(), grant.runId(),
                        "BUTTON", grant.role() + " of " + grant.user() + " revoked before its end at " + grant.expiresAt()
                        + " as the run was cancelled; RoleBinding " + grant.binding() + " deleted"));
            }
            return "revoked " + grant.role() + " of " + Message.mention(grant.user()) + " in " + grant.namespace()
                    + " (RoleBinding " + grant.binding() + " deleted)";
        }));
    }
}

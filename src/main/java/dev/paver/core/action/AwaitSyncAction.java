package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code argocd:await-sync}: follows an Argo CD Application until the merged revision is deployed. Inputs:
 * {@code application} ({@code {domain}-{env}-{service}}), {@code revision} (from {@code paver:await-merge}),
 * {@code environment}, {@code repository} (the GitOps repository, to tell whether a later synced commit contains
 * the merge: Argo CD syncs the branch head). Deployed is Argo CD's {@code on-deployed} trigger for that revision; {@code on-sync-failed}
 * and {@code on-health-degraded} fail the run with Argo CD's message; {@code on-sync-running} is reported once.
 * Wakes on {@code argocd:<application>}. After {@link #SLOW} without a deployment the thread says once what Argo CD
 * shows (or that the Application does not exist). With no cluster configured the step ends at once and says that
 * deployment tracking is off. Output: {@code revision}, {@code tracking} ({@code on}/{@code off}).
 *
 * <p>On its first check, right after the merge, it asks Argo CD to refresh the Application ({@link DeploymentPort#refresh}),
 * so that the sync starts within seconds instead of at Argo CD's next poll of the repository. A refused refresh (no
 * {@code patch} on applications, or the API server unreachable) is said once in the thread and the step goes on
 * waiting: Argo CD then notices the merge at its next poll.
 */
public final class AwaitSyncAction implements Action {

    /** After this long without a deployment, the thread says once what Argo CD shows. */
    public static final Duration SLOW = Duration.ofMinutes(15);

    private final DeploymentPort deployments;
    private final RepositoryPort repositories;

    /** @param repositories answers whether a synced revision contains the merge */
    public AwaitSyncAction(DeploymentPort deployments, RepositoryPort repositories) {
        this.deployments = deployments;
        this.repositories = repositories;
    }

    /** The start of every wait key of this action: the runs waiting for an Argo CD Application. */
    public static final String WAIT_KEY_PREFIX = "argocd:";

    /** The wake key of an Application, used by the informer too. */
    public static String waitKey(String application) {
        return WAIT_KEY_PREFIX + application;
    }

    @Override
    public String id() {
        return "argocd:await-sync";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String application = ctx.required("application");
        String revision = ctx.text("revision");
        String env = ctx.text("environment").isEmpty() ? "the cluster" : ctx.text("environment");
        String shortRev = Message.shortSha(revision);
        if (!deployments.enabled()) {
            return new ActionResult.Done(Map.of("tracking", "off", "revision", revision), "deployment tracking is off",
                    List.of(Milestone.of("tracking-off", "Deployment tracking is off: no cluster is configured, so Paver "
                            + "cannot tell when " + application + " runs. Check Argo CD for " + application + ".")));
        }
        List<Milestone> told = ctx.checkedBefore() ? List.of() : refresh(application);
        var status = deployments.application(application);
        Duration waited = Duration.between(ctx.stepStarted(), ctx.clock().instant());
        if (status.isEmpty()) {
            List<Milestone> slow = waited.compareTo(SLOW) < 0 ? List.of() : List.of(Milestone.of("no-application",
                    "Argo CD has no Application " + application + " after " + Times.elapsed(waited) + ". Check that the domain's "
                            + "ApplicationSet points at this repository and that a cluster is labelled for " + env
                            + "; Paver keeps waiting."));
            return new ActionResult.Waiting(waitKey(application), "waiting for Argo CD Application " + application,
                    concat(told, slow), slowAt(ctx, waited));
        }
        var app = status.get();
        String repository = ctx.text("repository");
        String applied = app.operationRevision();
        // asked once per check: on plain git, contains() fetches
        boolean containsMerge = !applied.isEmpty() && (applied.equals(revision)
                || !repository.isEmpty() && !revision.isEmpty() && repositories.contains(repository, applied, revision));
        Predicate<String> includes = r -> containsMerge;
        if (app.syncFailed(includes, revision)) {
            return new ActionResult.Failed("Argo CD could not sync " + application + " to " + shortRev + " (phase "
                    + app.operationPhase() + "): " + app.operationMessage(), told);
        }
        if (app.degraded(includes, revision)) {
            return new ActionResult.Failed(application + " is Degraded after syncing " + shortRev
                    + (app.healthMessage().isEmpty() ? "" : ": " + app.healthMessage()), told);
        }
        if (app.deployed(includes, revision)) {
            Duration took = Duration.between(ctx.runStarted(), ctx.clock().instant());
            return new ActionResult.Done(Map.of("tracking", "on", "revision", revision), "deployed " + shortRev,
                    concat(told, List.of(Milestone.of("deployed", "Deployed to " + env + ": " + application
                            + " is Synced and Healthy at revision " + shortRev + " (" + Times.elapsed(took) + " after the request)."))));
        }
        List<Milestone> milestones = new ArrayList<>(told);
        if (app.syncing()) {
            milestones.add(Milestone.of("syncing", "Argo CD is syncing " + application + (shortRev.isEmpty() ? "" : " to " + shortRev) + "."));
        }
        if (waited.compareTo(SLOW) >= 0) {
            milestones.add(Milestone.of("slow", application + " is not deployed " + Times.elapsed(waited) + " after the merge: sync "
                    + blank(app.syncStatus()) + ", health " + blank(app.healthStatus())
                    + (app.healthMessage().isEmpty() ? "" : " (" + app.healthMessage() + ")") + ". Paver keeps waiting."));
        }
        String detail = "waiting for " + application + ": sync " + blank(app.syncStatus()) + ", health " + blank(app.healthStatus())
                + (app.operationPhase().isEmpty() ? "" : ", operation " + app.operationPhase());
        return new ActionResult.Waiting(waitKey(application), detail, milestones, slowAt(ctx, waited));
    }

    /** Said when Argo CD could not be asked to refresh: the run goes on, at the pace of Argo CD's poll. */
    static final String REFRESH_REFUSED = "Argo CD will notice at its next poll, usually within 3 minutes; give Paver's "
            + "ServiceAccount patch on applications to make this immediate.";

    /** Asks Argo CD to refresh the Application; a refusal is a milestone, never a failure of the run. */
    private List<Milestone> refresh(String application) {
        try {
            deployments.refresh(application);
            return List.of();
        } catch (RuntimeException e) {
            return List.of(Milestone.of("refresh-refused", "Paver could not ask Argo CD to refresh " + application + " ("
                    + e.getMessage() + "). " + REFRESH_REFUSED));
        }
    }

    private static List<Milestone> concat(List<Milestone> a, List<Milestone> b) {
        List<Milestone> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * When the step has waited {@link #SLOW}, as a timer while it has not: the run is woken then to say so even when no
     * Application event comes (runs waiting here are not polled while Paver watches the Applications).
     */
    private static Instant slowAt(ActionContext ctx, Duration waited) {
        return waited.compareTo(SLOW) < 0 ? ctx.stepStarted().plus(SLOW) : null;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() ? "unknown" : s;
    }
}

package dev.paver.slack;

import com.slack.api.bolt.App;
import dev.paver.core.approval.Approvals;
import dev.paver.core.run.CardBuilder;
import dev.paver.core.run.RunEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Cancel button on a waiting run's card ("block_actions" payload, docs.slack.dev; the button carries a
 * confirmation dialog, so the click arrives only once the person confirmed); its value is the run id. Acks at once;
 * after the ack, on the intake executor, asks the engine to cancel the run ({@link RunEngine#cancel}), which says in
 * the run's thread who cancelled it and what was undone. The requester may cancel, and so may an approver of the run's
 * domain ({@link Approvals#isApproverOf}, {@code paver.approvals.approvers}). When the click is not accepted (anyone
 * else, a run that is not waiting any more, a second click) the clicker is told why, privately, through
 * {@code response_url}, and nothing changes.
 */
final class CancelButton {

    private static final Logger LOG = LoggerFactory.getLogger(CancelButton.class);

    private final RunEngine engine;
    private final Approvals approvals;
    private final IntakeExecutor executor;

    CancelButton(RunEngine engine, Approvals approvals, IntakeExecutor executor) {
        this.engine = engine;
        this.approvals = approvals;
        this.executor = executor;
    }

    void register(App app) {
        app.blockAction(CardBuilder.CANCEL_ACTION_ID, (req, ctx) -> {
            String runId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> {
                RunEngine.CancelOutcome outcome;
                try {
                    outcome = engine.cancel(runId == null ? "" : runId, userId, request -> approvals.isApproverOf(userId,
                            request.platform().get("domain") == null ? null : String.valueOf(request.platform().get("domain"))));
                } catch (RuntimeException e) {
                    // Slack, the store or the chat's user groups failed: the run is left waiting, undoing again is safe
                    LOG.warn("run {}: cancel by {} failed: {}", runId, userId, e.getMessage());
                    IntakeExecutor.inform(ctx::respond, userId, ":warning: Paver could not cancel this run now ("
                            + e.getMessage() + "). The run still waits; click Cancel again in a minute.");
                    return;
                }
                String answer = switch (outcome) {
                    case CANCELLED -> null;
                    case NOT_ALLOWED -> ":no_entry: Only the person who asked for this run, or an approver of its domain, can "
                            + "cancel it. Nothing changed.";
                    case NOT_WAITING -> "This run is not waiting any more: it was cancelled already, or it ended otherwise "
                            + "(see the thread). Nothing changed.";
                    case BUSY -> "Paver is still busy with this run; click Cancel again in a minute. Nothing changed.";
                };
                if (answer != null) {
                    IntakeExecutor.inform(ctx::respond, userId, answer);
                }
            });
            return ctx.ack();
        });
    }
}

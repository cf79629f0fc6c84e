package dev.paver.slack;

import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import dev.paver.core.action.Extensions;
import dev.paver.core.action.RevokeAccessAction;
import dev.paver.core.approval.Approvals;
import dev.paver.core.run.RunRequest;
import dev.paver.slack.IntakeExecutor.Tell;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Approve and Deny buttons of an approval card or App Home, the denial modal Deny opens, and the Extend button
 * of an elevation ("block_actions" payload and "view_submission" payload, docs.slack.dev). The buttons are acked at
 * once and the vote, the request for more time or the opening of the denial modal happens after the ack, on the
 * intake executor; the clicker hears the outcome privately through {@code response_url}. The denial modal's reason is
 * checked before the ack: a bad one is acked with {@code response_action: errors} and the modal stays open;
 * otherwise it is acked, the denial is recorded after, and the denier hears the outcome in a direct message.
 */
final class ApprovalButtons {

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalButtons.class);

    private final Approvals approvals;
    private final Extensions extensions;
    private final Consumer<String> wake;
    private final AppHome home;
    private final IntakeExecutor executor;

    /** @param wake schedules a pass over a run (by id) once a vote was counted or a request decided */
    ApprovalButtons(Approvals approvals, Extensions extensions, Consumer<String> wake, AppHome home, IntakeExecutor executor) {
        this.approvals = approvals;
        this.extensions = extensions;
        this.wake = wake;
        this.home = home;
        this.executor = executor;
    }

    void register(App app) {
        app.blockAction(Approvals.APPROVE, (req, ctx) -> {
            String requestId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            boolean fromHome = req.getPayload().getView() != null && "home".equals(req.getPayload().getView().getType());
            executor.execute(() -> decided(approvals.approve(requestId, userId, RunRequest.Origin.BUTTON.name()),
                    userId, fromHome, ctx::respond, ctx.client()));
            return ctx.ack();
        });
        app.blockAction(Approvals.DENY, (req, ctx) -> {
            String requestId = req.getPayload().getActions().get(0).getValue();
            String triggerId = req.getPayload().getTriggerId();
            executor.execute(() -> {
                try {
                    var opened = ctx.client().viewsOpen(r -> r.triggerId(triggerId).view(ModalFactory.denyModal(requestId)));
                    if (!opened.isOk()) {
                        LOG.warn("views.open for a denial failed: {}", opened.getError());
                    }
                } catch (Exception e) {
                    LOG.warn("views.open for a denial failed: {}", e.getMessage());
                }
            });
            return ctx.ack();
        });
        app.viewSubmission(ModalFactory.DENY_CALLBACK, (req, ctx) -> {
            String requestId = req.getPayload().getView().getPrivateMetadata();
            String userId = req.getPayload().getUser().getId();
            String reason = ModalFactory.values(req.getPayload().getView().getState()).getOrDefault(ModalFactory.REASON, "");
            String problem = Approvals.reasonProblem(reason);
            if (problem != null) {
                return ctx.ackWithErrors(Map.of(ModalFactory.REASON, problem));
            }
            executor.execute(() -> decided(approvals.deny(requestId, userId, reason, RunRequest.Origin.MODAL.name()),
                    userId, false, text -> ctx.client().chatPostMessage(r -> r.channel(userId).text(text)), ctx.client()));
            return ctx.ack();
        });
        app.blockAction(RevokeAccessAction.EXTEND, (req, ctx) -> {
            String runId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> IntakeExecutor.inform(ctx::respond, userId, SlackRenderer.mrkdwn(extensions.request(runId, userId))));
            return ctx.ack();
        });
    }

    /**
     * Tells the clicker what became of their click (privately: {@code response_url} answers are ephemeral unless
     * told otherwise), wakes the run when the request was decided, and refreshes the clicker's App Home when the
     * click came from there.
     */
    private void decided(Approvals.Outcome outcome, String userId, boolean fromHome, Tell tell, MethodsClient client) {
        if (outcome instanceof Approvals.Decided d) {
            wake.accept(d.request().runId());
        } else if (outcome instanceof Approvals.Counted c) {
            wake.accept(c.request().runId());
        }
        IntakeExecutor.inform(tell, userId, SlackRenderer.mrkdwn(outcome.text()));
        if (fromHome) {
            home.publish(userId, client);
        }
    }
}

package dev.paver.slack;

import com.slack.api.bolt.App;
import dev.paver.core.run.CardBuilder;
import dev.paver.core.run.RunEngine;

/**
 * The Retry button on a failed run's card ("block_actions" payload, docs.slack.dev); its value is the run id. Acks at
 * once; after the ack, on the intake executor, asks the engine to run the failed step again ({@link RunEngine#retry}),
 * which says in the run's thread who retried it. When the click is not accepted (someone other than the requester, a
 * run that is no longer failed, a second click) the clicker is told why, privately, through {@code response_url}.
 */
final class RetryButton {

    private final RunEngine engine;
    private final IntakeExecutor executor;

    RetryButton(RunEngine engine, IntakeExecutor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    void register(App app) {
        app.blockAction(CardBuilder.RETRY_ACTION_ID, (req, ctx) -> {
            String runId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> {
                String answer = switch (engine.retry(runId == null ? "" : runId, userId)) {
                    case ACCEPTED -> null;
                    case NOT_REQUESTER -> ":no_entry: Only the person who asked for this run can retry it. Nothing changed.";
                    case NOT_FAILED -> "This run is not failed any more: it was retried already, or it ended otherwise (see the thread).";
                    case BUSY -> "Paver is still busy with this run; click Retry again in a minute. Nothing changed.";
                };
                if (answer != null) {
                    IntakeExecutor.inform(ctx::respond, userId, answer);
                }
            });
            return ctx.ack();
        });
    }
}

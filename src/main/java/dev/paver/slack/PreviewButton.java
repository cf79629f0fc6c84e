package dev.paver.slack;

import com.slack.api.bolt.App;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.run.RunEngine;

/**
 * The Open PR button under a dry run's preview ("block_actions" payload, docs.slack.dev); its value is
 * {@code <run id> <digest of the previewed files>}. Acks at once; after the ack, on the intake executor, signals the
 * waiting run ({@link RunEngine#signal}), which opens the pull request in the run's thread. When the click is not
 * accepted (an old or foreign button, a second click, another person's preview) the clicker is told why, privately,
 * through {@code response_url}.
 */
final class PreviewButton {

    private final RunEngine engine;
    private final IntakeExecutor executor;

    PreviewButton(RunEngine engine, IntakeExecutor executor) {
        this.engine = engine;
        this.executor = executor;
    }

    void register(App app) {
        app.blockAction(PreviewAction.OPEN_ACTION_ID, (req, ctx) -> {
            String value = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> {
                String answer = open(value, userId);
                if (answer != null) {
                    IntakeExecutor.inform(ctx::respond, userId, answer);
                }
            });
            return ctx.ack();
        });
    }

    /** Open PR on a preview: the value is {@code <run id> <digest>}; returns what to tell the clicker, or null. */
    private String open(String value, String userId) {
        String[] parts = value == null ? new String[0] : value.split(" ");
        if (parts.length != 2) {
            return ":warning: This button is not one of Paver's previews.";
        }
        var outcome = engine.signal(parts[0], PreviewAction.SIGNAL + parts[1], PreviewAction.waitKey(parts[0]), userId);
        return switch (outcome) {
            case ACCEPTED -> null;
            case ALREADY -> "You clicked Open PR already; the pull request is on its way in the thread.";
            case NOT_REQUESTER -> ":no_entry: Only the person who asked for this preview can open its pull request.";
            case NOT_WAITING -> "This preview is no longer waiting: its run went on or ended (see the thread).";
            case BUSY -> "Paver is still busy with this run; click Open PR again in a minute. Nothing changed.";
        };
    }
}

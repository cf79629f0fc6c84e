package dev.paver.slack;

import com.slack.api.app_backend.interactive_components.response.Option;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ViewSubmissionContext;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.Parameter;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submission of a golden path's modal, whose {@code callback_id} is the golden path id ("view_submission"
 * payload, docs.slack.dev, "Handling user interaction in modals"). Checks the values in memory; when they break a
 * rule, acks with {@code response_action: errors} under the fields concerned (or all under the first field when
 * no violation names one) and the modal stays open; otherwise acks (the modal closes) and starts the run after the ack, on the
 * intake executor. A modal has no {@code response_url}: what the requester must know comes as an ephemeral message
 * in the channel the command was typed in, else as a direct message.
 */
final class ModalSubmissionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ModalSubmissionHandler.class);

    /** A golden path id; Paver's other modals use ids with a colon, e.g. {@link ModalFactory#DENY_CALLBACK}. */
    private static final Pattern GOLDEN_PATH_CALLBACK = Pattern.compile("[a-z0-9-]+");

    private final Intake intake;
    private final RunStarter starter;
    private final IntakeExecutor executor;

    ModalSubmissionHandler(Intake intake, RunStarter starter, IntakeExecutor executor) {
        this.intake = intake;
        this.starter = starter;
        this.executor = executor;
    }

    /** Registers after every other view submission handler: its pattern is the widest. */
    void register(App app) {
        // a picker with more choices than a static select holds asks for its options as the person types
        // ("block_suggestion" payload, docs.slack.dev, "Select menu element: external data source")
        app.blockSuggestion(ModalFactory.ACTION_ID, (req, ctx) -> {
            var payload = req.getPayload();
            String pathId = payload.getView() == null ? "" : payload.getView().getCallbackId();
            Parameter parameter = intake.paths().find(pathId == null ? "" : pathId)
                    .map(path -> path.parameters().get(payload.getBlockId())).orElse(null);
            List<Option> options = parameter == null ? List.of()
                    : ModalFactory.suggestions(parameter, intake.catalog().current(), payload.getValue());
            return ctx.ack(r -> r.options(options));
        });
        // a value others depend on was chosen ("block_actions" from an input with dispatch_action): the modal is
        // rebuilt with the parameters that value calls for, keeping what was entered ("views.update", docs.slack.dev)
        app.blockAction(ModalFactory.ACTION_ID, (req, ctx) -> {
            var view = req.getPayload().getView();
            String pathId = view == null || view.getCallbackId() == null ? "" : view.getCallbackId();
            var path = intake.paths().find(pathId);
            if (path.isPresent()) {
                // built now from what the payload holds (cheap, in memory); sent after the ack, so that a slow Slack
                // never delays it
                var updated = ModalFactory.modal(path.get(), intake.catalog().current(), ModalFactory.values(view.getState()),
                        view.getPrivateMetadata());
                var client = ctx.client();
                executor.execute(() -> {
                    try {
                        var answer = client.viewsUpdate(r -> r.viewId(view.getId()).hash(view.getHash()).view(updated));
                        if (!answer.isOk()) {
                            // "hash_conflict": the person changed the modal meanwhile; the next choice updates it again
                            LOG.info("modal of {} not updated: {}", pathId, answer.getError());
                        }
                    } catch (Exception e) {
                        LOG.warn("modal of {} not updated: {}", pathId, e.getMessage());
                    }
                });
            }
            return ctx.ack();
        });
        app.viewSubmission(GOLDEN_PATH_CALLBACK, (req, ctx) -> {
            var payload = req.getPayload();
            String pathId = payload.getView().getCallbackId();
            String channel = payload.getView().getPrivateMetadata();
            Map<String, String> values = ModalFactory.values(payload.getView().getState());
            Intake.Outcome outcome = intake.check(pathId, values, false);
            if (outcome instanceof Intake.Invalid invalid) {
                return ctx.ackWithErrors(errors(invalid));
            }
            if (outcome instanceof Intake.Ready ready) {
                String userId = payload.getUser().getId();
                starter.startLater(ready, userId, RunRequest.Origin.MODAL, channel, text -> tell(ctx, channel, userId, text), null);
            }
            return ctx.ack();
        });
    }

    /** Each field's first violation; the violations of no field together under the first field when none is a field's. */
    private static Map<String, String> errors(Intake.Invalid invalid) {
        Map<String, String> errors = new LinkedHashMap<>();
        StringBuilder other = new StringBuilder();
        for (Violation v : invalid.violations()) {
            if (invalid.path().parameters().get(v.subject()) != null) {
                errors.putIfAbsent(v.subject(), v.message());
            } else {
                other.append(v.message()).append(' ');
            }
        }
        if (errors.isEmpty()) {
            errors.put(invalid.path().parameters().parameters().get(0).name(), other.toString().strip());
        }
        return errors;
    }

    /** A modal has no response URL: an ephemeral message in the channel, else a direct message. */
    private static void tell(ViewSubmissionContext ctx, String channel, String userId, String text) throws Exception {
        if (!ctx.client().chatPostEphemeral(r -> r.channel(channel).user(userId).text(text)).isOk()) {
            var direct = ctx.client().chatPostMessage(r -> r.channel(userId).text(text));
            if (!direct.isOk()) {
                throw new IllegalStateException("chat.postMessage to the user failed: " + direct.getError());
            }
        }
    }
}

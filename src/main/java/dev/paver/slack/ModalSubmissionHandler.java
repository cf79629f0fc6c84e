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
 * intake executor. A template of several pages is a modal of as many steps ({@link ModalFactory.Form}): a page's
 * submission checks that page's fields and acks with the next page ({@code response_action: update}); the last page's
 * starts the run with the values of all. A choice others depend on, and Back, update the open modal after the ack. A modal has no {@code response_url}: what the requester must know comes as an ephemeral message
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
                var form = ModalFactory.Form.read(view.getPrivateMetadata());
                var updated = ModalFactory.page(path.get(), intake.catalog().current(),
                        ModalFactory.values(path.get(), form, view.getState()), form);
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
        // Back on a later page of a multi-page form: the previous page, what was entered here kept ("views.update")
        app.blockAction(ModalFactory.BACK_ACTION, (req, ctx) -> {
            var view = req.getPayload().getView();
            var path = intake.paths().find(view == null || view.getCallbackId() == null ? "" : view.getCallbackId());
            if (path.isPresent()) {
                var previous = ModalFactory.back(path.get(), intake.catalog().current(),
                        ModalFactory.Form.read(view.getPrivateMetadata()), view.getState());
                var client = ctx.client();
                executor.execute(() -> {
                    try {
                        var answer = client.viewsUpdate(r -> r.viewId(view.getId()).hash(view.getHash()).view(previous));
                        if (!answer.isOk()) {
                            LOG.info("modal of {} not taken back a page: {}", view.getCallbackId(), answer.getError());
                        }
                    } catch (Exception e) {
                        LOG.warn("modal of {} not taken back a page: {}", view.getCallbackId(), e.getMessage());
                    }
                });
            }
            return ctx.ack();
        });
        app.viewSubmission(GOLDEN_PATH_CALLBACK, (req, ctx) -> {
            var payload = req.getPayload();
            String pathId = payload.getView().getCallbackId();
            var form = ModalFactory.Form.read(payload.getView().getPrivateMetadata());
            String channel = form.channel();
            var path = intake.paths().find(pathId);
            Map<String, String> values = path.isPresent() ? ModalFactory.values(path.get(), form, payload.getView().getState())
                    : ModalFactory.values(payload.getView().getState());
            // the fields of this page: a violation of another page's field is told under the first of them
            List<String> fields = blockIds(payload.getView());
            Intake.Outcome outcome = intake.check(pathId, values, false);
            if (path.isPresent() && form.page() < path.get().parameters().pageCount() - 1) {
                // not the last page: this page's own fields must hold, then the next page ("response_action: update",
                // docs.slack.dev, "Updating views": "Next"; the values so far go along in its private_metadata)
                if (outcome instanceof Intake.Invalid invalid) {
                    Map<String, String> errors = errors(invalid, fields, false);
                    if (!errors.isEmpty()) {
                        return ctx.ackWithErrors(errors);
                    }
                } else if (outcome instanceof Intake.Ready ready) {
                    ready.secrets().discard(); // nothing is sealed before the last page; nothing is kept either
                }
                Map<String, String> carried = ModalFactory.withoutPlainSecrets(path.get(), values);
                var next = new ModalFactory.Form(channel, form.page() + 1, carried);
                if (!next.fits() && !fields.isEmpty()) {
                    return ctx.ackWithErrors(Map.of(longest(fields, values), "The answers so far are longer than a Slack form "
                            + "can carry to its next page (" + ModalFactory.Form.MAX_METADATA + " characters); shorten this one"));
                }
                var view = ModalFactory.page(path.get(), intake.catalog().current(), carried, next);
                return ctx.ack(r -> r.responseAction("update").view(view));
            }
            if (outcome instanceof Intake.Invalid invalid) {
                return ctx.ackWithErrors(errors(invalid, fields, true));
            }
            if (outcome instanceof Intake.Ready ready) {
                String userId = payload.getUser().getId();
                starter.startLater(ready, userId, RunRequest.Origin.MODAL, channel, text -> tell(ctx, channel, userId, text), null);
            }
            return ctx.ack();
        });
    }

    /**
     * Each field's first violation, for the fields of the page shown ({@code fields}, block ids); the violations of
     * no field shown together under its first field when {@code all}, else left out (a later page asks for them).
     */
    private static Map<String, String> errors(Intake.Invalid invalid, List<String> fields, boolean all) {
        Map<String, String> errors = new LinkedHashMap<>();
        StringBuilder other = new StringBuilder();
        for (Violation v : invalid.violations()) {
            if (fields.contains(v.subject())) {
                errors.putIfAbsent(v.subject(), v.message());
            } else if (all) {
                other.append(v.message()).append(' ');
            }
        }
        if (all && !other.isEmpty()) {
            String first = fields.isEmpty() ? invalid.path().parameters().parameters().get(0).name() : fields.get(0);
            errors.merge(first, other.toString().strip(), (a, b) -> a + " " + b);
        }
        return errors;
    }

    /** The block ids of a view's input blocks, in order. */
    private static List<String> blockIds(com.slack.api.model.view.View view) {
        return view.getBlocks() == null ? List.of() : view.getBlocks().stream()
                .filter(b -> b instanceof com.slack.api.model.block.InputBlock)
                .map(b -> ((com.slack.api.model.block.InputBlock) b).getBlockId()).toList();
    }

    /** The field of {@code fields} with the longest value. */
    private static String longest(List<String> fields, Map<String, String> values) {
        return fields.stream().max(java.util.Comparator.comparingInt(f -> values.getOrDefault(f, "").length())).orElseThrow();
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

package dev.paver.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paver's Bolt listeners. Each one parses and checks (cheap, in memory), acknowledges, and hands the slow work
 * (storing and starting the run, opening the modal) to an executor, so that Slack gets its ack well within its
 * 3-second limit whatever git or the cluster are doing ("Acknowledge the request", docs.slack.dev).
 *
 * <p>{@link #close()} lets the work under way finish (up to {@value #DRAIN_SECONDS} s) and tells everyone whose
 * request was still queued that nothing was started, so that a restart never drops a request silently.
 */
public final class SlackListeners implements AutoCloseable {

    static final int DRAIN_SECONDS = 20;

    private static final Logger LOG = LoggerFactory.getLogger(SlackListeners.class);

    private final Intake intake;
    private final ThreadPoolExecutor executor;
    private final String command;
    private final Decisions decisions;

    /**
     * What the approval buttons, the Extend button, {@code audit} and App Home need.
     *
     * @param approvals  votes and denials
     * @param extensions the Extend button
     * @param audit      {@code /platform audit <key>}
     * @param home       a user's App Home, by user id
     * @param wake       schedules a pass over a run (by id) once a decision was made
     * @param engine     the run engine, for Open PR after a preview ({@link dev.paver.core.run.RunEngine#signal})
     */
    public record Decisions(dev.paver.core.approval.Approvals approvals, dev.paver.core.action.Extensions extensions,
                            dev.paver.core.audit.AuditTrail audit,
                            java.util.function.Function<String, dev.paver.core.run.Home> home,
                            java.util.function.Consumer<String> wake, dev.paver.core.run.RunEngine engine) {
    }

    /**
     * @param command  the slash command, e.g. {@code /platform}
     */
    public SlackListeners(Intake intake, String command, Decisions decisions) {
        this.decisions = decisions;
        this.intake = intake;
        // one thread: starting a run only stores it; the run's work is on the engine's workers
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "paver-intake");
            t.setDaemon(true);
            return t;
        });
        this.command = command;
    }

    /** Registers the slash command and one view submission handler per golden path on {@code app}. */
    public void register(App app) {
        app.command(command, (req, ctx) -> {
            try {
                return onCommand(req.getPayload().getText(), req.getPayload().getUserId(), req.getPayload().getChannelId(),
                        req.getPayload().getTriggerId(), ctx);
            } catch (RuntimeException e) {
                String reference = Long.toString(System.nanoTime(), 36);
                LOG.error("slash command failed (reference {})", reference, e);
                return ctx.ack(":warning: Paver could not handle this command. Nothing was started. The platform team "
                        + "can find the details in Paver's log under reference `" + reference + "`.");
            }
        });
        // a click on a link button opens the link in the browser; Slack still expects the request acknowledged
        app.blockAction(Pattern.compile("^" + Pattern.quote(SlackRenderer.LINK_ACTION_PREFIX) + "\\d+$"), (req, ctx) -> ctx.ack());
        app.blockAction(dev.paver.core.approval.Approvals.APPROVE, (req, ctx) -> {
            String requestId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            boolean fromHome = req.getPayload().getView() != null && "home".equals(req.getPayload().getView().getType());
            executor.execute(() -> decided(decisions.approvals().approve(requestId, userId, RunRequest.Origin.BUTTON.name()),
                    userId, fromHome, ctx::respond, ctx.client()));
            return ctx.ack();
        });
        app.blockAction(dev.paver.core.approval.Approvals.DENY, (req, ctx) -> {
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
            String problem = dev.paver.core.approval.Approvals.reasonProblem(reason);
            if (problem != null) {
                return ctx.ackWithErrors(Map.of(ModalFactory.REASON, problem));
            }
            executor.execute(() -> decided(decisions.approvals().deny(requestId, userId, reason, RunRequest.Origin.MODAL.name()),
                    userId, false, text -> ctx.client().chatPostMessage(r -> r.channel(userId).text(text)), ctx.client()));
            return ctx.ack();
        });
        app.blockAction(dev.paver.core.action.PreviewAction.OPEN_ACTION_ID, (req, ctx) -> {
            String value = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> {
                String answer = openPreview(value, userId);
                if (answer != null) {
                    inform(ctx::respond, userId, answer);
                }
            });
            return ctx.ack();
        });
        app.blockAction(dev.paver.core.action.RevokeAccessAction.EXTEND, (req, ctx) -> {
            String runId = req.getPayload().getActions().get(0).getValue();
            String userId = req.getPayload().getUser().getId();
            executor.execute(() -> inform(ctx::respond, userId, SlackRenderer.mrkdwn(decisions.extensions().request(runId, userId))));
            return ctx.ack();
        });
        app.event(com.slack.api.model.event.AppHomeOpenedEvent.class, (req, ctx) -> {
            String userId = req.getEvent().getUser();
            if ("home".equals(req.getEvent().getTab())) {
                executor.execute(() -> publishHome(userId, ctx.client()));
            }
            return ctx.ack();
        });
        app.viewSubmission(Pattern.compile("[a-z0-9-]+"), (req, ctx) -> {
            var payload = req.getPayload();
            String pathId = payload.getView().getCallbackId();
            String channel = payload.getView().getPrivateMetadata();
            Map<String, String> values = ModalFactory.values(payload.getView().getState());
            Intake.Outcome outcome = intake.check(pathId, values, false);
            if (outcome instanceof Intake.Invalid invalid) {
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
                return ctx.ackWithErrors(errors);
            }
            if (outcome instanceof Intake.Ready ready) {
                String userId = payload.getUser().getId();
                startLater(ready, userId, RunRequest.Origin.MODAL, channel, text -> {
                    // a modal has no response URL: an ephemeral message in the channel, else a direct message
                    if (!ctx.client().chatPostEphemeral(r -> r.channel(channel).user(userId).text(text)).isOk()) {
                        var direct = ctx.client().chatPostMessage(r -> r.channel(userId).text(text));
                        if (!direct.isOk()) {
                            throw new IllegalStateException("chat.postMessage to the user failed: " + direct.getError());
                        }
                    }
                });
            }
            return ctx.ack();
        });
    }

    /**
     * Tells the clicker what became of their click (privately: {@code response_url} answers are ephemeral unless
     * told otherwise), wakes the run when the request was decided, and refreshes the clicker's App Home when the
     * click came from there.
     */
    private void decided(dev.paver.core.approval.Approvals.Outcome outcome, String userId, boolean fromHome, Tell tell,
                         com.slack.api.methods.MethodsClient client) {
        if (outcome instanceof dev.paver.core.approval.Approvals.Decided d) {
            decisions.wake().accept(d.request().runId());
        } else if (outcome instanceof dev.paver.core.approval.Approvals.Counted c) {
            decisions.wake().accept(c.request().runId());
        }
        inform(tell, userId, SlackRenderer.mrkdwn(outcome.text()));
        if (fromHome) {
            publishHome(userId, client);
        }
    }

    private void publishHome(String userId, com.slack.api.methods.MethodsClient client) {
        try {
            var view = SlackRenderer.home(decisions.home().apply(userId), decisions.approvals());
            var published = client.viewsPublish(r -> r.userId(userId).view(view));
            if (!published.isOk()) {
                LOG.warn("views.publish for {} failed: {}", userId, published.getError());
            }
        } catch (Exception e) {
            LOG.warn("App Home of {} could not be published: {}", userId, e.getMessage());
        }
    }

    Response onCommand(String text, String userId, String channelId, String triggerId, SlashCommandContext ctx) {
        SlashCommandParser.ParseResult parsed = SlashCommandParser.parse(text, intake.paths(), command);
        if (parsed instanceof SlashCommandParser.Help help) {
            return ctx.ack(SlackRenderer.help(command, intake.paths(), help.problem()));
        }
        if (parsed instanceof SlashCommandParser.Audit audit) {
            executor.execute(() -> {
                String answer;
                try {
                    answer = SlackRenderer.audit(decisions.audit().recent(audit.query(), intake.catalog().current()));
                } catch (IllegalArgumentException e) {
                    answer = SlackRenderer.escape(e.getMessage());
                }
                inform(ctx::respond, userId, answer);
            });
            return ctx.ack();
        }
        if (parsed instanceof SlashCommandParser.Reply reply) {
            return ctx.ack(reply.text());
        }
        SlashCommandParser.Invoke invoke = (SlashCommandParser.Invoke) parsed;
        Intake.Outcome outcome = intake.check(invoke.path().id(), invoke.parameters(), true);
        if (outcome instanceof Intake.Invalid invalid) {
            return ctx.ack(SlackRenderer.violations(invalid.path(), invalid.violations(), command));
        }
        if (outcome instanceof Intake.NeedsInput needs) {
            GoldenPath path = needs.path();
            executor.execute(() -> openModal(path, needs.given(), channelId, triggerId, ctx));
            return ctx.ack();
        }
        if (outcome instanceof Intake.UnknownPath unknown) {
            return ctx.ack(SlackRenderer.help(command, intake.paths(), "There is no golden path `" + unknown.id() + "`."));
        }
        Intake.Ready ready = (Intake.Ready) outcome;
        startLater(ready, userId, RunRequest.Origin.TYPED, channelId, ctx::respond);
        var positional = ready.path().parameters().positional();
        Object primary = positional == null ? null : ready.accepted().parameters().get(positional.name());
        if (!ready.secrets().isEmpty()) {
            return ctx.ack(":lock: Checking the secret value against the Sealed Secrets controller's key for *"
                    + ready.path().id() + "*" + (primary == null ? "" : " for `" + primary + "`") + ". If it holds, the status "
                    + "card follows in this channel; if not, I tell you here.");
        }
        return ctx.ack(":rocket: Starting *" + ready.path().id() + "*" + (primary == null ? "" : " for `" + primary + "`")
                + ". I will report every step in a thread under the status card in this channel.");
    }

    /** Open PR on a preview: the value is {@code <run id> <digest>}; returns what to tell the clicker, or null. */
    private String openPreview(String value, String userId) {
        String[] parts = value == null ? new String[0] : value.split(" ");
        if (parts.length != 2) {
            return ":warning: This button is not one of Paver's previews.";
        }
        var outcome = decisions.engine().signal(parts[0], dev.paver.core.action.PreviewAction.SIGNAL + parts[1],
                dev.paver.core.action.PreviewAction.waitKey(parts[0]), userId);
        return switch (outcome) {
            case ACCEPTED -> null;
            case ALREADY -> "You clicked Open PR already; the pull request is on its way in the thread.";
            case NOT_REQUESTER -> ":no_entry: Only the person who asked for this preview can open its pull request.";
            case NOT_WAITING -> "This preview is no longer waiting: its run went on or ended (see the thread).";
        };
    }

    private interface Tell {
        void tell(String text) throws Exception;
    }

    /**
     * Starts the run after the ack; when it cannot start, or its card cannot be posted in the channel, tells the
     * requester (only them) why.
     */
    private void startLater(Intake.Ready ready, String userId, RunRequest.Origin origin, String channel, Tell tell) {
        executor.execute(new Abandonable(ready.path().id(), userId, tell, () -> {
            try {
                intake.start(ready, userId, origin, channel, run -> {
                    if (run.thread() == null && run.state().finished()) {
                        inform(tell, userId, ":warning: " + run.outcome());
                    }
                });
            } catch (Intake.NotAllowed e) {
                inform(tell, userId, ":no_entry: " + e.getMessage());
            } catch (Intake.Refused e) {
                inform(tell, userId, SlackRenderer.violations(e.path(), e.violations(), command));
            } catch (RuntimeException e) {
                LOG.error("starting {} for {} failed", ready.path().id(), userId, e);
                inform(tell, userId, ":warning: Paver could not start " + ready.path().id() + ": " + e.getMessage());
            }
        }));
    }

    private static void inform(Tell tell, String userId, String text) {
        try {
            tell.tell(text);
        } catch (Exception notified) {
            LOG.warn("could not tell {}: {}", userId, notified.getMessage());
        }
    }

    /** Work after an ack that, if it never runs, tells the requester so. */
    private record Abandonable(String what, String userId, Tell tell, Runnable work) implements Runnable {
        @Override
        public void run() {
            work.run();
        }

        void abandon() {
            inform(tell, userId, ":warning: Paver is restarting and did not start your " + what + ". Nothing was changed: please ask again in a minute.");
        }
    }

    /** Finishes the work under way and tells the requesters whose work was still queued. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("requests still starting after {} s of shutdown", DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Runnable pending : executor.shutdownNow()) {
            if (pending instanceof Abandonable a) {
                a.abandon();
            }
        }
    }

    private void openModal(GoldenPath path, Map<String, String> given, String channelId, String triggerId, SlashCommandContext ctx) {
        try {
            ViewsOpenResponse response = ctx.client().viewsOpen(r -> r.triggerId(triggerId)
                    .view(ModalFactory.modal(path, intake.catalog().current(), given, channelId)));
            if (!response.isOk()) {
                LOG.warn("views.open for {} failed: {}", path.id(), response.getError());
                ctx.respond(":warning: I could not open the form (" + response.getError() + "). Type the command with every argument instead: `"
                        + path.usage(command) + "`");
            }
        } catch (Exception e) {
            LOG.warn("views.open for {} failed: {}", path.id(), e.getMessage());
        }
    }
}

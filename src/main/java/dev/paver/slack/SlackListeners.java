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

    /**
     * @param command  the slash command, e.g. {@code /platform}
     */
    public SlackListeners(Intake intake, String command) {
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

    Response onCommand(String text, String userId, String channelId, String triggerId, SlashCommandContext ctx) {
        SlashCommandParser.ParseResult parsed = SlashCommandParser.parse(text, intake.paths(), command);
        if (parsed instanceof SlashCommandParser.Help help) {
            return ctx.ack(SlackRenderer.help(command, intake.paths(), help.problem()));
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
        return ctx.ack(":rocket: Starting *" + ready.path().id() + "*" + (primary == null ? "" : " for `" + primary + "`")
                + ". I will report every step in a thread under the status card in this channel.");
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

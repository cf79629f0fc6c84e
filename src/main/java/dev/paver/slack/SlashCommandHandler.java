package dev.paver.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.RequestHeaders;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.methods.response.views.ViewsOpenResponse;
import dev.paver.core.audit.AuditTrail;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.run.Intake;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunFinder;
import dev.paver.core.run.RunRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slash command ({@code /platform ...}; payload: "Implementing slash commands", docs.slack.dev). Parses and
 * checks the text in memory, then acks: with the help, a reply or the violations when there is nothing to start;
 * with the start message when the run starts (after the ack, on the intake executor); empty when a modal opens or
 * an audit, {@code runs} or {@code status} answer is looked up after the ack (answered through {@code response_url},
 * only to the person who asked). A failure before the ack is acked with a reference to Paver's log, and nothing is
 * started. The same signed request sent again changes nothing: its run is stored once, and a modal or an answer is
 * given once ({@link Replays}).
 */
final class SlashCommandHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SlashCommandHandler.class);

    private final Intake intake;
    private final String command;
    private final AuditTrail audit;
    private final SlackListeners.Decisions decisions;
    private final IntakeExecutor executor;
    private final RunStarter starter;
    private final Replays replays;

    SlashCommandHandler(Intake intake, String command, SlackListeners.Decisions decisions, IntakeExecutor executor,
                        RunStarter starter, Replays replays) {
        this.replays = replays;
        this.intake = intake;
        this.command = command;
        this.decisions = decisions;
        this.audit = decisions.audit();
        this.executor = executor;
        this.starter = starter;
    }

    void register(App app) {
        app.command(command, (req, ctx) -> {
            try {
                return onCommand(req.getPayload().getText(), req.getPayload().getUserId(), req.getPayload().getChannelId(),
                        req.getPayload().getTriggerId(), req.getHeaders(), ctx);
            } catch (RuntimeException e) {
                String reference = Long.toString(System.nanoTime(), 36);
                LOG.error("slash command failed (reference {})", reference, e);
                return ctx.ack(":warning: Paver could not handle this command. Nothing was started. The platform team "
                        + "can find the details in Paver's log under reference `" + reference + "`.");
            }
        });
    }

    /**
     * @param headers the request's HTTP headers, whose verified signature keeps a replay from having a second effect
     *                ({@link Replays}); none in Socket Mode
     */
    Response onCommand(String text, String userId, String channelId, String triggerId, RequestHeaders headers,
                       SlashCommandContext ctx) {
        SlashCommandParser.ParseResult parsed = SlashCommandParser.parse(text, intake.paths(), command);
        if (parsed instanceof SlashCommandParser.Help help) {
            return ctx.ack(SlackRenderer.help(command, intake.paths(), help.problem()));
        }
        if (parsed instanceof SlashCommandParser.Audit query) {
            executor.execute(() -> {
                if (replayed(headers, "audit")) {
                    return;
                }
                String answer;
                try {
                    answer = SlackRenderer.audit(audit.recent(query.query(), intake.catalog().current(), userId));
                } catch (IllegalArgumentException e) {
                    answer = SlackRenderer.escape(e.getMessage());
                }
                IntakeExecutor.inform(ctx::respond, userId, answer);
            });
            return ctx.ack();
        }
        if (parsed instanceof SlashCommandParser.Runs runs) {
            executor.execute(() -> {
                if (!replayed(headers, "runs")) {
                    answerRuns(runs.query(), userId, ctx);
                }
            });
            return ctx.ack();
        }
        if (parsed instanceof SlashCommandParser.Status status) {
            executor.execute(() -> {
                if (!replayed(headers, "status")) {
                    answerStatus(status.runId(), userId, ctx);
                }
            });
            return ctx.ack();
        }
        if (parsed instanceof SlashCommandParser.Revoke revoke) {
            executor.execute(() -> {
                if (!replayed(headers, "revoke")) {
                    IntakeExecutor.inform(ctx::respond, userId, revoke(revoke.key(), userId));
                }
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
            executor.execute(() -> {
                if (!replayed(headers, path.id())) {
                    openModal(path, needs.given(), channelId, triggerId, ctx);
                }
            });
            return ctx.ack();
        }
        if (outcome instanceof Intake.UnknownPath unknown) {
            return ctx.ack(SlackRenderer.help(command, intake.paths(), "There is no golden path `" + unknown.id() + "`."));
        }
        Intake.Ready ready = (Intake.Ready) outcome;
        if (!starter.startLater(ready, userId, RunRequest.Origin.TYPED, channelId, ctx::respond, Replays.signature(headers))) {
            LOG.info("Ignored a {} slash command whose run was stored before: a replay, answered with nothing", ready.path().id());
            return ctx.ack();
        }
        var positional = ready.path().parameters().positional();
        Object primary = positional == null ? null : ready.accepted().parameters().get(positional.name());
        String subject = "*" + ready.path().id() + "*" + (primary == null ? "" : " for `" + primary + "`");
        if (!ready.secrets().isEmpty()) {
            return ctx.ack(":lock: Checking the secret value against the Sealed Secrets controller's key for " + subject
                    + ". If it holds, the status card follows in this channel; if not, I tell you here.");
        }
        return ctx.ack(":rocket: Starting " + subject + ". I will report every step in a thread under the status card in this channel.");
    }

    /** Ends the elevations to {@code key} that {@code userId} may end; returns what to tell them. */
    private String revoke(String key, String userId) {
        try {
            return SlackRenderer.mrkdwn(decisions.revocations().revoke(key, userId));
        } catch (IllegalArgumentException e) {
            return SlackRenderer.escape(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("revoking the access to {} for {} failed: {}", key, userId, e.getMessage());
            return ":warning: Paver could not delete the RoleBinding, so the access stays as it was. Try again in a minute; "
                    + "the platform team finds the cause in Paver's log.";
        }
    }

    /** Tells {@code userId} privately their newest runs ({@code query} empty) or those about a key or service. */
    private void answerRuns(String query, String userId, SlashCommandContext ctx) {
        String answer;
        try {
            RunFinder.Found found = query.isEmpty() ? decisions.finder().mine(userId) : decisions.finder().about(query);
            answer = SlackRenderer.runs(found, decisions.engine()::card, decisions.clock().instant(), command);
        } catch (IllegalArgumentException e) {
            answer = SlackRenderer.escape(e.getMessage());
        }
        IntakeExecutor.inform(ctx::respond, userId, answer);
    }

    /** Tells {@code userId} privately the card of one run, or why there is none. */
    private void answerStatus(String runId, String userId, SlashCommandContext ctx) {
        Optional<Run> run;
        try {
            run = decisions.finder().byId(runId);
        } catch (IllegalArgumentException e) {
            IntakeExecutor.inform(ctx::respond, userId, SlackRenderer.escape(e.getMessage()));
            return;
        }
        if (run.isEmpty()) {
            IntakeExecutor.inform(ctx::respond, userId, "No run has the id `" + SlackRenderer.escape(runId) + "`. `" + command
                    + " runs` lists yours with their ids.");
            return;
        }
        Run found = run.get();
        List<LayoutBlock> blocks = SlackRenderer.status(found, decisions.engine().card(found), decisions.clock().instant());
        String fallback = "Run " + found.id() + ": " + found.state().name().toLowerCase(Locale.ROOT);
        try {
            ctx.respond(r -> r.responseType("ephemeral").text(fallback).blocks(blocks));
        } catch (Exception notified) {
            LOG.warn("could not tell {} the status of run {}: {}", userId, found.id(), notified.getMessage());
        }
    }

    /** True (and logged) when the request was handled before; a store failure is logged and counts as a replay. */
    private boolean replayed(RequestHeaders headers, String what) {
        try {
            if (replays.firstTime(headers)) {
                return false;
            }
            LOG.info("Ignored a {} slash command received before: a replay, not answered again", what);
        } catch (RuntimeException e) {
            LOG.warn("Could not record a {} slash command as received, so it was not answered: {}", what, e.getMessage());
        }
        return true;
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

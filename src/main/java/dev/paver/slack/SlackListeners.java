package dev.paver.slack;

import com.slack.api.bolt.App;
import dev.paver.core.action.Extensions;
import dev.paver.core.action.Revocations;
import dev.paver.core.approval.Approvals;
import dev.paver.core.audit.AuditTrail;
import dev.paver.core.run.Home;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunFinder;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Paver's Bolt listeners, one class per kind of interaction: {@link SlashCommandHandler},
 * {@link ModalSubmissionHandler}, {@link ApprovalButtons}, {@link PreviewButton}, {@link RetryButton},
 * {@link CancelButton} and {@link AppHome}. Each one
 * parses and checks (cheap, in memory), acknowledges, and hands the slow work (storing and starting the run, opening
 * a modal) to the one intake executor they share, so that Slack gets its ack well within its 3-second limit whatever
 * git or the cluster are doing ("Acknowledge the request", docs.slack.dev). A click on a link button is acked and
 * nothing else: the browser opens the link.
 *
 * <p>{@link #close()} lets the work under way finish (up to {@value IntakeExecutor#DRAIN_SECONDS} s) and tells
 * everyone whose request was still queued that nothing was started, so that a restart never drops a request silently.
 */
public final class SlackListeners implements AutoCloseable {

    private final IntakeExecutor executor = new IntakeExecutor();
    private final SlashCommandHandler command;
    private final ModalSubmissionHandler modals;
    private final ApprovalButtons approvalButtons;
    private final PreviewButton preview;
    private final RetryButton retry;
    private final CancelButton cancel;
    private final AppHome home;

    /**
     * What the approval buttons, the Extend button, {@code audit}, {@code runs}, {@code status}, {@code revoke} and App
     * Home need.
     *
     * @param approvals  votes and denials
     * @param extensions the Extend button
     * @param audit      {@code /platform audit <key>}
     * @param home       a user's App Home, by user id
     * @param wake       schedules a pass over a run (by id) once a decision was made
     * @param engine     the run engine, for Open PR after a preview ({@link RunEngine#signal}) and a run's card
     * @param finder     {@code /platform runs} and {@code /platform status}
     * @param revocations {@code /platform revoke}
     * @param clock      the time a run's age is counted to
     */
    public record Decisions(Approvals approvals, Extensions extensions, AuditTrail audit, Function<String, Home> home,
                            Consumer<String> wake, RunEngine engine, RunFinder finder, Revocations revocations, Clock clock) {
    }

    /**
     * @param command the slash command, e.g. {@code /platform}
     * @param replays the signed requests received before, for the slash commands answered after their ack
     */
    public SlackListeners(Intake intake, String command, Decisions decisions, Replays replays) {
        RunStarter starter = new RunStarter(intake, executor, command);
        this.command = new SlashCommandHandler(intake, command, decisions, executor, starter, replays);
        this.modals = new ModalSubmissionHandler(intake, starter, executor);
        this.home = new AppHome(decisions.home(), decisions.approvals(), executor);
        // a Home tab once opened is kept current as runs and approvals change
        decisions.engine().observedBy(home);
        decisions.approvals().observedBy(home);
        this.approvalButtons = new ApprovalButtons(decisions.approvals(), decisions.extensions(), decisions.wake(), home, executor);
        this.preview = new PreviewButton(decisions.engine(), executor);
        this.retry = new RetryButton(decisions.engine(), executor);
        this.cancel = new CancelButton(decisions.engine(), decisions.approvals(), executor);
    }

    /** Registers the slash command, the buttons, App Home and one view submission handler per golden path on {@code app}. */
    public void register(App app) {
        command.register(app);
        // a click on a link button opens the link in the browser; Slack still expects the request acknowledged
        app.blockAction(Pattern.compile("^" + Pattern.quote(SlackRenderer.LINK_ACTION_PREFIX) + "\\d+$"), (req, ctx) -> ctx.ack());
        approvalButtons.register(app);
        preview.register(app);
        retry.register(app);
        cancel.register(app);
        home.register(app);
        // last: its callback id pattern is the widest, the denial modal's handler must come first
        modals.register(app);
    }

    /** Finishes the work under way and tells the requesters whose work was still queued. */
    @Override
    public void close() {
        home.close();
        executor.close();
    }
}

package dev.paver.slack;

import dev.paver.core.run.Intake;
import dev.paver.core.run.RunRequest;
import dev.paver.slack.IntakeExecutor.Tell;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a checked request's run on the intake executor, after the ack, for the slash command and the golden path
 * modals alike; when the run cannot start, or its card cannot be posted in the channel, tells the requester (only
 * them) why.
 */
final class RunStarter {

    private static final Logger LOG = LoggerFactory.getLogger(RunStarter.class);

    private final Intake intake;
    private final IntakeExecutor executor;
    private final String command;

    /** @param command the slash command, e.g. {@code /platform}, for the usage in a refusal */
    RunStarter(Intake intake, IntakeExecutor executor, String command) {
        this.intake = intake;
        this.executor = executor;
        this.command = command;
    }

    void startLater(Intake.Ready ready, String userId, RunRequest.Origin origin, String channel, Tell tell) {
        executor.executeOrTell(ready.path().id(), userId, tell, () -> {
            try {
                intake.start(ready, userId, origin, channel, run -> {
                    if (run.thread() == null && run.state().finished()) {
                        IntakeExecutor.inform(tell, userId, ":warning: " + run.outcome());
                    }
                });
            } catch (Intake.NotAllowed e) {
                IntakeExecutor.inform(tell, userId, ":no_entry: " + e.getMessage());
            } catch (Intake.Refused e) {
                IntakeExecutor.inform(tell, userId, SlackRenderer.violations(e.path(), e.violations(), command));
            } catch (RuntimeException e) {
                LOG.error("starting {} for {} failed", ready.path().id(), userId, e);
                IntakeExecutor.inform(tell, userId, ":warning: Paver could not start " + ready.path().id() + ": " + e.getMessage());
            }
        });
    }
}

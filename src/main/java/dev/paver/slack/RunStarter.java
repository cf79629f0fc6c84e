package dev.paver.slack;

import dev.paver.core.run.Intake;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.slack.IntakeExecutor.Tell;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a checked request before the ack and starts its run on the intake executor, after the ack, for the slash command and the golden path
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

    /**
     * Stores the request at once (on the calling thread, before the acknowledgement: a crash after the ack then loses
     * nothing, {@link Intake#resumeReceived} goes on with it) and finishes its intake on the executor.
     *
     * @param requestSignature the slash command's {@code X-Slack-Signature} ({@link Replays#signature}), or null
     * @return false when the run of this signed request was stored before (a replay): nothing was stored or started
     * @throws RuntimeException when the request cannot be stored; nothing was started and the caller says so
     */
    boolean startLater(Intake.Ready ready, String userId, RunRequest.Origin origin, String channel, Tell tell,
                       String requestSignature) {
        Optional<Run> stored = intake.accept(ready, userId, origin, channel, requestSignature);
        if (stored.isEmpty()) {
            ready.secrets().discard();
            return false;
        }
        Run accepted = stored.get();
        executor.execute(() -> {
            try {
                intake.start(ready, accepted, run -> {
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
        return true;
    }
}

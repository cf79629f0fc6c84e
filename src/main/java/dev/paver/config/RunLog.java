package dev.paver.config;

import dev.paver.core.run.Run;
import dev.paver.core.run.RunListener;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the milestones of every run at INFO (a step done, the run's end), then tells {@code next} (the metrics): an
 * operator reading the log, or a log search on {@code paver.run.id}, sees what a run did without opening Slack. A
 * line logged on a run worker carries the run's fields ({@link RunLogFields}); the message names the run too, for
 * plain-text logs. Nothing from the request's parameters is logged: a parameter may hold a value its requester
 * would not share (a create-secret's plain value is sealed before the run starts, but other templates may differ).
 * One short line per step: the console appender's write is the only I/O, as for any other log line.
 */
final class RunLog implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(RunLog.class);

    private final RunListener next;

    RunLog(RunListener next) {
        this.next = next;
    }

    @Override
    public void started(RunRequest request) {
        next.started(request);
    }

    @Override
    public void finished(RunRequest request, RunState ending) {
        LOG.info("a {} run asked by {} in {} ended: {}", request.goldenPath(), request.requester(), request.channel(), ending);
        next.finished(request, ending);
    }

    @Override
    public void stepDone(Run run, String action, Instant doneAt) {
        LOG.info("run {}: a {} step is done", run.id(), action);
        next.stepDone(run, action, doneAt);
    }
}

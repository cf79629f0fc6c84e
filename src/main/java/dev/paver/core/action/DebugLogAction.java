package dev.paver.core.action;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Backstage's {@code debug:log} ({@code builtin/debug/log} of {@code @backstage/plugin-scaffolder-backend}): writes
 * {@code message} where the run's log is read, which for a Paver run is its Slack thread (and Paver's log), and with
 * {@code listWorkspace} ({@code true} or {@code with-filenames}; {@code with-contents} adds each file's text) lists
 * the files rendered so far. Has no side effect. A message longer than {@value #MAX_TEXT} characters is cut, with a
 * note saying so. Output: none.
 */
public final class DebugLogAction implements Action {

    private static final Logger LOG = Logger.getLogger(DebugLogAction.class.getName());

    /** The longest text posted in the thread (Slack's message text is limited; a log is not a file viewer). */
    static final int MAX_TEXT = 3000;

    @Override
    public String id() {
        return "debug:log";
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Object list = ctx.input().getOrDefault("listWorkspace", false);
        if (!(list instanceof Boolean) && !"with-filenames".equals(list) && !"with-contents".equals(list)) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": listWorkspace must be true, false, with-filenames "
                    + "or with-contents, got " + list, List.of());
        }
        List<String> lines = new ArrayList<>();
        String message = ctx.text("message").strip();
        if (!message.isEmpty()) {
            lines.add(message);
        }
        if (!Boolean.FALSE.equals(list)) {
            lines.add("Workspace:");
            for (String path : new TreeSet<>(ctx.workspace().keySet())) {
                lines.add("with-contents".equals(list) ? " - " + path + ":\n\n  " + ctx.workspace().get(path) : "  - " + path);
            }
        }
        if (lines.isEmpty()) {
            return ActionResult.Done.of(Map.of(), "nothing to log");
        }
        String text = String.join("\n", lines);
        LOG.info("run " + ctx.runId() + " step " + ctx.stepId() + " (debug:log): " + text);
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "\n... (cut at " + MAX_TEXT + " characters; Paver's log has all of it)";
        }
        return new ActionResult.Done(Map.of(), "logged", List.of(Milestone.of("log", "```\n" + text + "\n```")));
    }
}

package dev.paver.core.action;

import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code backstage:task}: runs a Backstage Template as a task of Backstage's Scaffolder (Backstage as the engine) and
 * follows it to its end, telling the thread each of Backstage's steps as it completes, as Paver's own steps are told.
 *
 * <p>Inputs: {@code templateRef}, the Template's entity reference ({@code template:<namespace>/<name>}, required), and
 * {@code values}, the form's values (a map; default none).
 *
 * <p>The first execution starts the task ({@link ScaffolderPort#start}) and waits on {@code backstage-task:<task id>}
 * with a timer {@link #POLL} later; it keeps the task's id and the last event read
 * ({@link ActionResult.Waiting#state()}), so each later pass (the timer, the engine's poll, a restart) reads only the
 * new events, without waiting for Backstage's long poll. Milestones, each posted once per run: {@code started}, and
 * {@code step:<step id>} for each of Backstage's steps completed. When the task completes the step is done with
 * output {@code taskId}, {@code links} (the task output's {@code links}, each {@code {title, url}} as Backstage gives
 * them), {@code pullRequests} (those links that are a pull request's address, {@code .../pull/<number>}, each
 * {@code {title, url}}: what {@code paver:await-merge} follows with {@code pullRequestUrl}) and {@code output} (the
 * task's whole output); when it fails or is cancelled the step fails with Backstage's
 * error or the failed step's last log line. A refused start (values against the Template's schema, an unknown
 * Template) fails the step; Backstage out of reach is tried again by the engine.
 *
 * <p>A run cancelled while its task runs ({@link #undo}) cancels the task in Backstage; what the task's steps already
 * did (a repository, a pull request) is Backstage's, and stays.
 */
public final class BackstageTaskAction implements Action {

    /** How soon a running task is asked again. */
    public static final Duration POLL = Duration.ofSeconds(3);
    /** The prefix of the wait key, followed by the task id. */
    public static final String WAIT_KEY_PREFIX = "backstage-task:";

    /** {@code template:<namespace>/<name>}, as Backstage's entity references are written (names of letters, digits, -_.). */
    private static final Pattern TEMPLATE_REF = Pattern.compile("template:[A-Za-z0-9][A-Za-z0-9._-]{0,62}/[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern PULL_REQUEST = Pattern.compile("^https?://[^/]+/.+/pull/\\d+/?$");
    private static final String TASK = "taskId";
    private static final String AFTER = "after";
    /** The card's line last given, kept so that a pass with nothing new says the same. */
    private static final String DETAIL = "detail";

    private final ScaffolderPort scaffolder;

    public BackstageTaskAction(ScaffolderPort scaffolder) {
        this.scaffolder = scaffolder;
    }

    @Override
    public String id() {
        return "backstage:task";
    }

    /** The wait key of a task. */
    public static String waitKey(String taskId) {
        return WAIT_KEY_PREFIX + taskId;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String taskId = ctx.state().getOrDefault(TASK, "");
        if (taskId.isEmpty()) {
            return start(ctx);
        }
        long after = Long.parseLong(ctx.state().getOrDefault(AFTER, "0"));
        ScaffolderPort.Progress progress = scaffolder.progress(taskId, after);
        List<Milestone> milestones = new ArrayList<>();
        String running = "";
        for (ScaffolderPort.Step step : progress.steps()) {
            if (step.status().equals("completed")) {
                milestones.add(Milestone.of("step:" + step.id(), "Backstage step *" + step.name() + "* done."));
            } else if (step.status().equals("processing")) {
                running = step.name();
            }
        }
        if (progress.ended() && progress.failed()) {
            return new ActionResult.Failed("Backstage task " + taskId + " failed: " + progress.failure(), milestones);
        }
        if (progress.ended()) {
            Map<String, Object> output = new LinkedHashMap<>();
            output.put(TASK, taskId);
            List<?> links = progress.output().get("links") instanceof List<?> l ? l : List.of();
            output.put("links", links);
            output.put("pullRequests", pullRequests(links));
            output.put("output", progress.output());
            return new ActionResult.Done(output, "Backstage task " + taskId + " completed", milestones);
        }
        long next = Math.max(after, progress.after());
        String detail = running.isEmpty() ? "Backstage task " + taskId + " is running"
                : "Backstage task " + taskId + ": step " + running;
        if (running.isEmpty() && ctx.state().containsKey(DETAIL)) {
            detail = ctx.state().get(DETAIL); // nothing new since: what was said last
        }
        return new ActionResult.Waiting(waitKey(taskId), detail, milestones, ctx.clock().instant().plus(POLL),
                Map.of(TASK, taskId, AFTER, String.valueOf(next), DETAIL, detail));
    }

    /** The links whose {@code url} is a pull request's address ({@code .../pull/<number>}), as {@code {title, url}}. */
    private static List<Map<String, Object>> pullRequests(List<?> links) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Object link : links) {
            if (link instanceof Map<?, ?> map && map.get("url") instanceof String url && PULL_REQUEST.matcher(url).find()) {
                found.add(Map.of("title", String.valueOf(map.get("title") == null ? url : map.get("title")), "url", url));
            }
        }
        return found;
    }

    @Override
    public List<Compensation> undo(Compensation.Cancel cancel, StepRun step) {
        String taskId = String.valueOf(step.output().getOrDefault(TASK, ""));
        if (step.status() != StepStatus.WAITING || taskId.isEmpty()) {
            return List.of();
        }
        return List.of(new Compensation("cancel Backstage task " + taskId, () -> {
            scaffolder.cancel(taskId);
            return "cancelled Backstage task " + taskId;
        }));
    }

    private ActionResult start(ActionContext ctx) {
        String templateRef = ctx.required("templateRef");
        if (!TEMPLATE_REF.matcher(templateRef).matches()) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": input.templateRef is '" + templateRef
                    + "': give a Template's entity reference, template:<namespace>/<name>", List.of());
        }
        Object values = ctx.input().getOrDefault("values", Map.of());
        if (!(values instanceof Map<?, ?> map)) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": input.values must be a map of the Template's "
                    + "parameters, got " + values, List.of());
        }
        Map<String, Object> given = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (!TemplateRenderer.isUndefined(value)) { // a parameter left out is left out, as Backstage's form leaves it
                given.put(String.valueOf(key), value);
            }
        });
        String taskId;
        try {
            taskId = scaffolder.start(templateRef, given);
        } catch (ScaffolderPort.Refused e) {
            return new ActionResult.Failed(e.getMessage(), List.of());
        }
        String detail = "Backstage task " + taskId + " is running";
        return new ActionResult.Waiting(waitKey(taskId), detail,
                List.of(Milestone.of("started", "Backstage's Scaffolder runs " + templateRef + " as task " + taskId + ".")),
                ctx.clock().instant().plus(POLL), Map.of(TASK, taskId, AFTER, "0", DETAIL, detail));
    }
}

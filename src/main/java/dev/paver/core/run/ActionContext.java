package dev.paver.core.run;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.ThreadRef;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an action sees when it runs.
 *
 * @param runId      the run's id, stable across restarts (use it to key side effects)
 * @param stepId     the template step's id
 * @param runStarted when the run was created
 * @param stepStarted when this step first ran (the first check of a waiting step), or now on its first execution
 * @param request    the run's request
 * @param goldenPath the template the run walks
 * @param input      the step's {@code input}, rendered; a key whose value is undefined
 *                   ({@link TemplateRenderer#UNDEFINED}, e.g. {@code ${{ parameters.description }}} of an optional
 *                   parameter left out) is left out, as Backstage leaves it out (values inside keep it)
 * @param workspace  files rendered so far in this run: relative path to text (mutable, in memory)
 * @param clock      the time source
 * @param thread     where the run is reported (its card and thread), or null before the card is posted
 * @param signals    what people told this run so far by buttons, e.g. {@code preview-open} (RunEngine#signal)
 * @param checkedBefore true when this step waited in an earlier pass (of this process or one before a restart):
 *                   this execution checks again what it waits for; false on the step's first execution
 * @param state      what this step's action kept when it last waited ({@link ActionResult.Waiting#state()}): stored
 *                   with the run, so it is given back in the next pass, after a restart too; empty on the first
 *                   execution
 */
public record ActionContext(String runId, String stepId, Instant runStarted, Instant stepStarted, RunRequest request,
                            GoldenPath goldenPath,
                            Map<String, Object> input, Map<String, String> workspace, Clock clock,
                            ThreadRef thread, Set<String> signals, boolean checkedBefore, Map<String, String> state) {

    public ActionContext {
        signals = signals == null ? Set.of() : Set.copyOf(signals);
        state = state == null ? Map.of() : Map.copyOf(state);
        if (input != null && input.containsValue(TemplateRenderer.UNDEFINED)) {
            Map<String, Object> defined = new LinkedHashMap<>(input);
            defined.values().removeIf(TemplateRenderer::isUndefined);
            input = defined;
        }
    }

    /** A context with nothing kept from an earlier pass. */
    public ActionContext(String runId, String stepId, Instant runStarted, Instant stepStarted, RunRequest request,
                         GoldenPath goldenPath, Map<String, Object> input, Map<String, String> workspace, Clock clock,
                         ThreadRef thread, Set<String> signals, boolean checkedBefore) {
        this(runId, stepId, runStarted, stepStarted, request, goldenPath, input, workspace, clock, thread, signals,
                checkedBefore, Map.of());
    }

    /** A context for a step's first execution. */
    public ActionContext(String runId, String stepId, Instant runStarted, Instant stepStarted, RunRequest request,
                         GoldenPath goldenPath, Map<String, Object> input, Map<String, String> workspace, Clock clock,
                         ThreadRef thread, Set<String> signals) {
        this(runId, stepId, runStarted, stepStarted, request, goldenPath, input, workspace, clock, thread, signals, false);
    }

    /** A context with no signals. */
    public ActionContext(String runId, String stepId, Instant runStarted, Instant stepStarted, RunRequest request,
                         GoldenPath goldenPath, Map<String, Object> input, Map<String, String> workspace, Clock clock,
                         ThreadRef thread) {
        this(runId, stepId, runStarted, stepStarted, request, goldenPath, input, workspace, clock, thread, Set.of());
    }

    /** True when the run is a dry run: it shows the change and waits for Open PR before any side effect. */
    public boolean dryRun() {
        return Boolean.TRUE.equals(request.platform().get(RunRequest.DRY_RUN));
    }

    /** A context with no thread (tests, dry runs). */
    public ActionContext(String runId, String stepId, Instant runStarted, Instant stepStarted, RunRequest request,
                         GoldenPath goldenPath, Map<String, Object> input, Map<String, String> workspace, Clock clock) {
        this(runId, stepId, runStarted, stepStarted, request, goldenPath, input, workspace, clock, null, Set.of());
    }

    /**
     * The workspace files under {@code folder} (an input value such as {@code ./gitops}), with paths relative to it.
     *
     * @throws IllegalArgumentException when the folder is not a safe relative path
     */
    public Map<String, String> workspaceUnder(String folder) {
        String prefix = RepositoryNames.folder(folder);
        Map<String, String> files = new LinkedHashMap<>();
        workspace.forEach((path, text) -> {
            if (path.startsWith(prefix)) {
                files.put(path.substring(prefix.length()), text);
            }
        });
        return files;
    }

    /** The input {@code key} as text. */
    public String text(String key) {
        Object v = input.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    /**
     * The input {@code key} as text, required.
     *
     * @throws IllegalArgumentException naming the step and the key when it is missing or empty
     */
    public String required(String key) {
        String v = text(key);
        if (v.isBlank()) {
            throw new IllegalArgumentException("step " + stepId + ": input." + key + " is required");
        }
        return v;
    }
}

package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Link;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Backstage's {@code github:actions:dispatch} ({@code githubActionsDispatch} of
 * {@code @backstage/plugin-scaffolder-backend-module-github}): runs a GitHub Actions workflow of a repository of
 * Paver's own on a branch or tag ({@link RepositoryPort#dispatchWorkflow}, GitHub's "Create a workflow dispatch
 * event"). Inputs, Backstage's: {@code repoUrl} (its host and owner must be Paver's own, see {@link RepositoryNames}),
 * {@code workflowId} (the workflow's file name, e.g. {@code pages.yml}, or its id), {@code branchOrTagName},
 * {@code workflowInputs} (an object of at most 10 keys, GitHub's limit, sent as text); {@code token} is ignored: Paver's
 * own credentials act. GitHub gives no run id: the thread links the workflow's runs. Output: none, as Backstage's.
 *
 * <p>Executing the step again after a crash between GitHub's answer and the step's record dispatches the workflow a
 * second time, as Backstage's checkpoint does when its task is retried before the checkpoint is saved.
 *
 * <p>On a plain git host there are no GitHub Actions: the step is done without acting and says so in the thread
 * (what the workflow would have done, e.g. deploy a site, is then the platform's own CI's business).
 */
public final class GitHubActionsDispatchAction implements Action {

    /** GitHub's limit on a workflow dispatch's inputs. */
    static final int MAX_INPUTS = 10;

    private static final Pattern WORKFLOW = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public GitHubActionsDispatchAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "github:actions:dispatch";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String step = "step " + ctx.stepId() + " (github:actions:dispatch): ";
        if (ctx.text("repoUrl").isBlank()) {
            throw new IllegalArgumentException(step + "input.repoUrl is required, e.g. "
                    + repositories.location().repoUrl("landing-page"));
        }
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String workflow = ctx.required("workflowId").strip();
        if (!WORKFLOW.matcher(workflow).matches()) {
            throw new IllegalArgumentException(step + "workflowId " + workflow + " is not a workflow file name (e.g. "
                    + "pages.yml, in .github/workflows/) nor a workflow id");
        }
        String ref = ctx.required("branchOrTagName").strip();
        RepositoryNames.branch(ref);
        Map<String, String> inputs = new LinkedHashMap<>();
        Object given = ctx.input().get("workflowInputs");
        if (given instanceof Map<?, ?> map) {
            map.forEach((k, v) -> inputs.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (given != null && !String.valueOf(given).isBlank()) {
            throw new IllegalArgumentException(step + "workflowInputs must be an object of input names to values, got "
                    + given);
        }
        if (inputs.size() > MAX_INPUTS) {
            throw new IllegalArgumentException(step + "workflowInputs has " + inputs.size() + " keys; GitHub takes at most "
                    + MAX_INPUTS);
        }
        if (!repositories.hasGitHubFeatures()) {
            return new ActionResult.Done(Map.of(), "not on GitHub: workflow not run", List.of(Milestone.of("no-actions",
                    "Workflow " + workflow + " of " + repository + " not run: Paver's repositories are on a plain git host, "
                            + "which has no GitHub Actions. The run goes on; what the workflow does is up to your own CI.")));
        }
        repositories.dispatchWorkflow(repository, workflow, ref, inputs);
        String runs = repositories.cloneUrl(repository).replaceAll("\\.git$", "") + "/actions/workflows/" + workflow;
        return new ActionResult.Done(Map.of(), "workflow " + workflow + " dispatched",
                List.of(new Milestone("dispatched", "Workflow " + workflow + " of " + repository + " dispatched on " + ref
                        + (inputs.isEmpty() ? "" : " with " + inputs) + ".", List.of(new Link("Workflow runs", runs)))));
    }
}

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

/**
 * Backstage's {@code publish:github} ({@code publish:github} of {@code @backstage/plugin-scaffolder-backend-module-github}):
 * creates a repository and makes the workspace its first content. Paver does it through its git host
 * ({@link RepositoryPort}), whichever it is (GitHub, a folder of bare repositories, a plain git remote):
 * <ol>
 *   <li>the repository is created as {@code github:repo:create} creates it ({@link CreateRepositoryAction}): the
 *       {@code repo} of {@code repoUrl} is its name (the owner is the host's organisation Paver is configured for),
 *       {@code description} its description; one that exists and is not this run's fails the step, and on a plain
 *       git remote the step asks for it in the thread and waits;</li>
 *   <li>the workspace files under {@code sourcePath} (default all) are committed on the branch
 *       {@code paver/<run id>/<step id>} and merged into the default branch at once: Backstage pushes them as the
 *       default branch's first commit, and Paver's port pushes only through a branch; the repository is new and the
 *       run's own, so nobody's review is skipped. Executing the step again finds its branch and its merge. The
 *       host's own first commit stays under the workspace's (on a folder of bare repositories, a {@code README.md}
 *       with the description, unless the workspace has its own).</li>
 * </ol>
 * {@code gitCommitMessage} (default {@code initial commit}, as Backstage's) is the commit's message. {@code defaultBranch}
 * must be the host's default branch when given: Paver's port does not choose it. Backstage's settings of the GitHub
 * repository ({@code repoVisibility}, {@code protectDefaultBranch}, {@code topics}, {@code collaborators}, ...) and
 * {@code token} are accepted and not applied: Paver's port has no such settings, and its own credentials create the
 * repository. Outputs, Backstage's: {@code remoteUrl} (the clone URL), {@code repoContentsUrl}
 * ({@code <repository URL>/blob/<default branch>}), {@code commitHash} (the default branch's commit with the files).
 */
public final class PublishGithubAction implements Action {

    private final RepositoryPort repositories;
    private final CreateRepositoryAction create;

    /** @param repositories the git host */
    public PublishGithubAction(RepositoryPort repositories) {
        this.repositories = repositories;
        this.create = new CreateRepositoryAction(repositories);
    }

    @Override
    public String id() {
        return "publish:github";
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        RepositoryNames.repository(ctx, repositories.location()); // another host or owner: refused before anything
        Map<String, String> files = ctx.workspaceUnder(ctx.text("sourcePath"));
        if (files.isEmpty()) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (publish:github): no rendered files under "
                    + (ctx.text("sourcePath").isBlank() ? "the workspace" : ctx.text("sourcePath"))
                    + " to publish; a fetch:template step must come first", List.of());
        }
        files.keySet().forEach(RepositoryNames::path);
        ActionResult created = create.execute(ctx);
        if (!(created instanceof ActionResult.Done done)) {
            return created;
        }
        String repository = String.valueOf(done.output().get("repository"));
        String defaultBranch = String.valueOf(done.output().get("defaultBranch"));
        String wanted = ctx.text("defaultBranch");
        if (!wanted.isBlank() && !wanted.equals(defaultBranch)) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (publish:github): defaultBranch is " + wanted
                    + ", but the git host made " + defaultBranch + " the default branch of " + repository
                    + "; leave defaultBranch out or set it to " + defaultBranch, List.of());
        }
        String message = ctx.text("gitCommitMessage").isBlank() ? "initial commit" : ctx.text("gitCommitMessage");
        String branch = RepositoryNames.branch("paver/" + ctx.runId() + "/" + ctx.stepId());
        RepositoryPort.PullRequest pr = repositories.openPullRequest(new RepositoryPort.PullRequestDraft(repository,
                branch, message, "The first content of " + repository + ", published by Paver run " + ctx.runId()
                + " (publish:github).", message, files));
        RepositoryPort.MergeState.Merged merged = repositories.merge(pr, pr.headSha(), message);
        String url = String.valueOf(done.output().get("remoteUrl"));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("remoteUrl", repositories.cloneUrl(repository));
        output.put("repoContentsUrl", url.replaceAll("/+$", "") + "/blob/" + defaultBranch);
        output.put("commitHash", merged.revision());
        return new ActionResult.Done(output, repository + " published",
                List.of(new Milestone("published", "Repository " + repository + " is created with " + files.size()
                        + (files.size() == 1 ? " file" : " files") + " on " + defaultBranch + ".",
                        List.of(new Link(repository, url)))));
    }
}

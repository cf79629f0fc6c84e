package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Link;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backstage's {@code publish:github:pull-request}: commits workspace files on a branch and opens a pull request.
 * Inputs: {@code repoUrl} or {@code repository}, {@code branchName}, {@code title}, {@code description},
 * {@code sourcePath} (workspace folder, default all), {@code targetPath} (folder in the repository, default
 * root), {@code commitMessage}, and Paver's {@code failIfExists} (repository paths that must not exist yet on the
 * default branch, e.g. the catalog entity of a new service) and {@code deletions} (repository paths, files or folders,
 * that the commit removes with everything under them: what a decommission takes away). Repeating it reuses the branch
 * and the open pull request. Output:
 * {@code remoteUrl}, {@code pullRequestNumber}, {@code branchName}, {@code targetBranchName}, {@code repository},
 * {@code headSha}. When its run is cancelled ({@link #undo}), the pull request is closed and its branch deleted.
 */
public final class PublishPullRequestAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public PublishPullRequestAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "publish:github:pull-request";
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String branch = RepositoryNames.branch(ctx.required("branchName"));
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        Map<String, String> files = new LinkedHashMap<>();
        ctx.workspaceUnder(ctx.text("sourcePath")).forEach((path, text) -> files.put(RepositoryNames.path(target + path), text));
        List<String> deletions = new ArrayList<>();
        if (ctx.input().get("deletions") instanceof List<?> removed) {
            for (Object path : removed) {
                deletions.add(RepositoryNames.path(String.valueOf(path)));
            }
        }
        if (files.isEmpty() && deletions.isEmpty()) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": no rendered files under " + ctx.text("sourcePath")
                    + " to publish", List.of());
        }
        if (ctx.input().get("failIfExists") instanceof List<?> guarded) {
            List<String> paths = new ArrayList<>();
            for (Object path : guarded) {
                paths.add(RepositoryNames.path(String.valueOf(path)));
            }
            List<String> existing = paths.isEmpty() ? List.of() : repositories.existing(repository, paths);
            if (!existing.isEmpty()) {
                return new ActionResult.Failed(repository + " already has " + existing.get(0) + " on its default branch, so "
                        + "nothing was pushed: the name is taken. Choose another name.", List.of());
            }
        }
        String title = ctx.required("title");
        String commitMessage = ctx.text("commitMessage").isEmpty() ? title : ctx.text("commitMessage");
        RepositoryPort.PullRequest pr = repositories.openPullRequest(new RepositoryPort.PullRequestDraft(
                repository, branch, title, ctx.text("description"), commitMessage, files, deletions));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("remoteUrl", pr.url());
        output.put("pullRequestNumber", pr.number());
        output.put("branchName", pr.branch());
        output.put("targetBranchName", pr.baseBranch());
        output.put("repository", pr.repository());
        output.put("headSha", pr.headSha());
        String what = pr.number() > 0 ? "Pull request #" + pr.number() : "Branch " + pr.branch();
        String removed = deletions.size() + (deletions.size() == 1 ? " path removed" : " paths removed");
        String text = what + " opened in " + pr.repository() + ": " + title + " ("
                + (deletions.isEmpty() ? files.size() + " files" : files.isEmpty() ? removed : files.size() + " files, " + removed) + ")";
        return new ActionResult.Done(output, pr.describe() + " in " + pr.repository(),
                List.of(new Milestone("opened", text, List.of(new Link(pr.repository() + " " + pr.describe(), pr.url())))));
    }

    /**
     * Closes the pull request the step opened and deletes its branch (on plain git, where the branch is the pull
     * request, deletes the branch). A pull request merged already stays merged: the thread says its change is on the
     * default branch, for a person to revert by pull request if it must go.
     */
    @Override
    public List<Compensation> undo(Compensation.Cancel cancel, StepRun step) {
        Map<String, Object> out = step.output();
        if (step.status() != StepStatus.DONE || out.get("repository") == null || out.get("branchName") == null) {
            return List.of();
        }
        String repository = RepositoryNames.repository(String.valueOf(out.get("repository")));
        String branch = RepositoryNames.branch(String.valueOf(out.get("branchName")));
        String number = String.valueOf(out.getOrDefault("pullRequestNumber", "0"));
        RepositoryPort.PullRequest pr = new RepositoryPort.PullRequest(repository,
                number.matches("\\d{1,9}") ? Integer.parseInt(number) : 0, String.valueOf(out.getOrDefault("remoteUrl", "")),
                branch, String.valueOf(out.getOrDefault("targetBranchName", "")), String.valueOf(out.getOrDefault("headSha", "")));
        String where = " in " + repository;
        String todo = (pr.number() > 0 ? "close pull request #" + pr.number() + where + " and delete its branch " + branch
                : "delete branch " + branch + where);
        return List.of(new Compensation(todo, () -> {
            RepositoryPort.MergeState before = repositories.closeChange(pr);
            boolean deleted = repositories.deleteBranch(repository, branch);
            if (before instanceof RepositoryPort.MergeState.Merged) {
                return pr.describe() + where + " was merged already, so its change stays on the default branch (revert it "
                        + "by pull request if it must go)" + (deleted ? "; deleted its branch " + branch : "");
            }
            if (pr.number() > 0) {
                return (before instanceof RepositoryPort.MergeState.Open ? "closed " : "found closed already ")
                        + "pull request #" + pr.number() + where + (deleted ? " and deleted its branch " + branch : "");
            }
            return deleted ? "deleted branch " + branch + where : "branch " + branch + where + " was gone already";
        }));
    }
}

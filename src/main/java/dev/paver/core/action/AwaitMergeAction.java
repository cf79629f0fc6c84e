package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:await-merge}: waits until a person merges the pull request a previous step opened. Inputs:
 * {@code repository}, {@code branchName}, {@code pullRequestNumber}, {@code remoteUrl}, {@code headSha} (from
 * {@code publish:github:pull-request}'s output). Wakes on {@code pr:<repository>:<branch>}. Output:
 * {@code revision} (the default-branch commit that contains the change), {@code mergedBy}.
 */
public final class AwaitMergeAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host, asked for the pull request's state */
    public AwaitMergeAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    /** The wake key of a pull request, used by webhooks and pollers too. */
    public static String waitKey(String repository, String branch) {
        return "pr:" + repository + ":" + branch;
    }

    @Override
    public String id() {
        return "paver:await-merge";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        RepositoryPort.PullRequest pr = RepositoryNames.pullRequest(ctx);
        String repository = pr.repository();
        String branch = pr.branch();
        RepositoryPort.MergeState state = repositories.mergeState(pr);
        if (state instanceof RepositoryPort.MergeState.Merged merged) {
            String by = merged.mergedBy() == null || merged.mergedBy().isEmpty() ? "" : " by " + merged.mergedBy();
            return new ActionResult.Done(Map.of("revision", merged.revision(), "mergedBy", merged.mergedBy() == null ? "" : merged.mergedBy()),
                    "merged at " + Message.shortSha(merged.revision()),
                    List.of(new Milestone("merged", capitalize(pr.describe()) + " in " + repository + " merged" + by
                            + " (revision " + Message.shortSha(merged.revision()) + ").", List.of(new Link(repository + " " + pr.describe(), pr.url())))));
        }
        if (state instanceof RepositoryPort.MergeState.Closed) {
            return new ActionResult.Failed(capitalize(pr.describe()) + " in " + repository
                    + " was closed without merging; start a new request to try again.", List.of());
        }
        return new ActionResult.Waiting(waitKey(repository, branch), "waiting for " + pr.describe() + " to be merged", List.of());
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

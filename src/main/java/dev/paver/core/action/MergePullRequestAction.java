package dev.paver.core.action;

import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
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
 * {@code paver:merge}: Paver merges an approved pull request itself, with a merge commit, and only the head that was
 * approved. Inputs: the pull request as {@code publish:github:pull-request} output it ({@code repository},
 * {@code branchName}, {@code pullRequestNumber}, {@code remoteUrl}), {@code headSha} (the approved head, from
 * {@code paver:approval}), {@code approvedBy}, {@code subject} (the semantic key, for the audit log). If the head
 * moved after the approval the host refuses and the run fails with nothing merged. Output: {@code revision} (the
 * default-branch commit that contains the change), {@code mergedBy}.
 */
public final class MergePullRequestAction implements Action {

    private final RepositoryPort repositories;
    private final AuditLog audit;

    public MergePullRequestAction(RepositoryPort repositories, AuditLog audit) {
        this.repositories = repositories;
        this.audit = audit;
    }

    @Override
    public String id() {
        return "paver:merge";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        RepositoryPort.PullRequest pr = RepositoryNames.pullRequest(ctx, repositories.location());
        String approvedHead = ctx.required("headSha");
        String approver = ctx.required("approvedBy");
        RepositoryPort.MergeState.Merged merged;
        try {
            merged = repositories.merge(pr, approvedHead, "Merge " + pr.describe() + " (" + pr.branch() + "), approved by "
                    + approver + " in Slack (Paver run " + ctx.runId() + ")");
        } catch (RepositoryPort.RepositoryException e) {
            if (!e.permanent()) {
                throw e;
            }
            return new ActionResult.Failed("Paver did not merge " + pr.describe() + " in " + pr.repository() + ": "
                    + e.getMessage() + ". Nothing was deployed; ask again to start over.", List.of());
        }
        audit.append(new AuditEntry(ctx.clock().instant(), approver, "merge", ctx.required("subject"), ctx.runId(), "PAVER",
                pr.repository() + " " + pr.describe() + " at " + merged.revision()));
        return new ActionResult.Done(Map.of("revision", merged.revision(), "mergedBy", merged.mergedBy() == null ? "" : merged.mergedBy()),
                "merged at " + Message.shortSha(merged.revision()),
                List.of(new Milestone("merged", "Paver merged " + pr.describe() + " in " + pr.repository() + " as approved by "
                        + Message.mention(approver) + " (revision " + Message.shortSha(merged.revision()) + ").",
                        List.of(new Link(pr.repository() + " " + pr.describe(), pr.url())))));
    }
}

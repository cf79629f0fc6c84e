package dev.paver.core.action;

import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.approval.Approvals;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:approval}: asks a second person and waits for the decision. Inputs: {@code purpose}
 * ({@code promote}, {@code elevate}), {@code domain} (whose approvers decide), {@code subject} (the semantic key),
 * {@code title} (the prompt's first line), {@code summary} (label to value, shown in the prompt), and optionally the
 * pull request as {@code publish:github:pull-request} output it ({@code repository}, {@code branchName},
 * {@code pullRequestNumber}, {@code remoteUrl}, {@code headSha}).
 *
 * <p>The prompt goes into the run's thread and the domain's approvals channel ({@link Approvals#open}). Each pass
 * checks the pull request: a new head voids the votes given so far (they were for other files), a merge outside
 * Paver or a closed pull request ends the run. Approved: done, output {@code approvedBy} (the deciding approver's
 * user id), {@code approvers} (every approver), {@code headSha} (the approved head), {@code approvedAt}. Denied:
 * the run ends as DENIED with the reason. Not decided by the request's expiry: the run ends as EXPIRED. Waits on
 * {@code approval:<request id>} with a timer at the expiry.
 */
public final class ApprovalAction implements Action {

    private final Approvals approvals;
    private final RepositoryPort repositories;

    public ApprovalAction(Approvals approvals, RepositoryPort repositories) {
        this.approvals = approvals;
        this.repositories = repositories;
    }

    /** The wake key of a run waiting for an approval request. */
    public static String waitKey(String requestId) {
        return "approval:" + requestId;
    }

    @Override
    public String id() {
        return "paver:approval";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        boolean hasPullRequest = !ctx.text("branchName").isEmpty();
        RepositoryPort.PullRequest pr = hasPullRequest ? RepositoryNames.pullRequest(ctx, repositories.location()) : null;
        List<ApprovalRequest.SummaryLine> summary = new ArrayList<>();
        if (ctx.input().get("summary") instanceof Map<?, ?> lines) {
            lines.forEach((k, v) -> {
                if (!TemplateRenderer.isUndefined(v)) { // a parameter left out (a summary of ${{ parameters }})
                    summary.add(new ApprovalRequest.SummaryLine(String.valueOf(k), String.valueOf(v)));
                }
            });
        }
        ApprovalRequest request = approvals.open(new Approvals.Ask(ctx.runId(), ctx.stepId(), ctx.required("purpose"),
                ctx.required("domain"), ctx.required("subject"), ctx.request().requester(), ctx.required("title"), summary,
                pr == null ? "" : pr.url(), pr == null ? "" : pr.headSha(), null), ctx.thread());

        List<Milestone> milestones = new ArrayList<>();
        // a pending or approved request is for one head: check it (a denied or expired one is final)
        if (pr != null && (request.state() == ApprovalState.PENDING || request.state() == ApprovalState.APPROVED)) {
            RepositoryPort.MergeState state = repositories.mergeState(pr);
            if (state instanceof RepositoryPort.MergeState.Merged merged) {
                return new ActionResult.Failed(capital(pr.describe()) + " in " + pr.repository() + " was merged outside Paver"
                        + (merged.mergedBy() == null || merged.mergedBy().isEmpty() ? "" : " by " + merged.mergedBy())
                        + " before it was approved here. Paver does not deploy an unapproved change: revert it, or ask "
                        + "the approvers to review it and sync it in Argo CD.", List.of());
            }
            if (state instanceof RepositoryPort.MergeState.Closed) {
                return new ActionResult.Failed(capital(pr.describe()) + " in " + pr.repository()
                        + " was closed; nothing was changed. Ask again to open a new one.", List.of());
            }
            String head = ((RepositoryPort.MergeState.Open) state).headSha();
            if (head != null && !head.isEmpty() && !head.equals(request.headSha())) {
                List<String> voided = approvals.headMoved(request, head);
                if (voided != null) {
                    milestones.add(Milestone.of("void-" + head, "The pull request changed after it was put up for approval ("
                            + Message.shortSha(request.headSha()) + " → " + Message.shortSha(head) + ")"
                            + (voided.isEmpty() ? "" : ": the approval of " + String.join(", ", voided.stream().map(Message::mention).toList())
                            + " is void") + ". The approvers must look at it again."));
                }
                request = approvals.find(request.id()).orElseThrow();
            }
        }
        switch (request.state()) {
            case APPROVED -> {
                Map<String, Object> output = new LinkedHashMap<>();
                output.put("approvedBy", request.decidedBy());
                output.put("approvers", request.votes().stream().map(ApprovalRequest.Vote::approver).toList());
                output.put("headSha", request.headSha());
                output.put("approvedAt", String.valueOf(request.decidedAt()));
                milestones.add(Milestone.of("approved", "Approved by " + Approvals.approvedBy(request) + "."));
                return new ActionResult.Done(output, "approved by " + request.decidedBy(), milestones);
            }
            case DENIED -> {
                return new ActionResult.Failed("denied by " + Message.mention(request.decidedBy()) + ": " + request.reason()
                        + ". Nothing was changed.", milestones, RunState.DENIED);
            }
            case EXPIRED -> {
                return expired(request, milestones);
            }
            default -> {
                if (ctx.clock().instant().isAfter(request.expiresAt())) {
                    return expired(approvals.expire(request), milestones);
                }
                // woken at the approvers' reminder, then at the expiry
                Instant remindAt = approvals.remindIfDue(request);
                return new ActionResult.Waiting(waitKey(request.id()), "waiting for approval (" + request.votes().size() + " of "
                        + request.required() + ")", milestones, remindAt != null ? remindAt : request.expiresAt());
            }
        }
    }

    private static ActionResult expired(ApprovalRequest request, List<Milestone> milestones) {
        return new ActionResult.Failed("nobody approved it before " + Times.instant(request.expiresAt()) + " (the request waits "
                + "at most " + Times.duration(Duration.between(request.createdAt(), request.expiresAt()))
                + "). Nothing was changed; ask again when an approver is around.", milestones, RunState.EXPIRED);
    }

    private static String capital(String s) {
        return AwaitMergeAction.capitalize(s);
    }

    /**
     * Withdraws the run's pending approval requests while the step waits for a decision ({@link Approvals#withdraw}):
     * the prompts lose their buttons and say the run was cancelled.
     */
    @Override
    public List<Compensation> undo(Compensation.Cancel cancel, StepRun step) {
        if (step.status() != StepStatus.WAITING) {
            return List.of();
        }
        List<Compensation> out = new ArrayList<>();
        for (ApprovalRequest request : approvals.forRun(cancel.runId())) {
            if (request.state() == ApprovalState.PENDING) {
                out.add(new Compensation("withdraw the approval request for " + request.subject(), () -> {
                    approvals.withdraw(request, cancel.by());
                    return "withdrew the approval request for " + request.subject();
                }));
            }
        }
        return out;
    }
}

package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import dev.paver.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:await-merge}: waits until a person merges the pull request a previous step opened. Inputs:
 * {@code repository}, {@code branchName}, {@code pullRequestNumber}, {@code remoteUrl}, {@code headSha} (from
 * {@code publish:github:pull-request}'s output). Wakes on {@code pr:<repository>:<branch>}, and on timers: once the
 * pull request has waited {@code remindAfter} the thread reminds the requester, once; after {@code abandonAfter} the
 * run ends as {@link RunState#ABANDONED} (the pull request stays open: someone may still want it). Output:
 * {@code revision} (the default-branch commit that contains the change), {@code mergedBy}.
 */
public final class AwaitMergeAction implements Action {

    /** How long an unmerged pull request waits before its requester is reminded, by default. */
    public static final Duration REMIND_AFTER = Duration.ofDays(2);
    /** How long an unmerged pull request waits before its run is abandoned, by default. */
    public static final Duration ABANDON_AFTER = Duration.ofDays(14);

    private final RepositoryPort repositories;
    private final Duration remindAfter;
    private final Duration abandonAfter;

    /** With the default times ({@link #REMIND_AFTER}, {@link #ABANDON_AFTER}). */
    public AwaitMergeAction(RepositoryPort repositories) {
        this(repositories, REMIND_AFTER, ABANDON_AFTER);
    }

    /**
     * @param repositories the git host, asked for the pull request's state
     * @param remindAfter  how long after the wait began the requester is reminded in the thread
     * @param abandonAfter how long after the wait began the run ends as abandoned; more than {@code remindAfter}
     * @throws IllegalArgumentException when the times are not positive or the reminder would not come first
     */
    public AwaitMergeAction(RepositoryPort repositories, Duration remindAfter, Duration abandonAfter) {
        if (remindAfter.isNegative() || remindAfter.isZero() || abandonAfter.compareTo(remindAfter) <= 0) {
            throw new IllegalArgumentException("paver.runs.merge-reminder must be positive and less than "
                    + "paver.runs.abandon-after, got " + remindAfter + " and " + abandonAfter);
        }
        this.repositories = repositories;
        this.remindAfter = remindAfter;
        this.abandonAfter = abandonAfter;
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
        Instant now = ctx.clock().instant();
        Instant remindAt = ctx.stepStarted().plus(remindAfter);
        Instant abandonAt = ctx.stepStarted().plus(abandonAfter);
        if (!now.isBefore(abandonAt)) {
            return new ActionResult.Failed("nobody merged " + pr.describe() + " in " + repository + " in "
                    + Times.duration(abandonAfter) + ", so this run ends here. The pull request stays open: merge it and "
                    + "Paver does not follow it any more, or close it; ask again for a new one.", List.of(), RunState.ABANDONED);
        }
        List<Milestone> milestones = new ArrayList<>();
        if (!now.isBefore(remindAt)) {
            milestones.add(new Milestone("remind", Message.mention(ctx.request().requester()) + ", " + pr.describe() + " in "
                    + repository + " has waited " + Times.duration(remindAfter) + " for a merge. Ask a reviewer; if nobody merges "
                    + "it by " + Times.instant(abandonAt) + ", this run ends as abandoned.",
                    List.of(new Link(repository + " " + pr.describe(), pr.url()))));
        }
        return new ActionResult.Waiting(waitKey(repository, branch), "waiting for " + pr.describe() + " to be merged",
                milestones, now.isBefore(remindAt) ? remindAt : abandonAt);
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

package dev.paver.core.action;

import dev.paver.core.approval.MergePolicies;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.StepSpec;
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
import java.util.Optional;

/**
 * {@code paver:await-merge}: waits until a person merges the pull request a previous step opened, or merges it by
 * policy. Inputs: {@code repository}, {@code branchName}, {@code pullRequestNumber}, {@code remoteUrl},
 * {@code headSha} (from {@code publish:github:pull-request}'s output), or instead {@code pullRequestUrl}, a pull
 * request's web address that another engine opened (a Backstage task's output link; read through
 * {@link RepositoryPort#pullRequestAt}), and {@code environment} (optional: the
 * environment the change deploys to; without it no policy applies). Wakes on {@code pr:<repository>:<branch>}, and on
 * timers: once the pull request has waited {@code remindAfter} the thread reminds the requester, once; after
 * {@code abandonAfter} the run ends as {@link RunState#ABANDONED} (the pull request stays open: someone may still want
 * it). Output: {@code revision} (the default-branch commit that contains the change), {@code mergedBy}.
 *
 * <p>While it waits it follows the pull request's checks ({@link RepositoryPort#checks}): a failing check is said in
 * the thread once per check name and head, with its link; while a check is pending the step looks again every
 * {@code checkInterval}.
 *
 * <p>Merge policies ({@link MergePolicies}): when the run's golden path, {@code environment} and domain
 * ({@code platform.domain}) match a policy, the golden path has a {@code paver:conventions:validate} step before this
 * one (the gate, which passed since the run got here) and the head is still the one Paver pushed, Paver merges the
 * pull request itself: it enables the host's auto-merge (GitHub merges once its required checks are green) where the
 * repository allows it, else it merges ({@link RepositoryPort#merge}) once every check is green. Never while a check
 * fails (an auto-merge enabled before is withdrawn then), never in the production environment. A refusal of the host (branch protection) is said once, and the run
 * keeps waiting for a person.
 */
public final class AwaitMergeAction implements Action {

    /** How long an unmerged pull request waits before its requester is reminded, by default. */
    public static final Duration REMIND_AFTER = Duration.ofDays(2);
    /** How long an unmerged pull request waits before its run is abandoned, by default. */
    public static final Duration ABANDON_AFTER = Duration.ofDays(14);

    /** How often a pull request with a pending check is looked at again, by default. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(15);
    /** The action of the conventions gate; a policy merges only where it ran before this step. */
    static final String GATE = "paver:conventions:validate";

    private final RepositoryPort repositories;
    private final Duration remindAfter;
    private final Duration abandonAfter;
    private final MergePolicies policies;
    private final Duration checkInterval;
    private final AuditLog audit;

    /** With the default times ({@link #REMIND_AFTER}, {@link #ABANDON_AFTER}). */
    public AwaitMergeAction(RepositoryPort repositories) {
        this(repositories, REMIND_AFTER, ABANDON_AFTER);
    }

    /** With no merge policy: every pull request waits for a person. */
    public AwaitMergeAction(RepositoryPort repositories, Duration remindAfter, Duration abandonAfter) {
        this(repositories, remindAfter, abandonAfter, MergePolicies.none("prod"), CHECK_INTERVAL);
    }

    /**
     * @param repositories the git host, asked for the pull request's state
     * @param remindAfter  how long after the wait began the requester is reminded in the thread
     * @param abandonAfter how long after the wait began the run ends as abandoned; more than {@code remindAfter}
     * @param policies     which pull requests Paver may merge itself
     * @param checkInterval how often a pull request with a pending check (or one a policy merges) is looked at again
     * @throws IllegalArgumentException when the times are not positive or the reminder would not come first
     */
    public AwaitMergeAction(RepositoryPort repositories, Duration remindAfter, Duration abandonAfter,
                            MergePolicies policies, Duration checkInterval) {
        this(repositories, remindAfter, abandonAfter, policies, checkInterval, null);
    }

    /**
     * As {@link #AwaitMergeAction(RepositoryPort, Duration, Duration, MergePolicies, Duration)}, with every merge
     * Paver makes by policy written to {@code audit} (actor {@code paver}, action {@code merge}, the policy in the
     * detail); null: not audited.
     */
    public AwaitMergeAction(RepositoryPort repositories, Duration remindAfter, Duration abandonAfter,
                            MergePolicies policies, Duration checkInterval, AuditLog audit) {
        if (remindAfter.isNegative() || remindAfter.isZero() || abandonAfter.compareTo(remindAfter) <= 0) {
            throw new IllegalArgumentException("paver.runs.merge-reminder must be positive and less than "
                    + "paver.runs.abandon-after, got " + remindAfter + " and " + abandonAfter);
        }
        if (checkInterval == null || checkInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("paver.merge.check-interval must be at least 1s, got " + checkInterval);
        }
        this.repositories = repositories;
        this.remindAfter = remindAfter;
        this.abandonAfter = abandonAfter;
        this.policies = policies;
        this.checkInterval = checkInterval;
        this.audit = audit;
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
        String at = ctx.text("pullRequestUrl");
        RepositoryPort.PullRequest pr = at.isEmpty() || !ctx.text("branchName").isEmpty() ? RepositoryNames.pullRequest(ctx, repositories.location())
                : repositories.pullRequestAt(at).orElse(null);
        if (pr == null) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": " + at + " is not a pull request of a repository "
                    + "Paver works in (paver.github.organization), so Paver cannot follow it to its merge; follow it there.",
                    List.of());
        }
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
        String open = ((RepositoryPort.MergeState.Open) state).headSha();
        String head = open == null ? "" : open;
        List<RepositoryPort.Check> checks = head.isBlank() ? List.of() : repositories.checks(pr, head);
        Optional<MergePolicies.Policy> policy = policy(ctx);
        boolean failing = false;
        boolean pending = false;
        for (RepositoryPort.Check check : checks) {
            if (check.state() == RepositoryPort.CheckState.FAILURE) {
                failing = true;
                milestones.add(new Milestone("check-failed:" + check.name() + ":" + head, "Check " + check.name() + " failed on "
                        + pr.describe() + " in " + repository + " (head " + Message.shortSha(head) + ")"
                        + (policy.isPresent() ? ", so Paver does not merge it by policy" : "")
                        + ". Fix it with a new commit on " + branch + ", or ask a reviewer.",
                        check.url().isEmpty() ? List.of() : List.of(new Link(check.name(), check.url()))));
            } else if (check.state() == RepositoryPort.CheckState.PENDING) {
                pending = true;
            }
        }
        boolean lookAgain = pending;
        if (policy.isPresent() && failing) {
            repositories.disableAutoMerge(pr); // GitHub's auto-merge waits only for the required checks
        }
        if (policy.isPresent() && !failing) {
            String why = "merged by policy (" + policy.get().describe() + "): gate passed, "
                    + (checks.isEmpty() ? "no checks to wait for" : "checks green");
            if (head.isBlank() || !head.equals(pr.headSha())) {
                milestones.add(new Milestone("policy-head:" + head, capitalize(pr.describe()) + " in " + repository
                        + " has commits the gate did not check (head " + Message.shortSha(head) + ", Paver pushed "
                        + Message.shortSha(pr.headSha()) + "), so Paver does not merge it by policy; it waits for a person.",
                        List.of(new Link(repository + " " + pr.describe(), pr.url()))));
            } else {
                String message = "Merge " + pr.describe() + " (" + branch + "): " + why + " (Paver run " + ctx.runId() + ")";
                try {
                    if (repositories.enableAutoMerge(pr, head, message)) {
                        milestones.add(new Milestone("auto-merge:" + head, "Paver asked GitHub to merge " + pr.describe()
                                + " in " + repository + " by policy (" + policy.get().describe() + "): the gate passed, and "
                                + "GitHub's auto-merge merges it once its required checks are green.",
                                List.of(new Link(repository + " " + pr.describe(), pr.url()))));
                        lookAgain = true;
                    } else if (!pending) {
                        RepositoryPort.MergeState.Merged merged = repositories.merge(pr, head, message);
                        if (audit != null) {
                            audit.append(new AuditEntry(now, "paver", "merge", subject(ctx), ctx.runId(), "PAVER",
                                    repository + " " + pr.describe() + " at " + merged.revision() + ", " + why));
                        }
                        return new ActionResult.Done(Map.of("revision", merged.revision(), "mergedBy",
                                merged.mergedBy() == null ? "" : merged.mergedBy()),
                                "merged by policy at " + Message.shortSha(merged.revision()),
                                List.of(new Milestone("merged", capitalize(pr.describe()) + " in " + repository + " " + why
                                        + "; revision " + Message.shortSha(merged.revision()) + ".",
                                        List.of(new Link(repository + " " + pr.describe(), pr.url())))));
                    }
                } catch (RepositoryPort.RepositoryException e) {
                    if (!e.permanent()) {
                        throw e;
                    }
                    milestones.add(new Milestone("policy-refused:" + head, "Paver could not merge " + pr.describe() + " in "
                            + repository + " by policy: " + e.getMessage() + ". It waits for a person to merge it.",
                            List.of(new Link(repository + " " + pr.describe(), pr.url()))));
                    lookAgain = false;
                }
            }
        }
        if (!now.isBefore(remindAt)) {
            milestones.add(new Milestone("remind", Message.mention(ctx.request().requester()) + ", " + pr.describe() + " in "
                    + repository + " has waited " + Times.duration(remindAfter) + " for a merge. Ask a reviewer; if nobody merges "
                    + "it by " + Times.instant(abandonAt) + ", this run ends as abandoned.",
                    List.of(new Link(repository + " " + pr.describe(), pr.url()))));
        }
        Instant wakeAt = now.isBefore(remindAt) ? remindAt : abandonAt;
        if (lookAgain && now.plus(checkInterval).isBefore(wakeAt)) {
            wakeAt = now.plus(checkInterval);
        }
        String detail = "waiting for " + pr.describe() + " to be merged"
                + (failing ? " (a check fails)" : pending ? " (checks pending)" : "")
                + (policy.isPresent() && !failing ? ", by policy" : "");
        return new ActionResult.Waiting(waitKey(repository, branch), detail, milestones, wakeAt);
    }

    /** {@code {domain}-{env}-{service}} where the run names a service, else {@code {domain}/{env}}. */
    private static String subject(ActionContext ctx) {
        Object domain = ctx.request().platform().get("domain");
        Object service = ctx.request().parameters().get("service");
        String env = ctx.text("environment");
        return service == null ? domain + "/" + env : domain + "-" + env + "-" + service;
    }

    /**
     * The policy that lets Paver merge this run's pull request: its golden path, {@code environment} input and
     * {@code platform.domain} match one, and a {@value #GATE} step comes before this step in the golden path.
     */
    Optional<MergePolicies.Policy> policy(ActionContext ctx) {
        if (ctx.goldenPath() == null) {
            return Optional.empty();
        }
        Object domain = ctx.request().platform().get("domain");
        Optional<MergePolicies.Policy> found = policies.allows(ctx.goldenPath().id(), ctx.text("environment"),
                domain == null ? "" : String.valueOf(domain));
        if (found.isEmpty()) {
            return found;
        }
        for (StepSpec step : ctx.goldenPath().steps()) {
            if (step.id().equals(ctx.stepId())) {
                return Optional.empty();
            }
            if (GATE.equals(step.action())) {
                return found;
            }
        }
        return Optional.empty();
    }

    static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}

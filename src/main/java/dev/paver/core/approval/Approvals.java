package dev.paver.core.approval;

import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Card;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.report.Times;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Four eyes, enforced by Paver: opens approval requests and posts their prompt, and takes votes and denials from
 * the user id of a signed request (never from hidden fields). The rules: the approver belongs to the domain's
 * approvers ({@link ApprovalPolicy}); the requester cannot approve or deny their own request; {@code required}
 * distinct approvers decide; a decided request takes no more votes (the clicker learns who decided and when); a
 * request expires; votes are for one pull request head, and a new head voids them. Every vote, decision and void is
 * appended to the audit log. Decisions are conditional updates in the {@link ApprovalStore}: two approvers clicking
 * at once produce one decision.
 */
public final class Approvals {

    private static final Logger LOG = Logger.getLogger(Approvals.class.getName());

    /** Action id of the Approve button; its value is the request id. */
    public static final String APPROVE = "approval-approve";
    /** Action id of the Deny button; its value is the request id. A click opens a form that asks for the reason. */
    public static final String DENY = "approval-deny";
    /** The longest deny reason, in characters. */
    public static final int MAX_REASON = 500;

    private final ApprovalStore store;
    private final ApprovalPolicy policy;
    private final Directory directory;
    private final Notifier notifier;
    private final AuditLog audit;
    private final Clock clock;
    private final List<DecisionListener> listeners = new CopyOnWriteArrayList<>();

    public Approvals(ApprovalStore store, ApprovalPolicy policy, Directory directory, Notifier notifier, AuditLog audit,
                     Clock clock) {
        this.store = store;
        this.policy = policy;
        this.directory = directory;
        this.notifier = notifier;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * What a request is about, as the approval step knows it.
     *
     * @param runId       the run
     * @param key         the step id, or {@code extend-<epoch seconds>}
     * @param purpose     {@code promote}, {@code elevate}, {@code extend}
     * @param domain      whose approvers decide
     * @param subject     the semantic key
     * @param requester   Slack user id
     * @param title       the prompt's first line, e.g. "Promote api to prod"
     * @param summary     the prompt's fields
     * @param pullRequest URL or empty
     * @param headSha     the pull request head, or empty
     * @param expiresAt   when it expires; null: now plus the policy's timeout
     */
    public record Ask(String runId, String key, String purpose, String domain, String subject, String requester,
                      String title, List<ApprovalRequest.SummaryLine> summary, String pullRequest, String headSha,
                      Instant expiresAt) {
    }

    /**
     * Tells {@code listener} too of every request this instance opens and every decision it makes (approved, denied,
     * expired). Without any (the default), nobody is told.
     *
     * @return this instance
     */
    public Approvals observedBy(DecisionListener listener) {
        listeners.add(listener);
        return this;
    }

    /** The policy in force (who approves, how many). */
    public ApprovalPolicy policy() {
        return policy;
    }

    /**
     * Opens the request once per run and key, and posts its prompt into the run's thread and the domain's approvals
     * channel, once. Idempotent: a second call returns the stored request.
     *
     * @param thread the run's thread, or null
     */
    public ApprovalRequest open(Ask ask, ThreadRef thread) {
        Instant now = clock.instant();
        ApprovalRequest fresh = new ApprovalRequest(ApprovalRequest.id(ask.runId(), ask.key()), ask.runId(), ask.key(),
                ask.purpose(), ask.domain(), ask.subject(), ask.requester(), withTitle(ask), ask.pullRequest(),
                ask.headSha(), policy.required(), ApprovalState.PENDING, null, null, null, now,
                ask.expiresAt() == null ? now.plus(policy.timeout()) : ask.expiresAt(), List.of(), List.of());
        ApprovalRequest request = store.insertIfAbsent(fresh);
        if (request.prompts().isEmpty()) {
            List<ApprovalRequest.Prompt> prompts = new ArrayList<>();
            Message prompt = prompt(request);
            if (thread != null) {
                prompts.add(new ApprovalRequest.Prompt(thread.channel(), notifier.reply(thread, prompt, request.id() + "/prompt/thread")));
            }
            String channel = policy.channelOf(request.domain()).orElse(null);
            if (channel != null && (thread == null || !channel.equals(thread.channel()))) {
                prompts.add(new ApprovalRequest.Prompt(channel, notifier.post(channel, prompt, request.id() + "/prompt/" + channel)));
            }
            // before the prompts are stored: a DM Slack could not take now is sent again with them on the next pass
            tellApprovers(request, "ask", Message.mention(request.requester()) + " asks for your approval: "
                    + title(request) + ". Approve or Deny under the request in the run's thread"
                    + policy.channelOf(request.domain()).map(c -> " or the approvals channel").orElse("")
                    + "; it expires at " + Times.instant(request.expiresAt()) + ".");
            store.prompts(request.id(), prompts);
            request = store.find(request.id()).orElseThrow();
            ApprovalRequest opened = request;
            tell(l -> l.asked(opened), request);
        }
        return request;
    }

    /**
     * Reminds the approvers who have not voted on a pending request that it expires soon, by direct message, once per
     * request and approver; nothing when the request is decided or the reminder is not due ({@link ApprovalPolicy#remindBefore}).
     *
     * @return when the reminder is due, or null when it was sent (or will never be)
     */
    public Instant remindIfDue(ApprovalRequest request) {
        if (request.state() != ApprovalState.PENDING) {
            return null;
        }
        Instant due = request.expiresAt().minus(policy.remindBefore());
        if (clock.instant().isBefore(due)) {
            return due;
        }
        tellApprovers(request, "remind", "Reminder: " + title(request) + " (asked by " + Message.mention(request.requester())
                + ") still waits for your decision; it expires at " + Times.instant(request.expiresAt()) + ".");
        return null;
    }

    /**
     * Sends {@code text} by direct message to each approver of the request's domain who is a user (a user group is
     * reached through the approvals channel), but the requester and those who voted, once per request, {@code what}
     * and approver. A person Slack refuses to message (deactivated, unknown) is logged and skipped; other failures are
     * thrown, for the caller's next pass to send again.
     */
    private void tellApprovers(ApprovalRequest request, String what, String text) {
        List<Link> links = request.pullRequest().isEmpty() ? List.of() : List.of(new Link("Pull request", request.pullRequest()));
        for (String approver : policy.approversOf(request.domain())) {
            boolean voted = request.votes().stream().anyMatch(v -> v.approver().equals(approver));
            if (!approver.matches("[UW][A-Z0-9]+") || approver.equals(request.requester()) || voted) {
                continue;
            }
            try {
                notifier.post(approver, new Message(text, links), request.id() + "/" + what + "/" + approver);
            } catch (Notifier.NotifierException e) {
                if (!e.permanent()) {
                    throw e;
                }
                LOG.warning("approval " + request.id() + ": no direct message to " + approver + ": " + e.getMessage());
            }
        }
    }

    /** The request's title: the first line of its prompt, e.g. "Promote api to prod". */
    private static String title(ApprovalRequest request) {
        return request.summary().isEmpty() ? request.purpose() : request.summary().get(0).value();
    }

    // the title travels as the first summary line, so that the stored request alone can render its prompt
    private static List<ApprovalRequest.SummaryLine> withTitle(Ask ask) {
        List<ApprovalRequest.SummaryLine> lines = new ArrayList<>();
        lines.add(new ApprovalRequest.SummaryLine("", ask.title()));
        lines.addAll(ask.summary());
        return lines;
    }

    /** The requests of a run, oldest first. */
    public List<ApprovalRequest> forRun(String runId) {
        return store.forRun(runId);
    }

    /** Pending requests that {@code userId} may decide, oldest first (App Home). */
    public List<ApprovalRequest> pendingFor(String userId) {
        return store.pending().stream().filter(r -> mayDecide(userId, r)).toList();
    }

    /** The stored request, if any. */
    public Optional<ApprovalRequest> find(String id) {
        return store.find(id);
    }

    /** What became of a vote or a denial. */
    public sealed interface Outcome permits Counted, Decided, Refused, AlreadyDecided {
        /** What to tell the person who clicked, privately. */
        String text();
    }

    /** The vote counts; more approvers are needed. */
    public record Counted(ApprovalRequest request, String text) implements Outcome {
    }

    /** This click decided the request. */
    public record Decided(ApprovalRequest request, String text) implements Outcome {
    }

    /** The click does not count, and why. Nothing changed. */
    public record Refused(String text) implements Outcome {
    }

    /** Someone decided it already. Nothing changed. */
    public record AlreadyDecided(ApprovalRequest request, String text) implements Outcome {
    }

    /**
     * An approval from {@code userId} (the signed payload's user), for the head the request is at.
     *
     * @param origin how it came: {@code BUTTON}
     */
    public Outcome approve(String requestId, String userId, String origin) {
        Instant now = clock.instant();
        ApprovalRequest request = store.find(requestId).orElse(null);
        Outcome refused = refusal(request, userId, now, "approve");
        if (refused != null) {
            return refused;
        }
        if (!store.addVote(requestId, new ApprovalRequest.Vote(userId, request.headSha(), now, origin))) {
            ApprovalRequest current = store.find(requestId).orElseThrow();
            if (current.state().decided()) {
                return already(current);
            }
            if (current.votes().stream().anyMatch(v -> v.approver().equals(userId))) {
                return new Refused("You approved this already; " + remaining(current) + ".");
            }
            return new Refused("The pull request changed while you clicked; look at it again and approve the new head.");
        }
        audit.append(new AuditEntry(now, userId, "approve", request.subject(), request.runId(), origin,
                request.purpose() + (request.headSha().isEmpty() ? "" : " at " + Message.shortSha(request.headSha()))));
        ApprovalRequest current = store.find(requestId).orElseThrow();
        if (current.votes().size() < current.required()) {
            editPrompts(current);
            return new Counted(current, "Your approval is recorded: " + remaining(current) + ".");
        }
        if (decide(request, ApprovalState.APPROVED, userId, now, "")) {
            ApprovalRequest decided = store.find(requestId).orElseThrow();
            editPrompts(decided);
            return new Decided(decided, "You approved it. Paver goes on in the run's thread.");
        }
        return already(store.find(requestId).orElseThrow());
    }

    /**
     * A denial with a reason from {@code userId}. The run ends as denied.
     *
     * @param reason why, one line of at most {@value #MAX_REASON} characters
     */
    public Outcome deny(String requestId, String userId, String reason, String origin) {
        Instant now = clock.instant();
        String why = reason == null ? "" : reason.strip();
        String problem = reasonProblem(why);
        if (problem != null) {
            return new Refused(problem);
        }
        ApprovalRequest request = store.find(requestId).orElse(null);
        Outcome refused = refusal(request, userId, now, "deny");
        if (refused != null) {
            return refused;
        }
        if (!decide(request, ApprovalState.DENIED, userId, now, why)) {
            return already(store.find(requestId).orElseThrow());
        }
        audit.append(new AuditEntry(now, userId, "deny", request.subject(), request.runId(), origin, why));
        ApprovalRequest decided = store.find(requestId).orElseThrow();
        editPrompts(decided);
        return new Decided(decided, "You denied it. The requester sees your reason in the run's thread.");
    }

    /** {@link ApprovalStore#decide}, and the listener told when this call decided it. */
    private boolean decide(ApprovalRequest request, ApprovalState state, String decidedBy, Instant at, String reason) {
        if (!store.decide(request.id(), state, decidedBy, at, reason)) {
            return false;
        }
        tell(l -> l.decided(request, state, at), request);
        return true;
    }

    private void tell(Consumer<DecisionListener> event, ApprovalRequest request) {
        for (DecisionListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "approval " + request.id() + ": a decision listener failed: " + e.getMessage());
            }
        }
    }

    /** What is wrong with a deny reason, or null: required, one line, at most {@value #MAX_REASON} characters. */
    public static String reasonProblem(String reason) {
        if (reason == null || reason.isBlank()) {
            return "Give a reason for the denial: the requester reads it.";
        }
        if (reason.length() > MAX_REASON) {
            return "The reason is " + reason.length() + " characters; keep it to " + MAX_REASON + ".";
        }
        if (reason.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            return "The reason contains a control character; use plain text.";
        }
        return null;
    }

    /**
     * True when {@code userId} is one of the approvers of {@code domain} ({@code paver.approvals.approvers}: the domain's
     * list, else {@code "*"}'s), the people who act for the platform team there: they may also cancel another person's
     * run. A request with no domain (null) has the {@code "*"} list.
     *
     * @throws RuntimeException when the chat cannot be reached to read a user group (callers refuse)
     */
    public boolean isApproverOf(String userId, String domain) {
        return directory.isMemberOfAny(userId, policy.approversOf(domain == null ? "*" : domain));
    }

    /** True when {@code userId} may decide the request: one of its domain's approvers, and not its requester. */
    public boolean mayDecide(String userId, ApprovalRequest request) {
        return !userId.equals(request.requester()) && directory.isMemberOfAny(userId, policy.approversOf(request.domain()));
    }

    private Outcome refusal(ApprovalRequest request, String userId, Instant now, String verb) {
        if (request == null) {
            return new Refused("Paver has no such approval request; it may belong to another Paver installation.");
        }
        if (request.state().decided()) {
            return already(request);
        }
        if (now.isAfter(request.expiresAt())) {
            return new Refused("This request expired at " + Times.instant(request.expiresAt()) + "; the requester must ask again.");
        }
        if (userId.equals(request.requester())) {
            return new Refused("You asked for this, so you cannot " + verb + " it: four eyes means someone else from "
                    + approversText(request) + " decides.");
        }
        if (!directory.isMemberOfAny(userId, policy.approversOf(request.domain()))) {
            return new Refused("Only " + approversText(request) + " may " + verb + " " + request.domain()
                    + " requests; you are not among them. Nothing changed.");
        }
        return null;
    }

    private Outcome already(ApprovalRequest request) {
        String what = switch (request.state()) {
            case APPROVED -> "already approved by " + Message.mention(request.decidedBy());
            case DENIED -> "already denied by " + Message.mention(request.decidedBy());
            case EXPIRED -> "expired";
            case PENDING -> "still pending";
        };
        return new AlreadyDecided(request, "This request was " + what
                + (request.decidedAt() == null ? "" : " at " + Times.instant(request.decidedAt())) + ". Nothing changed.");
    }

    /** The reason a withdrawn request carries ({@link #withdraw}). */
    public static final String WITHDRAWN = "the run was cancelled";

    /**
     * Ends a pending request whose run was cancelled: stored as denied by {@code by} (who cancelled the run) with the
     * reason {@link #WITHDRAWN}, audited ({@code withdraw}), and its prompts lose their buttons, so that a later click
     * is told it was decided. Idempotent.
     *
     * @return true when this call ended it; false when it was decided already
     */
    public boolean withdraw(ApprovalRequest request, String by) {
        Instant now = clock.instant();
        if (!decide(request, ApprovalState.DENIED, by, now, WITHDRAWN)) {
            return false;
        }
        audit.append(new AuditEntry(now, by, "withdraw", request.subject(), request.runId(), "BUTTON",
                request.purpose() + " withdrawn before a decision: " + WITHDRAWN));
        editPrompts(store.find(request.id()).orElseThrow());
        return true;
    }

    /**
     * Ends a pending request that nobody decided in time. Idempotent; the prompts lose their buttons.
     *
     * @return the request as stored afterwards
     */
    public ApprovalRequest expire(ApprovalRequest request) {
        Instant now = clock.instant();
        if (decide(request, ApprovalState.EXPIRED, "", now, "")) {
            audit.append(new AuditEntry(now, "paver", "expire", request.subject(), request.runId(), "PAVER",
                    request.purpose() + " not decided by " + Times.instant(request.expiresAt())));
            ApprovalRequest expired = store.find(request.id()).orElseThrow();
            editPrompts(expired);
            return expired;
        }
        return store.find(request.id()).orElseThrow();
    }

    /**
     * The pull request moved to {@code newHead}: earlier votes are void, and an approved request is pending again.
     *
     * @return the voided approvers (empty when nobody had approved), or null when another pass moved it already
     */
    public List<String> headMoved(ApprovalRequest request, String newHead) {
        if (!store.rebase(request.id(), request.headSha(), newHead)) {
            return null;
        }
        List<String> voided = request.votes().stream().map(ApprovalRequest.Vote::approver).toList();
        audit.append(new AuditEntry(clock.instant(), "paver", "void", request.subject(), request.runId(), "PAVER",
                "pull request head moved from " + Message.shortSha(request.headSha()) + " to " + Message.shortSha(newHead)
                        + (voided.isEmpty() ? "" : "; approvals void: " + String.join(", ", voided))));
        editPrompts(store.find(request.id()).orElseThrow());
        return voided;
    }

    /** The prompt as it reads now: buttons while pending, the decision once decided. */
    public Message prompt(ApprovalRequest request) {
        String title = request.summary().isEmpty() ? request.purpose() : request.summary().get(0).value();
        List<Card.Field> fields = new ArrayList<>();
        fields.add(new Card.Field("Requested by", Message.mention(request.requester())));
        for (ApprovalRequest.SummaryLine line : request.summary().subList(Math.min(1, request.summary().size()), request.summary().size())) {
            fields.add(new Card.Field(line.label(), line.value()));
        }
        if (!request.headSha().isEmpty()) {
            fields.add(new Card.Field("Head", Message.shortSha(request.headSha())));
        }
        List<Link> links = request.pullRequest().isEmpty() ? List.of() : List.of(new Link("Pull request", request.pullRequest()));
        String text = switch (request.state()) {
            case PENDING -> ":raised_hand: Approval needed: " + title + ". " + remaining(request) + "; expires "
                    + Times.instant(request.expiresAt()) + ".";
            case APPROVED -> ":white_check_mark: Approved by " + approvedBy(request) + " at " + Times.instant(request.decidedAt())
                    + ": " + title + ".";
            case DENIED -> ":no_entry: Denied by " + Message.mention(request.decidedBy()) + " at " + Times.instant(request.decidedAt())
                    + ": " + title + ". Reason: " + request.reason();
            case EXPIRED -> ":hourglass: Expired at " + Times.instant(request.expiresAt()) + " without a decision: " + title + ".";
        };
        List<Message.Button> buttons = request.state() == ApprovalState.PENDING
                ? List.of(new Message.Button("Approve", APPROVE, request.id(), "primary"),
                new Message.Button("Deny", DENY, request.id(), "danger"))
                : List.of();
        return new Message(text, fields, links, buttons);
    }

    /** "Approved by A, B". */
    public static String approvedBy(ApprovalRequest request) {
        List<String> names = request.votes().stream().map(v -> Message.mention(v.approver())).toList();
        return names.isEmpty() ? Message.mention(request.decidedBy()) : String.join(", ", names);
    }

    private String remaining(ApprovalRequest request) {
        int have = request.votes().size();
        return have + " of " + request.required() + " approval" + (request.required() == 1 ? "" : "s") + " from "
                + approversText(request);
    }

    private String approversText(ApprovalRequest request) {
        List<String> refs = policy.approversOf(request.domain());
        if (refs.isEmpty()) {
            return "the " + request.domain() + " approvers (none are configured: set paver.approvals.approvers."
                    + request.domain() + ")";
        }
        return String.join(", ", refs.stream().map(Approvals::reference).toList());
    }

    private static String reference(String ref) {
        // users become mentions; a user group is named by its id (S...)
        return ref.startsWith("S") ? "group " + ref : Message.mention(ref);
    }

    private void editPrompts(ApprovalRequest request) {
        Message prompt = prompt(request);
        for (ApprovalRequest.Prompt p : request.prompts()) {
            try {
                notifier.edit(p.channel(), p.ts(), prompt);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "approval " + request.id() + ": could not edit the prompt in " + p.channel() + ": "
                        + e.getMessage());
            }
        }
    }
}

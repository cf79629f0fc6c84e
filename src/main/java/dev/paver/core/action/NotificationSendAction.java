package dev.paver.core.action;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Backstage's {@code notification:send} ({@code sendNotification} of
 * {@code @backstage/plugin-scaffolder-backend-module-notifications}), through the chat instead of Backstage's
 * notifications backend. Inputs, Backstage's: {@code recipients} ({@code entity} or {@code broadcast}, required),
 * {@code entityRefs} (required with {@code entity}), {@code title} (required), {@code info}, {@code link},
 * {@code severity} ({@code low}, {@code normal}, {@code high}, {@code critical}; default {@code normal}),
 * {@code scope} (accepted; the chat has no such grouping), {@code optional} (true: a notification that cannot be
 * delivered does not fail the step). Output: none, as Backstage's.
 *
 * <ul>
 *   <li>{@code entity}: each {@code user:} entity ref ({@code user:default/dana}, or {@code dana} with the namespace
 *       {@code default}) gets a direct message, sent to the chat user the identity mapping names for that catalog
 *       User ({@link IdentityPort#chatUser}: {@code paver.identity.users}). Each is sent once per run, whatever
 *       happens (the message key is the run, the step and the user). A ref Paver cannot reach (no chat user maps to
 *       it; a group or another kind of entity, whose members or owners Backstage would look up) is named in the
 *       thread as not notified, and is no error: Backstage does not fail for a recipient it finds nobody behind
 *       either.</li>
 *   <li>{@code broadcast}: Backstage tells every user of the portal; Paver tells the run's thread, where the people
 *       concerned follow it.</li>
 * </ul>
 * The run's thread always says who was told what.
 */
public final class NotificationSendAction implements Action {

    private static final Set<String> SEVERITIES = Set.of("low", "normal", "high", "critical");

    private final IdentityPort identities;
    private final Notifier notifier;

    /**
     * @param identities catalog User to chat user
     * @param notifier   the chat, posting each key once ({@code OnceNotifier})
     */
    public NotificationSendAction(IdentityPort identities, Notifier notifier) {
        this.identities = identities;
        this.notifier = notifier;
    }

    @Override
    public String id() {
        return "notification:send";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String step = "step " + ctx.stepId() + " (notification:send): ";
        String recipients = ctx.required("recipients").strip();
        if (!recipients.equals("entity") && !recipients.equals("broadcast")) {
            throw new IllegalArgumentException(step + "recipients " + recipients + " is not one of entity, broadcast");
        }
        String title = ctx.required("title").strip();
        String severity = ctx.text("severity").isBlank() ? "normal" : ctx.text("severity").strip();
        if (!SEVERITIES.contains(severity)) {
            throw new IllegalArgumentException(step + "severity " + severity + " is not one of low, normal, high, critical");
        }
        boolean optional = Boolean.parseBoolean(ctx.text("optional"));
        String info = ctx.text("info").strip();
        String link = ctx.text("link").strip();
        List<Link> links = link.matches("https?://\\S+") ? List.of(new Link(title, link)) : List.of();
        String body = (severity.equals("high") || severity.equals("critical") ? ":warning: " : "") + title
                + (info.isEmpty() ? "" : "\n" + info) + (!link.isEmpty() && links.isEmpty() ? "\n" + link : "");
        if (recipients.equals("broadcast")) {
            return new ActionResult.Done(Map.of(), "broadcast in the thread",
                    List.of(new Milestone("broadcast", body, links)));
        }
        List<String> refs = new ArrayList<>();
        if (ctx.input().get("entityRefs") instanceof List<?> list) {
            list.forEach(r -> refs.add(String.valueOf(r).strip()));
        } else if (!ctx.text("entityRefs").isBlank()) {
            refs.add(ctx.text("entityRefs").strip());
        }
        if (refs.isEmpty()) {
            if (optional) {
                return ActionResult.Done.of(Map.of(), "no entity refs: nobody notified");
            }
            throw new IllegalArgumentException(step + "entityRefs must be provided with recipients: entity, e.g. "
                    + "[user:default/dana]");
        }
        List<String> told = new ArrayList<>();
        List<String> notTold = new ArrayList<>();
        Message message = new Message(body + "\n(from Paver run " + ctx.runId() + ", " + ctx.request().goldenPath() + ")",
                links);
        for (String ref : refs) {
            String user = userName(ref);
            if (user == null) {
                notTold.add(ref + " (Paver notifies User entities only)");
                continue;
            }
            String chatUser = identities.chatUser(user).orElse(null);
            if (chatUser == null) {
                notTold.add(ref + " (no Slack user maps to it in paver.identity.users)");
                continue;
            }
            try {
                notifier.post(chatUser, message, ctx.runId() + "/" + ctx.stepId() + "/notify/" + chatUser);
                told.add(Message.mention(chatUser) + " (" + ref + ")");
            } catch (Notifier.NotifierException e) {
                if (!optional && !e.permanent()) {
                    throw e; // the chat may answer later: the engine executes the step again (sent ones are not sent again)
                }
                if (!optional) {
                    return new ActionResult.Failed(step + "could not notify " + ref + ": " + e.getMessage(), List.of());
                }
                notTold.add(ref + " (" + e.getMessage() + ")");
            }
        }
        String text = "Notification \"" + title + "\": " + (told.isEmpty() ? "nobody was notified"
                : "sent to " + String.join(", ", told)) + (notTold.isEmpty() ? "." : "; not notified: "
                + String.join(", ", notTold) + ".");
        return new ActionResult.Done(Map.of(), told.size() + " notified", List.of(Milestone.of("notified", text)));
    }

    /** The User name of {@code user:default/<name>} (or a bare name, Backstage's default kind here), else null. */
    private static String userName(String ref) {
        String s = ref.toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? "user" : s.substring(0, colon);
        String rest = colon < 0 ? s : s.substring(colon + 1);
        int slash = rest.indexOf('/');
        String namespace = slash < 0 ? "default" : rest.substring(0, slash);
        String name = slash < 0 ? rest : rest.substring(slash + 1);
        return kind.equals("user") && namespace.equals("default") && name.matches("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?")
                ? name : null;
    }
}

package dev.paver.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.button;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.ConfirmationDialogObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.view.View;
import dev.paver.core.approval.Approvals;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditTrail;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.report.Card;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.Times;
import dev.paver.core.run.Home;
import dev.paver.core.run.Intake;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunFinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Renders Paver's message model as Slack Block Kit (api.slack.com/reference/block-kit) and as the plain
 * {@code text} fallback that notifications and screen readers use. User values are escaped for mrkdwn
 * ({@code &}, {@code <}, {@code >}), so nothing a person typed becomes a mention or a link.
 */
public final class SlackRenderer {

    private static final Map<String, String> ICONS = Map.of("done", ":white_check_mark:",
            "waiting", ":hourglass_flowing_sand:", "pending", ":white_circle:", "skipped", ":fast_forward:", "failed", ":x:");

    /**
     * Action id prefix of the card's link buttons. Slack still sends a {@code block_actions} request when a link
     * button is clicked, which the app must acknowledge ("Button element", docs.slack.dev).
     */
    public static final String LINK_ACTION_PREFIX = "link-";

    private SlackRenderer() {
    }

    /** The card's blocks: header, state and fields, the step list, link buttons, note. */
    public static List<LayoutBlock> blocks(Card card) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText(truncate(card.title(), 150)))));
        List<TextObject> fields = new ArrayList<>();
        fields.add(markdownText("*State*\n" + escape(card.state())));
        // a user id becomes a mention only here, where it is known to be one: Slack ids are [A-Z0-9]
        fields.add(markdownText("*Requested by*\n" + (card.requester().matches("[A-Z0-9]+") ? "<@" + card.requester() + ">"
                : escape(card.requester()))));
        for (Card.Field f : card.fields()) {
            if (fields.size() < 10) {
                fields.add(markdownText("*" + escape(f.label()) + "*\n" + escape(f.value())));
            }
        }
        blocks.add(section(s -> s.fields(fields)));
        StringBuilder steps = new StringBuilder();
        for (Card.StepLine step : card.steps()) {
            steps.append(ICONS.getOrDefault(step.status(), ":white_circle:")).append(' ').append(escape(step.name()));
            if (!step.detail().isEmpty()) {
                steps.append(" _(").append(escape(step.detail())).append(")_");
            }
            steps.append('\n');
        }
        blocks.add(section(s -> s.text(markdownText(truncate(steps.toString(), 3000)))));
        if (!card.links().isEmpty() || !card.buttons().isEmpty()) {
            List<BlockElement> buttons = new ArrayList<>();
            for (int i = 0; i < card.links().size() && i < 5; i++) {
                Link l = card.links().get(i);
                String id = LINK_ACTION_PREFIX + i;
                buttons.add(button(b -> b.actionId(id).text(plainText(truncate(l.title(), 75))).url(l.url())));
            }
            card.buttons().forEach(b -> buttons.add(element(b)));
            blocks.add(actions(a -> a.elements(buttons)));
        }
        if (!card.note().isEmpty()) {
            // escaped, with the mentions the core marked (who cancelled a run) made mentions
            blocks.add(context(c -> c.elements(List.of(markdownText(truncate(mrkdwn(card.note()), 2000))))));
        }
        return blocks;
    }

    /** The card as one line of text: {@code create-service payments/api: Waiting: ...}. */
    public static String text(Card card) {
        return escape(card.title() + ": " + card.state());
    }

    /** A message's blocks: its text, its fields, its links, then its buttons. */
    public static List<LayoutBlock> blocks(Message message) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(section(s -> s.text(markdownText(truncate(mrkdwn(message.text()), 3000)))));
        if (!message.fields().isEmpty()) {
            List<TextObject> fields = new ArrayList<>();
            for (Card.Field f : message.fields()) {
                if (fields.size() < 10) {
                    fields.add(markdownText(truncate("*" + escape(f.label()) + "*\n" + mrkdwn(f.value()), 2000)));
                }
            }
            blocks.add(section(s -> s.fields(fields)));
        }
        if (!message.links().isEmpty()) {
            blocks.add(context(c -> c.elements(List.of(markdownText(links(message.links()))))));
        }
        if (!message.buttons().isEmpty()) {
            List<BlockElement> buttons = new ArrayList<>();
            message.buttons().forEach(b -> buttons.add(element(b)));
            blocks.add(actions(a -> a.elements(buttons)));
        }
        return blocks;
    }

    /** A button element: its label, action id, value and style. */
    private static BlockElement element(Message.Button b) {
        return button(e -> {
            e.actionId(b.actionId()).value(b.value()).text(plainText(truncate(b.text(), 75)));
            if (b.confirm() != null) {
                Message.Confirm c = b.confirm();
                e.confirm(ConfirmationDialogObject.builder().title(plainText(truncate(c.title(), 100)))
                        .text(plainText(truncate(c.text(), 300))).confirm(plainText(truncate(c.confirm(), 30)))
                        .deny(plainText(truncate(c.deny(), 30))).style(b.style().equals("danger") ? "danger" : null).build());
            }
            return b.style().isEmpty() ? e : e.style(b.style());
        });
    }

    /** Escaped text in which {@link Message#mention} marks become Slack mentions ({@code <@U123>}). */
    static String mrkdwn(String text) {
        return Message.MENTION.matcher(escape(text)).replaceAll("<@$1>").replace("\u0001", "");
    }

    /** A message as plain text, fields and links appended. */
    public static String text(Message message) {
        StringBuilder out = new StringBuilder(mrkdwn(message.text()));
        for (Card.Field f : message.fields()) {
            out.append("\n").append(escape(f.label())).append(": ").append(mrkdwn(f.value()));
        }
        for (Link l : message.links()) {
            out.append("\n").append(escape(l.title())).append(": ").append(escape(l.url()));
        }
        return out.toString();
    }

    /**
     * The ephemeral answer to a rejected request: one line per broken rule, then the usage.
     *
     * @param command the slash command as configured, e.g. {@code /platform}
     */
    public static String violations(GoldenPath path, List<Violation> violations, String command) {
        StringBuilder out = new StringBuilder(":no_entry: Nothing was started: ");
        out.append(violations.size() == 1 ? "this request breaks a rule." : "this request breaks " + violations.size() + " rules.");
        for (Violation v : violations) {
            out.append("\n• *").append(escape(v.subject())).append("* (").append(escape(v.rule())).append("): ").append(escape(v.message()));
        }
        out.append("\nUsage: `").append(path.usage(command)).append('`');
        return out.toString();
    }

    /** The help text: every golden path with its usage, built from the templates. */
    public static String help(String command, GoldenPathCatalog paths, String problem) {
        StringBuilder out = new StringBuilder();
        if (!problem.isEmpty()) {
            out.append(problem).append("\n\n");
        }
        out.append("*Paver golden paths*: type the command with its arguments, or leave required ones out to fill a form.\n");
        for (GoldenPath p : paths.all()) {
            out.append("\n• *").append(p.id()).append("*: ").append(escape(p.title()))
                    .append("\n    `").append(p.usage(command)).append('`');
        }
        if (!paths.turnedOff().isEmpty()) {
            out.append("\n\n_Turned off, their templates do not load: ").append(escape(String.join(", ", paths.turnedOff())))
                    .append(". The platform team finds why in Paver's start-up log._");
        }
        out.append("\n\n`").append(command).append(" audit <key | service | domain | group | @person>` shows who asked, approved and ")
                .append("changed what, e.g. `").append(command).append(" audit payments-prod-api`.");
        out.append("\n`").append(command).append(" runs` lists your runs, `").append(command)
                .append(" runs <key or service>` the runs about one, and `").append(command)
                .append(" status <run id>` shows a run's card, only to you.");
        out.append("\n`").append(command).append(" revoke <key>` ends your production access to that namespace now (an ")
                .append("approver of its domain ends anyone's).");
        out.append("\n`").append(command).append(" help` shows this list.");
        return out.toString();
    }

    /** The answer to {@code audit <key>}: one line per entry, newest first. */
    public static String audit(AuditTrail.Trail trail) {
        if (trail.entries().isEmpty()) {
            return "The audit log has nothing about `" + escape(trail.query()) + "` yet.";
        }
        StringBuilder out = new StringBuilder("*Audit log of `" + escape(trail.query()) + "`*, newest first:");
        for (AuditEntry e : trail.entries()) {
            out.append("\n• ").append(Times.logged(e.at())).append("  ")
                    .append(e.actor().matches("[A-Z0-9]+") ? "<@" + e.actor() + ">" : escape(e.actor()))
                    .append(" *").append(escape(e.action())).append("* ").append(escape(e.subject()))
                    .append(" _(").append(escape(e.origin().toLowerCase(Locale.ROOT)))
                    .append(e.runId().isEmpty() ? "" : ", run " + escape(e.runId())).append(")_");
            if (!e.detail().isEmpty()) {
                out.append(": ").append(escape(truncate(e.detail(), 200)));
            }
        }
        return truncate(out.toString(), 3900);
    }

    /**
     * The answer to {@code runs} and {@code runs <key or service>}: one line per run, newest first (see {@link #runLine}).
     *
     * @param card the run's card as its thread shows it, or empty (its golden path is gone)
     */
    public static String runs(RunFinder.Found found, Function<Run, Optional<Card>> card, Instant now, String command) {
        String about = found.query().isEmpty() ? "" : " about `" + escape(found.query()) + "`";
        if (found.runs().isEmpty()) {
            return found.query().isEmpty() ? "You have not asked Paver for anything yet. `" + command + " help` lists what you can ask for."
                    : "No run" + about + " among the last " + RunFinder.SEARCHED + " runs.";
        }
        StringBuilder out = new StringBuilder(found.query().isEmpty() ? "*Your runs*, newest first:" : "*Runs" + about + "*, newest first:");
        for (Run run : found.runs()) {
            out.append('\n').append(runLine(run, card.apply(run), now, true));
        }
        if (found.more()) {
            out.append("\n_Only the newest ").append(found.runs().size()).append(" are shown._");
        }
        out.append("\n`").append(command).append(" status <run id>` shows one run's card.");
        return truncate(out.toString(), 3900);
    }

    /**
     * One run on one line: {@code • `id` *title*: state · 3m 05s ago in #channel · links}; the title, the state and
     * the links ({@code withLinks}) are the card's, else the golden path, the subject and the run's state.
     */
    static String runLine(Run run, Optional<Card> card, Instant now, boolean withLinks) {
        StringBuilder line = new StringBuilder("• `").append(run.id()).append("` *")
                .append(escape(card.map(Card::title).orElse(run.request().goldenPath() + " " + Intake.subject(run.request()))))
                .append("*: ").append(escape(card.map(Card::state).orElse(run.state().name().toLowerCase(Locale.ROOT))))
                .append(" · ").append(Times.elapsed(Duration.between(run.createdAt(), now))).append(" ago");
        String channel = run.thread() == null ? run.request().channel() : run.thread().channel();
        if (channel != null && channel.matches("[CG][A-Z0-9]+")) {
            line.append(" in <#").append(channel).append('>');
        }
        card.map(Card::links).filter(l -> withLinks && !l.isEmpty()).ifPresent(l -> line.append(" · ").append(links(l)));
        return line.toString();
    }

    /**
     * The answer to {@code status <run id>}: the run's card as its thread shows it, with its id, age and channel first.
     *
     * @param card the run's card, or empty (its golden path is gone: the line alone)
     */
    public static List<LayoutBlock> status(Run run, Optional<Card> card, Instant now) {
        List<LayoutBlock> blocks = new ArrayList<>();
        // the card's blocks below carry its links
        blocks.add(section(s -> s.text(markdownText(truncate(runLine(run, card, now, false), 3000)))));
        card.ifPresent(c -> blocks.addAll(blocks(c)));
        return blocks.size() > 50 ? blocks.subList(0, 50) : blocks;
    }

    /** The App Home tab (a {@code home} view for {@code views.publish}). */
    public static View home(Home home, Approvals approvals) {
        List<LayoutBlock> blocks = new ArrayList<>();
        blocks.add(header(h -> h.text(plainText("Waiting for your approval"))));
        if (home.toApprove().isEmpty()) {
            blocks.add(section(s -> s.text(markdownText("Nothing waits for you."))));
        }
        for (var request : home.toApprove()) {
            blocks.addAll(blocks(approvals.prompt(request)));
        }
        blocks.add(header(h -> h.text(plainText("Your runs"))));
        StringBuilder runs = new StringBuilder();
        for (var run : home.runs()) {
            runs.append(runLine(run, Optional.empty(), home.now(), false)).append('\n');
        }
        String runText = runs.length() == 0 ? "You have not asked Paver for anything yet." : runs.toString();
        blocks.add(section(s -> s.text(markdownText(truncate(runText, 3000)))));
        blocks.add(header(h -> h.text(plainText("Your production access"))));
        StringBuilder access = new StringBuilder();
        for (var grant : home.elevations()) {
            access.append("• *").append(escape(grant.role())).append("* in `").append(escape(grant.namespace()))
                    .append("` until ").append(Times.instant(grant.expiresAt())).append(" (")
                    .append(Times.elapsed(Duration.between(home.now(), grant.expiresAt())))
                    .append(" left)\n");
        }
        String accessText = access.length() == 0 ? "No active elevation." : access.toString();
        blocks.add(section(s -> s.text(markdownText(truncate(accessText, 3000)))));
        return View.builder().type("home").blocks(blocks.size() > 100 ? blocks.subList(0, 100) : blocks).build();
    }

    /** Escapes Slack mrkdwn control characters (api.slack.com, "Formatting text for app surfaces"). */
    public static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String links(List<Link> links) {
        StringBuilder out = new StringBuilder();
        for (Link l : links) {
            if (out.length() > 0) {
                out.append("  ·  ");
            }
            out.append('<').append(l.url().replace("|", "%7C").replace(">", "%3E")).append('|')
                    .append(escape(l.title()).replace("|", "/")).append('>');
        }
        return out.toString();
    }

    /** {@code s}, cut to {@code max} characters with an ellipsis (Block Kit limits text lengths). */
    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

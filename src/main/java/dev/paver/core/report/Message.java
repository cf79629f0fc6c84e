package dev.paver.core.report;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A message in the chat: a thread reply (one milestone of a run), an approval prompt, a reminder.
 *
 * @param text    what happened, plain text (the renderer escapes it); {@link #mention(String)} marks a user mention
 * @param fields  label and value pairs shown under the text (an approval prompt's summary), possibly empty
 * @param links   pull requests, repositories, Argo CD applications
 * @param buttons actions a person can take (approve, deny, extend), possibly empty
 */
public record Message(String text, List<Card.Field> fields, List<Link> links, List<Button> buttons) {
    public Message {
        fields = List.copyOf(fields);
        links = List.copyOf(links);
        buttons = List.copyOf(buttons);
    }

    /** A reply with text and links only. */
    public Message(String text, List<Link> links) {
        this(text, List.of(), links, List.of());
    }

    private static final char MARK = '\u0001';

    /**
     * A mention of a chat user inside {@link #text()}: renderers show it as the person's name. Only ids made of
     * {@code A-Z0-9} become mentions; anything else is shown as it is.
     */
    public static String mention(String userId) {
        return userId != null && userId.matches("[A-Z0-9]+") ? MARK + "@" + userId + MARK : String.valueOf(userId);
    }

    /** The first 7 characters of a commit id, as people see it in messages and cards; empty for {@code null}. */
    public static String shortSha(String sha) {
        return sha == null ? "" : sha.length() > 7 ? sha.substring(0, 7) : sha;
    }

    /** The pattern renderers replace by a mention: group 1 is the user id. */
    public static final Pattern MENTION = Pattern.compile("\u0001@([A-Z0-9]+)\u0001");

    /**
     * A button.
     *
     * @param text     its label
     * @param actionId what the chat sends back when it is clicked, e.g. {@code approval-approve}
     * @param value    the value sent back with it: the approval request id, the run id
     * @param style    {@code primary}, {@code danger} or empty
     * @param confirm  a dialog the chat shows before the click is sent, or null for none
     */
    public record Button(String text, String actionId, String value, String style, Confirm confirm) {
        public Button {
            style = style == null ? "" : style;
        }

        /** A button sent as soon as it is clicked. */
        public Button(String text, String actionId, String value, String style) {
            this(text, actionId, value, style, null);
        }
    }

    /**
     * The question the chat asks before a button's click is sent (Block Kit's confirmation dialog object,
     * docs.slack.dev: title up to 100 characters, text up to 300, button labels up to 30).
     *
     * @param title   the dialog's title, e.g. "Cancel this run?"
     * @param text    what will happen, plain text
     * @param confirm the label of the button that sends the click
     * @param deny    the label of the button that closes the dialog and sends nothing
     */
    public record Confirm(String title, String text, String confirm, String deny) {
    }
}

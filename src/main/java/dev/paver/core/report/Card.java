package dev.paver.core.report;

import java.util.List;

/**
 * The status card of one run: posted once in the channel where it was asked, then edited in place.
 *
 * @param title  the golden path id and the request's subject, e.g. {@code create-service payments/api},
 *               {@code promote payments-prod-api}
 * @param state  the run's state in words: {@code Running}, {@code Waiting for approval (0 of 1)} (what the waiting step
 *               waits for), {@code Done}, {@code Failed}, {@code Denied}, {@code Expired}
 * @param requester the chat user id of the person who asked (renderers show it as a mention)
 * @param fields label and value pairs: the request's parameters as text, defaults filled (renderers escape them)
 * @param steps  one line per template step (a {@code paver:preview} step only in a dry run)
 * @param links  the template's output links once known
 * @param note   a line under the steps (deployment tracking off, the failure reason), or empty
 * @param buttons what a person can do with the run from its card (Retry a failed run), possibly empty
 */
public record Card(String title, String state, String requester, List<Field> fields, List<StepLine> steps, List<Link> links,
                   String note, List<Message.Button> buttons) {
    public Card {
        fields = List.copyOf(fields);
        steps = List.copyOf(steps);
        links = List.copyOf(links);
        note = note == null ? "" : note;
        buttons = List.copyOf(buttons);
    }

    /** A card without buttons. */
    public Card(String title, String state, String requester, List<Field> fields, List<StepLine> steps, List<Link> links,
                String note) {
        this(title, state, requester, fields, steps, links, note, List.of());
    }

    /** A label and its value. */
    public record Field(String label, String value) {
    }

    /**
     * One step of the run.
     *
     * @param name   the step's name from the template
     * @param status pending, waiting, done, skipped or failed
     * @param detail a short detail (PR number, revision), or empty
     */
    public record StepLine(String name, String status, String detail) {
    }
}

package dev.paver.core.report;

import java.time.Instant;
import java.util.Optional;

/**
 * Port to the chat where runs are reported. Implementations render the model (Block Kit for Slack). Every
 * method throws {@link NotifierException} when the chat refuses or cannot be reached.
 *
 * <p>Every new message carries a {@code key} that names it for good (a run id and a milestone, an approval and a
 * channel): the chat keeps it with the message (Slack: message {@code metadata}), so that {@link #find} can tell,
 * after a crash between the call and its record, whether the message was posted. {@link OnceNotifier} uses it to
 * post each key once.
 */
public interface Notifier {

    /** Posts a new card in {@code channel} and returns where it is. */
    ThreadRef postCard(String channel, Card card, String key);

    /** Replaces the card in place (idempotent: the same card twice shows the same). */
    void updateCard(ThreadRef thread, Card card);

    /** Posts a reply in the card's thread and returns its {@code ts}. */
    String reply(ThreadRef thread, Message message, String key);

    /** Posts a message in {@code channel} (not in a thread) and returns its {@code ts}. */
    String post(String channel, Message message, String key);

    /**
     * Shows {@code message} to {@code userId} only, in {@code channel} (Slack: an ephemeral message). Ephemeral
     * messages cannot be read back, so {@link #find} never finds them.
     */
    void postPrivate(String channel, String userId, Message message, String key);

    /** Replaces the message {@code ts} in {@code channel} (an approval prompt once decided: its buttons go). */
    void edit(String channel, String ts, Message message);

    /**
     * Looks for the message posted with {@code key} in {@code channel} since {@code since} (or in the thread
     * {@code threadTs} when not null): its {@code ts}, or empty when it was never posted.
     *
     * @throws NotifierException when the chat cannot be read (for Slack: a missing {@code *:history} scope is
     *                           permanent)
     */
    Optional<String> find(String channel, String threadTs, String key, Instant since);

    /**
     * The chat refused a call or could not be reached; the message says which call and why. Permanent when
     * repeating the call cannot help (the channel does not exist, Paver is not in it, the token is revoked);
     * otherwise (rate limits, network) a later pass may succeed.
     */
    class NotifierException extends RuntimeException {
        private final boolean permanent;

        public NotifierException(String message, Throwable cause, boolean permanent) {
            super(message, cause);
            this.permanent = permanent;
        }

        /** True when repeating the call cannot help. */
        public boolean permanent() {
            return permanent;
        }
    }
}

package dev.paver.core.report;

import java.time.Duration;

/**
 * Port to the chat where runs are reported. Implementations render the model (Block Kit for Slack). Every
 * method throws {@link NotifierException} when the chat refuses or cannot be reached.
 */
public interface Notifier {

    /** Posts a new card in {@code channel} and returns where it is. */
    ThreadRef postCard(String channel, Card card);

    /** Replaces the card in place. */
    void updateCard(ThreadRef thread, Card card);

    /** Posts a reply in the card's thread and returns its {@code ts}. */
    String reply(ThreadRef thread, Message message);

    /** Posts a message in {@code channel} (not in a thread) and returns its {@code ts}. */
    String post(String channel, Message message);

    /** Replaces the message {@code ts} in {@code channel} (an approval prompt once decided: its buttons go). */
    void edit(String channel, String ts, Message message);

    /**
     * The chat refused a call or could not be reached; the message says which call and why. Permanent when
     * repeating the call cannot help (the channel does not exist, Paver is not in it, the token is revoked);
     * otherwise (rate limits, network) a later pass may succeed.
     */
    class NotifierException extends RuntimeException {
        private final boolean permanent;
        private final Duration retryAfter;

        /** A failure without a hint of when to try again ({@link #retryAfter()} is null). */
        public NotifierException(String message, Throwable cause, boolean permanent) {
            this(message, cause, permanent, null);
        }

        /**
         * @param retryAfter how long the chat asked to wait before the call is made again (Slack's {@code Retry-After}
         *                   on a rate-limited call); null when it did not say
         */
        public NotifierException(String message, Throwable cause, boolean permanent, Duration retryAfter) {
            super(message, cause);
            this.permanent = permanent;
            this.retryAfter = retryAfter;
        }

        /** True when repeating the call cannot help. */
        public boolean permanent() {
            return permanent;
        }

        /** How long to wait before making the call again, as the chat asked (a rate limit); null when unknown. */
        public Duration retryAfter() {
            return retryAfter;
        }
    }
}

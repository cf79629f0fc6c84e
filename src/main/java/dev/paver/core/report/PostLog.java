package dev.paver.core.report;

import java.time.Instant;
import java.util.Optional;

/**
 * Port to the durable record of Paver's chat posts, one entry per message key (see {@link Notifier}): written as
 * an intent before the call and completed with the message's {@code ts} after it, so that a process killed between
 * the two finds the intent at the next try. Implementations throw unchecked exceptions when the store is
 * unreachable.
 */
public interface PostLog {

    /**
     * One message key.
     *
     * @param channel    where it goes (for a card, the channel asked for; once posted, the channel Slack answered)
     * @param threadTs   the thread it replies in, or null
     * @param ts         its {@code ts} once posted, or null while only intended
     * @param intendedAt when the intent was first recorded
     */
    record Entry(String key, String channel, String threadTs, String ts, Instant intendedAt) {
        /** True once the post is known to have happened. */
        public boolean posted() {
            return ts != null;
        }
    }

    /** The entry for {@code key}, if any. */
    Optional<Entry> find(String key);

    /** Records the intent to post {@code key}, unless an entry exists (then nothing changes). */
    void intend(String key, String channel, String threadTs, Instant at);

    /** Records that {@code key} was posted as {@code ts} in {@code channel}. */
    void posted(String key, String channel, String ts);
}

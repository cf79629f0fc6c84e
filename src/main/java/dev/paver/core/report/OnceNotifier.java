package dev.paver.core.report;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * A {@link Notifier} that posts each message key once, across crashes and restarts: the intent is recorded in the
 * {@link PostLog} before the call and the {@code ts} after it; a key found as an intent without a {@code ts} (the
 * process died between the two) is first looked for in the chat ({@link Notifier#find}, Slack: the message
 * {@code metadata} read back with {@code conversations.history} or {@code conversations.replies}) and posted only
 * when it is not there. A key already posted returns the stored {@code ts} without a call.
 *
 * <p>Private (ephemeral) messages cannot be read back: one whose intent was left by a crash is posted again (a
 * private answer is never lost; in the rare crash between the call and its record, it shows twice to one person).
 * When the chat cannot be read ({@link NotifierException#permanent()}, e.g. Slack's {@code channels:history} scope
 * missing), the message is posted again and a warning names the cause once.
 *
 * <p>Callers must not post the same key from two threads at once; the run engine posts a run's keys under the
 * run's lock.
 */
public final class OnceNotifier implements Notifier {

    private static final Logger LOG = Logger.getLogger(OnceNotifier.class.getName());

    /** How far before the recorded intent the chat is searched: clocks of replicas and Slack differ a little. */
    static final Duration SEARCH_MARGIN = Duration.ofMinutes(2);

    private final Notifier chat;
    private final PostLog log;
    private final Clock clock;
    private final Set<String> unreadableWarned = ConcurrentHashMap.newKeySet();

    /**
     * @param chat  the chat adapter that posts
     * @param log   the durable record of posts
     * @param clock the time recorded with an intent
     */
    public OnceNotifier(Notifier chat, PostLog log, Clock clock) {
        this.chat = chat;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public ThreadRef postCard(String channel, Card card, String key) {
        Posted posted = once(key, channel, null, () -> {
            ThreadRef thread = chat.postCard(channel, card, key);
            return new Posted(thread.channel(), thread.cardTs());
        });
        return new ThreadRef(posted.channel(), posted.ts(), posted.ts());
    }

    @Override
    public void updateCard(ThreadRef thread, Card card) {
        chat.updateCard(thread, card);
    }

    @Override
    public String reply(ThreadRef thread, Message message, String key) {
        return once(key, thread.channel(), thread.threadTs(),
                () -> new Posted(thread.channel(), chat.reply(thread, message, key))).ts();
    }

    @Override
    public String post(String channel, Message message, String key) {
        return once(key, channel, null, () -> new Posted(channel, chat.post(channel, message, key))).ts();
    }

    @Override
    public void postPrivate(String channel, String userId, Message message, String key) {
        Optional<PostLog.Entry> entry = log.find(key);
        if (entry.isPresent() && entry.get().posted()) {
            return;
        }
        if (entry.isEmpty()) {
            log.intend(key, channel, null, clock.instant());
        }
        chat.postPrivate(channel, userId, message, key);
        log.posted(key, channel, "private");
    }

    @Override
    public void edit(String channel, String ts, Message message) {
        chat.edit(channel, ts, message);
    }

    @Override
    public Optional<String> find(String channel, String threadTs, String key, Instant since) {
        Optional<PostLog.Entry> entry = log.find(key);
        if (entry.isPresent() && entry.get().posted()) {
            return Optional.of(entry.get().ts());
        }
        return chat.find(channel, threadTs, key, since);
    }

    private record Posted(String channel, String ts) {
    }

    private interface Post {
        Posted post();
    }

    private Posted once(String key, String channel, String threadTs, Post post) {
        Optional<PostLog.Entry> entry = log.find(key);
        if (entry.isPresent() && entry.get().posted()) {
            return new Posted(entry.get().channel(), entry.get().ts());
        }
        if (entry.isPresent()) {
            Optional<String> found = lookFor(entry.get(), key);
            if (found.isPresent()) {
                log.posted(key, entry.get().channel(), found.get());
                LOG.info("message " + key + " was posted before a restart; not posted again");
                return new Posted(entry.get().channel(), found.get());
            }
        } else {
            log.intend(key, channel, threadTs, clock.instant());
        }
        Posted posted = post.post();
        log.posted(key, posted.channel(), posted.ts());
        return posted;
    }

    private Optional<String> lookFor(PostLog.Entry entry, String key) {
        try {
            return chat.find(entry.channel(), entry.threadTs(), key, entry.intendedAt().minus(SEARCH_MARGIN));
        } catch (NotifierException e) {
            if (!e.permanent()) {
                throw e;
            }
            if (unreadableWarned.add(e.getMessage())) {
                LOG.warning("cannot tell whether a message was posted before a restart, so it is posted again: "
                        + e.getMessage());
            }
            return Optional.empty();
        }
    }
}

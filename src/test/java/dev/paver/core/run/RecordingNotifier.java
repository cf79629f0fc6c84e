package dev.paver.core.run;

import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.ThreadRef;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Notifier} that keeps what it was given, for unit tests of the engine. */
public final class RecordingNotifier implements Notifier {
    public final List<Card> cards = new CopyOnWriteArrayList<>();
    public final List<Message> replies = new CopyOnWriteArrayList<>();
    private int next = 1;

    @Override
    public synchronized ThreadRef postCard(String channel, Card card, String key) {
        cards.add(card);
        String ts = "1700000000.00000" + next++;
        return new ThreadRef(channel, ts, ts);
    }

    @Override
    public void updateCard(ThreadRef thread, Card card) {
        cards.add(card);
    }

    /** Messages posted in channels (approval prompts), by channel and ts; edits replace them. */
    public final java.util.Map<String, Message> posted = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public synchronized String reply(ThreadRef thread, Message message, String key) {
        replies.add(message);
        String ts = "1700000001.00000" + next++;
        posted.put(thread.channel() + "/" + ts, message);
        return ts;
    }

    @Override
    public synchronized String post(String channel, Message message, String key) {
        String ts = "1700000002.00000" + next++;
        posted.put(channel + "/" + ts, message);
        return ts;
    }

    @Override
    public void edit(String channel, String ts, Message message) {
        posted.put(channel + "/" + ts, message);
    }

    /** Private answers, as {@code channel/user: text}. */
    public final List<String> privately = new CopyOnWriteArrayList<>();

    @Override
    public void postPrivate(String channel, String userId, Message message, String key) {
        privately.add(channel + "/" + userId + ": " + message.text());
    }

    /** Finds nothing: a recording notifier keeps no history. */
    @Override
    public java.util.Optional<String> find(String channel, String threadTs, String key, java.time.Instant since) {
        return java.util.Optional.empty();
    }

    public Card lastCard() {
        return cards.get(cards.size() - 1);
    }

    public List<String> replyTexts() {
        return replies.stream().map(Message::text).toList();
    }
}

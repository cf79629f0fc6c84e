package dev.paver.core.report;

/**
 * Where a run is reported in Slack.
 *
 * @param channel  channel id
 * @param cardTs   {@code ts} of the status card, the message edited with {@code chat.update}
 * @param threadTs {@code thread_ts} of the replies (the card's {@code ts}: the card opens the thread)
 */
public record ThreadRef(String channel, String cardTs, String threadTs) {
}

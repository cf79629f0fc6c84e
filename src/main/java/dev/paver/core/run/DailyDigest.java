package dev.paver.core.run;

import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.logging.Logger;

/**
 * Once a day, in every channel whose {@link NoiseLevel} holds replies back, a message listing per run what was held
 * back since the channel's previous digest: run id, service, how many replies. Nothing is posted when nothing was held
 * back. {@link #tick()} is called every few seconds on every replica; each channel's digest of a day is posted once:
 * a replica claims it ({@link HeldBack#claimDigest}) for {@link #CLAIM} before posting, and the post goes through the
 * once-only notifier with the key {@code digest/<channel>/<day>}, so a replica that died after posting and before
 * recording it is not followed by a second post.
 */
public final class DailyDigest {

    private static final Logger LOG = Logger.getLogger(DailyDigest.class.getName());

    /** How long a replica holds a digest it is posting; another may post it after that. */
    static final Duration CLAIM = Duration.ofMinutes(5);

    private final NoiseBudget budget;
    private final HeldBack held;
    private final Notifier notifier;
    private final Clock clock;
    private final LocalTime at;
    private final ZoneId zone;
    private final String command;

    /**
     * @param budget   the channels and their levels
     * @param held     what was held back, and which digests are done
     * @param notifier the once-only notifier ({@link dev.paver.core.report.OnceNotifier})
     * @param clock    Paver's clock
     * @param at       the time of day of the digest ({@code paver.notifications.digest-at})
     * @param zone     the zone of that time ({@code paver.notifications.digest-zone})
     * @param command  the slash command ({@code /platform}), for the digest's hint
     */
    public DailyDigest(NoiseBudget budget, HeldBack held, Notifier notifier, Clock clock, LocalTime at, ZoneId zone,
                       String command) {
        this.budget = budget;
        this.held = held;
        this.notifier = notifier;
        this.clock = clock;
        this.at = at;
        this.zone = zone;
        this.command = command;
    }

    /**
     * Posts the digests that are due and not done: for each quiet channel, the latest digest time that has passed
     * (today's, or yesterday's before today's time). A digest missed while Paver was down is posted at the next tick
     * and covers everything held back since the previous one.
     *
     * @return how many digests this call posted
     * @throws Notifier.NotifierException when Slack cannot take a digest now (the next tick after {@link #CLAIM} tries again)
     */
    public int tick() {
        Instant now = clock.instant();
        ZonedDateTime due = now.atZone(zone).toLocalDate().atTime(at).atZone(zone);
        if (due.toInstant().isAfter(now)) {
            due = due.minusDays(1);
        }
        int posted = 0;
        for (String channel : budget.quietChannels()) {
            if (digest(channel, due, now)) {
                posted++;
            }
        }
        return posted;
    }

    private boolean digest(String channel, ZonedDateTime due, Instant now) {
        String day = due.toLocalDate().toString();
        Instant end = due.toInstant();
        if (!held.claimDigest(channel, day, end, now, now.plus(CLAIM))) {
            return false;
        }
        Instant from = held.lastDigestEnd(channel).orElse(Instant.EPOCH);
        List<HeldBack.Run> runs = held.heldBetween(channel, from, end);
        boolean post = !runs.isEmpty();
        if (post) {
            try {
                notifier.post(channel, message(budget.level(channel), day, runs, command), "digest/" + channel + "/" + day);
            } catch (Notifier.NotifierException e) {
                if (!e.permanent()) {
                    throw e;
                }
                LOG.warning("the digest of " + day + " cannot be posted in " + channel + ", so it is left out: " + e.getMessage());
                post = false;
            }
        }
        held.digestDone(channel, day, clock.instant());
        return post;
    }

    /** The digest's text: one line per run. */
    static Message message(NoiseLevel level, String day, List<HeldBack.Run> runs, String command) {
        int total = runs.stream().mapToInt(HeldBack.Run::count).sum();
        StringBuilder text = new StringBuilder("Daily digest (" + day + "): this channel gets " + level.id()
                + ", so Paver held back " + total + (total == 1 ? " reply" : " replies") + " in "
                + runs.size() + (runs.size() == 1 ? " run's thread" : " runs' threads") + " since the last digest:");
        for (HeldBack.Run run : runs) {
            text.append("\n• ").append(run.runId()).append(" (").append(run.service()).append("): ")
                    .append(run.count()).append(run.count() == 1 ? " milestone" : " milestones");
        }
        text.append("\nEach run's card shows where it is; ").append(command).append(" status <run id> tells more.");
        return new Message(text.toString(), List.of());
    }
}

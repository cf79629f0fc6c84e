package dev.paver.core.run;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which of a run's thread replies (its {@link Milestone}s) a channel gets, by the channel's {@link NoiseLevel}. The
 * {@link RunEngine} asks it before every reply: the one place where replies are held back. Approval prompts are not
 * milestones and are always posted.
 *
 * <p>Every milestone is one of three kinds, by its key (the key a step gives it, before the run engine adds the
 * step's id):
 * <ul>
 *   <li>{@link Kind#CHATTY}: progress of a step still under way, which the card shows as well: {@code syncing}
 *       (Argo CD syncs), {@code creating} (Crossplane creates), {@code host-wait} (the git host's rate limit),
 *       {@code log} ({@code debug:log} output);</li>
 *   <li>{@link Kind#ACTION}: a failure, or a person asked to act: {@code failed}, {@code denied}, {@code expired},
 *       {@code abandoned}, {@code retrying} (a step failed and is tried again), {@code error:*} (Crossplane cannot
 *       reconcile), {@code slow} and {@code no-application} (stuck: check ...), {@code paused}, {@code asked} (a
 *       repository to create, a retry), {@code remind} and {@code remind-*} (a pull request waits, access ends),
 *       {@code void-*} (approvers must look again), {@code extension-denied-*}, {@code sync-off} and
 *       {@code tracking-off} (check Argo CD yourself), and every milestone with a button;</li>
 *   <li>{@link Kind#MILESTONE}: everything else: a pull request opened or merged, a repository published, deployed,
 *       Ready, approved, access granted, extended or revoked, ...</li>
 * </ul>
 * A milestone of a template's {@code each} step ({@code <index>/<key>}) is classified by its key.
 *
 * @param levels channel id (e.g. {@code C0BUSY}) to its level; a channel not named gets {@link NoiseLevel#ALL}
 */
public record NoiseBudget(Map<String, NoiseLevel> levels) {

    /** Every channel gets every reply. */
    public static final NoiseBudget ALL = new NoiseBudget(Map.of());

    public NoiseBudget {
        levels = Map.copyOf(levels);
    }

    /** What a milestone is, for {@link NoiseLevel}s. */
    public enum Kind {
        /** progress the card shows too */
        CHATTY,
        /** a step done that people follow */
        MILESTONE,
        /** a failure or a request to act */
        ACTION
    }

    private static final Set<String> CHATTY = Set.of("syncing", "creating", "host-wait", "log");
    private static final Set<String> ACTION = Set.of("failed", "denied", "expired", "abandoned", "retrying", "slow",
            "no-application", "paused", "asked", "remind", "sync-off", "tracking-off");
    private static final Set<String> ACTION_PREFIXES = Set.of("error:", "remind-", "void-", "extension-denied-");

    /** The level of {@code channel}. */
    public NoiseLevel level(String channel) {
        return levels.getOrDefault(channel, NoiseLevel.ALL);
    }

    /** The kind of {@code milestone} (see the class comment). */
    public static Kind kind(Milestone milestone) {
        if (!milestone.buttons().isEmpty()) {
            return Kind.ACTION;
        }
        String key = milestone.key();
        int item = key.indexOf('/');
        if (item > 0 && key.substring(0, item).chars().allMatch(Character::isDigit)) {
            key = key.substring(item + 1);
        }
        if (CHATTY.contains(key)) {
            return Kind.CHATTY;
        }
        if (ACTION.contains(key)) {
            return Kind.ACTION;
        }
        for (String prefix : ACTION_PREFIXES) {
            if (key.startsWith(prefix)) {
                return Kind.ACTION;
            }
        }
        return Kind.MILESTONE;
    }

    /**
     * True when {@code milestone} is posted in a thread in {@code channel}; false when it is held back (counted for the
     * digest). A milestone with a button is always posted: a run waits for its click.
     */
    public boolean shows(String channel, Milestone milestone) {
        if (!milestone.buttons().isEmpty()) {
            return true;
        }
        Kind kind = kind(milestone);
        return switch (level(channel)) {
            case ALL -> true;
            case MILESTONES -> kind != Kind.CHATTY;
            case FAILURES -> kind == Kind.ACTION;
            case CARD_ONLY -> false;
        };
    }

    /** The channels that may hold replies back: those whose digest may be due. */
    public Set<String> quietChannels() {
        return levels.entrySet().stream().filter(e -> e.getValue() != NoiseLevel.ALL).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}

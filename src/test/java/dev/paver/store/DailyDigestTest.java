package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.MutableClock;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.OnceNotifier;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.DailyDigest;
import dev.paver.core.run.HeldBack;
import dev.paver.core.run.NoiseBudget;
import dev.paver.core.run.NoiseLevel;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The daily digest of what a busy channel's noise budget held back, on the stores Paver uses (H2 here): once a day
 * per channel, across replicas and a crash, and nothing when nothing was held back.
 */
class DailyDigestTest {

    private static final Instant MONDAY_0800 = Instant.parse("2026-12-07T08:00:00Z");

    private final JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
    private final JdbcHeldBack held = new JdbcHeldBack(jdbc);
    private final MutableClock clock = MutableClock.startingAt(MONDAY_0800);
    private final Slack slack = new Slack();
    private final NoiseBudget budget = new NoiseBudget(Map.of("C0BUSY", NoiseLevel.FAILURES, "C0QUIET", NoiseLevel.CARD_ONLY));

    /** A replica: its own digest and once-only notifier, on the shared database and Slack. */
    private DailyDigest replica(HeldBack store) {
        return new DailyDigest(budget, store, new OnceNotifier(slack, new JdbcPostLog(jdbc), clock), clock,
                LocalTime.of(9, 0), ZoneOffset.UTC, "/platform");
    }

    @Test
    void postsOneDigestADayInTheBusyChannelListingEachRunsHeldBackReplies() {
        DailyDigest one = replica(held);
        DailyDigest two = replica(held);
        held.hold("C0BUSY", "r1api", "api", "publish-app/opened", MONDAY_0800);
        held.hold("C0BUSY", "r1api", "api", "publish-gitops/opened", MONDAY_0800.plusSeconds(60));
        held.hold("C0BUSY", "r1api", "api", "publish-gitops/opened", MONDAY_0800.plusSeconds(90)); // a pass repeated
        held.hold("C0BUSY", "r2web", "web", "await-merge/merged", MONDAY_0800.plusSeconds(120));

        assertThat(one.tick()).as("before 09:00 the digest is not due").isZero();
        clock.advance(Duration.ofHours(1));
        assertThat(one.tick()).isEqualTo(1);
        assertThat(two.tick()).as("the other replica finds it done").isZero();
        assertThat(one.tick()).isZero();

        assertThat(slack.posts).hasSize(1);
        assertThat(slack.posts.get(0)).isEqualTo("C0BUSY: Daily digest (2026-12-07): this channel gets failures, so Paver "
                + "held back 3 replies in 2 runs' threads since the last digest:\n• r1api (api): 2 milestones\n• r2web (web): 1 milestone"
                + "\nEach run's card shows where it is; /platform status <run id> tells more.");

        held.hold("C0BUSY", "r2web", "web", "await-sync/deployed", clock.instant());
        clock.advance(Duration.ofHours(24).minusMinutes(1));
        assertThat(two.tick()).as("the next day's digest is due at 09:00").isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(two.tick()).isEqualTo(1);
        assertThat(one.tick()).isZero();
        assertThat(slack.posts).hasSize(2);
        assertThat(slack.posts.get(1)).contains("2026-12-08").contains("• r2web (web): 1 milestone").doesNotContain("r1api");
    }

    @Test
    void postsNothingWhenNothingWasHeldBack() {
        DailyDigest digest = replica(held);
        held.hold("C0PAYMENTS", "r1api", "api", "publish-app/opened", MONDAY_0800); // a channel that gets everything
        clock.advance(Duration.ofHours(1));
        assertThat(digest.tick()).isZero();
        clock.advance(Duration.ofDays(1));
        assertThat(digest.tick()).isZero();
        assertThat(slack.posts).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM channel_digests WHERE done_at IS NOT NULL", Integer.class))
                .as("each quiet channel's day is done, found empty").isEqualTo(4);
    }

    @Test
    void aReplicaThatDiedAfterPostingIsNotFollowedByASecondPost() {
        held.hold("C0QUIET", "r1api", "api", "publish-app/opened", MONDAY_0800);
        clock.advance(Duration.ofHours(1));
        HeldBack diesBeforeRecording = new HeldBack() {
            @Override
            public void hold(String channel, String runId, String service, String replyKey, Instant at) {
                held.hold(channel, runId, service, replyKey, at);
            }

            @Override
            public List<Run> heldBetween(String channel, Instant from, Instant to) {
                return held.heldBetween(channel, from, to);
            }

            @Override
            public Optional<Instant> lastDigestEnd(String channel) {
                return held.lastDigestEnd(channel);
            }

            @Override
            public boolean claimDigest(String channel, String day, Instant end, Instant now, Instant until) {
                return held.claimDigest(channel, day, end, now, until);
            }

            @Override
            public void digestDone(String channel, String day, Instant at) {
                if (channel.equals("C0QUIET")) {
                    throw new IllegalStateException("killed");
                }
                held.digestDone(channel, day, at);
            }
        };
        assertThatThrownBy(() -> replica(diesBeforeRecording).tick()).hasMessage("killed");
        assertThat(slack.posts).hasSize(1);

        DailyDigest other = replica(held);
        assertThat(other.tick()).as("the dead replica's claim holds for a while").isZero();
        clock.advance(Duration.ofMinutes(5));
        other.tick();
        assertThat(slack.posts).as("posted once").hasSize(1);
        assertThat(other.tick()).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM channel_digests WHERE channel = 'C0QUIET' AND done_at IS NOT NULL",
                Integer.class)).isEqualTo(1);
    }

    @Test
    void theTimeOfDayIsReadInTheConfiguredZone() {
        DailyDigest berlin = new DailyDigest(budget, held, new OnceNotifier(slack, new JdbcPostLog(jdbc), clock), clock,
                LocalTime.of(9, 0), ZoneId.of("Europe/Berlin"), "/platform");
        clock.advance(Duration.ofMinutes(-1)); // 08:59 in Berlin (UTC+1 in December)
        held.hold("C0BUSY", "r1api", "api", "publish-app/opened", clock.instant().minusSeconds(60));
        assertThat(berlin.tick()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(berlin.tick()).isEqualTo(1);
        assertThat(slack.posts.get(0)).contains("r1api (api)");
    }

    /** Slack as far as the digest uses it: posts in channels, found again by key. */
    private static final class Slack implements Notifier {
        final List<String> posts = new CopyOnWriteArrayList<>();
        final Map<String, String> byKey = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public String post(String channel, Message message, String key) {
            posts.add(channel + ": " + message.text());
            String ts = "1765090000.00000" + posts.size();
            byKey.put(key, ts);
            return ts;
        }

        @Override
        public Optional<String> find(String channel, String threadTs, String key, Instant since) {
            return Optional.ofNullable(byKey.get(key));
        }

        @Override
        public ThreadRef postCard(String channel, Card card, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void updateCard(ThreadRef thread, Card card) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String reply(ThreadRef thread, Message message, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void postPrivate(String channel, String userId, Message message, String key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void edit(String channel, String ts, Message message) {
            throw new UnsupportedOperationException();
        }
    }
}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Card;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.ThreadRef;
import dev.paver.store.JdbcRunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two replicas of the engine on one database (H2, or a real PostgreSQL from embedded binaries on loopback), each
 * with its own store (its own owner id), its own workers and its own chat stand-in: together they advance every run
 * once, and a replica that stops in the middle of a pass has its run taken over once its lease expired.
 *
 * <p>The golden path {@code relay}: {@code open} (a side effect, says "opened"), {@code slow} (a side effect, silent),
 * {@code go} (waits for the test's go, then says "went"), {@code close} (a side effect, says "closed").
 */
class ReplicasTest {

    private static final String TEMPLATE = """
            apiVersion: scaffolder.backstage.io/v1beta3
            kind: Template
            metadata:
              name: relay
              title: Relay
            spec:
              parameters: []
              steps:
                - id: open
                  action: test:effect
                  input: {say: opened}
                - id: slow
                  action: test:effect
                  input: {say: ""}
                - id: go
                  action: test:await-go
                - id: close
                  action: test:effect
                  input: {say: closed}
            """;

    private static EmbeddedPostgres postgres;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path tmp;

    private GoldenPathCatalog catalog;
    private final TemplateRenderer renderer = new TemplateRenderer();
    /** Side effects that began and that ended, as {@code <run>/<step>}, across both replicas. */
    private final List<String> began = new CopyOnWriteArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    /** Runs whose go was given. */
    private final Set<String> go = ConcurrentHashMap.newKeySet();
    /** A step id whose side effect blocks on {@link #frozen} when replica a executes it (a replica that stops). */
    private volatile String freezeAt;
    private final CountDownLatch frozen = new CountDownLatch(1);
    private final CountDownLatch thawed = new CountDownLatch(1);
    private final List<ExecutorService> pools = new ArrayList<>();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void relay() throws IOException {
        catalog = GoldenPathFixtures.catalogOf(tmp, "relay", TEMPLATE);
    }

    @AfterEach
    void stop() {
        thawed.countDown();
        pools.forEach(ExecutorService::shutdownNow);
    }

    private DataSource database(String kind) {
        if (kind.equals("postgresql")) {
            String name = "replicas" + DATABASES.incrementAndGet();
            new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + name);
            DataSource dataSource = postgres.getDatabase("postgres", name);
            Flyway.configure().dataSource(dataSource).load().migrate();
            return dataSource;
        }
        DataSource dataSource = new DriverManagerDataSource("jdbc:h2:mem:replicas-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }

    /** One replica: its store on the shared database, its chat, its workers and lease heartbeat. */
    private record Replica(String name, JdbcRunStore store, ChatStandIn chat, RunEngine engine,
                           ScheduledExecutorService heartbeats) {
    }

    private Replica replica(String name, DataSource db, Clock clock, Duration lease) {
        JdbcRunStore store = new JdbcRunStore(new JdbcTemplate(db), "paver-" + name + "-0f3c9a21");
        ChatStandIn chat = new ChatStandIn(name);
        ExecutorService workers = Executors.newFixedThreadPool(3);
        ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
        pools.add(workers);
        pools.add(heartbeats);
        ActionRegistry actions = new ActionRegistry(List.of(new Effect(name), new AwaitGo()));
        RunEngine engine = new RunEngine(catalog, actions, store, chat, renderer, clock, workers, lease, heartbeats);
        return new Replica(name, store, chat, engine, heartbeats);
    }

    private static RunRequest relayRequest() {
        return new RunRequest("relay", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED, "C0RELAY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void twoReplicasAdvancingTheSameRunsTogetherPostEveryMilestoneOnceAndDoEveryStepOnce(String kind) throws Exception {
        DataSource db = database(kind);
        Replica a = replica("a", db, Clock.systemUTC(), Duration.ofSeconds(60));
        Replica b = replica("b", db, Clock.systemUTC(), Duration.ofSeconds(60));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            // requests reach either replica; each starts its runs, and both poll all of them
            ids.add((i % 2 == 0 ? a : b).engine().start(relayRequest()).id());
        }

        waitUntil(() -> ids.stream().allMatch(id -> a.store().find(id).orElseThrow().state() == RunState.WAITING),
                () -> List.of(a.engine(), b.engine()).forEach(RunEngine::resumeAll));
        go.addAll(ids);
        waitUntil(() -> ids.stream().allMatch(id -> a.store().find(id).orElseThrow().state() == RunState.SUCCEEDED), () -> {
            for (String id : ids) {
                a.engine().wake(AwaitGo.key(id));
                b.engine().wake(AwaitGo.key(id));
            }
            a.engine().resumeAll();
            b.engine().resumeAll();
        });

        for (String id : ids) {
            assertThat(ended).as("every side effect once, run " + id)
                    .filteredOn(e -> e.startsWith(id + "/")).containsExactlyInAnyOrder(id + "/open", id + "/slow", id + "/close");
            assertThat(began).filteredOn(e -> e.startsWith(id + "/")).hasSize(3);
        }
        List<String> posted = new ArrayList<>(a.chat().replies);
        posted.addAll(b.chat().replies);
        assertThat(posted).as("every milestone once across both replicas").hasSize(ids.size() * 3)
                .doesNotHaveDuplicates();
        assertThat(a.chat().cardsPosted.size() + b.chat().cardsPosted.size()).as("one status card per run").isEqualTo(ids.size());
        assertThat(ids).allSatisfy(id -> assertThat(a.store().find(id).orElseThrow().posted())
                .contains("open/opened", "go/went", "close/closed"));
        for (ExecutorService pool : pools) {
            pool.shutdown();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(leaseOwners(db)).as("a run that ended holds no lease").containsOnlyNulls();
    }

    @Test
    void aReplicaThatStopsMidPassHasItsRunTakenOverOnceTheLeaseExpiredAndNothingIsDoneTwice() throws Exception {
        DataSource db = database("h2");
        MutableClock clock = MutableClock.startingAt(Instant.parse("2026-11-21T10:00:00Z"));
        Duration lease = Duration.ofSeconds(60);
        Replica a = replica("a", db, clock, lease);
        Replica b = replica("b", db, clock, lease);
        freezeAt = "slow";

        String id = a.engine().start(relayRequest()).id();
        assertThat(frozen.await(10, TimeUnit.SECONDS)).as("a stopped in the middle of step slow").isTrue();
        a.heartbeats().shutdownNow(); // the process is gone: nothing renews its lease any more
        go.add(id);

        b.engine().advance(id);
        clock.advance(Duration.ofSeconds(59));
        b.engine().advance(id);
        assertThat(began).as("b leaves the run alone while a's lease lasts").containsExactly(id + "/open", id + "/slow");

        clock.advance(Duration.ofSeconds(1));
        b.engine().advance(id);

        Run done = b.store().find(id).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(ended).as("a's step open is not done again; b does slow, which a never finished, and close")
                .containsExactly(id + "/open", id + "/slow", id + "/close");
        assertThat(a.chat().replies).containsExactly("opened " + id);
        assertThat(b.chat().replies).containsExactly("went " + id, "closed " + id);
        assertThat(a.chat().cardsPosted).hasSize(1);
        assertThat(b.chat().cardsPosted).as("b goes on in a's thread").isEmpty();
        assertThat(b.chat().cardEdits).allMatch(thread -> thread.equals(a.chat().cardsPosted.get(0)));

        // a wakes up from its pause: its writes are refused, its pass stops, b's outcome stands
        thawed.countDown();
        waitUntil(() -> ended.size() == 4, () -> { });
        Thread.sleep(200);
        assertThat(a.store().find(id).orElseThrow().updatedAt()).isEqualTo(done.updatedAt());
        assertThat(a.store().find(id).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(a.chat().replies).containsExactly("opened " + id);
    }

    @Test
    void aLivePassKeepsItsRunWhileItLastsLongerThanTheLease() throws Exception {
        DataSource db = database("h2");
        Duration lease = Duration.ofSeconds(1);
        Replica a = replica("a", db, Clock.systemUTC(), lease);
        Replica b = replica("b", db, Clock.systemUTC(), lease);
        freezeAt = "slow";

        String id = a.engine().start(relayRequest()).id();
        assertThat(frozen.await(10, TimeUnit.SECONDS)).isTrue();
        long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
        while (System.nanoTime() < until) {
            b.engine().advance(id); // a's heartbeat renews the lease every third of a second
            Thread.sleep(100);
        }
        assertThat(began).as("b did not take over a live pass").containsExactly(id + "/open", id + "/slow");

        go.add(id);
        thawed.countDown();
        waitUntil(() -> a.store().find(id).orElseThrow().state() == RunState.SUCCEEDED, () -> a.engine().wake(AwaitGo.key(id)));
        assertThat(ended).containsExactly(id + "/open", id + "/slow", id + "/close");
        assertThat(b.chat().replies).isEmpty();
    }

    @Test
    void aClickOnAnotherReplicaWaitsForThePassAndIsNotWrittenOver() throws Exception {
        DataSource db = database("h2");
        Replica a = replica("a", db, Clock.systemUTC(), Duration.ofSeconds(60));
        Replica b = replica("b", db, Clock.systemUTC(), Duration.ofSeconds(60));
        String id = a.engine().start(relayRequest()).id();
        waitUntil(() -> a.store().find(id).orElseThrow().state() == RunState.WAITING, () -> { });

        assertThat(a.store().claim(id, Instant.now().plusSeconds(60), Instant.now())).as("a passes over the run").isTrue();
        ExecutorService clicker = Executors.newSingleThreadExecutor();
        pools.add(clicker);
        var outcome = clicker.submit(() -> b.engine().signal(id, "nudge", AwaitGo.key(id), "U0DANA"));
        Thread.sleep(500);
        assertThat(outcome).as("the click waits for a's pass").isNotDone();
        a.store().release(id);

        assertThat(outcome.get(10, TimeUnit.SECONDS)).isEqualTo(RunEngine.SignalOutcome.ACCEPTED);
        assertThat(a.store().find(id).orElseThrow().posted()).contains("signal:nudge");
        assertThat(b.engine().signal(id, "nudge", AwaitGo.key(id), "U0DANA")).isEqualTo(RunEngine.SignalOutcome.ALREADY);
    }

    @Test
    void theCardShowsEachStepDoneWhileALongPassIsStillUnderWayAndTheLeaseIsLeftFreeAfterwards() throws Exception {
        DataSource db = database("h2");
        Replica a = replica("a", db, Clock.systemUTC(), Duration.ofSeconds(60));
        ExecutorService cards = Executors.newFixedThreadPool(2);
        pools.add(cards);
        a.engine().cardEdits(Duration.ofMillis(50), cards);
        freezeAt = "slow";

        String id = a.engine().start(relayRequest()).id();
        assertThat(frozen.await(10, TimeUnit.SECONDS)).as("the pass is in the middle of step slow").isTrue();
        // the sweep edits the card as the run is stored, though the pass holds the run until slow ends
        waitUntil(() -> a.chat().lastCard != null && a.chat().lastCard.steps().get(0).status().equals("done"),
                a.engine()::editStaleCards);
        assertThat(a.chat().lastCard.state()).isEqualTo("Running");
        assertThat(a.chat().lastCard.steps().get(1).status()).isNotEqualTo("done");

        go.add(id);
        thawed.countDown();
        waitUntil(() -> a.store().find(id).orElseThrow().state() == RunState.SUCCEEDED, () -> a.engine().wake(AwaitGo.key(id)));
        waitUntil(() -> a.store().staleCards(10).isEmpty(), a.engine()::editStaleCards);
        assertThat(a.chat().lastCard.state()).isEqualTo("Done");
        waitUntil(() -> leaseOwners(db).stream().allMatch(java.util.Objects::isNull), () -> { });
        assertThat(a.chat().cardsPosted).hasSize(1);
    }

    private static List<String> leaseOwners(DataSource db) {
        return new JdbcTemplate(db).queryForList("SELECT lease_owner FROM runs", String.class);
    }

    /** Calls {@code poke} and checks {@code done} every 50 ms, for at most 30 s. */
    private static void waitUntil(java.util.function.BooleanSupplier done, Runnable poke) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("in time").isLessThan(deadline);
            poke.run();
            Thread.sleep(50);
        }
    }

    /** A side effect that takes a little while, so that passes of the two replicas overlap; says {@code say}. */
    private final class Effect implements Action {
        private final String replica;

        Effect(String replica) {
            this.replica = replica;
        }

        @Override
        public String id() {
            return "test:effect";
        }

        @Override
        public ActionResult execute(ActionContext context) {
            String key = context.runId() + "/" + context.stepId();
            began.add(key);
            if (replica.equals("a") && context.stepId().equals(freezeAt)) {
                frozen.countDown();
                try {
                    thawed.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ended.add(key);
            String say = String.valueOf(context.input().get("say"));
            return new ActionResult.Done(Map.of(), "done",
                    say.isEmpty() ? List.of() : List.of(Milestone.of(say, say + " " + context.runId())));
        }
    }

    /** Waits for the test's go. */
    private final class AwaitGo implements Action {
        static String key(String runId) {
            return "go:" + runId;
        }

        @Override
        public String id() {
            return "test:await-go";
        }

        @Override
        public ActionResult execute(ActionContext context) {
            if (go.contains(context.runId())) {
                return new ActionResult.Done(Map.of(), "went", List.of(Milestone.of("went", "went " + context.runId())));
            }
            return new ActionResult.Waiting(key(context.runId()), "waiting for go", List.of());
        }
    }

    /** A chat that keeps what one replica posted: card posts (their threads), card edits, replies' texts. */
    private static final class ChatStandIn implements Notifier {
        final List<ThreadRef> cardsPosted = new CopyOnWriteArrayList<>();
        final List<ThreadRef> cardEdits = new CopyOnWriteArrayList<>();
        /** What the card shows after the latest edit; null before any. */
        volatile Card lastCard;
        final List<String> replies = new CopyOnWriteArrayList<>();
        private final String replica;
        private final AtomicInteger next = new AtomicInteger();

        ChatStandIn(String replica) {
            this.replica = replica;
        }

        private String ts() {
            return "1700000000." + replica.charAt(0) + next.incrementAndGet();
        }

        @Override
        public ThreadRef postCard(String channel, Card card, String key) {
            String ts = ts();
            ThreadRef thread = new ThreadRef(channel, ts, ts);
            cardsPosted.add(thread);
            return thread;
        }

        @Override
        public void updateCard(ThreadRef thread, Card card) {
            cardEdits.add(thread);
            lastCard = card;
        }

        @Override
        public String reply(ThreadRef thread, Message message, String key) {
            replies.add(message.text());
            return ts();
        }

        @Override
        public String post(String channel, Message message, String key) {
            return ts();
        }

        @Override
        public void postPrivate(String channel, String userId, Message message, String key) {
        }

        /** Keeps no history: finds nothing, so a post made twice would show as two. */
        @Override
        public Optional<String> find(String channel, String threadTs, String key, Instant since) {
            return Optional.empty();
        }

        @Override
        public void edit(String channel, String ts, Message message) {
        }
    }
}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.store.JdbcRunStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A step that looks again every few seconds (a pull request whose checks are pending: {@code AwaitMergeAction} sets
 * its timer a check interval ahead at every look) moves the run's timer at every pass, on the real store. That must
 * not edit the card, which does not show the timer: Slack allows about 50 {@code chat.update} a minute per
 * workspace (Tier 3), shared by every card, and twenty runs waiting for CI would otherwise spend it all.
 */
class LookAgainTest {

    private static final String TEMPLATE = """
            apiVersion: scaffolder.backstage.io/v1beta3
            kind: Template
            metadata:
              name: checks
              title: Checks
            spec:
              parameters: []
              steps:
                - id: wait
                  name: Wait for the checks
                  action: test:look-again
            """;

    @TempDir
    Path tmp;

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));
    private final RecordingNotifier slack = new RecordingNotifier();
    /** What the step says while it waits; a test changes it to see the card follow. */
    private volatile String detail = "waiting for the checks (pending)";
    private GoldenPathCatalog catalog;
    private JdbcRunStore store;

    @BeforeEach
    void setUp() throws IOException {
        catalog = GoldenPathFixtures.catalogOf(tmp, "checks", TEMPLATE);
        DataSource db = new DriverManagerDataSource("jdbc:h2:mem:look-again-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        store = new JdbcRunStore(new JdbcTemplate(db), "replica-a");
    }

    /** Waits; looks again ten seconds after each look. */
    private final class LookAgain implements Action {
        @Override
        public String id() {
            return "test:look-again";
        }

        @Override
        public ActionResult execute(ActionContext context) {
            return new ActionResult.Waiting("checks:" + context.runId(), detail, List.of(),
                    context.clock().instant().plusSeconds(10));
        }
    }

    @Test
    void aTimerMovedAtEveryLookIsStoredWithoutEditingTheCardUntilWhatTheCardShowsChanges() {
        RunEngine engine = new RunEngine(catalog, new ActionRegistry(List.of(new LookAgain())), store, slack,
                new TemplateRenderer(), clock, Runnable::run).cardEdits(Duration.ZERO, Runnable::run);
        Run run = engine.start(new RunRequest("checks", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS"));
        engine.editStaleCards();
        Run first = store.find(run.id()).orElseThrow();
        assertThat(first.state()).isEqualTo(RunState.WAITING);
        int cards = slack.cards.size();
        assertThat(slack.cards.get(cards - 1).state()).isEqualTo("Waiting for the checks (pending)");

        for (int look = 1; look <= 3; look++) {
            clock.advance(Duration.ofSeconds(11));
            assertThat(store.due(clock.instant())).as("the timer is due at look " + look).extracting(Run::id)
                    .containsExactly(run.id());
            engine.wakeDue();
            engine.editStaleCards();
            Run now = store.find(run.id()).orElseThrow();
            assertThat(now.wakeAt()).as("the timer moved on at look " + look).isEqualTo(clock.instant().plusSeconds(10));
            assertThat(store.due(clock.instant())).isEmpty();
            assertThat(now.updatedAt()).as("nothing the card shows changed").isEqualTo(first.updatedAt());
        }
        assertThat(slack.cards).as("no card edit for a timer").hasSize(cards);
        assertThat(store.staleCards(10)).isEmpty();

        detail = "waiting for the checks (a check fails)";
        clock.advance(Duration.ofSeconds(11));
        engine.wakeDue();
        engine.editStaleCards();
        assertThat(slack.cards).as("what the card shows changed: one edit").hasSize(cards + 1);
        assertThat(slack.cards.get(cards).state()).contains("(a check fails)");
    }
}

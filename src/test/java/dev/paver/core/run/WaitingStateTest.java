package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.store.JdbcRunStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A waiting step keeps what it learnt (an outside task's id, the last event it read) for its next pass: the engine
 * stores it with the run and gives it back, in this process and in a new engine on the same database after a restart.
 */
class WaitingStateTest {

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));
    private final RunStore store = jdbcStore();
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of())
            .with(List.of(new GoldenPath("follow-task", "Follow a task", "", ParameterSchema.read(List.of()),
                    List.of(new StepSpec("task", "Outside task", "test:outside-task", Map.of(), null, null)), Map.of(),
                    List.of(), null)));

    /** Starts a task on its first pass; on each later pass reads one more event after the last one it read. */
    private static final class OutsideTask implements Action {
        final List<Map<String, String>> given = new ArrayList<>();
        int started;

        @Override
        public String id() {
            return "test:outside-task";
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            given.add(ctx.state());
            if (!ctx.checkedBefore()) {
                started++;
                return waiting(ctx, "task-" + started, 0);
            }
            String task = (String) ctx.state().get("taskId");
            long after = Long.parseLong(ctx.state().get("after")) + 1;
            if (after == 2) {
                return ActionResult.Done.of(Map.of("taskId", task, "events", String.valueOf(after)), "task " + task + " done");
            }
            return waiting(ctx, task, after);
        }

        private static ActionResult waiting(ActionContext ctx, String task, long after) {
            return new ActionResult.Waiting("outside-task:" + task, "task " + task + " is running", List.of(),
                    ctx.clock().instant().plusSeconds(5), Map.of("taskId", task, "after", String.valueOf(after)));
        }
    }

    /** Each item of an {@code each} step keeps its own state: the item's value is its task. */
    private static final class PerItem implements Action {
        final List<Map<String, String>> given = new ArrayList<>();

        @Override
        public String id() {
            return "test:per-item";
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            given.add(ctx.state());
            String task = ctx.text("task");
            return new ActionResult.Waiting("per-item:" + task, "waiting", List.of(), null,
                    Map.of("seen", ctx.state().getOrDefault("seen", task + "-0").replace("-0", "-1")));
        }
    }

    @Test
    void eachItemOfAnEachStepGetsItsOwnStateBack() {
        PerItem action = new PerItem();
        GoldenPathCatalog items = GoldenPathCatalog.load(Path.of("templates")).only(List.of()).with(List.of(new GoldenPath("items", "Items", "", ParameterSchema.read(List.of()),
                List.of(new StepSpec("wait", "Wait", "test:per-item", Map.of("task", "${{ each.value }}"), null,
                        List.of("a", "b"))), Map.of(), List.of(), null)));
        RunEngine engine = new RunEngine(items, new ActionRegistry(List.of(action)), store, new RecordingNotifier(),
                new TemplateRenderer(), clock, Runnable::run);
        engine.start(new RunRequest("items", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS"));
        engine.resumeAll();

        assertThat(action.given).containsExactly(Map.of(), Map.of(), Map.of("seen", "a-1"), Map.of("seen", "b-1"));
    }

    private RunEngine engine(OutsideTask action) {
        return new RunEngine(catalog, new ActionRegistry(List.of(action)), store, new RecordingNotifier(),
                new TemplateRenderer(), clock, Runnable::run);
    }

    @Test
    void aWaitingStepGetsWhatItKeptBackOnTheNextPassAndAfterARestart() {
        OutsideTask before = new OutsideTask();
        Run run = engine(before).start(new RunRequest("follow-task", Map.of(), Map.of(), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS"));
        assertThat(before.given).containsExactly(Map.of());
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);

        clock.advance(Duration.ofSeconds(6));
        engine(before).resumeAll();
        assertThat(before.given).as("the same process, its next pass").last()
                .isEqualTo(Map.of("taskId", "task-1", "after", "0"));

        OutsideTask after = new OutsideTask();
        RunEngine restarted = engine(after);
        clock.advance(Duration.ofSeconds(6));
        restarted.resumeAll();

        assertThat(after.started).as("the task is not started again after the restart").isZero();
        assertThat(after.given).containsExactly(Map.of("taskId", "task-1", "after", "1"));
        Run done = store.find(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.step("task").output()).isEqualTo(Map.of("taskId", "task-1", "events", "2"));
    }

    private static RunStore jdbcStore() {
        DataSource db = new DriverManagerDataSource("jdbc:h2:mem:state-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        return new JdbcRunStore(new JdbcTemplate(db), "replica-a");
    }
}

package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathSource;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.InMemoryRunStore;
import dev.paver.core.run.RecordingNotifier;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden paths from Backstage are read again while Paver runs: a Template added later is offered without a restart, a
 * Backstage that did not answer at the start is read once it does, and meanwhile the runs of its Templates wait
 * instead of failing.
 */
class GoldenPathSourcesTest {

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));

    /** A Backstage that answers what {@link #templates} holds, or does not answer while {@link #down}. */
    private static final class Backstage implements GoldenPathSource {
        final List<GoldenPath> templates = new ArrayList<>();
        boolean down;
        int reads;

        @Override
        public List<GoldenPath> load() {
            reads++;
            if (down) {
                throw new CatalogEntities.Unavailable("Backstage answered 503");
            }
            return List.copyOf(templates);
        }

        @Override
        public String describe() {
            return "Backstage at http://127.0.0.1:7007";
        }
    }

    /** Waits on its first execution, is done when checked again. */
    private static final class Task implements Action {
        int executions;

        @Override
        public String id() {
            return "test:task";
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            executions++;
            return ctx.checkedBefore() ? ActionResult.Done.of(Map.of(), "task done")
                    : new ActionResult.Waiting("task:" + ctx.runId(), "task running", List.of());
        }
    }

    private static GoldenPath template(String id) {
        return new GoldenPath(id, id, "", ParameterSchema.read(List.of()),
                List.of(new StepSpec("task", "Task", "test:task", Map.of(), null, null)), Map.of(), List.of(), null);
    }

    private static GoldenPathCatalog emptyCatalog() {
        return GoldenPathCatalog.load(Path.of("templates")).only(List.of());
    }

    @Test
    void aTemplateAddedInBackstageIsOfferedAtTheNextRefreshAndNoneIsRemoved() {
        Backstage backstage = new Backstage();
        backstage.templates.add(template("create-website"));
        GoldenPathSources sources = new GoldenPathSources(List.of(backstage));
        GoldenPathCatalog catalog = emptyCatalog();

        sources.readInto(catalog);
        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-website");

        backstage.templates.clear();
        backstage.templates.add(template("create-queue"));
        sources.refresh();

        assertThat(catalog.all()).extracting(GoldenPath::id).as("added; the one removed in Backstage stays until a restart")
                .containsExactly("create-queue", "create-website");
        assertThat(catalog.awaitingSources()).isFalse();
    }

    @Test
    void aBackstageDownAtTheStartIsReadOnceItAnswersAndItsRunsWaitMeanwhile() {
        Task task = new Task();
        RunStore store = new InMemoryRunStore();
        Backstage backstage = new Backstage();
        backstage.templates.add(template("create-website"));

        // before the restart: the run of a Backstage Template waits for its task
        GoldenPathCatalog before = emptyCatalog();
        new GoldenPathSources(List.of(backstage)).readInto(before);
        RunEngine first = engine(before, task, store);
        Run run = first.start(new RunRequest("create-website", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED,
                "C0PAYMENTS"));
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.WAITING);

        // the restart, while Backstage does not answer
        backstage.down = true;
        GoldenPathCatalog after = emptyCatalog();
        GoldenPathSources sources = new GoldenPathSources(List.of(backstage));
        sources.readInto(after);
        RunEngine second = engine(after, task, store);
        second.resumeAll();

        assertThat(after.awaitingSources()).isTrue();
        assertThat(after.find("create-website")).isEmpty();
        assertThat(store.find(run.id()).orElseThrow().state()).as("waits for Backstage, not failed").isEqualTo(RunState.WAITING);
        assertThat(task.executions).isEqualTo(1);

        // Backstage answers again: the next refresh reads its Templates and the run goes on
        backstage.down = false;
        sources.refresh();
        second.resumeAll();

        assertThat(after.awaitingSources()).isFalse();
        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(task.executions).isEqualTo(2);
    }

    @Test
    void aBackstageThatFailsAfterBeingReadKeepsItsTemplatesAndAnUnknownGoldenPathStillFails() {
        Task task = new Task();
        RunStore store = new InMemoryRunStore();
        Backstage backstage = new Backstage();
        backstage.templates.add(template("create-website"));
        GoldenPathCatalog catalog = emptyCatalog();
        GoldenPathSources sources = new GoldenPathSources(List.of(backstage));
        sources.readInto(catalog);

        backstage.down = true;
        sources.refresh();

        assertThat(catalog.find("create-website")).as("kept from the last read").isPresent();
        assertThat(catalog.awaitingSources()).as("every source was read once").isFalse();
        assertThat(backstage.reads).isEqualTo(2);

        // a run of a golden path that no source has: it fails as before, it does not wait for ever
        GoldenPathCatalog other = emptyCatalog();
        other.refresh(List.of(template("create-website")));
        Run orphan = engine(other, task, store).start(new RunRequest("create-website", Map.of(), Map.of(), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS"));
        engine(emptyCatalog(), task, store).resumeAll();
        assertThat(store.find(orphan.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(store.find(orphan.id()).orElseThrow().outcome()).contains("no longer exists");
    }

    private RunEngine engine(GoldenPathCatalog catalog, Task task, RunStore store) {
        return new RunEngine(catalog, new ActionRegistry(List.of(task)), store, new RecordingNotifier(),
                new TemplateRenderer(), clock, Runnable::run);
    }
}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.MutableClock;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.goldenpath.TemplateRenderer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a template's output and an {@code each} step over maps look like on the card: people read titles and text,
 * never a Java map ({@code {url=..., title=...}}).
 */
class OutputShownTest {

    private final MutableClock clock = MutableClock.startingAt(Instant.parse("2026-12-06T10:00:00Z"));
    private final RunStore store = new InMemoryRunStore();

    /** Done at once, for each item. */
    private static final class Noop implements Action {
        @Override
        public String id() {
            return "test:noop";
        }

        @Override
        public ActionResult execute(ActionContext ctx) {
            return ActionResult.Done.of(Map.of(), "done");
        }
    }

    private Run run(StepSpec step, Map<String, Object> output) {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of())
                .with(List.of(new GoldenPath("show", "Show", "", ParameterSchema.read(List.of()), List.of(step), output,
                        List.of(), null)));
        RunEngine engine = new RunEngine(catalog, new ActionRegistry(List.of(new Noop())), store, new RecordingNotifier(),
                new TemplateRenderer(), clock, Runnable::run);
        Run run = engine.start(new RunRequest("show", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS"));
        return store.find(run.id()).orElseThrow();
    }

    @Test
    void anEachStepOverLinksShowsTheirTitlesOrAddresses() {
        Run run = run(new StepSpec("merge", "Pull requests merged", "test:noop", Map.of(), null,
                List.of(Map.of("title", "GitOps pull request", "url", "https://github.com/acme/payments-gitops/pull/1"),
                        Map.of("url", "https://github.com/acme/api/pull/2"))), Map.of());

        assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.step("merge").detail())
                .isEqualTo("GitOps pull request, https://github.com/acme/api/pull/2")
                .doesNotContain("{", "=");
    }

    @Test
    void backstagesOutputTextIsShownAsTitledParagraphs() {
        Run run = run(new StepSpec("one", "One", "test:noop", Map.of(), null, null), Map.of("text", List.of(
                Map.of("title", "Reminder to Delete Repository",
                        "content", "**Note:** You will need to manually delete the resulting repository.\n"),
                Map.of("content", "Thanks."))));

        assertThat(run.outcome()).isEqualTo("*Reminder to Delete Repository*\n"
                + "**Note:** You will need to manually delete the resulting repository.\n\nThanks.");
    }

    @Test
    void aTextOutputStaysAsItIs() {
        Run run = run(new StepSpec("one", "One", "test:noop", Map.of(), null, null), Map.of("text", "All set."));

        assertThat(run.outcome()).isEqualTo("All set.");
    }
}

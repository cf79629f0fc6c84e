package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code backstage:task} against a Scaffolder that answers what the test says: it starts once, reads only the events
 * after the last one it read, tells each of Backstage's steps once, and ends as the task ends.
 */
class BackstageTaskActionTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    /** A Scaffolder that records what it was asked and answers with the next progress. */
    private static final class Scaffolder implements ScaffolderPort {
        final List<Map<String, Object>> started = new ArrayList<>();
        final List<Long> asked = new ArrayList<>();
        final List<Progress> answers = new ArrayList<>();
        final List<String> cancelled = new ArrayList<>();
        String refusal;

        @Override
        public String start(String templateRef, Map<String, Object> values) {
            if (refusal != null) {
                throw new Refused(refusal);
            }
            started.add(values);
            return "task-1";
        }

        @Override
        public Progress progress(String taskId, long after) {
            asked.add(after);
            return answers.remove(0);
        }

        @Override
        public void cancel(String taskId) {
            cancelled.add(taskId);
        }
    }

    private final Scaffolder scaffolder = new Scaffolder();
    private final BackstageTaskAction action = new BackstageTaskAction(scaffolder);

    private ActionResult pass(Map<String, Object> input, Map<String, String> state) {
        return action.execute(new ActionContext("r1", "task", NOW, NOW, null, null, input, new LinkedHashMap<>(),
                Clock.fixed(NOW, ZoneOffset.UTC), null, Set.of(), !state.isEmpty(), state));
    }

    private static Map<String, Object> hello() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("name", "Alex");
        values.put("description", TemplateRenderer.UNDEFINED);
        return Map.of("templateRef", "template:default/hello", "values", values);
    }

    @Test
    void startsTheTaskWithTheGivenValuesAndKeepsItsIdForTheNextPass() {
        var waiting = (ActionResult.Waiting) pass(hello(), Map.of());

        assertThat(scaffolder.started).containsExactly(Map.of("name", "Alex"));
        assertThat(waiting.waitKey()).isEqualTo("backstage-task:task-1");
        assertThat(waiting.wakeAt()).isEqualTo(NOW.plus(BackstageTaskAction.POLL));
        assertThat(waiting.state()).containsEntry("taskId", "task-1").containsEntry("after", "0");
        assertThat(waiting.milestones()).extracting(Milestone::text)
                .containsExactly("Backstage's Scaffolder runs template:default/hello as task task-1.");
    }

    @Test
    void aLaterPassReadsOnlyNewEventsAndTellsEachCompletedStep() {
        scaffolder.answers.add(new ScaffolderPort.Progress(7, List.of(new ScaffolderPort.Step("greet", "Greet", "completed"),
                new ScaffolderPort.Step("wave", "Wave", "processing")), false, false, "", Map.of()));
        var waiting = (ActionResult.Waiting) pass(hello(), Map.of("taskId", "task-1", "after", "3"));

        assertThat(scaffolder.asked).containsExactly(3L);
        assertThat(scaffolder.started).as("not started again").isEmpty();
        assertThat(waiting.state()).containsEntry("after", "7");
        assertThat(waiting.detail()).isEqualTo("Backstage task task-1: step Wave");
        assertThat(waiting.milestones()).extracting(Milestone::key).containsExactly("step:greet");

        Map<String, Object> output = Map.of("links", List.of(Map.of("title", "Pull request",
                "url", "https://github.com/acme/payments-gitops/pull/12"), Map.of("title", "Repository",
                "url", "https://github.com/acme/api")));
        scaffolder.answers.add(new ScaffolderPort.Progress(9, List.of(new ScaffolderPort.Step("wave", "Wave", "completed")),
                true, false, "", output));
        var done = (ActionResult.Done) pass(hello(), waiting.state());

        assertThat(scaffolder.asked).containsExactly(3L, 7L);
        assertThat(done.milestones()).extracting(Milestone::text).containsExactly("Backstage step *Wave* done.");
        assertThat(done.output()).containsEntry("taskId", "task-1").containsEntry("output", output)
                .containsEntry("links", output.get("links"));
        assertThat(done.output().get("pullRequests")).isEqualTo(List.of(Map.of("title", "Pull request",
                "url", "https://github.com/acme/payments-gitops/pull/12")));
    }

    @Test
    void aCancelledRunCancelsItsTaskOnlyWhileItRuns() {
        var waiting = (ActionResult.Waiting) pass(hello(), Map.of());
        Compensation.Cancel cancel = new Compensation.Cancel("r1", null, "U0DANA", NOW);
        StepRun running = new StepRun("task", StepStatus.WAITING, Map.copyOf(waiting.state()), "", NOW, null, null);

        List<Compensation> undo = action.undo(cancel, running);
        assertThat(undo).extracting(Compensation::todo).containsExactly("cancel Backstage task task-1");
        assertThat(undo.get(0).undo().get()).isEqualTo("cancelled Backstage task task-1");
        assertThat(scaffolder.cancelled).containsExactly("task-1");

        StepRun done = new StepRun("task", StepStatus.DONE, Map.of("taskId", "task-1"), "", NOW, NOW, null);
        assertThat(action.undo(cancel, done)).as("a task that ended is Backstage's").isEmpty();
    }

    @Test
    void aFailedTaskFailsTheStepWithBackstagesMessage() {
        scaffolder.answers.add(new ScaffolderPort.Progress(5, List.of(new ScaffolderPort.Step("escape", "Escape", "failed")),
                true, true, "Relative path is not allowed to refer to a directory outside its parent", Map.of()));
        var failed = (ActionResult.Failed) pass(hello(), Map.of("taskId", "task-1", "after", "2"));

        assertThat(failed.reason()).isEqualTo("Backstage task task-1 failed: Relative path is not allowed to refer to a "
                + "directory outside its parent");
    }

    @Test
    void aRefusedStartOrABadTemplateRefFailsTheStepAndStartsNothing() {
        scaffolder.refusal = "Backstage refused to run template:default/hello: HTTP 400 (requires property \"name\")";
        assertThat(((ActionResult.Failed) pass(hello(), Map.of())).reason()).contains("requires property \"name\"");

        var bad = (ActionResult.Failed) pass(Map.of("templateRef", "default/hello"), Map.of());
        assertThat(bad.reason()).contains("template:<namespace>/<name>");
        assertThat(scaffolder.started).isEmpty();
    }
}

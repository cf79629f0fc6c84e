package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.backstage.ScaffolderTasks.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A Scaffolder task's events folded into each step's status: Backstage sends the completion with every answer once the
 * task has ended, and a cancelled task is not a success.
 */
class ScaffolderTaskProgressTest {

    @Test
    void stepsFollowTheirLastStatusAndARepeatedCompletionChangesNothing() {
        ScaffolderTasks.Progress progress = new ScaffolderTasks.Progress();
        progress.take(List.of(new Event(1, "log", "fetch", "processing", "Beginning step Fetch", ""),
                new Event(2, "log", "fetch", "", "Fetching template content", ""),
                new Event(3, "log", "fetch", "completed", "Finished step Fetch", "")));
        assertThat(progress.ended()).isFalse();
        assertThat(progress.after()).isEqualTo(3);

        Event completion = new Event(5, "completion", "", "", "Run completed with status: completed", "");
        progress.take(List.of(new Event(4, "log", "publish", "completed", "Finished step Publish", ""), completion));
        progress.take(List.of(completion));

        assertThat(progress.ended()).isTrue();
        assertThat(progress.failed()).isFalse();
        assertThat(progress.failure()).isEmpty();
        assertThat(progress.after()).isEqualTo(5);
        assertThat(progress.steps()).containsEntry("fetch", "completed").containsEntry("publish", "completed");
    }

    @Test
    void aFailedTaskGivesTheErrorOrTheFailedStepsLastLine() {
        ScaffolderTasks.Progress withError = new ScaffolderTasks.Progress();
        withError.take(List.of(new Event(1, "log", "publish", "processing", "Beginning step Publish", ""),
                new Event(2, "log", "publish", "", "Repository acme/api already exists", ""),
                new Event(3, "log", "publish", "failed", "", ""),
                new Event(4, "completion", "", "", "Run completed with status: failed", "Repository acme/api already exists")));
        assertThat(withError.failed()).isTrue();
        assertThat(withError.failure()).isEqualTo("Repository acme/api already exists");

        ScaffolderTasks.Progress cancelled = new ScaffolderTasks.Progress();
        cancelled.take(List.of(new Event(1, "log", "fetch", "processing", "Beginning step Fetch", ""),
                new Event(2, "cancelled", "", "", "Run was cancelled", "")));
        assertThat(cancelled.ended()).isTrue();
        assertThat(cancelled.failed()).isTrue();
        assertThat(cancelled.failure()).isEqualTo("Run was cancelled");
    }
}

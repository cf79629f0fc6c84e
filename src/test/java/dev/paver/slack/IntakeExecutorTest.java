package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a requester hears when Paver stops between the ack and the start of their request. */
class IntakeExecutorTest {

    @Test
    void tellsTheRequesterWhoseRequestWasStillQueuedWhenPaverStopsThatNothingStarted() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        CountDownLatch stuck = new CountDownLatch(1);
        IntakeExecutor executor = new IntakeExecutor(Duration.ofMillis(200));
        for (int i = 0; i < IntakeExecutor.THREADS; i++) { // every worker busy: the request waits in the queue
            executor.execute(() -> {
                try {
                    stuck.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        executor.executeOrTell("create-service", "U0ALEX", told::add, () -> started.add("create-service"));

        executor.close();
        stuck.countDown();

        assertThat(started).isEmpty();
        assertThat(told).containsExactly(":warning: Paver is restarting and did not start your create-service. "
                + "Nothing was changed: please ask again in a minute.");
    }

    @Test
    void aRequestWaitingOnASlowSlackAnswerDoesNotHoldTheNextRequestBack() throws Exception {
        CountDownLatch slowAnswer = new CountDownLatch(1);
        CountDownLatch nextStarted = new CountDownLatch(1);
        try (IntakeExecutor executor = new IntakeExecutor(Duration.ofMillis(200))) {
            executor.execute(() -> {
                try {
                    slowAnswer.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            executor.executeOrTell("create-service", "U0SAM", text -> { }, nextStarted::countDown);

            assertThat(nextStarted.await(2, TimeUnit.SECONDS)).as("the second request started while the first waited").isTrue();
            slowAnswer.countDown();
        }
    }

    @Test
    void finishesTheRequestsAlreadyAckedWhenTheyFitInTheDrainTime() {
        List<String> told = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        IntakeExecutor executor = new IntakeExecutor(Duration.ofSeconds(5));
        executor.execute(() -> started.add("modal opened"));
        executor.executeOrTell("create-service", "U0ALEX", told::add, () -> started.add("create-service"));

        executor.close();

        assertThat(started).containsExactlyInAnyOrder("modal opened", "create-service");
        assertThat(told).isEmpty();
    }
}

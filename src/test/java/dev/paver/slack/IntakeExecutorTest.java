package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The work after an ack: one slow answer holds nobody else back, and a stop finishes what fits in the drain time. */
class IntakeExecutorTest {

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
            executor.execute(nextStarted::countDown);

            assertThat(nextStarted.await(2, TimeUnit.SECONDS)).as("the second request started while the first waited").isTrue();
            slowAnswer.countDown();
        }
    }

    @Test
    void finishesTheRequestsAlreadyAckedWhenTheyFitInTheDrainTime() {
        List<String> started = new CopyOnWriteArrayList<>();
        IntakeExecutor executor = new IntakeExecutor(Duration.ofSeconds(5));
        executor.execute(() -> started.add("modal opened"));
        executor.execute(() -> started.add("create-service"));

        executor.close();

        assertThat(started).containsExactlyInAnyOrder("modal opened", "create-service");
    }
}

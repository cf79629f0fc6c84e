package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

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
    void theWorkLogsWithTheSlackUserAndChannelOfItsRequestAndLeavesNothingOnTheThread() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch later = new CountDownLatch(IntakeExecutor.THREADS);
        try (IntakeExecutor executor = new IntakeExecutor(Duration.ofMillis(200))) {
            MDC.put(SlackLogFields.USER, "U0DANA");
            MDC.put(SlackLogFields.CHANNEL, "C0PAYMENTS");
            try {
                executor.execute(() -> {
                    seen.add(MDC.get(SlackLogFields.USER) + " " + MDC.get(SlackLogFields.CHANNEL));
                    first.countDown();
                });
            } finally {
                MDC.clear();
            }
            assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
            // work asked for by a request without them, on whichever thread: nothing carried over from the first
            for (int i = 0; i < IntakeExecutor.THREADS; i++) {
                executor.execute(() -> {
                    seen.add(MDC.get(SlackLogFields.USER) + " " + MDC.get(SlackLogFields.CHANNEL));
                    later.countDown();
                });
            }
            assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen.get(0)).isEqualTo("U0DANA C0PAYMENTS");
        assertThat(seen.subList(1, seen.size())).hasSize(IntakeExecutor.THREADS).containsOnly("null null");
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

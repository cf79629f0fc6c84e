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
        executor.execute(() -> {
            try {
                stuck.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        executor.executeOrTell("create-service", "U0ALEX", told::add, () -> started.add("create-service"));

        executor.close();
        stuck.countDown();

        assertThat(started).isEmpty();
        assertThat(told).containsExactly(":warning: Paver is restarting and did not start your create-service. "
                + "Nothing was changed: please ask again in a minute.");
    }

    @Test
    void finishesTheRequestsAlreadyAckedWhenTheyFitInTheDrainTime() {
        List<String> told = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        IntakeExecutor executor = new IntakeExecutor(Duration.ofSeconds(5));
        executor.execute(() -> started.add("modal opened"));
        executor.executeOrTell("create-service", "U0ALEX", told::add, () -> started.add("create-service"));

        executor.close();

        assertThat(started).containsExactly("modal opened", "create-service");
        assertThat(told).isEmpty();
    }
}

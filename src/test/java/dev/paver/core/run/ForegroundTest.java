package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Background work waits while requests are answered, and only that long, or up to its bound. */
class ForegroundTest {

    @Test
    void waitsWhileARequestIsAnsweredAndGoesOnSoonAfter() throws Exception {
        Foreground requests = new Foreground(Duration.ofSeconds(30));
        requests.enter();
        CompletableFuture<Long> waited = CompletableFuture.supplyAsync(requests::awaitQuiet);
        Thread.sleep(300);
        assertThat(waited).as("a request is being answered").isNotDone();

        requests.leave();
        long nanos = waited.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(nanos)).as("held while the request was answered, then let go")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aStreamOfRequestsSlowsBackgroundWorkDownButNeverStopsIt() throws Exception {
        Foreground requests = new Foreground(Duration.ofMillis(400));
        requests.enter(); // never answered
        long nanos = CompletableFuture.supplyAsync(requests::awaitQuiet).get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(nanos)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void nothingWaitsWhenNoRequestCameLately() {
        Foreground requests = new Foreground(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(requests.awaitQuiet())).isLessThan(Foreground.QUIET);
        assertThat(Duration.ofNanos(new Foreground(Duration.ZERO).awaitQuiet())).isLessThan(Foreground.QUIET);
    }

    @Test
    void aNegativeBoundIsRefused() {
        assertThatThrownBy(() -> new Foreground(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}

package dev.paver.slack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The workers, shared by every Slack handler of this package, that do what must not delay an ack: storing
 * and starting a run, opening a modal, recording a vote, publishing App Home. Slack wants its ack within 3 seconds
 * whatever git or the cluster are doing ("Acknowledge the request", docs.slack.dev). {@value #THREADS} threads:
 * most of this work is one or two Slack calls, which may be slow or wait for Slack's rate limits, and one user's
 * slow answer must not hold the next user's request back; the run's own work is on the engine's workers.
 *
 * <p>{@link #close()} lets the work under way finish (up to {@value #DRAIN_SECONDS} s unless told otherwise); a request
 * still queued then is not lost: its run was stored before the ack, and the next start goes on with it.
 */
final class IntakeExecutor implements AutoCloseable {

    static final int DRAIN_SECONDS = 20;

    /** How many requests are worked on at once. */
    static final int THREADS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(IntakeExecutor.class);

    private final AtomicInteger threads = new AtomicInteger();
    private final ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "paver-intake-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
    private final Duration drain;

    IntakeExecutor() {
        this(Duration.ofSeconds(DRAIN_SECONDS));
    }

    /** @param drain how long {@link #close()} waits for the work under way and queued before it gives up on it */
    IntakeExecutor(Duration drain) {
        this.drain = drain;
    }

    /** How a handler answers one user: {@code ctx::respond}, an ephemeral message, a direct message. */
    interface Tell {
        void tell(String text) throws Exception;
    }

    /**
     * Runs {@code work} after the ack. If Paver stops before it ran, it is dropped: a request's run was stored before
     * the ack and goes on after the restart ({@code Intake.resumeReceived}); a modal or App Home is asked for again.
     * The work's log lines carry what the caller's carried (SLF4J's MDC: the Slack user and channel).
     */
    void execute(Runnable work) {
        // the Slack user and channel of the request ({@link SlackLogFields}) go along to the lines the work logs
        Map<String, String> tags = MDC.getCopyOfContextMap();
        executor.execute(() -> {
            if (tags != null) {
                MDC.setContextMap(tags);
            }
            try {
                work.run();
            } finally {
                MDC.clear();
            }
        });
    }

    /** Tells {@code userId} {@code text}; a failure to tell is logged, never thrown. */
    static void inform(Tell tell, String userId, String text) {
        try {
            tell.tell(text);
        } catch (Exception notified) {
            LOG.warn("could not tell {}: {}", userId, notified.getMessage());
        }
    }

    /** Finishes the work under way, for up to the drain time; what is still queued then is dropped (see {@link #execute}). */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("requests still starting after {} ms of shutdown; their runs go on at the next start", drain.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}

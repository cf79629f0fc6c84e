package dev.paver.config;

import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.paver.core.action.AccessSweep;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.run.DailyDigest;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunEngine;
import dev.paver.kubernetes.ArgoCdApplications;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import dev.paver.slack.SlackConnection;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * What happens once Paver is up, and in which order it stops: catalog, unfinished runs, polls, the access sweep,
 * the daily digest, informer, Socket Mode.
 * One class, because the order of stopping spans the adapters: the run passes under way finish before Socket
 * Mode and the informer close.
 */
final class Starter {

    private static final Logger LOG = LoggerFactory.getLogger(Starter.class);

    private final CatalogSource catalog;
    private final RunEngine engine;
    private final Intake intake;
    private final DeploymentPort deployments;
    private final ScheduledExecutorService scheduler;
    private final PaverProperties properties;
    private final App slackApp;
    private final ExecutorService runWorkers;
    private final KubernetesSchemas manifestSchemas;
    private final AccessSweep accessSweep;
    private final SlackConnection slackConnection;
    private final DailyDigest digest;
    private final GoldenPathSources goldenPathSources;
    private SocketModeApp socketMode;
    private ScheduledExecutorService slackChecks;

    /** How often cards that lack their latest edit are looked for. */
    private static final long CARD_SWEEP_MILLIS = 1000;

    Starter(CatalogSource catalog, RunEngine engine, Intake intake, DeploymentPort deployments, ScheduledExecutorService scheduler,
            PaverProperties properties, App slackApp, ExecutorService runWorkers, KubernetesSchemas manifestSchemas,
            AccessSweep accessSweep, SlackConnection slackConnection, DailyDigest digest, GoldenPathSources goldenPathSources) {
        this.digest = digest;
        this.goldenPathSources = goldenPathSources;
        this.slackConnection = slackConnection;
        this.intake = intake;
        this.accessSweep = accessSweep;
        this.runWorkers = runWorkers;
        this.manifestSchemas = manifestSchemas;
        this.catalog = catalog;
        this.engine = engine;
        this.deployments = deployments;
        this.scheduler = scheduler;
        this.properties = properties;
        this.slackApp = slackApp;
    }

    /**
     * Starts the informer, resumes unfinished runs and acknowledged requests, schedules polls, card edits and catalog refreshes, connects Socket Mode,
     * warms the Slack intake up (and again every {@code paver.slack.recheck} while Slack has not accepted the bot token,
     * so that readiness follows a token that was fixed) and then derives the conventions gate's usual schemas in the
     * background. Readiness ({@code ACCEPTING_TRAFFIC}) is published when this returns.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void start(ApplicationReadyEvent event) throws Exception {
        IdleMemory.apply(properties.memory().idleCollection(), properties.memory().maxHeapFree());
        if (deployments instanceof ArgoCdApplications argo) {
            argo.start();
        }
        engine.resumeAll();
        long poll = (properties.github().enabled() ? properties.github().pollInterval() : properties.git().pollInterval())
                .toMillis();
        scheduler.scheduleWithFixedDelay(guard(engine::resumeAll), poll, poll, TimeUnit.MILLISECONDS);
        long tick = properties.runs().timerTick().toMillis();
        scheduler.scheduleWithFixedDelay(guard(engine::wakeDue), tick, tick, TimeUnit.MILLISECONDS);
        // requests acknowledged by a process that died before starting them; cards that lack their latest edit
        scheduler.scheduleWithFixedDelay(guard(intake::resumeReceived), 0, tick, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guard(engine::editStaleCards), 0, CARD_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        // the daily digest of what the channels' noise budgets held back: looked for at every tick, posted once a day
        scheduler.scheduleWithFixedDelay(guard(digest::tick), tick, tick, TimeUnit.MILLISECONDS);
        // access that no active grant backs: at start-up (a lost database, a revocation that kept failing), then regularly
        long sweep = properties.access().sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guard(this::sweepAccess), 0, sweep, TimeUnit.MILLISECONDS);
        long refresh = properties.runs().catalogRefresh().toMillis();
        scheduler.scheduleWithFixedDelay(guard(catalog::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
        if (properties.backstage().enabled()) {
            long backstage = properties.backstage().catalogRefresh().toMillis();
            scheduler.scheduleWithFixedDelay(guard(catalog::refreshEntities), backstage, backstage, TimeUnit.MILLISECONDS);
            if (goldenPathSources.any()) {
                // the Templates, as the entities: one added or changed in Backstage is offered without a restart
                scheduler.scheduleWithFixedDelay(guard(goldenPathSources::refresh), backstage, backstage, TimeUnit.MILLISECONDS);
            }
        }
        String appToken = properties.slack().appToken();
        if (appToken != null && !appToken.isBlank()) {
            // the Java-WebSocket backend: Bolt's default (Tyrus) is not on the classpath
            socketMode = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, slackApp);
            slackConnection.socketMode(false);
            socketMode.startAsync();
            // readiness: a message (Slack's hello first) says connected, a close says not; a ping on the checks'
            // thread says which, now and every paver.slack.recheck (it waits up to 3 s for the pong: never in a probe)
            SocketModeClient client = socketMode.getClient();
            client.addWebSocketMessageListener(message -> slackConnection.socketMode(true));
            client.addWebSocketCloseListener((code, reason) -> slackConnection.socketMode(false));
            long recheck = properties.slack().recheck().toMillis();
            slackChecks().scheduleWithFixedDelay(guard(() -> slackConnection.socketMode(client.verifyConnection())),
                    0, recheck, TimeUnit.MILLISECONDS);
            LOG.info("connected to Slack with Socket Mode");
        }
        String signingSecret = SlackSecrets.signingSecret(properties.slack());
        if (signingSecret != null && event.getApplicationContext() instanceof WebServerApplicationContext web) {
            int port = web.getWebServer().getPort();
            String command = properties.slack().command();
            SlackWarmUp.run(port, signingSecret, command);
            long recheck = properties.slack().recheck().toMillis();
            slackChecks().scheduleWithFixedDelay(guard(() -> {
                if (slackConnection.needsCheck()) {
                    SlackWarmUp.run(port, signingSecret, command);
                }
            }), recheck, recheck, TimeUnit.MILLISECONDS);
        }
        // the gate's schemas are derived on first use: derive the usual ones now, off the request threads, once the
        // warm-up is done (about a second of processor on a cold JVM: started first, it delayed readiness on 2 cores)
        scheduler.execute(guard(manifestSchemas::warmUp));
    }

    /**
     * Stops the polls, lets the passes under way finish (up to 20 s: a pass interrupted in the middle of a git
     * push is only repeated later, but finishing it is cleaner), disconnects Socket Mode and stops the informer.
     */
    @PreDestroy
    public void stop() throws Exception {
        scheduler.shutdownNow();
        if (slackChecks != null) {
            slackChecks.shutdownNow();
        }
        runWorkers.shutdown();
        if (!runWorkers.awaitTermination(20, TimeUnit.SECONDS)) {
            LOG.warn("run passes still going after 20 s of shutdown; they go on at the next start");
        }
        if (socketMode != null) {
            // SocketModeApp.close() stops Bolt's app and disconnects, but leaves the client's session monitor, which
            // would reconnect for ever (every 10 s) when Slack dropped the connection first: the client is closed too
            SocketModeClient client = socketMode.getClient();
            socketMode.close();
            if (client != null) {
                client.setAutoReconnectEnabled(false);
                client.close();
            }
        }
        if (deployments instanceof ArgoCdApplications argo) {
            argo.close();
        }
    }

    private void sweepAccess() {
        AccessSweep.Outcome outcome = accessSweep.sweep();
        outcome.deleted().forEach(d -> LOG.warn("access sweep: {}", d));
        outcome.failures().forEach(f -> LOG.warn("access sweep could not delete {}; tried again at the next sweep", f));
        outcome.ignored().forEach(i -> LOG.debug("access sweep: {} is labelled as Paver's outside production namespaces; left", i));
    }

    /**
     * The thread of Slack's connection checks: of its own, since a warm-up waits up to 20 s for an unreachable Slack
     * and a Socket Mode ping 3 s for its pong, which the polls must not.
     */
    private ScheduledExecutorService slackChecks() {
        if (slackChecks == null) {
            slackChecks = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "paver-slack-check");
                t.setDaemon(true);
                return t;
            });
        }
        return slackChecks;
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("periodic task failed: {}", e.getMessage());
            }
        };
    }
}

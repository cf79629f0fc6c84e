package dev.paver.config;

import com.slack.api.bolt.App;
import dev.paver.core.access.AccessPolicy;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.GrantStore;
import dev.paver.core.action.AccessSweep;
import dev.paver.core.access.IdentityPort;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.action.ScaffolderPort;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.approval.Approvals;
import dev.paver.core.approval.DecisionListener;
import dev.paver.core.approval.Directory;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathSource;
import dev.paver.core.goldenpath.PlatformValues;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateProblem;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Notifier;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.run.DailyDigest;
import dev.paver.core.run.Foreground;
import dev.paver.core.run.HeldBack;
import dev.paver.core.run.Intake;
import dev.paver.core.run.NoiseBudget;
import dev.paver.core.run.RunAudit;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunListener;
import dev.paver.core.run.RunStore;
import dev.paver.core.secret.CertificateSource;
import dev.paver.kubernetes.ArgoCdApplications;
import dev.paver.slack.SlackConnection;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The core from plain objects: golden paths, policies, the run engine and the intake, given the ports that the
 * adapters' configurations build ({@code SlackConfiguration}, {@code GitConfiguration}, {@code KubernetesConfiguration},
 * {@code KustomizeConfiguration}, {@code StoreConfiguration}). Nothing in {@code core} knows Spring. Production
 * adapters only; the demo and the tests point the same beans at stand-ins through configuration.
 */
@Configuration(proxyBeanMethods = false)
public class CoreConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CoreConfiguration.class);

    /**
     * Run workers when {@code paver.runs.worker-threads} is not set: runs spend their time waiting on Slack, git,
     * GitHub and the cluster, not computing, so they get more threads than processors; one run behind a slow answer
     * (a Slack rate limit, a slow push) must not hold the others back.
     */
    static final int DEFAULT_RUN_WORKERS = 8;

    @Bean
    Conventions conventions(PaverProperties properties) {
        return ConventionsFactory.from(properties.conventions());
    }

    @Bean
    GoldenPathCatalog goldenPathCatalog(PaverProperties properties, ActionRegistry actions, Conventions conventions,
                                        AccessPolicy accessPolicy, GoldenPathSources sources) {
        Path dir = TemplatesLocation.resolve(properties.templates() == null ? null : properties.templates().dir());
        // paver:enum in a template draws its choices from these: the configuration is their one source
        GoldenPathCatalog catalog = GoldenPathCatalog.load(dir, actions.ids(), PlatformValues.of(conventions, accessPolicy));
        sources.readInto(catalog);
        LOG.info("golden paths from {}: {}", dir, catalog.all().stream().map(p -> p.id()).toList());
        for (TemplateProblem problem : catalog.problems()) {
            LOG.warn("template does not load: {}", problem.describe());
        }
        if (!catalog.turnedOff().isEmpty()) {
            LOG.warn("golden paths turned off, their templates do not load: {} (the others work; "
                    + "java -jar paver.jar templates check {} lists the problems)", catalog.turnedOff(), dir);
        }
        return catalog;
    }

    /** Golden paths from elsewhere than {@code templates/}: Backstage's Templates when Backstage is the engine. */
    @Bean
    GoldenPathSources goldenPathSources(ObjectProvider<GoldenPathSource> sources) {
        return new GoldenPathSources(sources.orderedStream().toList());
    }

    /** The health indicator {@code goldenPaths}, part of readiness: every template loaded. */
    @Bean
    GoldenPathsHealth goldenPathsHealthIndicator(GoldenPathCatalog catalog) {
        return new GoldenPathsHealth(catalog);
    }

    @Bean
    TemplateRenderer templateRenderer() {
        return new TemplateRenderer();
    }

    /** The time source of runs, approvals and grants (tests move it forward). */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ApprovalPolicy approvalPolicy(PaverProperties properties) {
        return PolicyFactory.approvals(properties.approvals());
    }

    @Bean
    AccessPolicy accessPolicy(PaverProperties properties) {
        return PolicyFactory.access(properties.access());
    }

    @Bean
    Approvals approvals(ApprovalStore store, ApprovalPolicy policy, Directory directory, Notifier notifier, AuditLog audit,
                        Clock clock, DecisionListener decisions) {
        return new Approvals(store, policy, directory, notifier, audit, clock).observedBy(decisions);
    }

    @Bean
    ActionRegistry actionRegistry(TemplateRenderer renderer, Conventions conventions, RepositoryPort repositories,
                                  KubernetesSchemas manifestSchemas, OverlayBuilder overlayBuilder,
                                  DeploymentPort deployments, List<Action> extraActions, Approvals approvals,
                                  AccessPort access, GrantStore grants, AccessPolicy accessPolicy, AuditLog audit,
                                  IdentityPort identities, ProvisioningPort provisioning, PaverProperties properties,
                                  Notifier notifier, ObjectProvider<ScaffolderPort> scaffolder) {
        List<Action> all = new ArrayList<>(BuiltInActions.create(new BuiltInActions.Ports(renderer,
                new ManifestRules(conventions, manifestSchemas, overlayBuilder), repositories, deployments, approvals, access, grants,
                accessPolicy, audit, identities, provisioning, properties.crossplane().slowAfter(),
                properties.crossplane().failOnError(), properties.runs().mergeReminder(), properties.runs().abandonAfter(),
                PolicyFactory.merge(properties.merge(), conventions), PolicyFactory.checkInterval(properties.merge()),
                notifier, scaffolder.getIfAvailable())));
        all.addAll(extraActions);
        return new ActionRegistry(all);
    }

    /** Deletes RoleBindings of Paver's that no active grant backs; scheduled by {@link Starter}. */
    @Bean
    AccessSweep accessSweep(AccessPort access, GrantStore grants, AuditLog audit, Clock clock, PaverProperties properties,
                            Conventions conventions) {
        Duration interval = properties.access().sweepInterval();
        if (interval == null || interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException("paver.access.sweep-interval is " + interval + ": it must be at least 1s, "
                    + "e.g. 5m; leave it unset for Paver's default");
        }
        return new AccessSweep(access, grants, audit, clock, conventions);
    }

    /**
     * At most one edit of a status card a second: about Slack's pace for one message ("Rate limits", docs.slack.dev:
     * chat.update is Tier 3); the latest state wins.
     */
    static final Duration CARD_EDIT_INTERVAL = Duration.ofSeconds(1);

    /** The longest a run waits before a step while Slack requests are being answered (a burst of commands). */
    static final Duration FOREGROUND_MAX_WAIT = Duration.ofSeconds(5);

    @Bean(destroyMethod = "shutdown")
    ExecutorService runWorkers(PaverProperties properties) {
        int threads = properties.runs().workerThreads() > 0 ? properties.runs().workerThreads() : DEFAULT_RUN_WORKERS;
        return Executors.newFixedThreadPool(threads, named("paver-run-"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService paverScheduler() {
        return Executors.newSingleThreadScheduledExecutor(named("paver-poll-"));
    }

    /**
     * Renews run leases during passes: a thread of its own, so that a slow poll or catalog refresh on
     * {@link #paverScheduler} never lets a live replica's lease expire.
     */
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService paverLeaseHeartbeats() {
        return Executors.newSingleThreadScheduledExecutor(named("paver-lease-"));
    }

    /** Two threads that edit status cards, apart from the run workers (see {@link RunEngine#cardEdits(Duration, java.util.concurrent.Executor)}). */
    @Bean(destroyMethod = "shutdown")
    ExecutorService paverCardEdits() {
        return Executors.newFixedThreadPool(2, named("paver-card-"));
    }

    /**
     * The requests people wait on (Slack's acknowledgements), which runs let go first: a run waits up to
     * {@link #FOREGROUND_MAX_WAIT} before each step while requests are being answered.
     */
    @Bean
    Foreground foreground() {
        return new Foreground(FOREGROUND_MAX_WAIT);
    }

    @Bean
    RunEngine runEngine(GoldenPathCatalog catalog, ActionRegistry actions, RunStore store, Notifier notifier,
                        TemplateRenderer renderer, ExecutorService runWorkers, DeploymentPort deployments, Clock clock,
                        PaverProperties properties, Foreground foreground,
                        @Qualifier("paverLeaseHeartbeats") ScheduledExecutorService paverLeaseHeartbeats,
                        @Qualifier("paverCardEdits") ExecutorService paverCardEdits, RunListener listener, AuditLog audit,
                        NoiseBudget noiseBudget, HeldBack heldBack) {
        RunEngine engine = new RunEngine(catalog, actions, store, notifier, renderer, clock, runWorkers,
                properties.runs().lease(), paverLeaseHeartbeats)
                .cardEdits(CARD_EDIT_INTERVAL, paverCardEdits)
                .yieldingTo(foreground)
                .observedBy(new RunLog(listener))
                .observedBy(new RunAudit(audit))
                .tracedBy(new RunLogFields())
                .quietedBy(noiseBudget, heldBack);
        if (deployments instanceof ArgoCdApplications argo) {
            argo.onChange(name -> engine.wake(AwaitSyncAction.waitKey(name)));
            argo.onList(() -> engine.wakeAllWaitingOn(AwaitSyncAction.WAIT_KEY_PREFIX));
            // while the informer watches, its events wake these runs (and their timer says when one is slow): no poll
            engine.wokenByEvents(() -> argo.watching() ? List.of(AwaitSyncAction.WAIT_KEY_PREFIX) : List.of());
        }
        return engine;
    }

    /**
     * Each channel's level ({@code paver.notifications.channels.<channel>}).
     *
     * @throws InvalidSettingException at start-up when a key is not a channel id or a value not a level
     */
    @Bean
    NoiseBudget noiseBudget(PaverProperties properties) {
        return NotificationSettings.budget(properties.notifications());
    }

    /**
     * The daily digest of what the channels' levels held back, at {@code paver.notifications.digest-at} in
     * {@code paver.notifications.digest-zone}.
     *
     * @throws InvalidSettingException at start-up when the time or the zone cannot be read
     */
    @Bean
    DailyDigest dailyDigest(NoiseBudget budget, HeldBack heldBack, Notifier notifier, Clock clock, PaverProperties properties) {
        return new DailyDigest(budget, heldBack, notifier, clock, NotificationSettings.digestAt(properties.notifications()),
                NotificationSettings.digestZone(properties.notifications()), properties.slack().command());
    }

    /**
     * The platform catalog: the domain repositories' {@code catalog/} folders, and with {@code paver.backstage.url}
     * Backstage's catalog for domains, systems, groups and users. Both are read before the server listens (the first
     * command must find the systems and groups); a Backstage that does not answer then does not stop the start.
     */
    @Bean
    CatalogSource catalogSource(RepositoryPort repositories, Conventions conventions,
                                ObjectProvider<CatalogEntities> outsideCatalog) {
        CatalogSource catalog = new CatalogSource(repositories, conventions.gitopsRepositorySuffix(),
                outsideCatalog.getIfAvailable());
        catalog.refresh();
        catalog.refreshEntities();
        return catalog;
    }

    @Bean
    Intake intake(GoldenPathCatalog paths, Conventions conventions, CatalogSource catalog, RunEngine engine,
                  DeploymentPort deployments, AccessPolicy access, ApprovalPolicy policy, Directory directory,
                  AuditLog audit, Clock clock, CertificateSource sealedSecretsCertificate, IdentityPort identities,
                  RepositoryPort repositories) {
        return new Intake(paths, new RequestCheck(conventions, access, repositories.location()), catalog, engine, deployments.enabled(), policy,
                directory, audit, clock, sealedSecretsCertificate).identifiedBy(identities);
    }

    /** Starts followers once the server listens: catalog, unfinished runs, polls, informer, Socket Mode. */
    @Bean
    Starter starter(CatalogSource catalog, RunEngine engine, Intake intake, DeploymentPort deployments,
                    @Qualifier("paverScheduler") ScheduledExecutorService paverScheduler, PaverProperties properties,
                    App slackApp, ExecutorService runWorkers, KubernetesSchemas manifestSchemas, AccessSweep accessSweep,
                    SlackConnection slackConnection, DailyDigest digest, GoldenPathSources goldenPathSources) {
        return new Starter(catalog, engine, intake, deployments, paverScheduler, properties, slackApp, runWorkers, manifestSchemas,
                accessSweep, slackConnection, digest, goldenPathSources);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

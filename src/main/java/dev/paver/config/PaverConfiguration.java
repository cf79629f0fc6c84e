package dev.paver.config;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;
import dev.paver.core.access.AccessPolicy;
import dev.paver.core.access.AccessPort;
import dev.paver.core.action.Extensions;
import dev.paver.core.access.GrantStore;
import dev.paver.core.access.IdentityPort;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.approval.Approvals;
import dev.paver.core.approval.Directory;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.audit.AuditTrail;
import dev.paver.core.run.Home;
import dev.paver.core.secret.CertificateSource;
import dev.paver.kubernetes.RoleBindings;
import dev.paver.kubernetes.SealedSecretsCertificate;
import dev.paver.slack.SlackDirectory;
import dev.paver.slack.SlackIdentity;
import dev.paver.store.JdbcApprovalStore;
import dev.paver.store.JdbcAuditLog;
import dev.paver.store.JdbcGrantStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.kustomize.KustomizeOverlays;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.PlatformValues;
import dev.paver.core.goldenpath.TemplateProblem;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Notifier;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunStore;
import dev.paver.git.GitHubRepositories;
import dev.paver.git.GitHubWebhookController;
import dev.paver.git.JGitRepositories;
import dev.paver.kubernetes.ArgoCdApplications;
import dev.paver.kubernetes.CrossplaneResources;
import dev.paver.slack.SlackListeners;
import dev.paver.slack.SlackNotifier;
import dev.paver.store.JdbcRunStore;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Wires Paver from plain objects: the core gets its ports here, and nothing in {@code core} knows Spring.
 * Production adapters only; the demo and the tests point the same beans at stand-ins through configuration.
 */
@Configuration(proxyBeanMethods = false)
public class PaverConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(PaverConfiguration.class);

    @Bean
    Conventions conventions(PaverProperties properties) {
        return ConventionsFactory.from(properties.conventions());
    }

    @Bean
    GoldenPathCatalog goldenPathCatalog(PaverProperties properties, ActionRegistry actions, Conventions conventions,
                                        AccessPolicy accessPolicy) {
        Path dir = TemplatesLocation.resolve(properties.templates() == null ? null : properties.templates().dir());
        // paver:enum in a template draws its choices from these: the configuration is their one source
        GoldenPathCatalog catalog = GoldenPathCatalog.load(dir, actions.ids(), PlatformValues.of(conventions, accessPolicy));
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

    @Bean
    TemplateRenderer templateRenderer() {
        return new TemplateRenderer();
    }

    @Bean
    RepositoryPort repositories(PaverProperties properties) {
        PaverProperties.Github github = properties.github();
        if (github.enabled()) {
            if (github.organization() == null || github.organization().isBlank()) {
                throw new IllegalStateException("paver.github.token is set but paver.github.organization "
                        + "(PAVER_GITHUB_ORGANIZATION) is not: name the organization that owns the repositories");
            }
            LOG.info("repositories on GitHub ({}), organization {}", github.apiUrl(), github.organization());
            return GitHubRepositories.connect(github.apiUrl(), github.token(), github.organization(),
                    properties.git().defaultBranch());
        }
        PaverProperties.Git git = properties.git();
        boolean remote = git.remoteUrl() != null && !git.remoteUrl().isBlank();
        String base = remote ? git.remoteUrl() : git.localRoot();
        var credentials = git.username() == null || git.username().isBlank() ? null
                : new UsernamePasswordCredentialsProvider(git.username(), git.password() == null ? "" : git.password());
        JGitRepositories repositories = new JGitRepositories(base, Path.of(git.workDir()), git.defaultBranch(), credentials,
                git.repositories() == null ? List.of() : git.repositories());
        if (!remote) {
            EmbeddedRepositories.seed(repositories);
        } else if (!repositories.createsRepositories()) {
            LOG.info("repositories at {}: plain git cannot create repositories, so a run that needs a new one asks for it "
                    + "in its thread and waits until it exists", git.remoteUrl());
        }
        return repositories;
    }

    /** The cluster's API client, or none when no cluster is configured. */
    record Cluster(io.fabric8.kubernetes.client.KubernetesClient client) {
    }

    @Bean(destroyMethod = "")
    Cluster cluster(PaverProperties properties) {
        PaverProperties.Kubernetes kubernetes = properties.kubernetes();
        boolean explicitUrl = kubernetes.apiUrl() != null && !kubernetes.apiUrl().isBlank();
        if (!explicitUrl && !KubernetesDetection.enabled(kubernetes.enabled())) {
            LOG.info("no cluster configured: deployment and provisioning tracking are off, elevations cannot be granted");
            return new Cluster(null);
        }
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        if (explicitUrl) {
            // an explicit URL is used alone: no kubeconfig context, credentials or exec plugins are read
            builder.withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                    .withMasterUrl(kubernetes.apiUrl()).build());
        }
        return new Cluster(builder.build());
    }

    @Bean(destroyMethod = "")
    DeploymentPort deployments(Cluster cluster, PaverProperties properties) {
        return cluster.client() == null ? DeploymentPort.disabled()
                : new ArgoCdApplications(cluster.client(), properties.kubernetes().argocdNamespace());
    }

    /** Crossplane claims and composite resources, read with a get per check; off without a cluster. */
    @Bean
    ProvisioningPort provisioning(Cluster cluster) {
        return cluster.client() == null ? ProvisioningPort.disabled() : new CrossplaneResources(cluster.client());
    }

    @Bean
    AccessPort access(Cluster cluster) {
        return cluster.client() == null ? AccessPort.disabled() : new RoleBindings(cluster.client());
    }

    /** The Sealed Secrets controller's key, for sealing values: {@code paver.sealed-secrets.*}. */
    @Bean
    CertificateSource sealedSecretsCertificate(PaverProperties properties, Cluster cluster, Clock clock) {
        CertificateSource source = SealedSecretsSettings.certificateSource(properties.sealedSecrets(), cluster.client(), clock);
        LOG.info("Sealed Secrets certificate: {}", source instanceof SealedSecretsCertificate c ? c.origin() : "none configured");
        return source;
    }

    /** The time source of runs, approvals and grants (tests move it forward). */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ApprovalStore approvalStore(JdbcTemplate jdbc) {
        return new JdbcApprovalStore(jdbc);
    }

    @Bean
    GrantStore grantStore(JdbcTemplate jdbc) {
        return new JdbcGrantStore(jdbc);
    }

    @Bean
    AuditLog auditLog(JdbcTemplate jdbc) {
        return new JdbcAuditLog(jdbc);
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
    Directory directory(Slack slack, PaverProperties properties, Clock clock) {
        return new SlackDirectory(slack.methods(properties.slack().botToken()), clock);
    }

    @Bean
    IdentityPort identities(Slack slack, PaverProperties properties) {
        return new SlackIdentity(slack.methods(properties.slack().botToken()), PolicyFactory.identities(properties.identity()));
    }

    @Bean
    Approvals approvals(ApprovalStore store, ApprovalPolicy policy, Directory directory, Notifier notifier, AuditLog audit,
                        Clock clock) {
        return new Approvals(store, policy, directory, notifier, audit, clock);
    }

    /** The schemas of the conventions gate, the same as {@code java -jar paver.jar validate} uses (not strict). */
    @Bean
    KubernetesSchemas manifestSchemas() {
        return new KubernetesSchemas(false);
    }

    /**
     * How the conventions gate builds overlays: {@code paver.conventions.kustomize-command}, else the first kustomize
     * found ({@code kustomize build}, {@code kubectl kustomize}), else the built-in view.
     */
    @Bean
    OverlayBuilder overlayBuilder(PaverProperties properties) {
        return KustomizeOverlays.detect(properties.conventions().kustomizeCommand(),
                properties.conventions().kustomizeTimeoutOrDefault());
    }

    @Bean
    ActionRegistry actionRegistry(TemplateRenderer renderer, Conventions conventions, RepositoryPort repositories,
                                  KubernetesSchemas manifestSchemas, OverlayBuilder overlayBuilder,
                                  DeploymentPort deployments, List<Action> extraActions, Approvals approvals,
                                  AccessPort access, GrantStore grants, AccessPolicy accessPolicy, AuditLog audit,
                                  IdentityPort identities, ProvisioningPort provisioning, PaverProperties properties) {
        List<Action> all = new java.util.ArrayList<>(BuiltInActions.create(new BuiltInActions.Ports(renderer,
                new ManifestRules(conventions, manifestSchemas, overlayBuilder), repositories, deployments, approvals, access, grants,
                accessPolicy, audit, identities, provisioning, properties.crossplane().slowAfter(),
                properties.crossplane().failOnError())));
        all.addAll(extraActions);
        return new ActionRegistry(all);
    }

    @Bean
    RunStore runStore(JdbcTemplate jdbc) {
        return new JdbcRunStore(jdbc);
    }

    @Bean
    Slack slack(PaverProperties properties) {
        SlackConfig config = new SlackConfig();
        String url = properties.slack().apiUrl();
        config.setMethodsEndpointUrlPrefix(url.endsWith("/") ? url : url + "/");
        config.setPrettyResponseLoggingEnabled(false);
        return Slack.getInstance(config);
    }

    @Bean
    Notifier notifier(Slack slack, PaverProperties properties) {
        return new SlackNotifier(slack.methods(properties.slack().botToken()));
    }

    @Bean(destroyMethod = "shutdown")
    ExecutorService runWorkers(PaverProperties properties) {
        int threads = properties.runs().workerThreads() > 0 ? properties.runs().workerThreads()
                : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        return Executors.newFixedThreadPool(threads, named("paver-run-"));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService paverScheduler() {
        return Executors.newSingleThreadScheduledExecutor(named("paver-poll-"));
    }

    @Bean
    RunEngine runEngine(GoldenPathCatalog catalog, ActionRegistry actions, RunStore store, Notifier notifier,
                        TemplateRenderer renderer, ExecutorService runWorkers, DeploymentPort deployments, Clock clock) {
        RunEngine engine = new RunEngine(catalog, actions, store, notifier, renderer, clock, runWorkers);
        if (deployments instanceof ArgoCdApplications argo) {
            argo.onChange(name -> engine.wake(AwaitSyncAction.waitKey(name)));
        }
        return engine;
    }

    /** {@code POST /github/webhook}: merged pull requests wake their runs at once. */
    @Bean
    GitHubWebhookController gitHubWebhook(PaverProperties properties, RunEngine engine) {
        return new GitHubWebhookController(properties.github().webhookSecret(), engine::wake);
    }

    @Bean
    CatalogSource catalogSource(RepositoryPort repositories, Conventions conventions) {
        CatalogSource catalog = new CatalogSource(repositories, conventions.gitopsRepositorySuffix());
        catalog.refresh(); // before the server listens: the first command must find the systems and groups
        return catalog;
    }

    @Bean
    Intake intake(GoldenPathCatalog paths, Conventions conventions, CatalogSource catalog, RunEngine engine,
                  DeploymentPort deployments, AccessPolicy access, ApprovalPolicy policy, Directory directory,
                  AuditLog audit, Clock clock, CertificateSource sealedSecretsCertificate) {
        return new Intake(paths, new RequestCheck(conventions, access), catalog, engine, deployments.enabled(), policy,
                directory, audit, clock, sealedSecretsCertificate);
    }

    @Bean
    SlackListeners slackListeners(Intake intake, PaverProperties properties, Approvals approvals, GrantStore grants,
                                  RunStore runs, AuditLog audit, Conventions conventions, RunEngine engine, Clock clock) {
        return new SlackListeners(intake, properties.slack().command(), new SlackListeners.Decisions(approvals,
                new Extensions(grants, runs, approvals, audit, clock), new AuditTrail(audit, conventions),
                user -> Home.of(user, approvals, runs, grants, clock.instant()), engine::schedule, engine));
    }

    @Bean
    App slackApp(Slack slack, PaverProperties properties, SlackListeners listeners) {
        AppConfig config = AppConfig.builder().slack(slack)
                .signingSecret(SlackSecrets.signingSecret(properties.slack()))
                .singleTeamBotToken(properties.slack().botToken())
                .build();
        App app = new App(config);
        listeners.register(app);
        return app;
    }

    /** HTTP mode: {@code /slack/events}. Off in Socket Mode without a signing secret (nothing could be verified). */
    @Bean
    ServletRegistrationBean<SlackAppServlet> slackEvents(App slackApp, PaverProperties properties) {
        ServletRegistrationBean<SlackAppServlet> registration = new ServletRegistrationBean<>(new SlackAppServlet(slackApp),
                "/slack/events");
        registration.setEnabled(SlackSecrets.signingSecret(properties.slack()) != null);
        return registration;
    }

    /** Starts followers once the server listens: catalog, unfinished runs, polls, informer, Socket Mode. */
    @Bean
    Starter starter(CatalogSource catalog, RunEngine engine, DeploymentPort deployments, ScheduledExecutorService paverScheduler,
                    PaverProperties properties, App slackApp, ExecutorService runWorkers, KubernetesSchemas manifestSchemas) {
        return new Starter(catalog, engine, deployments, paverScheduler, properties, slackApp, runWorkers, manifestSchemas);
    }

    /** What happens once Paver is up. */
    static final class Starter {
        private final CatalogSource catalog;
        private final RunEngine engine;
        private final DeploymentPort deployments;
        private final ScheduledExecutorService scheduler;
        private final PaverProperties properties;
        private final App slackApp;
        private final ExecutorService runWorkers;
        private final KubernetesSchemas manifestSchemas;
        private SocketModeApp socketMode;

        Starter(CatalogSource catalog, RunEngine engine, DeploymentPort deployments, ScheduledExecutorService scheduler,
                PaverProperties properties, App slackApp, ExecutorService runWorkers, KubernetesSchemas manifestSchemas) {
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
         * Starts the informer, resumes unfinished runs, schedules polls and catalog refreshes, connects Socket Mode,
         * warms the Slack intake up and derives the conventions gate's usual schemas.
         */
        @EventListener(ApplicationReadyEvent.class)
        public void start(ApplicationReadyEvent event) throws Exception {
            if (deployments instanceof ArgoCdApplications argo) {
                argo.start();
            }
            // the gate's schemas are derived on first use: derive the usual ones now, off the request threads
            scheduler.execute(guard(manifestSchemas::warmUp));
            engine.resumeAll();
            long poll = (properties.github().enabled() ? properties.github().pollInterval() : properties.git().pollInterval())
                    .toMillis();
            scheduler.scheduleWithFixedDelay(guard(engine::resumeAll), poll, poll, TimeUnit.MILLISECONDS);
            long tick = properties.runs().timerTick().toMillis();
            scheduler.scheduleWithFixedDelay(guard(engine::wakeDue), tick, tick, TimeUnit.MILLISECONDS);
            long refresh = properties.runs().catalogRefresh().toMillis();
            scheduler.scheduleWithFixedDelay(guard(catalog::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
            String appToken = properties.slack().appToken();
            if (appToken != null && !appToken.isBlank()) {
                // the Java-WebSocket backend: Bolt's default (Tyrus) is not on the classpath
                socketMode = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, slackApp);
                socketMode.startAsync();
                LOG.info("connected to Slack with Socket Mode");
            }
            String signingSecret = SlackSecrets.signingSecret(properties.slack());
            if (signingSecret != null && event.getApplicationContext() instanceof WebServerApplicationContext web) {
                SlackWarmUp.run(web.getWebServer().getPort(), signingSecret, properties.slack().command());
            }
        }

        /**
         * Stops the polls, lets the passes under way finish (up to 20 s: a pass interrupted in the middle of a git
         * push is only repeated later, but finishing it is cleaner), disconnects Socket Mode and stops the informer.
         */
        @jakarta.annotation.PreDestroy
        public void stop() throws Exception {
            scheduler.shutdownNow();
            runWorkers.shutdown();
            if (!runWorkers.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("run passes still going after 20 s of shutdown; they go on at the next start");
            }
            if (socketMode != null) {
                socketMode.close();
            }
            if (deployments instanceof ArgoCdApplications argo) {
                argo.close();
            }
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

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

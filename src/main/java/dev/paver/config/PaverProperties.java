package dev.paver.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything Paver reads from configuration, under {@code paver.*}; each key is also the usual upper-case
 * environment variable ({@code paver.slack.bot-token} is {@code PAVER_SLACK_BOT_TOKEN}). Secrets come from the
 * environment or a mounted file ({@code spring.config.import=optional:configtree:/run/secrets/}), never from the
 * repository.
 *
 * <p>{@code embeddedDefaults}: {@code allow} (the default: local repositories seeded with the demo's
 * {@code payments-gitops}, an H2 file database) or {@code refuse} (a deployment; checked at start-up by
 * {@link RequiredSettings}, which names each setting that must replace an embedded default).
 */
@ConfigurationProperties("paver")
public record PaverProperties(@DefaultValue Slack slack, @DefaultValue Github github, @DefaultValue Git git,
                              @DefaultValue Kubernetes kubernetes, @DefaultValue Templates templates,
                              @DefaultValue Runs runs, @DefaultValue ConventionsConfig conventions,
                              @DefaultValue Approvals approvals, @DefaultValue Access access, @DefaultValue Identity identity,
                              @DefaultValue SealedSecrets sealedSecrets, @DefaultValue Crossplane crossplane,
                              @DefaultValue Memory memory, @DefaultValue Audit audit,
                              @DefaultValue Notifications notifications, @DefaultValue Backstage backstage,
                              @DefaultValue Merge merge,
                              @DefaultValue("allow") String embeddedDefaults) {

    /**
     * A Backstage portal whose catalog is the source of the domains, systems, groups and users that pickers offer and
     * checks accept (instead of the GitOps repositories' {@code catalog/} folders).
     *
     * @param url            the Backstage backend's base URL, e.g. {@code https://backstage.example.com}; unset: no
     *                       Backstage, the catalog is the repositories'
     * @param tokenFile      a mounted file holding a static external-access token of that backend
     *                       ({@code backend.auth.externalAccess}); required with {@code url}; never logged
     * @param catalogRefresh how often the catalog is asked whether it changed (one small query when it did not), default
     *                       30s; at least 1s
     * @param timeout        how long one request to Backstage may take, connecting included, default 10s
     * @param templateTag    the tag ({@code metadata.tags}) of the catalog's Templates that are golden paths run as
     *                       Scaffolder tasks (Backstage as the engine), default {@code paver}
     */
    public record Backstage(String url, String tokenFile, @DefaultValue("30s") Duration catalogRefresh,
                            @DefaultValue("10s") Duration timeout, @DefaultValue("paver") String templateTag) {

        /** True when {@code url} is set. */
        public boolean enabled() {
            return url != null && !url.isBlank();
        }
    }

    /**
     * Merge policies: where Paver merges its own pull request once the conventions gate passed and the pull
     * request's checks are green (GitHub's auto-merge where the repository allows it), instead of waiting for a
     * person. None by default. A policy naming the production environment is refused at start: production keeps four
     * eyes.
     *
     * @param policies      each with {@code golden-path}, {@code environments} and optionally {@code domains}
     * @param checkInterval how often a waiting pull request whose checks are pending (or that a policy merges through
     *                      auto-merge) is looked at again; at least 1s
     */
    public record Merge(List<MergePolicy> policies, @DefaultValue("15s") Duration checkInterval) {
    }

    /**
     * One merge policy.
     *
     * @param goldenPath   a golden path id, e.g. {@code create-service}
     * @param environments environments of the conventions, not the production one, e.g. {@code [dev, staging]}
     * @param domains      optional: only runs of these domains; empty: every domain
     */
    public record MergePolicy(String goldenPath, List<String> environments, List<String> domains) {
    }

    /**
     * The noise budget: how much of a run's thread each channel gets, and the daily digest of what was held back
     * ({@link NotificationSettings} checks and reads them).
     *
     * @param channels   channel id (e.g. {@code C0BUSY}) to {@code all} (the default), {@code milestones},
     *                   {@code failures} or {@code card-only}
     * @param digestAt   the time of day ({@code HH:mm}) of the digest in each channel that holds replies back
     * @param digestZone the time zone of {@code digestAt}, e.g. {@code Europe/Berlin}; default {@code UTC}
     */
    public record Notifications(Map<String, String> channels, @DefaultValue("09:00") String digestAt,
                                @DefaultValue("UTC") String digestZone) {
        public Notifications {
            channels = channels == null ? Map.of() : Map.copyOf(channels);
        }
    }

    /**
     * Who may read the audit log with {@code /platform audit}.
     *
     * @param readers user ids ({@code U...}) and user group ids ({@code S...}); empty (the default): everyone
     */
    public record Audit(List<String> readers) {
        public Audit {
            readers = readers == null ? List.of() : List.copyOf(readers);
        }
    }

    /**
     * @param idleCollection how long the JVM's G1 collector may go without a collection before it makes one and gives
     *                       unused heap back to the operating system (G1's {@code G1PeriodicGCInterval}, JEP 346), so
     *                       resident memory comes back down after a burst; {@code 0s} leaves G1 as it is. Not applied
     *                       when the JVM was started with {@code -XX:G1PeriodicGCInterval}, or with another collector
     * @param maxHeapFree    the most free heap, in percent of the committed heap, that G1 keeps after such a collection
     *                       ({@code MaxHeapFreeRatio}; the JVM's own is 70); {@code 0} leaves the JVM's. Not applied
     *                       when the JVM was started with {@code -XX:MaxHeapFreeRatio}, or with another collector
     */
    public record Memory(@DefaultValue("15s") Duration idleCollection, @DefaultValue("30") int maxHeapFree) {
        public Memory {
            if (maxHeapFree < 0 || maxHeapFree > 100) {
                throw new InvalidSettingException("paver.memory.max-heap-free is " + maxHeapFree + ": it is a percentage "
                        + "from 1 to 100, or 0 to leave the JVM's own (70)");
            }
        }
    }

    /**
     * Where the Sealed Secrets controller's certificate comes from, to seal values for the {@code create-secret}
     * golden path. The file wins; without it the certificate is read from the controller through the cluster's API
     * (as {@code kubeseal --fetch-cert} does) when a cluster is configured ({@code paver.kubernetes.*}).
     *
     * @param certificateFile     a PEM certificate file, e.g. saved with {@code kubeseal --fetch-cert > cert.pem}; optional
     * @param controllerName      the controller's Service, default {@code sealed-secrets-controller} (kubeseal's default)
     * @param controllerNamespace the controller's namespace, default {@code kube-system} (kubeseal's default)
     * @param controllerPort      the name of the Service's HTTP port, default {@code http}; empty for an unnamed port
     * @param certificateRefresh  how long a certificate read is used before it is read again, default 1h
     */
    public record SealedSecrets(String certificateFile,
                                @DefaultValue("sealed-secrets-controller") String controllerName,
                                @DefaultValue("kube-system") String controllerNamespace,
                                @DefaultValue("http") String controllerPort,
                                @DefaultValue("1h") Duration certificateRefresh) {

        /** True when a certificate file is configured. */
        public boolean hasCertificateFile() {
            return certificateFile != null && !certificateFile.isBlank();
        }
    }

    /**
     * Following Crossplane claims and composite resources ({@code crossplane:await-ready}); a step's own input wins.
     *
     * @param slowAfter   how long a claim may take to become Ready before the thread says once what is not Ready yet,
     *                    default 15m (input {@code slowAfter})
     * @param failOnError true to fail the step on Crossplane's first {@code Synced=False, ReconcileError}; default false:
     *                    Crossplane retries, and Paver reports the error and keeps waiting (input {@code failOnError})
     */
    public record Crossplane(@DefaultValue("15m") Duration slowAfter, @DefaultValue("false") boolean failOnError) {
    }

    /**
     * Who approves, and who may run what.
     *
     * @param approvers by domain ({@code "*"} for the rest): Slack user ids ({@code U...}) and user group ids ({@code S...})
     * @param channels  by domain ({@code "*"} for the rest): the approvals channel id where prompts are posted too
     * @param required  how many distinct approvers must approve, default 1
     * @param timeout   how long a request waits for a decision, default 24h
     * @param mayRun    by golden path id, then by domain ({@code "*"} for any): who may run it (user and user group
     *                  ids); a golden path not listed is open to everyone
     * @param remindBefore how long before a request expires its approvers who have not voted get a direct message;
     *                  default a quarter of the timeout, at most 2h
     */
    public record Approvals(Map<String, List<String>> approvers, Map<String, String> channels,
                            @DefaultValue("1") int required, @DefaultValue("24h") Duration timeout,
                            Map<String, Map<String, List<String>>> mayRun, Duration remindBefore) {
    }

    /**
     * Production access roles.
     *
     * @param roles        by name: {@code cluster-role} and {@code max}; default viewer (view, 8h) and operator (edit, 4h).
     *                     Paver's own ClusterRole (deploy/) must allow {@code bind} on each cluster role
     * @param remindBefore how long before the end the holder is reminded, default 10m
     * @param sweepInterval how often Paver lists its own RoleBindings and deletes those no active grant backs (also
     *                     once at start-up), default 5m
     */
    public record Access(Map<String, Role> roles, @DefaultValue("10m") Duration remindBefore,
                         @DefaultValue("5m") Duration sweepInterval) {
        /** @param clusterRole the ClusterRole bound; @param max the longest elevation */
        public record Role(String clusterRole, Duration max) {
        }
    }

    /** @param users Slack user id to cluster identity (the RoleBinding's User name); wins over the Slack profile's email */
    public record Identity(Map<String, String> users) {
    }

    /**
     * @param botToken      {@code xoxb-...}, for the Web API
     * @param signingSecret verifies every request from Slack
     * @param appToken      {@code xapp-...}; when set Paver connects with Socket Mode instead of HTTP
     * @param apiUrl        the Web API base URL, default Slack's
     * @param command       the slash command, default {@code /platform}
     * @param rateLimits    how fast Paver calls the Web API; Slack's published limits by default
     * @param recheck       how old Slack's verdict on the bot token may grow: Bolt asks {@code auth.test} again on
     *                      the first request after this long, and while Slack does not accept the token the start-up
     *                      warm-up is sent again this often, so that readiness follows Slack's verdict; default 10m
     *                      (Bolt's own)
     */
    public record Slack(String botToken, String signingSecret, String appToken,
                        @DefaultValue("https://slack.com/api/") String apiUrl, @DefaultValue("/platform") String command,
                        @DefaultValue RateLimits rateLimits, @DefaultValue("10m") Duration recheck) {
    }

    /**
     * Slack's rate limits as Paver keeps them ("Rate limits", docs.slack.dev/apis/web-api/rate-limits): every Web API
     * call is paced, a {@code 429}'s {@code Retry-After} is honoured, 5xx and {@code internal_error} are retried.
     *
     * @param channelMessagesPerSecond messages ({@code chat.postMessage}) per second into one channel, default 1 (Slack's)
     * @param channelBurst             how many messages may go into one channel at once: at most this many in any
     *                                 {@code channelBurst / channelMessagesPerSecond} seconds, default 2 (2 in any 2 s)
     * @param methodRateFactor         multiplies each other method's published tier rate (Tier 3, such as {@code chat.update}:
     *                                 50 a minute), default 1; raise it only for a stand-in or limits Slack granted
     * @param maxWait                  the longest one call waits (its turn, a {@code Retry-After}, retries) before it fails as
     *                                 retryable, default 60s
     * @param retries                  how often a call that met HTTP 5xx or {@code internal_error} is sent again, default 3
     */
    public record RateLimits(@DefaultValue("1") double channelMessagesPerSecond, @DefaultValue("2") int channelBurst,
                             @DefaultValue("1") double methodRateFactor, @DefaultValue("60s") Duration maxWait,
                             @DefaultValue("3") int retries) {
    }

    /**
     * @param apiUrl        GitHub's REST API, default {@code https://api.github.com} (GitHub Enterprise: {@code https://host/api/v3})
     * @param token         a token with repository and pull request rights; when set GitHub is used instead of plain git
     * @param organization  the owner of the GitOps and application repositories
     * @param webhookSecret verifies {@code X-Hub-Signature-256} on {@code /github/webhook}
     * @param pollInterval  how often open pull requests are checked when no webhook arrives
     * @param contentPerMinute content-creating requests (POST, PATCH, PUT, DELETE) a minute, spaced evenly; at most
     *                      80, GitHub's secondary limit; default 60 (one a second, GitHub's advice)
     * @param contentPerHour content-creating requests in any rolling hour; at most 500, GitHub's secondary limit;
     *                      default 450
     * @param cacheDir      where GitHub's answers are cached for conditional requests (ETag; a 304 costs no rate
     *                      limit); at most 20 MiB
     * @param appId         a GitHub App's id (its settings page, "App ID"): Paver acts as the App's installation
     *                      instead of with {@code token}; one of the two, never both
     * @param privateKeyFile the App's private key, a PEM file as GitHub issues it ({@code BEGIN RSA PRIVATE KEY},
     *                      PKCS#1) or converted to PKCS#8 ({@code BEGIN PRIVATE KEY}); required with {@code appId}
     * @param installationId the App's installation in the organization; unset: looked up from the organization
     *                      ("Get an organization installation for the authenticated app")
     */
    public record Github(@DefaultValue("https://api.github.com") String apiUrl, String token, String organization,
                         String webhookSecret, @DefaultValue("60s") Duration pollInterval,
                         @DefaultValue("60") int contentPerMinute, @DefaultValue("450") int contentPerHour,
                         @DefaultValue("./data/github-cache") String cacheDir, String appId, String privateKeyFile,
                         Long installationId) {

        /** True when a token or a GitHub App is set: repositories and pull requests are on GitHub. */
        public boolean enabled() {
            return hasToken() || app();
        }

        /** True when {@code token} is set. */
        public boolean hasToken() {
            return token != null && !token.isBlank();
        }

        /** True when {@code appId} is set: Paver authenticates as a GitHub App installation. */
        public boolean app() {
            return appId != null && !appId.isBlank();
        }
    }

    /**
     * @param localRoot     folder of bare repositories, the embedded default; created and seeded on first start
     * @param remoteUrl     base URL of any git remote ({@code https://git.example.com/acme}); wins over localRoot
     * @param username      for the remote, optional
     * @param password      for the remote (a token), optional
     * @param workDir       where working clones are kept
     * @param defaultBranch the branch changes merge into
     * @param pollInterval  how often pushed branches are fetched to see whether they were merged
     * @param repositories  with a remote URL, which plain git cannot list: the domain GitOps repositories whose
     *                      catalogs name the systems and groups, e.g. {@code payments-gitops}
     */
    public record Git(@DefaultValue("./data/git") String localRoot, String remoteUrl, String username, String password,
                      @DefaultValue("./data/git-work") String workDir, @DefaultValue("main") String defaultBranch,
                      @DefaultValue("15s") Duration pollInterval, List<String> repositories) {
    }

    /**
     * Argo CD's cluster, which is also the default cluster of every environment not in {@code clusters}, and the
     * clusters of the environments.
     *
     * @param enabled          {@code auto} (on when a kubeconfig or in-cluster service account exists), {@code true}, {@code false}
     * @param argocdNamespace  where Argo CD's Applications live
     * @param apiUrl           an API server URL used alone, without kubeconfig credentials (turns tracking on), e.g.
     *                         {@code kubectl proxy}'s; optional
     * @param clusters         by environment (a name of {@code paver.conventions.environments}): the cluster where that
     *                         environment's Crossplane claims are read, its RoleBindings written and its Sealed Secrets
     *                         certificate read; an environment not listed uses the default cluster
     */
    public record Kubernetes(@DefaultValue("auto") String enabled, @DefaultValue("argocd") String argocdNamespace,
                             String apiUrl, Map<String, Cluster> clusters) {

        /** The clusters by environment, empty when none is configured. */
        public Map<String, Cluster> clustersOrEmpty() {
            return clusters == null ? Map.of() : clusters;
        }
    }

    /**
     * One environment's cluster ({@code paver.kubernetes.clusters.<env>.*}): exactly one of {@code kubeconfig},
     * {@code in-cluster: true} or {@code api-url}.
     *
     * @param kubeconfig                    a kubeconfig file, read with fabric8's own kubeconfig loading (credentials,
     *                                      exec plugins and relative certificate paths as kubectl reads them)
     * @param context                       the kubeconfig's context to use; default its {@code current-context}
     * @param inCluster                     true: the cluster Paver runs in, through its pod's service account
     * @param apiUrl                        an API server URL used alone, without credentials (e.g. {@code kubectl proxy}'s)
     * @param sealedSecretsCertificateFile  this environment's Sealed Secrets controller certificate (PEM); optional:
     *                                      without it, {@code paver.sealed-secrets.certificate-file} when set, else the
     *                                      controller of this cluster ({@code paver.sealed-secrets.controller-*})
     */
    public record Cluster(String kubeconfig, String context, Boolean inCluster, String apiUrl,
                          String sealedSecretsCertificateFile) {
    }

    /** @param dir the golden paths folder; empty: {@code ./templates} when present, else the templates inside the jar */
    public record Templates(String dir) {
    }

    /**
     * @param workerThreads threads that advance runs; 0 (the default): 8. Run work mostly waits (on Slack, git, GitHub,
     *                      the cluster), so one slow answer must not hold the other runs back; acknowledgements have
     *                      their own threads
     * @param catalogRefresh how often the domain repositories' catalogs are read again
     * @param timerTick     how often due timers (approval expiry, access reminders and ends) are looked for
     * @param lease         how long a replica holds a run it passes over (renewed every third of it while the pass goes
     *                      on): a replica killed or frozen mid-pass has its runs taken over by another after at most
     *                      this; at least 1s
     * @param mergeReminder how long a pull request of Paver's waits unmerged before the thread reminds its requester
     * @param abandonAfter  how long it waits before its run ends as abandoned (the pull request stays open)
     */
    public record Runs(@DefaultValue("0") int workerThreads, @DefaultValue("60s") Duration catalogRefresh,
                       @DefaultValue("5s") Duration timerTick, @DefaultValue("60s") Duration lease,
                       @DefaultValue("2d") Duration mergeReminder, @DefaultValue("14d") Duration abandonAfter) {
    }

    /**
     * The platform conventions; a field left out takes its value from {@code Conventions.defaults()} (CONVENTIONS.md),
     * the one place the defaults are written, which the {@code validate} command uses too.
     *
     * @param environments          in promotion order
     * @param automatedSync         environments Argo CD syncs automatically
     * @param profiles              name to {@code requests-cpu}, {@code requests-memory}, {@code limits-cpu}, {@code limits-memory}
     * @param gitopsRepositorySuffix suffix of a domain's GitOps repository
     * @param imageRegistry         where services' CI pushes images, e.g. {@code ghcr.io/acme}
     * @param resources             resource type ({@code database}, {@code queue}, {@code bucket}, or a new one) to
     *                              {@code mode} ({@code claim}: Crossplane v1 claim; {@code xr}: Crossplane v2
     *                              namespaced composite resource), {@code api-version}, {@code kind} and
     *                              {@code segment}; a known type's fields left out keep their defaults, and
     *                              {@code mode: xr} alone moves it to {@code xr.platform.paver.dev/v1alpha1}
     * @param kustomizeCommand      how the gate builds overlays as Argo CD does: the program and arguments that build a
     *                              directory appended to them, separated by blanks (e.g. {@code kubectl kustomize});
     *                              unset: {@code kustomize build}, else {@code kubectl kustomize}, else the built-in
     *                              view; {@code builtin}: always the built-in view
     * @param kustomizeTimeout      how long one overlay's build may take, default 30s
     */
    public record ConventionsConfig(List<String> environments, List<String> automatedSync,
                                    Map<String, Map<String, String>> profiles, String gitopsRepositorySuffix,
                                    String imageRegistry, Map<String, Map<String, String>> resources,
                                    String kustomizeCommand, Duration kustomizeTimeout) {

        /** {@link #kustomizeTimeout()}, 30 s when unset. */
        public Duration kustomizeTimeoutOrDefault() {
            return kustomizeTimeout == null || kustomizeTimeout.isNegative() || kustomizeTimeout.isZero()
                    ? Duration.ofSeconds(30) : kustomizeTimeout;
        }
    }
}

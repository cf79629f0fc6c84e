package dev.paver.kubernetes;

import dev.paver.config.InvalidSettingException;
import dev.paver.config.PaverProperties;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The cluster of each environment ({@code paver.kubernetes.clusters.<env>}), where that environment's Crossplane
 * claims are read, its RoleBindings written and its Sealed Secrets certificate read, beside the default cluster
 * ({@code paver.kubernetes.*}), which is Argo CD's and serves every environment not listed. This is the layout the
 * domain repository's ApplicationSet renders: each overlay's Application goes to the cluster labelled with its
 * environment, so its claims, namespaces and SealedSecrets live there.
 *
 * <p>Each entry is exactly one of:
 * <ul>
 *   <li>{@code kubeconfig} (a file) and optionally {@code context} (default: the file's {@code current-context}), read
 *       with fabric8's own kubeconfig loading ({@link Config#fromKubeconfig(String, String, String)}: credentials,
 *       exec plugins and certificate paths relative to the file, as kubectl reads them);</li>
 *   <li>{@code in-cluster: true}: the cluster Paver runs in, with its pod's service account (fabric8's
 *       {@link Config#autoConfigure(String)}, as the default cluster is found);</li>
 *   <li>{@code api-url}: an API server URL used alone, without credentials (e.g. {@code kubectl proxy}'s, or a test
 *       server).</li>
 * </ul>
 * Clients are made at start-up; a wrong entry stops the start with a message naming the key.
 */
public final class EnvironmentClusters {

    /** The settings' prefix, for messages. */
    static final String PREFIX = "paver.kubernetes.clusters.";

    private final KubernetesClient defaultClient;
    private final Map<String, KubernetesClient> clients;
    private final Map<String, String> describedAs;
    private final List<String> environments;

    private EnvironmentClusters(KubernetesClient defaultClient, Map<String, KubernetesClient> clients,
                                Map<String, String> describedAs, List<String> environments) {
        this.defaultClient = defaultClient;
        this.clients = Collections.unmodifiableMap(clients);
        this.describedAs = Collections.unmodifiableMap(describedAs);
        this.environments = List.copyOf(environments);
    }

    /**
     * Makes a client for each configured environment.
     *
     * @param settings      {@code paver.kubernetes.clusters}, by environment; empty for one cluster for everything
     * @param environments  the environments of the conventions, in promotion order
     * @param defaultClient the default cluster's client ({@code paver.kubernetes.*}), null when there is none
     * @param env           reads an environment variable ({@code System::getenv}); decides whether Paver is in a pod
     * @throws InvalidSettingException naming the key when an environment is not one of the conventions, an entry is not
     *                               exactly one of kubeconfig, in-cluster and api-url, a kubeconfig file cannot be read
     *                               or has no such context, or in-cluster is asked for outside a pod
     */
    public static EnvironmentClusters of(Map<String, PaverProperties.Cluster> settings, List<String> environments,
                                         KubernetesClient defaultClient, UnaryOperator<String> env) {
        List<String> unknown = settings.keySet().stream().filter(e -> !environments.contains(e)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidSettingException(PREFIX + "<env>: " + String.join(", ", unknown) + (unknown.size() == 1 ? " is not an"
                    : " are not") + " environment" + (unknown.size() == 1 ? "" : "s") + " of the conventions; the environments "
                    + "are " + environments + " (paver.conventions.environments): name the cluster of one of them");
        }
        Map<String, KubernetesClient> clients = new LinkedHashMap<>();
        Map<String, String> described = new LinkedHashMap<>();
        for (String environment : environments) {
            PaverProperties.Cluster cluster = settings.get(environment);
            if (cluster == null) {
                continue;
            }
            Config config = config(environment, cluster, env);
            if (config == null) {
                continue; // only a certificate file: the default cluster serves it
            }
            clients.put(environment, new KubernetesClientBuilder().withConfig(config).build());
            described.put(environment, describe(cluster, config));
        }
        return new EnvironmentClusters(defaultClient, clients, described, environments);
    }

    /**
     * The fabric8 configuration of one entry; null for an entry that gives only {@code sealed-secrets-certificate-file}
     * (the environment's certificate, with the default cluster).
     *
     * @throws InvalidSettingException naming {@code paver.kubernetes.clusters.<environment>} when the entry is wrong (see
     *                               {@link #of})
     */
    static Config config(String environment, PaverProperties.Cluster cluster, UnaryOperator<String> env) {
        String key = PREFIX + environment;
        boolean kubeconfig = present(cluster.kubeconfig());
        boolean inCluster = Boolean.TRUE.equals(cluster.inCluster());
        boolean apiUrl = present(cluster.apiUrl());
        int given = (kubeconfig ? 1 : 0) + (inCluster ? 1 : 0) + (apiUrl ? 1 : 0);
        if (given == 0 && present(cluster.sealedSecretsCertificateFile()) && !present(cluster.context())) {
            return null;
        }
        if (given != 1) {
            throw new InvalidSettingException(key + (given == 0 ? " names no cluster" : " names " + given + " clusters")
                    + ": give exactly one of " + key + ".kubeconfig (a kubeconfig file, with " + key + ".context), " + key
                    + ".in-cluster=true (the cluster Paver runs in) or " + key + ".api-url (an API server used without credentials)");
        }
        if (present(cluster.context()) && !kubeconfig) {
            throw new InvalidSettingException(key + ".context is a context of a kubeconfig file: give " + key + ".kubeconfig too");
        }
        if (apiUrl) {
            return new ConfigBuilder(Config.empty()).withMasterUrl(cluster.apiUrl().strip()).build();
        }
        if (inCluster) {
            String host = env.apply("KUBERNETES_SERVICE_HOST");
            if (host == null || host.isBlank()) {
                throw new InvalidSettingException(key + ".in-cluster=true, but Paver is not running in a pod "
                        + "(KUBERNETES_SERVICE_HOST is not set): give " + key + ".kubeconfig instead");
            }
            return Config.autoConfigure(null);
        }
        return fromKubeconfig(key, Path.of(cluster.kubeconfig().strip()), present(cluster.context()) ? cluster.context().strip() : null);
    }

    private static Config fromKubeconfig(String key, Path file, String context) {
        String contents;
        try {
            contents = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidSettingException(key + ".kubeconfig: cannot read " + file + " (" + (Files.exists(file)
                    ? e.getClass().getSimpleName() : "no such file") + ")", e);
        }
        Config config;
        try {
            config = Config.fromKubeconfig(context, contents, file.toAbsolutePath().toString());
        } catch (RuntimeException e) {
            // fabric8's KubernetesClientException, or its YAML parser's exception for a file that is not YAML
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip().replaceAll("\\s+", " ");
            throw new InvalidSettingException(key + ".kubeconfig: " + file + " is not a kubeconfig fabric8 can read: " + why, e);
        }
        List<String> contexts = new ArrayList<>();
        if (config.getContexts() != null) {
            for (NamedContext c : config.getContexts()) {
                contexts.add(c.getName());
            }
            Collections.sort(contexts);
        }
        NamedContext current = config.getCurrentContext();
        if (context != null && (current == null || !context.equals(current.getName()))) {
            throw new InvalidSettingException(key + ".context: " + file + " has no context " + context + "; its contexts are "
                    + contexts);
        }
        if (current == null || config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
            throw new InvalidSettingException(key + ".kubeconfig: " + file + " has no current-context naming a cluster: set "
                    + key + ".context to one of " + contexts);
        }
        return config;
    }

    private static String describe(PaverProperties.Cluster cluster, Config config) {
        if (present(cluster.kubeconfig())) {
            return config.getMasterUrl() + " (kubeconfig " + cluster.kubeconfig().strip() + ", context "
                    + config.getCurrentContext().getName() + ")";
        }
        return config.getMasterUrl() + (Boolean.TRUE.equals(cluster.inCluster()) ? " (in-cluster)" : "");
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** True when no environment has a cluster of its own: the default cluster serves everything, as before. */
    public boolean isEmpty() {
        return clients.isEmpty();
    }

    /** The environments of the conventions, in promotion order. */
    public List<String> environments() {
        return environments;
    }

    /** The client of an environment's own cluster, empty when it has none ({@link #defaultClient()} serves it). */
    public Optional<KubernetesClient> own(String environment) {
        return Optional.ofNullable(clients.get(environment));
    }

    /** The default cluster's client ({@code paver.kubernetes.*}), or null when there is none. */
    public KubernetesClient defaultClient() {
        return defaultClient;
    }

    /** The environments with a cluster of their own and where it is (API server, kubeconfig and context), for the log. */
    public Map<String, String> described() {
        return describedAs;
    }

    /**
     * Why an environment has no cluster, for a port's refusal: neither its own nor a default one.
     *
     * @param environment an environment of the conventions
     */
    public static String missing(String environment) {
        return "no cluster is configured for " + environment + " (set " + PREFIX + environment
                + ".kubeconfig, or a default cluster with paver.kubernetes.*)";
    }
}

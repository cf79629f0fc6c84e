package dev.paver.kubernetes;

import dev.paver.core.action.ApplicationStatus;
import dev.paver.core.action.DeploymentPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Argo CD Applications ({@code applications.argoproj.io/v1alpha1}) in the Argo CD namespace with a fabric8
 * informer: its cache (the status fields Paver reads, {@link #CACHED_FIELDS}) answers {@link #application}, and every
 * add or update calls the change listener with the
 * Application's name, so waiting runs wake at once instead of at the next poll. {@link #sync} starts a sync by setting
 * the Application's {@code operation}, as Argo CD's CLI and UI do; {@link #refresh} asks Argo CD to compare it with the
 * repository at once (after a merge).
 *
 * <p>The watch survives disruption. fabric8's informer lists again when its watch expires ({@code 410 Gone}) and
 * reconnects a dropped watch from the last resource version; here it also retries, with fabric8's back-off, after
 * any other failure of a list or a watch (fabric8's default gives up on those, and on a first list that fails: an API
 * server down when Paver starts). While it is not watching, {@link #application} reads each Application with a fresh
 * GET instead of the cache. After every list, the first one included, the relist listener runs: Paver passes over
 * every run waiting for an Application again, so that none misses what changed while nobody watched (a change seen
 * in the list is also announced to the change listener, as fabric8 compares resource versions).
 */
public final class ArgoCdApplications implements DeploymentPort, AutoCloseable {

    /** The Application custom resource. */
    public static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withNamespaced(true).build();

    private static final Logger LOG = LoggerFactory.getLogger(ArgoCdApplications.class);
    /** {@code status.operationState.phase} values of an operation that has not finished (Argo CD's OperationPhase). */
    private static final Set<String> IN_PROGRESS = Set.of("Running", "Terminating");
    /**
     * What the informer's cache keeps of each Application (with its name, namespace and resource version): the fields
     * {@link #status} reads, nothing of {@code spec} or of the long {@code status.resources} and {@code status.history}.
     * An Application of the shared fixtures takes about 27 KiB of heap whole; at 10,000 Applications that is the
     * difference between a few tens of MiB and more than the whole process's target (docs/performance.md).
     */
    static final String[] CACHED_FIELDS = {"status.sync.status", "status.sync.revision", "status.health.status",
        "status.health.message", "status.operationState.phase", "status.operationState.message",
        "status.operationState.syncResult.revision"};
    /** Tries per sync when the Application changed between reading and patching it (HTTP 409). */
    private static final int ATTEMPTS = 3;

    private final KubernetesClient client;
    private final String namespace;
    private volatile Consumer<String> onChange = name -> { };
    private volatile Function<String, Optional<String>> applicationSetOf = name -> Optional.empty();
    private volatile Runnable onList = () -> { };
    private volatile SharedIndexInformer<GenericKubernetesResource> informer;
    /** Whether a failure of the list or the watch was logged since it last worked: one warning per outage. */
    private final AtomicBoolean failing = new AtomicBoolean();
    private final ClusterMetrics metrics;

    /** @param namespace where Argo CD keeps its Applications, usually {@code argocd} */
    public ArgoCdApplications(KubernetesClient client, String namespace) {
        this(client, namespace, ClusterMetrics.none());
    }

    /**
     * @param namespace where Argo CD keeps its Applications, usually {@code argocd}
     * @param metrics   told of every informer event; shows whether the informer watches
     */
    public ArgoCdApplications(KubernetesClient client, String namespace, ClusterMetrics metrics) {
        this.client = client;
        this.namespace = namespace;
        this.metrics = metrics;
        metrics.argoCdWatching(this::watching);
    }

    /** Sets who hears of changed Applications (by name). */
    public void onChange(Consumer<String> listener) {
        this.onChange = listener;
    }

    /**
     * Sets what runs after each list of the Applications (at the start, and whenever the informer lists again after
     * its watch expired or failed): Paver wakes every run waiting for an Application.
     */
    public void onList(Runnable listener) {
        this.onList = listener;
    }

    /**
     * Starts the informer; returns at once (its first list may still be under way, and is retried until it works: until
     * then {@link #application} reads from the API server).
     */
    public synchronized void start() {
        if (informer != null) {
            return;
        }
        SharedIndexInformer<GenericKubernetesResource> started = client.genericKubernetesResources(APPLICATIONS)
                .inNamespace(namespace).runnableInformer(0)
                .itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, GenericKubernetesResource.class,
                        client.getKubernetesSerialization(), CACHED_FIELDS));
        started.exceptionHandler((isStarted, failure) -> {
            if (failing.compareAndSet(false, true)) {
                LOG.warn("following Argo CD Applications failed: {}; retrying, and reading each Application from the API "
                        + "server until it works again", failure instanceof KubernetesClientException k
                        ? ClusterRequestException.of("list or watch Applications in " + namespace, k).getMessage()
                        : failure.getMessage());
            }
            return true;
        });
        started.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource app) {
                changed(app);
            }

            @Override
            public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource app) {
                changed(app);
            }

            @Override
            public void onDelete(GenericKubernetesResource app, boolean unknownFinalState) {
                changed(app);
            }

            @Override
            public void onList(String resourceVersion, boolean remainedEmpty) {
                if (failing.compareAndSet(true, false)) {
                    LOG.info("following Argo CD Applications in {} again (listed at resource version {})", namespace,
                            resourceVersion);
                }
                listed();
            }
        });
        started.start();
        informer = started;
        LOG.info("following Argo CD Applications in namespace {}", namespace);
    }

    /** Whether the informer's watch is open now, so that its cache is current. */
    public boolean watching() {
        SharedIndexInformer<GenericKubernetesResource> current = informer;
        return current != null && current.isWatching();
    }

    private void listed() {
        metrics.argoCdEvent();
        try {
            onList.run();
        } catch (RuntimeException e) {
            LOG.warn("waking the runs waiting for Argo CD Applications failed: {}", e.getMessage());
        }
    }

    private void changed(GenericKubernetesResource app) {
        metrics.argoCdEvent();
        try {
            onChange.accept(app.getMetadata().getName());
        } catch (RuntimeException e) {
            LOG.warn("waking runs for Application {} failed: {}", app.getMetadata().getName(), e.getMessage());
        }
    }

    @Override
    public boolean enabled() {
        return true;
    }

    /**
     * Requests a sync the way Argo CD's CLI and UI do (<a href="https://argo-cd.readthedocs.io/en/stable/user-guide/sync-kubectl/">
     * Sync Applications with Kubectl</a>): a JSON merge patch of the Application's {@code operation}, which leaves
     * {@code spec} and {@code status} alone:
     * <pre>{@code
     * operation:
     *   initiatedBy: {username: <initiatedBy>}
     *   info: [{name: <key>, value: <value>}, ...]
     *   sync: {revision: <revision>, syncStrategy: {hook: {}}}
     * }</pre>
     * Argo CD's controller runs it, reports {@code status.operationState} and clears {@code operation} when done.
     * Calling again for the same revision while that operation is pending or running changes nothing and returns true.
     *
     * @return false when the Application does not exist in the Argo CD namespace
     * @throws IllegalStateException   when another operation is pending ({@code operation} set for another revision)
     *                                 or running ({@code status.operationState.phase} Running or Terminating)
     * @throws ClusterRequestException when the API server refuses (Paver needs {@code patch} on applications) or cannot
     *                                 be reached
     */
    @Override
    public boolean sync(String name, String revision, String initiatedBy, Map<String, String> info) {
        Objects.requireNonNull(revision, "revision");
        var resource = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name);
        String where = "Application " + name + " in " + namespace;
        for (int attempt = 1; ; attempt++) {
            String step = "read " + where;
            try {
                GenericKubernetesResource app = resource.get();
                if (app == null) {
                    return false;
                }
                Map<String, Object> pending = map(app.getAdditionalProperties().get("operation"));
                if (!pending.isEmpty()) {
                    String pendingRevision = text(map(pending.get("sync")).get("revision"));
                    if (pendingRevision.equals(revision)) {
                        LOG.info("Application {} already has a sync to {} requested", name, revision);
                        return true;
                    }
                    throw new IllegalStateException("cannot sync " + where + " to " + revision
                            + ": another operation is running or pending (" + describe(pending) + "); try again once it finishes");
                }
                Map<String, Object> state = map(map(app.getAdditionalProperties().get("status")).get("operationState"));
                String phase = text(state.get("phase"));
                if (IN_PROGRESS.contains(phase)) {
                    throw new IllegalStateException("cannot sync " + where + " to " + revision
                            + ": another operation is running (phase " + phase + ", " + describe(map(state.get("operation")))
                            + (state.get("startedAt") == null ? "" : ", started " + state.get("startedAt"))
                            + "); try again once it finishes");
                }
                step = "set a sync operation on " + where;
                resource.patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(
                        syncPatch(app.getMetadata().getResourceVersion(), revision, initiatedBy, info)));
                LOG.info("requested a sync of Application {} to {} for {}", name, revision, initiatedBy);
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && attempt < ATTEMPTS) {
                    continue; // the Application changed since it was read: decide again on the new version
                }
                if (e.getCode() == 404) {
                    return false; // deleted since it was read
                }
                throw ClusterRequestException.of(step, e);
            }
        }
    }

    /** The annotation that asks Argo CD's controller to refresh an Application; it removes it once done. */
    public static final String REFRESH_ANNOTATION = "argocd.argoproj.io/refresh";
    /** The annotation that asks the ApplicationSet controller to generate again at once; it removes it once done. */
    public static final String APPLICATION_SET_REFRESH_ANNOTATION = "argocd.argoproj.io/application-set-refresh";
    /** The ApplicationSet custom resource. */
    public static final ResourceDefinitionContext APPLICATION_SETS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("ApplicationSet").withPlural("applicationsets")
            .withNamespaced(true).build();

    /**
     * {@inheritDoc}
     *
     * <p>A JSON merge patch of the annotation alone ({@code metadata.annotations}), as {@code argocd app get --refresh}
     * sets it: no resource version, so it never conflicts with Argo CD's own status updates, and setting it again
     * before the controller removed it changes nothing. When the Application does not exist yet (a new service, whose
     * Application its domain's ApplicationSet generates from the merged overlay), the ApplicationSet named by
     * {@link #applicationSets(Function)} gets {@code argocd.argoproj.io/application-set-refresh: "true"} instead, as
     * Argo CD's own webhook handler sets it (Argo CD docs, "Annotations and Labels used by Argo CD"): its controller
     * generates at once rather than at its next poll of the repository, and Argo CD compares a new Application as
     * it appears.
     *
     * @return false when neither the Application nor its ApplicationSet exists
     * @throws ClusterRequestException when the API server refuses (Paver needs {@code patch} on applications, and on
     *                                 applicationsets, in the Argo CD namespace) or cannot be reached
     */
    @Override
    public boolean refresh(String name) {
        if (annotate(APPLICATIONS, "Application", name, Map.of(REFRESH_ANNOTATION, "normal"))) {
            LOG.info("asked Argo CD to refresh Application {}", name);
            return true;
        }
        Optional<String> set = applicationSetOf.apply(name);
        if (set.isPresent() && annotate(APPLICATION_SETS, "ApplicationSet", set.get(),
                Map.of(APPLICATION_SET_REFRESH_ANNOTATION, "true"))) {
            LOG.info("Application {} does not exist yet: asked Argo CD to refresh ApplicationSet {}", name, set.get());
            return true;
        }
        return false;
    }

    /** Sets annotations with a JSON merge patch; false when the object does not exist. */
    private boolean annotate(ResourceDefinitionContext kind, String kindName, String name, Map<String, String> annotations) {
        try {
            client.genericKubernetesResources(kind).inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(annotationPatch(annotations)));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw ClusterRequestException.of("refresh " + kindName + " " + name + " in " + namespace, e);
        }
    }

    static Map<String, Object> annotationPatch(Map<String, String> annotations) {
        return Map.of("metadata", Map.of("annotations", annotations));
    }

    /**
     * Sets how an Application's ApplicationSet is found for {@link #refresh} when the Application does not exist yet:
     * by default none is.
     *
     * @param applicationSetOf the Application's name to the name of the ApplicationSet that generates it, or empty
     */
    public ArgoCdApplications applicationSets(Function<String, Optional<String>> applicationSetOf) {
        this.applicationSetOf = applicationSetOf;
        return this;
    }

    /** The merge patch; the resourceVersion makes the API server refuse it (409) if the Application changed meanwhile. */
    static Map<String, Object> syncPatch(String resourceVersion, String revision, String initiatedBy, Map<String, String> info) {
        Map<String, Object> operation = new LinkedHashMap<>();
        if (initiatedBy != null && !initiatedBy.isBlank()) {
            operation.put("initiatedBy", Map.of("username", initiatedBy));
        }
        if (info != null && !info.isEmpty()) {
            List<Map<String, String>> items = new ArrayList<>();
            info.forEach((key, value) -> items.add(Map.of("name", key, "value", value == null ? "" : value)));
            operation.put("info", items);
        }
        operation.put("sync", Map.of("revision", revision, "syncStrategy", Map.of("hook", Map.of())));
        Map<String, Object> patch = new LinkedHashMap<>();
        if (resourceVersion != null) {
            patch.put("metadata", Map.of("resourceVersion", resourceVersion));
        }
        patch.put("operation", operation);
        return patch;
    }

    private static String describe(Map<String, Object> operation) {
        Map<String, Object> by = map(operation.get("initiatedBy"));
        String who = Boolean.TRUE.equals(by.get("automated")) ? "automated"
                : text(by.get("username")).isEmpty() ? "initiator unknown" : "by " + text(by.get("username"));
        String target = text(map(operation.get("sync")).get("revision"));
        return (target.isEmpty() ? "sync" : "sync to " + target) + ", " + who;
    }

    /**
     * {@inheritDoc} From the informer's cache while it watches; else (not started, or its watch down) with a GET.
     *
     * @throws KubernetesClientException when the GET fails
     */
    @Override
    public Optional<ApplicationStatus> application(String name) {
        SharedIndexInformer<GenericKubernetesResource> current = informer;
        GenericKubernetesResource app = current != null && current.isWatching()
                ? current.getStore().getByKey(namespace + "/" + name) : null;
        if (app == null) {
            app = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).withName(name).get();
        }
        return Optional.ofNullable(app).map(ArgoCdApplications::status);
    }

    /** Reads the status fields Paver uses from an Application; a partial object (no metadata) reads as far as it goes. */
    @SuppressWarnings("unchecked")
    public static ApplicationStatus status(GenericKubernetesResource app) {
        Map<String, Object> status = map(app.getAdditionalProperties().get("status"));
        Map<String, Object> sync = map(status.get("sync"));
        Map<String, Object> health = map(status.get("health"));
        Map<String, Object> operation = map(status.get("operationState"));
        Map<String, Object> syncResult = map(operation.get("syncResult"));
        String name = app.getMetadata() == null ? "" : text(app.getMetadata().getName());
        return new ApplicationStatus(name, text(sync.get("status")), text(sync.get("revision")),
                text(health.get("status")), text(health.get("message")), text(operation.get("phase")),
                text(operation.get("message")), text(syncResult.get("revision")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static String text(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }
}

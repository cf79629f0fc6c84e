package dev.paver.conversation;

import dev.paver.kubernetes.ArgoCdApplications;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Argo CD's application and ApplicationSet controllers as a stand-in plays them, in real time, for Applications of an
 * environment that syncs automatically ({@code automated: {prune: true, selfHeal: true}}). Argo CD looks at the
 * repository every {@code poll} on its own (its {@code timeout.reconciliation}, 3 minutes by default; the
 * ApplicationSet's git generator likewise), counted from when this stand-in starts; or at once when asked: an
 * Application annotated {@code argocd.argoproj.io/refresh}, or the ApplicationSet annotated
 * {@code argocd.argoproj.io/application-set-refresh} (both annotations removed once seen, as Argo CD does). When it
 * looks:
 * <ul>
 *   <li>the ApplicationSet generates each followed Application whose overlay the repository has, and Argo CD compares a
 *       new Application at once;</li>
 *   <li>an Application whose repository has a revision it has not deployed starts a sync: sync OutOfSync, health
 *       Progressing, operation Running; {@code syncTime} later it is Synced and Healthy at that revision.</li>
 * </ul>
 * It checks every 50 ms. {@link #noticed} says when and how each Application first saw each revision.
 */
public final class ArgoCdController implements AutoCloseable {

    private static final long TICK_MILLIS = 50;

    /** How an Application came to see a revision. */
    public record Noticed(String revision, String by, long atNanos) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Function<String, Optional<String>> revisionOf;
    private final long pollNanos;
    private final long syncNanos;
    private final ClusterStandIn cluster;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "argocd-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, String> applicationSets = new ConcurrentHashMap<>();
    private final Map<String, Long> syncedAt = new ConcurrentHashMap<>();
    private final Map<String, Noticed> noticed = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private long nextPoll;

    ArgoCdController(KubernetesClient client, String namespace, Function<String, Optional<String>> revisionOf, Duration poll,
                     Duration syncTime, ClusterStandIn cluster) {
        this.client = client;
        this.namespace = namespace;
        this.revisionOf = revisionOf;
        this.pollNanos = poll.toNanos();
        this.syncNanos = syncTime.toNanos();
        this.cluster = cluster;
        this.nextPoll = started + pollNanos;
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Follows an Application that {@code applicationSet} generates (created with that ApplicationSet when it does not
     * exist).
     */
    public ArgoCdController follow(String application, String applicationSet) {
        if (client.genericKubernetesResources(ArgoCdApplications.APPLICATION_SETS).inNamespace(namespace)
                .withName(applicationSet).get() == null) {
            GenericKubernetesResource set = new GenericKubernetesResource();
            set.setApiVersion("argoproj.io/v1alpha1");
            set.setKind("ApplicationSet");
            set.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(applicationSet)
                    .withNamespace(namespace).build());
            set.setAdditionalProperty("spec", Map.of("generators", java.util.List.of()));
            client.genericKubernetesResources(ArgoCdApplications.APPLICATION_SETS).inNamespace(namespace).resource(set).create();
        }
        applicationSets.put(application, applicationSet);
        return this;
    }

    /** When and how the Application first saw the revision it deploys last; empty before. */
    public Optional<Noticed> noticed(String application) {
        return Optional.ofNullable(noticed.get(application));
    }

    /** When the Application was last Synced and Healthy ({@link System#nanoTime}); empty before. */
    public Optional<Long> syncedAt(String application) {
        return Optional.ofNullable(syncedAt.get(application));
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            boolean poll = now >= nextPoll;
            if (poll) {
                nextPoll += pollNanos;
            }
            Map<String, Boolean> setRefreshed = new LinkedHashMap<>();
            for (String set : applicationSets.values()) {
                setRefreshed.computeIfAbsent(set, s -> takeAnnotation(ArgoCdApplications.APPLICATION_SETS, s,
                        ArgoCdApplications.APPLICATION_SET_REFRESH_ANNOTATION));
            }
            for (Map.Entry<String, String> e : applicationSets.entrySet()) {
                String name = e.getKey();
                var resource = client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(namespace).withName(name);
                GenericKubernetesResource app = resource.get();
                String by = poll ? "poll" : null;
                if (app == null) {
                    boolean generate = poll || setRefreshed.getOrDefault(e.getValue(), false);
                    if (!generate || revisionOf.apply(name).isEmpty()) {
                        continue;
                    }
                    cluster.setStatus(name, "OutOfSync", "Missing", null, "", null);
                    by = poll ? "poll (ApplicationSet)" : "ApplicationSet refresh";
                } else if (takeAnnotation(ArgoCdApplications.APPLICATIONS, name, ArgoCdApplications.REFRESH_ANNOTATION)) {
                    by = "refresh";
                }
                if (by != null) {
                    Optional<String> revision = revisionOf.apply(name);
                    Noticed last = noticed.get(name);
                    if (revision.isPresent() && (last == null || !last.revision().equals(revision.get()))) {
                        noticed.put(name, new Noticed(revision.get(), by, now));
                        cluster.setStatus(name, "OutOfSync", "Progressing", "Running", revision.get(), null);
                        continue;
                    }
                }
                Noticed last = noticed.get(name);
                if (last != null && !syncedAt.containsKey(name + "@" + last.revision()) && now - last.atNanos() >= syncNanos) {
                    cluster.setStatus(name, "Synced", "Healthy", "Succeeded", last.revision(), "successfully synced (all tasks run)");
                    syncedAt.put(name + "@" + last.revision(), now);
                    syncedAt.put(name, now);
                }
            }
        } catch (RuntimeException e) {
            // the next tick tries again, as a controller's next reconciliation does
        }
    }

    /** Whether the object carries the annotation; removes it (a JSON patch), as Argo CD does. */
    private boolean takeAnnotation(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String name,
                                   String annotation) {
        var resource = client.genericKubernetesResources(kind).inNamespace(namespace).withName(name);
        GenericKubernetesResource object = resource.get();
        if (object == null || object.getMetadata().getAnnotations() == null
                || object.getMetadata().getAnnotations().get(annotation) == null) {
            return false;
        }
        resource.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/"
                + annotation.replace("~", "~0").replace("/", "~1") + "\"}]");
        return true;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}

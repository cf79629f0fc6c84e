package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.ClusterStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Application informer under the disruptions of a real cluster, on fabric8's mock API server in CRUD mode with
 * faults switched on by the test: an API server that answers 500 when Paver starts, a watch that expires
 * ({@code 410 Gone}), watches that keep failing, and an API server restarted. Each time, the change made while nobody
 * watched reaches Paver: through the list after the disruption (announced to the change listener, and every waiting run
 * woken by the list listener), and, while the watch is down, through a fresh GET instead of the stale cache.
 */
class ArgoCdApplicationsWatchTest {

    private static final String NAMESPACE = "argocd";
    private static final String APP = "payments-dev-api";
    private static final CustomResourceDefinitionContext APPLICATION = new CustomResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withScope("Namespaced").withStatusSubresource(true).build();
    /** A list or a watch of the Applications, not a request for one by name. */
    private static final Pattern COLLECTION = Pattern.compile("/apis/argoproj\\.io/v1alpha1/namespaces/argocd/applications(\\?.*)?");

    /** The CRUD API server, with faults the test switches on and off. */
    private static final class Faults extends Dispatcher {
        final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher(List.of(APPLICATION));
        volatile boolean failLists;
        volatile boolean failWatches;
        final AtomicInteger goneWatches = new AtomicInteger();
        final AtomicInteger watchRequests = new AtomicInteger();

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            boolean collection = "GET".equals(request.getMethod()) && COLLECTION.matcher(request.getPath()).matches();
            boolean watch = collection && request.getPath().contains("watch=true");
            if (watch) {
                watchRequests.incrementAndGet();
                if (goneWatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    return ClusterStandIn.expiredWatch();
                }
                if (failWatches) {
                    return status(500, "InternalError", "etcd leader changed");
                }
            } else if (collection && failLists) {
                return status(500, "InternalError", "the server is currently unable to handle the request");
            }
            return crud.dispatch(request);
        }

        private static MockResponse status(int code, String reason, String message) {
            return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + message
                            + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}");
        }
    }

    private final Faults faults = new Faults();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private ArgoCdApplications applications;
    /** Each announcement as {@code name=health}, the health read when the change was announced. */
    private final Set<String> announced = ConcurrentHashMap.newKeySet();
    private final AtomicInteger lists = new AtomicInteger();

    @BeforeEach
    void apiServer() {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        server = serverOn(0);
        // no retries inside the HTTP client (by default fabric8 retries a failed request 10 times over about 100 s): the
        // outages of these tests then last longer than the client's retries, as a real one can
        client = server.createClient(builder -> builder.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        applications = new ArgoCdApplications(client, NAMESPACE);
        applications.onChange(name -> announced.add(
                name + "=" + applications.application(name).map(app -> app.healthStatus()).orElse("absent")));
        applications.onList(lists::incrementAndGet);
    }

    private KubernetesMockServer serverOn(int port) {
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), faults, false);
        mock.init(InetAddress.getLoopbackAddress(), port);
        return mock;
    }

    @AfterEach
    void close() {
        applications.close();
        client.close();
        server.destroy();
    }

    private void setHealth(String health) {
        var resource = client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(NAMESPACE).withName(APP);
        GenericKubernetesResource app = resource.get();
        if (app == null) {
            app = new GenericKubernetesResourceBuilder().withApiVersion("argoproj.io/v1alpha1").withKind("Application")
                    .withNewMetadata().withName(APP).withNamespace(NAMESPACE).endMetadata().build();
            app.setAdditionalProperties(new HashMap<>(Map.of("spec", Map.of("project", "default"))));
            app = client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(NAMESPACE).resource(app).create();
        }
        app.getAdditionalProperties().put("status", Map.of("sync", Map.of("status", "Synced", "revision", "abc123"),
                "health", Map.of("status", health)));
        client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(NAMESPACE).resource(app).updateStatus();
    }

    private String health() {
        return applications.application(APP).orElseThrow().healthStatus();
    }

    /** Waits up to 30 s for {@code done}. */
    private static boolean within30s(BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            if (done.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void anApiServerThatFailsWhenPaverStartsIsFollowedOnceItAnswers() throws Exception {
        setHealth("Progressing");
        faults.failLists = true;

        applications.start();
        Thread.sleep(1500);
        assertThat(applications.watching()).isFalse();
        assertThat(health()).as("read with a GET while nothing is watched").isEqualTo("Progressing");
        faults.failLists = false;

        assertThat(within30s(applications::watching)).as("the informer kept trying (fabric8's default gives up)").isTrue();
        // the informer's handlers run on its own thread: the list is announced shortly after the watch opens
        assertThat(within30s(() -> lists.get() >= 1)).as("the list after the recovery wakes the waiting runs").isTrue();
        setHealth("Healthy");
        // the list that follows the recovery announces the Application too: wait for the announcement of this change
        assertThat(within30s(() -> announced.contains(APP + "=Healthy"))).as("a change is announced").isTrue();
        assertThat(health()).isEqualTo("Healthy");
    }

    @Test
    void aWatchThatExpiresIsListedAgainAndTheChangeMadeMeanwhileIsSeen() throws Exception {
        setHealth("Progressing");
        applications.start();
        assertThat(within30s(applications::watching)).isTrue();
        int listed = lists.get();

        // the API server restarts: the watch drops, and coming back it finds the resource version too old
        faults.goneWatches.set(1);
        server.destroy();
        setHealthWhileDown("Healthy");

        boolean relisted = within30s(() -> lists.get() > listed);
        assertThat(relisted).as("listed again: every waiting run is woken").isTrue();
        assertThat(within30s(() -> announced.contains(APP + "=Healthy"))).as("the change made while nobody watched").isTrue();
        assertThat(within30s(applications::watching)).isTrue();
        assertThat(health()).isEqualTo("Healthy");
    }

    @Test
    void whileWatchesKeepFailingEachApplicationIsReadFreshAndTheWatchComesBack() throws Exception {
        setHealth("Progressing");
        applications.start();
        assertThat(within30s(applications::watching)).isTrue();

        faults.failWatches = true;
        server.destroy();
        server = serverOn(portOf(client));
        assertThat(within30s(() -> !applications.watching())).isTrue();
        setHealth("Degraded");
        assertThat(health()).as("not the cache of a watch that is down").isEqualTo("Degraded");
        int failedWatches = faults.watchRequests.get();
        assertThat(within30s(() -> faults.watchRequests.get() > failedWatches + 1)).as("still trying").isTrue();

        faults.failWatches = false;
        assertThat(within30s(applications::watching)).as("watching again after failures fabric8 gives up on").isTrue();
        setHealth("Healthy");
        // the list after the watch came back announces the Application as Degraded, maybe after this line: wait for
        // the announcement of this change, not any announcement
        assertThat(within30s(() -> announced.contains(APP + "=Healthy"))).as("a change is announced").isTrue();
        assertThat(health()).isEqualTo("Healthy");
    }

    /** Restarts the API server on its port with the Application's health changed before anyone can watch it. */
    private void setHealthWhileDown(String health) {
        boolean failing = faults.failLists;
        faults.failLists = true; // the informer's list waits until the change is made
        server = serverOn(portOf(client));
        setHealth(health);
        faults.failLists = failing;
    }

    private static int portOf(KubernetesClient client) {
        return client.getMasterUrl().getPort();
    }
}

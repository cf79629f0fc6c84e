package dev.paver.conversation;

import dev.paver.kubernetes.ArgoCdApplications;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.atomic.AtomicBoolean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on a loopback port, with the Argo CD Application resource registered
 * (status subresource on). Conversations set an Application's status here as Argo CD would; Paver's informer sees
 * it through the real Kubernetes API. Crossplane claims, XRs and composed resources are played by
 * {@link CrossplaneStandIn}, which registers their kinds as it first meets them. New Applications start from the real Argo CD Application of the shared
 * fixtures ({@code argocd/argo-cd-controller-testdata-diff-cache.yaml}), renamed.
 */
public final class ClusterStandIn implements AutoCloseable {

    static final CustomResourceDefinitionContext APPLICATION = new CustomResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withScope("Namespaced").withStatusSubresource(true).build();
    static final CustomResourceDefinitionContext APPLICATION_SET = new CustomResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("ApplicationSet").withPlural("applicationsets")
            .withScope("Namespaced").withStatusSubresource(true).build();

    private volatile KubernetesMockServer server;
    private final Expiring dispatcher;
    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private final KubernetesClient client;
    private final String namespace;
    private final CrossplaneStandIn crossplane;

    public ClusterStandIn(String namespace) {
        this(namespace, null);
    }

    /**
     * @param namespace               Argo CD's namespace
     * @param sealedSecretsCertificate a PEM certificate the Sealed Secrets controller of this cluster serves at
     *                                {@link #SEALED_SECRETS_CERT_PATH} (as {@code kubeseal --fetch-cert} reads it), or null
     *                                for none (the CRUD dispatcher alone, as before)
     */
    public ClusterStandIn(String namespace, String sealedSecretsCertificate) {
        this.namespace = namespace;
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
        // expectations first, then CRUD: the controller's certificate is an answer, not a stored object
        dispatcher = new Expiring(sealedSecretsCertificate == null ? new KubernetesCrudDispatcher(List.of(APPLICATION, APPLICATION_SET))
                : new KubernetesMixedDispatcher(responses, List.of(APPLICATION, APPLICATION_SET)));
        server = serverOn(0);
        if (sealedSecretsCertificate != null) {
            server.expect().get().withPath(SEALED_SECRETS_CERT_PATH).andReturn(200, sealedSecretsCertificate).always();
        }
        client = server.createClient();
        crossplane = new CrossplaneStandIn(client, server::expectCustomResource);
    }

    private KubernetesMockServer serverOn(int port) {
        KubernetesMockServer mock = new KubernetesMockServer(new Context(), new MockWebServer(), responses, dispatcher, false);
        mock.init(java.net.InetAddress.getLoopbackAddress(), port);
        return mock;
    }

    /**
     * Restarts the API server on its port, as a control plane upgrade does: every open watch drops, and the next watch
     * of Applications finds its resource version gone (an {@code ERROR} event with {@code 410 Expired}, as after etcd
     * compacted it away), so its client lists again. What the stand-in changes right after this is changed before Paver
     * watches again (fabric8 waits about a second before it reconnects a watch). Stored objects survive.
     */
    public void restartApiServer() {
        int port = java.net.URI.create(server.url("/")).getPort();
        dispatcher.expireNextWatch.set(true);
        server.destroy();
        server = serverOn(port);
    }

    /**
     * The answer of an API server to a watch whose resource version is too old: the watch opens and carries one
     * {@code ERROR} event with a {@code 410} Status ("Efficient detection of changes", Kubernetes API concepts).
     */
    public static MockResponse expiredWatch() {
        return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onOpen(WebSocket socket, Response response) {
                socket.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                        + "\"status\":\"Failure\",\"message\":\"too old resource version: 2 (9)\","
                        + "\"reason\":\"Expired\",\"code\":410}}");
            }
        });
    }

    /** The stand-in's dispatcher, which answers the next watch of Applications as expired once armed. */
    private static final class Expiring extends Dispatcher implements CustomResourceAware {
        private final Dispatcher inner;
        final AtomicBoolean expireNextWatch = new AtomicBoolean();
        final AtomicBoolean forbidPatches = new AtomicBoolean();

        Expiring(Dispatcher inner) {
            this.inner = inner;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if ("GET".equals(request.getMethod()) && request.getPath().contains("/applications?")
                    && request.getPath().contains("watch=true") && expireNextWatch.compareAndSet(true, false)) {
                return expiredWatch();
            }
            if ("PATCH".equals(request.getMethod()) && forbidPatches.get() && !request.getPath().contains("/status")
                    && (request.getPath().contains("/applications/") || request.getPath().contains("/applicationsets/"))) {
                return new MockResponse().setResponseCode(403).addHeader("Content-Type", "application/json").setBody(
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
                        + "\"applications.argoproj.io is forbidden: User 'system:serviceaccount:paver:paver' cannot patch "
                        + "resource 'applications' in API group 'argoproj.io' in the namespace 'argocd'\","
                        + "\"reason\":\"Forbidden\",\"code\":403}");
            }
            return inner.dispatch(request);
        }

        @Override
        public void expectCustomResource(CustomResourceDefinitionContext rdc) {
            ((CustomResourceAware) inner).expectCustomResource(rdc);
        }

        @Override
        public void shutdown() {
            // a restart keeps the stored objects; the last close() ends them with the JVM
        }
    }

    /**
     * From now on the API server answers every patch of an Application or ApplicationSet with 403 Forbidden, as it
     * does when Paver's ServiceAccount lacks {@code patch} on them (RBAC); reads, watches and the status edits of the
     * stand-in's Argo CD still work.
     */
    public void forbidPatches() {
        dispatcher.forbidPatches.set(true);
    }

    /**
     * Plays Argo CD's controllers for the Applications of an auto-synced environment, in real time
     * ({@link ArgoCdController}).
     *
     * @param revisionOf an Application's name to the revision Argo CD would deploy now (the repository's head when its
     *                   overlay is there), or empty while the repository has no overlay for it
     * @param poll       how often Argo CD looks at the repository on its own (its default: 3 minutes)
     * @param syncTime   from noticing a new revision to Synced and Healthy
     */
    public ArgoCdController argoCd(java.util.function.Function<String, java.util.Optional<String>> revisionOf,
                                   java.time.Duration poll, java.time.Duration syncTime) {
        return new ArgoCdController(client, namespace, revisionOf, poll, syncTime, this);
    }

    /** Where the controller's certificate is read: the API server's service proxy to kubeseal's default Service. */
    static final String SEALED_SECRETS_CERT_PATH =
            "/api/v1/namespaces/kube-system/services/http:sealed-secrets-controller:http/proxy/v1/cert.pem";

    /** The API server URL Paver is pointed at. */
    public String url() {
        return server.url("/");
    }

    public KubernetesClient client() {
        return client;
    }

    /**
     * Creates the Application if needed and sets its status.
     *
     * @param name      Application name
     * @param sync      {@code status.sync.status}
     * @param health    {@code status.health.status}
     * @param phase     {@code status.operationState.phase}, or null for no operation
     * @param revision  the revision synced ({@code status.sync.revision}, {@code operationState.syncResult.revision})
     * @param message   {@code operationState.message} (and {@code health.message} when Degraded), may be null
     */
    @SuppressWarnings("unchecked")
    public void setStatus(String name, String sync, String health, String phase, String revision, String message) {
        var resource = client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(namespace).withName(name);
        if (resource.get() == null) {
            GenericKubernetesResource app = fixtureApplication();
            app.getMetadata().setName(name);
            app.getMetadata().setNamespace(namespace);
            app.getMetadata().setOwnerReferences(null);
            app.getMetadata().setResourceVersion(null);
            app.getMetadata().setUid(null);
            app.getMetadata().setFinalizers(null);
            app.getAdditionalProperties().remove("status");
            client.genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(namespace).resource(app).create();
        }
        // Paver may patch the Application meanwhile (the refresh annotation after a merge): like Argo CD's controller,
        // read it again and retry on a conflict (409) instead of failing the step
        for (int attempt = 1; ; attempt++) {
            try {
                editStatus(resource, sync, health, phase, revision, message);
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static void editStatus(io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource> resource, String sync,
                                   String health, String phase, String revision, String message) {
        resource.editStatus(app -> {
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("sync", Map.of("status", sync, "revision", revision == null ? "" : revision));
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("status", health);
            if ("Degraded".equals(health) && message != null) {
                h.put("message", message);
            }
            status.put("health", h);
            if (phase != null) {
                Map<String, Object> op = new LinkedHashMap<>();
                op.put("phase", phase);
                op.put("message", message == null ? "" : message);
                op.put("startedAt", "2026-11-21T10:00:00Z");
                if (!phase.equals("Running")) {
                    op.put("finishedAt", "2026-11-21T10:00:05Z");
                }
                op.put("syncResult", Map.of("revision", revision == null ? "" : revision));
                status.put("operationState", op);
            }
            app.getAdditionalProperties().put("status", status);
            return app;
        });
    }

    /**
     * Applies a conversation's {@code crossplane:} step: creates or updates a claim (or v2 XR), its composite and its
     * composed resources, with their conditions (see {@link CrossplaneStandIn}).
     *
     * @return a line for the transcript
     */
    public String crossplane(Map<String, Object> step) {
        return crossplane.apply(step);
    }

    private static GenericKubernetesResource fixtureApplication() {
        Path fixture = Path.of("..", "shared", "fixtures", "argocd", "argo-cd-controller-testdata-diff-cache.yaml");
        try {
            return Serialization.unmarshal(Files.readString(fixture), GenericKubernetesResource.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the Argo CD fixture " + fixture + " is missing", e);
        }
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

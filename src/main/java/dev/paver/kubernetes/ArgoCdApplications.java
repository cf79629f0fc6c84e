package dev.paver.kubernetes;

import dev.paver.core.action.ApplicationStatus;
import dev.paver.core.action.DeploymentPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows Argo CD Applications ({@code applications.argoproj.io/v1alpha1}) in the Argo CD namespace with a fabric8
 * informer: its cache answers {@link #application}, and every add or update calls the change listener with the
 * Application's name, so waiting runs wake at once instead of at the next poll.
 */
public final class ArgoCdApplications implements DeploymentPort, AutoCloseable {

    /** The Application custom resource. */
    public static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
            .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
            .withNamespaced(true).build();

    private static final Logger LOG = LoggerFactory.getLogger(ArgoCdApplications.class);

    private final KubernetesClient client;
    private final String namespace;
    private volatile Consumer<String> onChange = name -> { };
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /** @param namespace where Argo CD keeps its Applications, usually {@code argocd} */
    public ArgoCdApplications(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Sets who hears of changed Applications (by name). */
    public void onChange(Consumer<String> listener) {
        this.onChange = listener;
    }

    /** Starts the informer; returns once it is running (its first list may still be under way). */
    public synchronized void start() {
        if (informer != null) {
            return;
        }
        informer = client.genericKubernetesResources(APPLICATIONS).inNamespace(namespace).inform(new ResourceEventHandler<>() {
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
        });
        LOG.info("following Argo CD Applications in namespace {}", namespace);
    }

    private void changed(GenericKubernetesResource app) {
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

    @Override
    public boolean sync(String name, String revision, String initiatedBy, java.util.Map<String, String> info) {
        throw new UnsupportedOperationException("sync is being written");
    }

    @Override
    public Optional<ApplicationStatus> application(String name) {
        GenericKubernetesResource app = informer == null ? null : informer.getStore().getByKey(namespace + "/" + name);
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

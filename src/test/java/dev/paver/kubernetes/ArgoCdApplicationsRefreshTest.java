package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.ClusterStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asking Argo CD to refresh, against fabric8's mock API server in CRUD mode, read back from it. */
class ArgoCdApplicationsRefreshTest {

    private static final String NS = "argocd";
    private static final String REVISION = "bb514a7c3e1d9f5a7b3c1e9d7f5a3b1c9e7d5f3a";

    private ClusterStandIn cluster;
    private ArgoCdApplications applications;

    @BeforeEach
    void start() {
        cluster = new ClusterStandIn(NS);
        applications = new ArgoCdApplications(cluster.client(), NS)
                .applicationSets(app -> app.startsWith("payments-") ? Optional.of("payments") : Optional.empty());
    }

    @AfterEach
    void stop() {
        applications.close();
        cluster.close();
    }

    private GenericKubernetesResource read(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind, String name) {
        return cluster.client().genericKubernetesResources(kind).inNamespace(NS).withName(name).get();
    }

    @Test
    void refreshAnnotatesTheApplicationAndLeavesItsStatusAndOtherAnnotationsAlone() {
        cluster.setStatus("payments-staging-api", "Synced", "Healthy", "Succeeded", REVISION, null);
        int annotationsBefore = read(ArgoCdApplications.APPLICATIONS, "payments-staging-api").getMetadata().getAnnotations().size();

        assertThat(applications.refresh("payments-staging-api")).isTrue();

        GenericKubernetesResource app = read(ArgoCdApplications.APPLICATIONS, "payments-staging-api");
        assertThat(app.getMetadata().getAnnotations()).containsEntry("argocd.argoproj.io/refresh", "normal")
                .hasSize(annotationsBefore + 1);
        assertThat(ArgoCdApplications.status(app).syncStatus()).isEqualTo("Synced");
        assertThat(ArgoCdApplications.status(app).operationRevision()).isEqualTo(REVISION);
    }

    @Test
    void aMissingApplicationRefreshesTheApplicationSetThatGeneratesIt() {
        GenericKubernetesResource set = new GenericKubernetesResource();
        set.setApiVersion("argoproj.io/v1alpha1");
        set.setKind("ApplicationSet");
        set.setMetadata(new ObjectMetaBuilder().withName("payments").withNamespace(NS).build());
        set.setAdditionalProperty("spec", Map.of("generators", List.of()));
        cluster.client().genericKubernetesResources(ArgoCdApplications.APPLICATION_SETS).inNamespace(NS).resource(set).create();

        assertThat(applications.refresh("payments-dev-api")).isTrue();

        assertThat(read(ArgoCdApplications.APPLICATIONS, "payments-dev-api")).as("no Application made up").isNull();
        assertThat(read(ArgoCdApplications.APPLICATION_SETS, "payments").getMetadata().getAnnotations())
                .containsEntry("argocd.argoproj.io/application-set-refresh", "true");
    }

    @Test
    void neitherApplicationNorApplicationSetIsFalseAndCreatesNothing() {
        assertThat(applications.refresh("payments-dev-nope")).isFalse();
        assertThat(applications.refresh("no-such-key")).isFalse();
        assertThat(read(ArgoCdApplications.APPLICATIONS, "payments-dev-nope")).isNull();
        assertThat(read(ArgoCdApplications.APPLICATION_SETS, "payments")).isNull();
    }

    @Test
    void aForbiddenRefreshIsAClusterRequestExceptionWith403() {
        cluster.setStatus("payments-staging-api", "Synced", "Healthy", "Succeeded", REVISION, null);
        cluster.forbidPatches();

        assertThatThrownBy(() -> applications.refresh("payments-staging-api")).isInstanceOf(ClusterRequestException.class)
                .hasMessageContaining("refresh Application payments-staging-api in argocd").hasMessageContaining("forbidden")
                .satisfies(e -> assertThat(((ClusterRequestException) e).code()).isEqualTo(403));
        assertThat(read(ArgoCdApplications.APPLICATIONS, "payments-staging-api").getMetadata().getAnnotations())
                .doesNotContainKey("argocd.argoproj.io/refresh");
    }
}

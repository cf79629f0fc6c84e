package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.SharedFixtures;
import dev.paver.core.action.ApplicationStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Reading recorded Argo CD Applications (argo-cd and gitops-engine test data) the way the informer hands them over. */
class ArgoCdApplicationsStatusTest {

    /** {@code status.operationState.syncResult.revision} of the recorded Application. */
    private static final String SYNCED_REVISION = "ea8759964626a583667a2bfd08f334ec2070040a";

    private static ApplicationStatus status(String fixture) {
        GenericKubernetesResource app = Serialization.unmarshal(SharedFixtures.text("argocd", fixture), GenericKubernetesResource.class);
        return ArgoCdApplications.status(app);
    }

    @Test
    void readsSyncHealthAndTheLastOperationOfARecordedApplication() {
        ApplicationStatus status = status("argo-cd-controller-testdata-diff-cache.yaml");

        assertThat(status.name()).isEqualTo("velero-test");
        assertThat(status.syncStatus()).isEqualTo("Synced");
        assertThat(status.healthStatus()).isEqualTo("Healthy");
        assertThat(status.operationPhase()).isEqualTo("Succeeded");
        assertThat(status.operationMessage()).isEqualTo("successfully synced (all tasks run)");
        assertThat(status.operationRevision()).isEqualTo(SYNCED_REVISION);
        assertThat(status.healthMessage()).isEmpty();
    }

    @Test
    void isDeployedForTheRevisionTheSyncAppliedAndForNoOther() {
        ApplicationStatus status = status("argo-cd-controller-testdata-diff-cache.yaml");

        // on-deployed fires once per status.operationState.syncResult.revision
        assertThat(status.deployed(SYNCED_REVISION)).isTrue();
        assertThat(status.deployed("0c51f4a3e1d9b7c5a3f1e9d7b5c3a1f9e7d5b3c1")).isFalse();
        assertThat(status.deployed(status.syncRevision())).as("sync.revision %s is not what the sync applied",
                status.syncRevision()).isFalse();
        assertThat(status.syncFailed(SYNCED_REVISION)).isFalse();
        assertThat(status.degraded(SYNCED_REVISION)).isFalse();
    }

    @Test
    void readsADegradedApplication() {
        ApplicationStatus status = status("gitops-engine-health-application-degraded.yaml");

        assertThat(status.healthStatus()).isEqualTo("Degraded");
        assertThat(status.degraded("")).isTrue();
        assertThat(status.deployed("")).isFalse();
        assertThat(status.operationPhase()).isEmpty();
    }

    @Test
    void readsAHealthyApplicationThatNeverSynced() {
        ApplicationStatus status = status("gitops-engine-health-application-healthy.yaml");

        assertThat(status.healthStatus()).isEqualTo("Healthy");
        assertThat(status.deployed(SYNCED_REVISION)).as("no operation ran, so nothing was deployed").isFalse();
        assertThat(status.syncing()).isFalse();
    }
}

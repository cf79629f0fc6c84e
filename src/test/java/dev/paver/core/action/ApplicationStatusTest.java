package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.SharedFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Argo CD's notification triggers as Paver reads them (notifications catalog, triggers/*.yaml). */
class ApplicationStatusTest {

    private static final String MERGED = "9f2c1e7a4b6d8c0e2f4a6b8d0c2e4f6a8b0d2c4e";
    private static final String EARLIER = "1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a";

    private static ApplicationStatus app(String health, String phase, String operationRevision) {
        return new ApplicationStatus("payments-dev-api", "Synced", operationRevision, health, "", phase, "", operationRevision);
    }

    @Test
    void isDeployedWhenTheSyncOfThatRevisionSucceededAndTheApplicationIsHealthy() {
        assertThat(app("Healthy", "Succeeded", MERGED).deployed(MERGED)).isTrue();
    }

    @Test
    void isNotDeployedForAnotherRevisionThanTheOneTheLastSyncApplied() {
        assertThat(app("Healthy", "Succeeded", EARLIER).deployed(MERGED)).isFalse();
    }

    @Test
    void isNotDeployedWhileHealthIsProgressingOrTheSyncIsRunning() {
        assertThat(app("Progressing", "Succeeded", MERGED).deployed(MERGED)).isFalse();
        assertThat(app("Healthy", "Running", MERGED).deployed(MERGED)).isFalse();
        assertThat(app("Healthy", "", "").deployed(MERGED)).isFalse();
    }

    @Test
    void takesAnyAppliedRevisionWhenTheRunDoesNotKnowOne() {
        assertThat(app("Healthy", "Succeeded", EARLIER).deployed("")).isTrue();
        assertThat(app("Healthy", "Succeeded", EARLIER).deployed(null)).isTrue();
    }

    @Test
    void failsTheSyncOnPhaseFailedOrErrorOfThatRevisionOnly() {
        assertThat(app("Healthy", "Failed", MERGED).syncFailed(MERGED)).isTrue();
        assertThat(app("Missing", "Error", MERGED).syncFailed(MERGED)).isTrue();
        assertThat(app("Healthy", "Failed", EARLIER).syncFailed(MERGED)).isFalse();
        assertThat(app("Healthy", "Succeeded", MERGED).syncFailed(MERGED)).isFalse();
    }

    @Test
    void isDegradedOnlyOnceTheSyncOfThatRevisionRan() {
        assertThat(app("Degraded", "Succeeded", MERGED).degraded(MERGED)).isTrue();
        assertThat(app("Degraded", "Succeeded", EARLIER).degraded(MERGED)).isFalse();
        assertThat(app("Healthy", "Succeeded", MERGED).degraded(MERGED)).isFalse();
    }

    @Test
    void aRolloutThatLooksDegradedWhileItsSyncStillRunsIsNotAFailureYet() {
        assertThat(app("Degraded", "Running", MERGED).degraded(MERGED)).isFalse();
        assertThat(app("Degraded", "Failed", MERGED).degraded(MERGED)).isTrue();
    }

    @Test
    void isSyncingWhileTheOperationRuns() {
        assertThat(app("Progressing", "Running", MERGED).syncing()).isTrue();
        assertThat(app("Healthy", "Succeeded", MERGED).syncing()).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trigger(String file) {
        String text = SharedFixtures.text("argocd", "notifications_catalog", "triggers", file);
        return ((List<Map<String, Object>>) new Yaml().load(text)).get(0);
    }

    @Test
    void mirrorsTheConditionsOfArgoCdsNotificationTriggers() {
        Map<String, Object> deployed = trigger("on-deployed.yaml");
        assertThat((String) deployed.get("when")).contains("app.status.operationState.phase in ['Succeeded']")
                .contains("app.status.health.status == 'Healthy'");
        assertThat(deployed.get("oncePer")).as("deployed is judged per synced revision")
                .isEqualTo("app.status.operationState?.syncResult?.revision");
        assertThat((String) trigger("on-sync-failed.yaml").get("when")).contains("phase in ['Error', 'Failed']");
        assertThat((String) trigger("on-health-degraded.yaml").get("when")).contains("app.status.health.status == 'Degraded'");
        assertThat((String) trigger("on-sync-running.yaml").get("when")).contains("phase in ['Running']");

        assertThat(app("Healthy", "Succeeded", MERGED).deployed(MERGED)).isTrue();
        assertThat(app("Healthy", "Error", MERGED).syncFailed(MERGED)).isTrue();
        assertThat(app("Degraded", "Succeeded", MERGED).degraded(MERGED)).isTrue();
        assertThat(app("Progressing", "Running", MERGED).syncing()).isTrue();
    }
}

package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.ClusterStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Starting Argo CD syncs against fabric8's mock API server in CRUD mode (status subresource on), read back from it. */
class ArgoCdApplicationsSyncTest {

    private static final String NS = "argocd";
    private static final String REVISION = "bb514a7c3e1d9f5a7b3c1e9d7f5a3b1c9e7d5f3a";
    private static final String OTHER = "0c51f4a3e1d9b7c5a3f1e9d7b5c3a1f9e7d5b3c1";

    private ClusterStandIn cluster;
    private ArgoCdApplications applications;

    @BeforeEach
    void start() {
        cluster = new ClusterStandIn(NS);
        applications = new ArgoCdApplications(cluster.client(), NS);
    }

    @AfterEach
    void stop() {
        applications.close();
        cluster.close();
    }

    private GenericKubernetesResource read(String name) {
        return cluster.client().genericKubernetesResources(ArgoCdApplications.APPLICATIONS).inNamespace(NS).withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Object map, String... path) {
        Object o = map;
        for (String key : path) {
            o = ((Map<String, Object>) o).get(key);
        }
        return (Map<String, Object>) o;
    }

    @Test
    void syncSetsTheOperationWithRevisionInitiatorAndInfoAndLeavesStatusAlone() {
        cluster.setStatus("payments-prod-api", "OutOfSync", "Healthy", "Succeeded", OTHER, "successfully synced (all tasks run)");
        Map<String, String> info = new LinkedHashMap<>();
        info.put("Paver run", "run-42");
        info.put("Approved by", "grace@acme.example");

        assertThat(applications.sync("payments-prod-api", REVISION, "ada@acme.example", info)).isTrue();

        GenericKubernetesResource app = read("payments-prod-api");
        Map<String, Object> operation = at(app.getAdditionalProperties(), "operation");
        assertThat(at(operation, "sync")).containsEntry("revision", REVISION)
                .containsEntry("syncStrategy", Map.of("hook", Map.of()));
        assertThat(at(operation, "initiatedBy")).containsExactlyEntriesOf(Map.of("username", "ada@acme.example"));
        assertThat((List<Object>) operation.get("info")).containsExactly(Map.of("name", "Paver run", "value", "run-42"),
                Map.of("name", "Approved by", "value", "grace@acme.example"));
        // the patch touched neither status nor spec
        assertThat(at(app.getAdditionalProperties(), "status", "sync")).containsEntry("status", "OutOfSync");
        assertThat(at(app.getAdditionalProperties(), "status", "operationState")).containsEntry("phase", "Succeeded");
        assertThat(at(app.getAdditionalProperties(), "spec")).containsKey("destination");
        assertThat(ArgoCdApplications.status(app).operationRevision()).isEqualTo(OTHER);
    }

    @Test
    void syncOfAMissingApplicationReturnsFalseAndCreatesNothing() {
        assertThat(applications.sync("payments-prod-nope", REVISION, "ada@acme.example", Map.of())).isFalse();
        assertThat(read("payments-prod-nope")).isNull();
    }

    @Test
    void syncWhileAnOperationIsRunningIsRefusedAndChangesNothing() {
        cluster.setStatus("payments-prod-api", "OutOfSync", "Progressing", "Running", OTHER, "waiting for healthy state");

        assertThatThrownBy(() -> applications.sync("payments-prod-api", REVISION, "ada@acme.example", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot sync Application payments-prod-api in argocd to " + REVISION)
                .hasMessageContaining("another operation is running (phase Running")
                .hasMessageContaining("started 2026-11-21T10:00:00Z");
        assertThat(read("payments-prod-api").getAdditionalProperties()).doesNotContainKey("operation");
    }

    @Test
    void syncingAgainToTheSameRevisionIsFineButAnotherRevisionWaitsForThePendingOne() {
        cluster.setStatus("payments-prod-api", "OutOfSync", "Healthy", null, OTHER, null);
        applications.sync("payments-prod-api", REVISION, "ada@acme.example", Map.of("Paver run", "run-42"));

        assertThat(applications.sync("payments-prod-api", REVISION, "ada@acme.example", Map.of("Paver run", "run-42"))).isTrue();
        assertThatThrownBy(() -> applications.sync("payments-prod-api", OTHER, "grace@acme.example", Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("another operation is running or pending (sync to " + REVISION + ", by ada@acme.example)");
        assertThat(at(read("payments-prod-api").getAdditionalProperties(), "operation", "sync")).containsEntry("revision", REVISION);
    }
}

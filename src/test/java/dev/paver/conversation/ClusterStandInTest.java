package dev.paver.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.paver.core.action.ClaimStatus;
import dev.paver.kubernetes.CrossplaneResources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conversation step {@code crossplane:} (conversations/README.md) against the stand-in API server, read back raw
 * and through Paver's own adapter.
 */
class ClusterStandInTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String NS = "payments-dev-api";

    private ClusterStandIn cluster;
    private CrossplaneResources paver;

    @BeforeEach
    void start() {
        cluster = new ClusterStandIn("argocd");
        paver = new CrossplaneResources(cluster.client());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @SuppressWarnings("unchecked")
    private String step(String yaml) throws Exception {
        Map<String, Object> step = YAML.readValue(yaml, Map.class);
        return cluster.crossplane((Map<String, Object>) step.get("crossplane"));
    }

    private ClaimStatus read(String apiVersion) {
        return paver.status(apiVersion, "PostgreSQLInstance", NS, "api-postgres-main").orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aV1ClaimWithItsCompositeAndComposedResourcesShapedAsCrossplaneWritesThem() throws Exception {
        String line = step("""
                crossplane:
                  claim: api-postgres-main
                  namespace: payments-dev-api
                  kind: PostgreSQLInstance
                  apiVersion: platform.paver.dev/v1alpha1
                  ready: "False"
                  connectionSecret: api-postgres-main-conn
                  composed:
                    - {kind: Instance, apiVersion: rds.aws.upbound.io/v1beta1, resource: db, ready: "False", message: Creating DB instance}
                    - {kind: SubnetGroup, apiVersion: rds.aws.upbound.io/v1beta1, resource: subnets, ready: "True"}
                """);
        assertThat(line).startsWith("PostgreSQLInstance api-postgres-main in payments-dev-api: Ready False, Synced True; "
                + "Instance api-postgres-main-");

        ClaimStatus status = read("platform.paver.dev/v1alpha1");
        assertThat(status.resource().condition("Ready")).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("Waiting");
            assertThat(c.message()).isEqualTo("Claim is waiting for composite resource to become Ready");
        });
        assertThat(status.composite().kind()).isEqualTo("XPostgreSQLInstance");
        assertThat(status.composite().name()).matches("api-postgres-main-[a-z0-9]{5}");
        assertThat(status.composite().condition("Ready").orElseThrow().message()).isEqualTo("Unready resources: db");
        assertThat(status.composed()).extracting(ClaimStatus.Resource::compositionResourceName).containsExactly("db", "subnets");
        assertThat(status.composed()).extracting(ClaimStatus.Resource::namespace).containsOnly("");
        assertThat(status.notReady()).extracting(ClaimStatus.Resource::kind).containsExactly("Instance");
        assertThat(status.connectionSecret()).isEqualTo("api-postgres-main-conn");

        // the raw objects: the claim's reference to its composite, the composite's back to the claim
        GenericKubernetesResource claim = cluster.client().genericKubernetesResources("platform.paver.dev/v1alpha1",
                "PostgreSQLInstance").inNamespace(NS).withName("api-postgres-main").get();
        Map<String, Object> spec = (Map<String, Object>) claim.getAdditionalProperties().get("spec");
        assertThat((Map<String, Object>) spec.get("resourceRef")).containsEntry("kind", "XPostgreSQLInstance")
                .containsEntry("name", status.composite().name());
        assertThat(spec).containsKey("compositionSelector");
        GenericKubernetesResource xr = cluster.client().genericKubernetesResources("platform.paver.dev/v1alpha1",
                "XPostgreSQLInstance").withName(status.composite().name()).get();
        assertThat((Map<String, Object>) ((Map<String, Object>) xr.getAdditionalProperties().get("spec")).get("claimRef"))
                .containsEntry("namespace", NS).containsEntry("name", "api-postgres-main");
        assertThat(xr.getMetadata().getLabels()).containsEntry("crossplane.io/claim-name", "api-postgres-main");

        // a later step updates conditions in place; composed resources not named again stay
        step("""
                crossplane:
                  claim: api-postgres-main
                  namespace: payments-dev-api
                  kind: PostgreSQLInstance
                  ready: "False"
                  composed:
                    - {kind: Instance, apiVersion: rds.aws.upbound.io/v1beta1, resource: db, ready: "False", error: "create failed: InvalidParameterCombination"}
                """);
        ClaimStatus failing = read("platform.paver.dev/v1alpha1");
        assertThat(failing.composed()).hasSize(2);
        assertThat(failing.reconcileErrors()).singleElement().satisfies(r -> assertThat(r.reconcileError().orElseThrow().message())
                .isEqualTo("create failed: InvalidParameterCombination"));

        step("""
                crossplane:
                  claim: api-postgres-main
                  namespace: payments-dev-api
                  kind: PostgreSQLInstance
                  ready: "True"
                  composed:
                    - {kind: Instance, apiVersion: rds.aws.upbound.io/v1beta1, resource: db, ready: "True"}
                """);
        ClaimStatus ready = read("platform.paver.dev/v1alpha1");
        assertThat(ready.ready()).isTrue();
        assertThat(ready.resource().condition("Ready").orElseThrow().reason()).isEqualTo("Available");
        assertThat(ready.composite().ready()).isTrue();
        assertThat(ready.connectionSecret()).as("kept from the first step").isEqualTo("api-postgres-main-conn");

        assertThat(step("""
                crossplane: {claim: api-postgres-main, namespace: payments-dev-api, kind: PostgreSQLInstance, deleted: true}
                """)).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api deleted");
        assertThat(paver.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, "api-postgres-main")).isEmpty();
    }

    @Test
    void aV2NamespacedXrWithNamespacedComposedResources() throws Exception {
        step("""
                crossplane:
                  claim: api-postgres-main
                  namespace: payments-dev-api
                  kind: PostgreSQLInstance
                  v2: true
                  ready: "False"
                  error: "cannot compose resources: pipeline step \\"render\\" returned a fatal result"
                  connectionSecret: api-postgres-main-conn
                  composed:
                    - kind: Instance
                      apiVersion: rds.aws.m.upbound.io/v1beta1
                      name: api-postgres-main-db
                      resource: db
                      ready: "False"
                      conditions:
                        - {type: LastAsyncOperation, status: "False", reason: ApplyFailure, message: "async create failed"}
                """);

        ClaimStatus status = read("xr.platform.paver.dev/v1alpha1");
        assertThat(status.composite()).isNull();
        assertThat(status.resource().condition("Ready")).hasValueSatisfying(c -> {
            assertThat(c.reason()).isEqualTo("Creating");
            assertThat(c.message()).isEqualTo("Unready resources: db");
        });
        assertThat(status.reconcileErrors()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("api-postgres-main"));
        assertThat(status.composed()).singleElement().satisfies(db -> {
            assertThat(db.namespace()).isEqualTo(NS);
            assertThat(db.name()).isEqualTo("api-postgres-main-db");
            assertThat(db.conditions()).extracting(ClaimStatus.Condition::type).containsExactly("Synced", "Ready", "LastAsyncOperation");
        });
        assertThat(status.connectionSecret()).isEqualTo("api-postgres-main-conn");
        assertThat(status.connectionSecretNamespace()).isEqualTo(NS);
        GenericKubernetesResource xr = cluster.client().genericKubernetesResources("xr.platform.paver.dev/v1alpha1",
                "PostgreSQLInstance").inNamespace(NS).withName("api-postgres-main").get();
        assertThat(xr.getAdditionalProperties().get("spec").toString()).contains("crossplane=", "compositionRef", "resourceRefs");
    }

    @Test
    void badStepsSayWhatIsWrong() {
        assertThatThrownBy(() -> step("crossplane: {namespace: payments-dev-api, kind: PostgreSQLInstance}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claim is required");
        assertThatThrownBy(() -> step("crossplane: {claim: a, namespace: b, kind: PostgreSQLInstance, ready: maybe}"))
                .hasMessageContaining("ready must be");
    }

    @Test
    void crossplanesUnreadyListAndDefaultPlurals() {
        assertThat(CrossplaneStandIn.unreadyList(List.of("db", "subnets", "sg"))).isEqualTo("db, sg, and subnets");
        assertThat(CrossplaneStandIn.unreadyList(List.of("d", "c", "b", "a", "e"))).isEqualTo("a, b, c, and 2 more");
        assertThat(CrossplaneStandIn.plural("PostgreSQLInstance")).isEqualTo("postgresqlinstances");
        assertThat(CrossplaneStandIn.plural("Policy")).isEqualTo("policies");
        assertThat(CrossplaneStandIn.plural("Gateway")).isEqualTo("gateways");
    }
}

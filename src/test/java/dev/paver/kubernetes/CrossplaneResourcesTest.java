package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.SharedFixtures;
import dev.paver.core.action.ClaimStatus;
import dev.paver.core.action.ProvisioningPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reading claim, composite and composed resources from fabric8's mock API server in CRUD mode (status subresource on),
 * with objects shaped like the real ones of the shared fixtures ({@code crossplane/}).
 */
@EnableKubernetesMockClient(crud = true)
class CrossplaneResourcesTest {

    static KubernetesClient client;
    static KubernetesMockServer server;

    private static final String NS = "payments-dev-api";

    private static final CustomResourceDefinitionContext CLAIMS = type("platform.paver.dev", "PostgreSQLInstance",
            "postgresqlinstances", true);
    private static final CustomResourceDefinitionContext COMPOSITES = type("platform.paver.dev", "XPostgreSQLInstance",
            "xpostgresqlinstances", false);
    private static final CustomResourceDefinitionContext INSTANCES = type("rds.aws.upbound.io", "Instance", "instances", false);
    private static final CustomResourceDefinitionContext SUBNET_GROUPS = type("rds.aws.upbound.io", "SubnetGroup",
            "subnetgroups", false);
    private static final CustomResourceDefinitionContext SQL_INSTANCES = type("aws.platform.upbound.io", "SQLInstance",
            "sqlinstances", true);
    private static final CustomResourceDefinitionContext NOP_RESOURCES = type("nop.crossplane.io", "NopResource",
            "nopresources", true);

    private static CustomResourceDefinitionContext type(String group, String kind, String plural, boolean namespaced) {
        return new CustomResourceDefinitionContext.Builder().withGroup(group).withVersion(group.startsWith("rds.") ? "v1beta1"
                : "v1alpha1").withKind(kind).withPlural(plural).withScope(namespaced ? "Namespaced" : "Cluster")
                .withStatusSubresource(true).build();
    }

    static {
        java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(java.util.logging.Level.WARNING);
    }

    @BeforeEach
    void registerTypes() {
        server.reset(); // one server for the class: start every test from an empty cluster
        for (var type : List.of(CLAIMS, COMPOSITES, INSTANCES, SUBNET_GROUPS, SQL_INSTANCES, NOP_RESOURCES)) {
            server.expectCustomResource(type);
        }
    }

    private static GenericKubernetesResource yaml(String text) {
        return Serialization.unmarshal(text, GenericKubernetesResource.class);
    }

    /** Creates the object, then sets its status through the status subresource, as Crossplane does. */
    @SuppressWarnings("unchecked")
    private static void put(CustomResourceDefinitionContext type, GenericKubernetesResource object) {
        Object status = object.getAdditionalProperties().remove("status");
        var resources = client.genericKubernetesResources(type);
        String ns = object.getMetadata().getNamespace();
        var created = (ns == null ? resources : resources.inNamespace(ns)).resource(object).create();
        if (status != null) {
            (ns == null ? resources.withName(created.getMetadata().getName())
                    : resources.inNamespace(ns).withName(created.getMetadata().getName())).editStatus(o -> {
                        o.getAdditionalProperties().put("status", status);
                        return o;
                    });
        }
    }

    private static final String CLAIM = """
            apiVersion: platform.paver.dev/v1alpha1
            kind: PostgreSQLInstance
            metadata:
              namespace: payments-dev-api
              name: api-postgres-main
            spec:
              parameters: {storageGB: 20}
              compositionSelector:
                matchLabels: {provider: aws}
              compositeDeletePolicy: Foreground
              resourceRef:
                apiVersion: platform.paver.dev/v1alpha1
                kind: XPostgreSQLInstance
                name: api-postgres-main-7xq2k
              writeConnectionSecretToRef:
                name: api-postgres-main-conn
            status:
              conditions:
                - {type: Synced, status: "True", reason: ReconcileSuccess, lastTransitionTime: "2026-11-21T10:00:00Z"}
                - type: Ready
                  status: "False"
                  reason: Waiting
                  message: Claim is waiting for composite resource to become Ready
                  lastTransitionTime: "2026-11-21T10:00:00Z"
            """;

    private static final String COMPOSITE = """
            apiVersion: platform.paver.dev/v1alpha1
            kind: XPostgreSQLInstance
            metadata:
              name: api-postgres-main-7xq2k
              labels:
                crossplane.io/claim-name: api-postgres-main
                crossplane.io/claim-namespace: payments-dev-api
                crossplane.io/composite: api-postgres-main-7xq2k
            spec:
              claimRef: {apiVersion: platform.paver.dev/v1alpha1, kind: PostgreSQLInstance, namespace: payments-dev-api, name: api-postgres-main}
              compositionRef: {name: xpostgresqlinstances-aws}
              resourceRefs:
                - {apiVersion: rds.aws.upbound.io/v1beta1, kind: Instance, name: api-postgres-main-7xq2k-db}
                - {apiVersion: rds.aws.upbound.io/v1beta1, kind: SubnetGroup, name: api-postgres-main-7xq2k-subnets}
                - {apiVersion: ec2.aws.upbound.io/v1beta1, kind: SecurityGroup, name: api-postgres-main-7xq2k-sg}
              writeConnectionSecretToRef: {namespace: crossplane-system, name: 0b8e7a3c-conn}
            status:
              conditions:
                - {type: Synced, status: "True", reason: ReconcileSuccess, lastTransitionTime: "2026-11-21T10:00:00Z"}
                - {type: Ready, status: "False", reason: Creating, message: "Unready resources: db, subnets", lastTransitionTime: "2026-11-21T10:00:00Z"}
            """;

    private static final String INSTANCE = """
            apiVersion: rds.aws.upbound.io/v1beta1
            kind: Instance
            metadata:
              name: api-postgres-main-7xq2k-db
              annotations:
                crossplane.io/composition-resource-name: db
                crossplane.io/external-name: api-postgres-main-7xq2k-db
              labels:
                crossplane.io/composite: api-postgres-main-7xq2k
            spec:
              forProvider: {engine: postgres, instanceClass: db.t3.micro, region: eu-west-1}
              providerConfigRef: {name: default}
            status:
              atProvider: {}
              conditions:
                - type: Synced
                  status: "False"
                  reason: ReconcileError
                  message: "create failed: InvalidParameterCombination: RDS does not support creating a DB instance with these settings"
                  lastTransitionTime: "2026-11-21T10:01:00Z"
                - {type: Ready, status: "False", reason: Creating, lastTransitionTime: "2026-11-21T10:00:00Z"}
            """;

    private void v1Chain() {
        put(CLAIMS, yaml(CLAIM));
        put(COMPOSITES, yaml(COMPOSITE));
        put(INSTANCES, yaml(INSTANCE));
    }

    @Test
    void aV1ClaimIsReadWithItsCompositeAndComposedResources() {
        v1Chain();

        ClaimStatus status = new CrossplaneResources(client).status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS,
                "api-postgres-main").orElseThrow();

        assertThat(status.resource().name()).isEqualTo("api-postgres-main");
        assertThat(status.resource().namespace()).isEqualTo(NS);
        assertThat(status.resource().presence()).isEqualTo(ClaimStatus.Presence.FOUND);
        assertThat(status.resource().condition("Ready")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo("False");
            assertThat(c.reason()).isEqualTo("Waiting");
        });
        assertThat(status.composite()).isNotNull();
        assertThat(status.composite().describe()).isEqualTo("XPostgreSQLInstance api-postgres-main-7xq2k");
        assertThat(status.composite().namespace()).isEmpty();
        assertThat(status.composite().condition("Ready").orElseThrow().message()).isEqualTo("Unready resources: db, subnets");

        assertThat(status.composed()).extracting(ClaimStatus.Resource::describe).containsExactly(
                "Instance api-postgres-main-7xq2k-db", "SubnetGroup api-postgres-main-7xq2k-subnets",
                "SecurityGroup api-postgres-main-7xq2k-sg");
        ClaimStatus.Resource db = status.composed().get(0);
        assertThat(db.presence()).isEqualTo(ClaimStatus.Presence.FOUND);
        assertThat(db.compositionResourceName()).isEqualTo("db");
        assertThat(db.reconcileError()).hasValueSatisfying(c -> assertThat(c.message()).startsWith("create failed: InvalidParameterCombination"));
        assertThat(status.composed().get(1).presence()).as("served, not created yet").isEqualTo(ClaimStatus.Presence.MISSING);
        assertThat(status.composed().get(2).presence()).as("its provider is not installed").isEqualTo(ClaimStatus.Presence.UNREADABLE);
        assertThat(status.composed().get(2).note()).contains("does not serve SecurityGroup in ec2.aws.upbound.io/v1beta1");

        assertThat(status.connectionSecret()).isEqualTo("api-postgres-main-conn");
        assertThat(status.connectionSecretNamespace()).as("a claim's reference is local to its namespace").isEqualTo(NS);
        assertThat(status.notReady()).extracting(ClaimStatus.Resource::name).containsExactly("api-postgres-main-7xq2k-db",
                "api-postgres-main-7xq2k-subnets", "api-postgres-main-7xq2k-sg");
        assertThat(status.reconcileErrors()).extracting(ClaimStatus.Resource::name).containsExactly("api-postgres-main-7xq2k-db");
    }

    /** The real v2 XR of the fixtures (platform-ref-aws's SQLInstance), composing NopResources and a Secret. */
    @SuppressWarnings("unchecked")
    private void v2Xr() {
        List<GenericKubernetesResource> documents = new ArrayList<>();
        for (String doc : SharedFixtures.text("crossplane", "platform-ref-aws-postgres-xr.yaml").split("(?m)^---$")) {
            documents.add(yaml(doc));
        }
        GenericKubernetesResource xr = documents.get(0);
        GenericKubernetesResource secret = documents.get(1);
        assertThat(secret.getKind()).isEqualTo("Secret");
        client.secrets().inNamespace("default").resource(Serialization.unmarshal(Serialization.asYaml(secret),
                io.fabric8.kubernetes.api.model.Secret.class)).create();

        Map<String, Object> spec = (Map<String, Object>) xr.getAdditionalProperties().get("spec");
        Map<String, Object> crossplane = new LinkedHashMap<>();
        crossplane.put("compositionRef", Map.of("name", "xsqlinstances.aws.platform.upbound.io"));
        crossplane.put("resourceRefs", List.of(
                Map.of("apiVersion", "nop.crossplane.io/v1alpha1", "kind", "NopResource", "name", "first"),
                Map.of("apiVersion", "nop.crossplane.io/v1alpha1", "kind", "NopResource", "name", "second"),
                Map.of("apiVersion", "v1", "kind", "Secret", "name", "platform-ref-aws-db-conn-postgres")));
        spec.put("crossplane", crossplane);
        xr.getAdditionalProperties().put("status", Map.of("conditions", List.of(
                Map.of("type", "Synced", "status", "True", "reason", "ReconcileSuccess"),
                Map.of("type", "Ready", "status", "False", "reason", "Creating", "message", "Unready resources: second"))));
        put(SQL_INSTANCES, xr);

        // the observed composed resources of function-sequencer's fixture, namespaced as v2 composes them
        String[] nops = SharedFixtures.text("crossplane", "function-sequencer-observed-deletion-sequencing.yaml").split("(?m)^---$");
        for (int i = 0; i < 2; i++) {
            GenericKubernetesResource nop = yaml(nops[i]);
            nop.getMetadata().setNamespace("default");
            if (i == 1) {
                Map<String, Object> status = (Map<String, Object>) nop.getAdditionalProperties().get("status");
                status.put("conditions", List.of(Map.of("type", "Synced", "status", "True", "reason", "ReconcileSuccess"),
                        Map.of("type", "Ready", "status", "False", "reason", "Creating", "message", "waiting for conditionAfter")));
            }
            put(NOP_RESOURCES, nop);
        }
    }

    @Test
    void aV2NamespacedXrIsReadWithItsComposedResourcesAndTheSecretIsNotRead() {
        v2Xr();

        ClaimStatus status = new CrossplaneResources(client).status("aws.platform.upbound.io/v1alpha1", "SQLInstance", "default",
                "platform-ref-aws-db-postgres").orElseThrow();

        assertThat(status.composite()).as("a v2 XR is its own composite").isNull();
        assertThat(status.xr()).isSameAs(status.resource());
        assertThat(status.composed()).extracting(ClaimStatus.Resource::describe)
                .containsExactly("NopResource first", "NopResource second", "Secret platform-ref-aws-db-conn-postgres");
        assertThat(status.composed()).extracting(ClaimStatus.Resource::namespace).containsOnly("default");
        assertThat(status.composed().get(0).compositionResourceName()).isEqualTo("first-resource");
        assertThat(status.composed().get(0).ready()).isTrue();
        assertThat(status.composed().get(2).presence()).isEqualTo(ClaimStatus.Presence.NOT_READ);
        assertThat(status.notReady()).extracting(ClaimStatus.Resource::name).containsExactly("second");
        assertThat(status.connectionSecret()).isEqualTo("platform-ref-aws-db-conn-postgres");
        assertThat(status.connectionSecretNamespace()).isEqualTo("default");
    }

    @Test
    void noRequestEverGoesToSecrets() throws Exception {
        v1Chain();
        v2Xr();
        drain();
        CrossplaneResources crossplane = new CrossplaneResources(client);

        crossplane.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, "api-postgres-main");
        crossplane.status("aws.platform.upbound.io/v1alpha1", "SQLInstance", "default", "platform-ref-aws-db-postgres");
        assertThatThrownBy(() -> crossplane.status("v1", "Secret", "default", "psqlsecret"))
                .isInstanceOf(ProvisioningPort.Refused.class).hasMessageContaining("does not read Secrets");

        List<String> paths = drain();
        assertThat(paths).as("the reads happened").anyMatch(p -> p.contains("/postgresqlinstances/api-postgres-main"))
                .anyMatch(p -> p.contains("/namespaces/default/nopresources/second"));
        assertThat(paths).noneMatch(p -> p.contains("secrets"));
    }

    /** The paths of every request the server received since the last drain. */
    private static List<String> drain() throws InterruptedException {
        List<String> paths = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
            paths.add(request.getPath());
        }
        return paths;
    }

    @Test
    void aMissingClaimIsEmptyAndAKindNotServedIsRefusedWithWhatToDo() {
        CrossplaneResources crossplane = new CrossplaneResources(client);

        assertThat(crossplane.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, "api-postgres-other")).isEmpty();
        assertThatThrownBy(() -> crossplane.status("platform.paver.dev/v1alpha1", "Queue", NS, "api-queue-jobs"))
                .isInstanceOf(ProvisioningPort.Refused.class)
                .hasMessageContaining("does not serve Queue in platform.paver.dev/v1alpha1")
                .hasMessageContaining("CompositeResourceDefinition");
        assertThatThrownBy(() -> crossplane.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", "", "api-postgres-main"))
                .isInstanceOf(ProvisioningPort.Refused.class).hasMessageContaining("is namespaced");
        assertThatThrownBy(() -> crossplane.status("platform.paver.dev/v1alpha1", "XPostgreSQLInstance", NS, "x"))
                .isInstanceOf(ProvisioningPort.Refused.class).hasMessageContaining("is cluster-scoped");
    }

    @Test
    void aClaimBeforeItIsBoundHasNoCompositeAndNothingComposed() {
        GenericKubernetesResource claim = yaml(CLAIM);
        ((Map<?, ?>) claim.getAdditionalProperties().get("spec")).remove("resourceRef");
        put(CLAIMS, claim);

        ClaimStatus status = new CrossplaneResources(client).status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS,
                "api-postgres-main").orElseThrow();

        assertThat(status.composite()).isNull();
        assertThat(status.composed()).isEmpty();
        assertThat(status.notReady()).isEmpty();
    }

    @Test
    void aForbiddenClaimIsRefusedAndABrokenServerIsAnInfrastructureFailure() {
        KubernetesMockServer refusing = new KubernetesMockServer(false);
        refusing.init(java.net.InetAddress.getLoopbackAddress(), 0);
        String discovery = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"platform.paver.dev/v1alpha1\","
                + "\"resources\":[{\"name\":\"postgresqlinstances\",\"singularName\":\"postgresqlinstance\",\"namespaced\":true,"
                + "\"kind\":\"PostgreSQLInstance\",\"verbs\":[\"get\"]},{\"name\":\"postgresqlinstances/status\","
                + "\"singularName\":\"\",\"namespaced\":true,\"kind\":\"PostgreSQLInstance\",\"verbs\":[\"get\"]}]}";
        refusing.expect().get().withPath("/apis/platform.paver.dev/v1alpha1").andReturn(200, discovery).always();
        refusing.expect().get().withPath("/apis/platform.paver.dev/v1alpha1/namespaces/" + NS + "/postgresqlinstances/forbidden")
                .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
                        .withMessage("postgresqlinstances.platform.paver.dev \"forbidden\" is forbidden").build()).always();
        refusing.expect().get().withPath("/apis/platform.paver.dev/v1alpha1/namespaces/" + NS + "/postgresqlinstances/broken")
                .andReturn(503, new StatusBuilder().withStatus("Failure").withCode(503).withMessage("etcd is unavailable").build())
                .always();
        // no retries of the 503: fabric8 would back off and try again ten times
        try (KubernetesClient c = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl(refusing.url("/")).withRequestRetryBackoffLimit(0).build()).build()) {
            CrossplaneResources crossplane = new CrossplaneResources(c);
            assertThatThrownBy(() -> crossplane.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, "forbidden"))
                    .isInstanceOf(ProvisioningPort.Refused.class)
                    .hasMessageContaining("get on postgresqlinstances.platform.paver.dev");
            assertThatThrownBy(() -> crossplane.status("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, "broken"))
                    .isInstanceOf(ClusterRequestException.class).hasMessageContaining("etcd is unavailable");
        } finally {
            refusing.destroy();
        }
    }
}

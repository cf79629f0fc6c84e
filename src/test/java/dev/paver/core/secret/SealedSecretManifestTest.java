package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.paver.SharedFixtures;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The SealedSecret document: kubeseal's shape (the real fixture's), the CRD's schema, scope annotations. */
class SealedSecretManifestTest {

    private static final Map<String, String> LABELS = Map.of("platform/env", "dev", "app.kubernetes.io/name", "api");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void rendersTheStrictDocumentExactly() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("Z_KEY", "AgBz==");
        data.put("A_KEY", "AgAa+/==");

        String yaml = SealedSecretManifest.render("payments-dev-api", "api-stripe-key", Scope.STRICT, data, LABELS);

        assertThat(yaml).isEqualTo("""
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata:
                  name: api-stripe-key
                  namespace: payments-dev-api
                spec:
                  encryptedData:
                    A_KEY: AgAa+/==
                    Z_KEY: AgBz==
                  template:
                    metadata:
                      name: api-stripe-key
                      namespace: payments-dev-api
                      labels:
                        app.kubernetes.io/name: api
                        platform/env: dev
                    type: Opaque
                """);
    }

    @Test
    void wideScopesCarryTheirAnnotationAsTheStringTrueOnTheSealedSecretAndItsTemplate() {
        String yaml = SealedSecretManifest.render("payments-dev-api", "api-stripe-key", Scope.NAMESPACE_WIDE,
                Map.of("K", "AgA="), null);

        assertThat(yaml).contains("""
                metadata:
                  name: api-stripe-key
                  namespace: payments-dev-api
                  annotations:
                    sealedsecrets.bitnami.com/namespace-wide: "true"
                """);
        Map<String, Object> document = new Yaml().load(yaml);
        assertThat(map(document.get("metadata")).get("annotations"))
                .isEqualTo(Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"));
        Map<String, Object> templateMetadata = map(map(map(document.get("spec")).get("template")).get("metadata"));
        assertThat(templateMetadata.get("annotations")).isEqualTo(Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"));
        assertThat(templateMetadata).doesNotContainKey("labels");

        String clusterWide = SealedSecretManifest.render("payments-dev-api", "api-stripe-key", Scope.CLUSTER_WIDE,
                Map.of("K", "AgA="), Map.of());
        assertThat(clusterWide).contains("    sealedsecrets.bitnami.com/cluster-wide: \"true\"\n");
    }

    @Test
    void hasTheShapeOfTheRealSealedSecret() {
        Map<String, Object> real = new Yaml().load(TestKeys.FIXTURE_SEALED_SECRET);
        Map<String, Object> ours = new Yaml().load(SealedSecretManifest.render("default", "nextdns", Scope.STRICT,
                Map.of("NEXTDNS_URL", "AgA="), LABELS));

        assertThat(ours.keySet()).containsExactlyElementsOf(real.keySet());
        assertThat(ours.get("apiVersion")).isEqualTo(real.get("apiVersion"));
        assertThat(ours.get("kind")).isEqualTo(real.get("kind"));
        Map<String, Object> realSpec = map(real.get("spec"));
        Map<String, Object> ourSpec = map(ours.get("spec"));
        assertThat(ourSpec.keySet()).containsExactlyElementsOf(realSpec.keySet());
        assertThat(map(ourSpec.get("encryptedData")).keySet()).isEqualTo(map(realSpec.get("encryptedData")).keySet());
        assertThat(map(ourSpec.get("template")).get("type")).isEqualTo(map(realSpec.get("template")).get("type"));
        assertThat(map(map(ourSpec.get("template")).get("metadata")).get("name"))
                .isEqualTo(map(map(realSpec.get("template")).get("metadata")).get("name"));
    }

    @Test
    void isValidAgainstTheSealedSecretCrdSchema() throws Exception {
        ObjectMapper yamlMapper = new YAMLMapper();
        JsonNode crd = yamlMapper.readTree(SharedFixtures.text("kubernetes", "sealed-secrets", "bitnami.com_sealedsecrets.crd.yaml"));
        JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
        assertThat(schema.isMissingNode()).isFalse();
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);

        for (Scope scope : Scope.values()) {
            JsonNode document = yamlMapper.readTree(SealedSecretManifest.render("payments-dev-api", "api-stripe-key", scope,
                    Map.of("STRIPE_KEY", Sealer.seal(TestKeys.key(2048), scope, "payments-dev-api", "api-stripe-key",
                            new byte[] {1, 2, 3})), LABELS));
            List<Error> problems = validator.validate(document);
            assertThat(problems).as(scope.id()).isEmpty();
        }
        // and the schema does judge: a spec without encryptedData is refused
        assertThat(validator.validate(yamlMapper.readTree("{apiVersion: bitnami.com/v1alpha1, kind: SealedSecret, spec: {template: {type: Opaque}}}")))
                .isNotEmpty();
    }

    @Test
    void stringsYamlWouldReadAsSomethingElseAreQuoted() {
        String yaml = SealedSecretManifest.render("payments-dev-api", "api-stripe-key", Scope.STRICT, Map.of("K", "AgA="),
                Map.of("platform/cost-center", "0123", "flag", "true"));
        assertThat(yaml).contains("platform/cost-center: \"0123\"").contains("flag: \"true\"");
        Map<String, Object> labels = map(map(map(map(new Yaml().load(yaml)).get("spec")).get("template")).get("metadata"));
        assertThat(map(labels.get("labels"))).containsEntry("platform/cost-center", "0123").containsEntry("flag", "true");
    }

    @Test
    void refusesBadNamesKeysAndEmptyValues() {
        assertThatThrownBy(() -> SealedSecretManifest.render("Payments", "n", Scope.STRICT, Map.of("K", "AgA="), null))
                .hasMessageContaining("namespace 'Payments' is not a DNS-1123 label");
        assertThatThrownBy(() -> SealedSecretManifest.render("ns", "n_1", Scope.STRICT, Map.of("K", "AgA="), null))
                .hasMessageContaining("Secret name 'n_1'");
        assertThatThrownBy(() -> SealedSecretManifest.render("ns", "n", Scope.STRICT, Map.of("bad key", "AgA="), null))
                .hasMessageContaining("Secret data key 'bad key'");
        assertThatThrownBy(() -> SealedSecretManifest.render("ns", "n", Scope.STRICT, Map.of("K", " "), null))
                .hasMessage("the sealed value of 'K' is empty");
        assertThatThrownBy(() -> SealedSecretManifest.render("ns", "n", Scope.STRICT, Map.of(), null))
                .hasMessage("a SealedSecret needs at least one sealed value");
    }
}

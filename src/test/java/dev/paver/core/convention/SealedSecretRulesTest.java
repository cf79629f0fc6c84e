package dev.paver.core.convention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SealedSecrets in {@code secrets/{env}/{service}/} (CONVENTIONS.md, "The semantic key" and "The domain GitOps
 * repository"): SealedSecrets only, named {@code {service}-{name}} in the namespace of their folders, with kubeseal's
 * base64 in {@code spec.encryptedData}.
 */
class SealedSecretRulesTest {

    private final ManifestRules rules = new ManifestRules(Conventions.defaults());

    private List<Violation> check(String path, String text) {
        return rules.check(Map.of(path, text), "payments");
    }

    static String sealedSecret(String name, String namespace, String encryptedData) {
        return """
                apiVersion: bitnami.com/v1alpha1
                kind: SealedSecret
                metadata:
                  name: %s
                  namespace: %s
                spec:
                %s  template:
                    type: Opaque
                """.formatted(name, namespace, encryptedData.indent(2));
    }

    private static final String SEALED = "encryptedData:\n  key: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq8Yp4Ar0IQdgaDTk=";

    @Test
    void acceptsASealedSecretNamedAndPlacedAsTheConventionsSay() {
        assertThat(check("secrets/dev/api/stripe-key.yaml", sealedSecret("api-stripe-key", "payments-dev-api", SEALED))).isEmpty();
    }

    @Test
    void reportsASealedSecretNotNamedAfterItsService() {
        assertThat(check("secrets/dev/api/stripe-key.yaml", sealedSecret("stripe-key", "payments-dev-api", SEALED)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(4, "semantic-key", "SealedSecret 'stripe-key' must be named {service}-{name}, "
                        + "e.g. api-stripe-key (secrets/dev/api/stripe-key.yaml is in secrets/dev/api/)"));
    }

    @Test
    void reportsASealedSecretInTheNamespaceOfAnotherService() {
        assertThat(check("secrets/dev/api/stripe-key.yaml", sealedSecret("api-stripe-key", "payments-dev-ledger", SEALED)))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(tuple(5, "semantic-key", "SealedSecret/api-stripe-key is in namespace "
                        + "'payments-dev-ledger', expected payments-dev-api (secrets/dev/api/stripe-key.yaml is in secrets/dev/api/)"));
    }

    @Test
    void reportsEncryptedDataThatKubesealDidNotWrite() {
        String text = sealedSecret("api-stripe-key", "payments-dev-api",
                "encryptedData:\n  key: \"AgA+dujiBo...\"\n  empty: \"\"\n");

        assertThat(check("secrets/dev/api/stripe-key.yaml", text))
                .extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(
                        tuple(8, "sealed-secret", "SealedSecret/api-stripe-key spec.encryptedData.key is 'AgA+dujiBo...', "
                                + "which is not base64: paste kubeseal's output unchanged"),
                        tuple(9, "sealed-secret", "SealedSecret/api-stripe-key spec.encryptedData.empty is empty: seal the "
                                + "value with kubeseal"));
    }

    @Test
    void reportsASealedSecretWithoutEncryptedData() {
        assertThat(check("secrets/dev/api/stripe-key.yaml", sealedSecret("api-stripe-key", "payments-dev-api", "")))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("sealed-secret", "SealedSecret/api-stripe-key has no spec.encryptedData: seal at "
                        + "least one value with kubeseal"));
    }

    @Test
    void reportsAnythingButSealedSecretsAndPlainSecretsOnce() {
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-settings\n  namespace: payments-dev-api\n";
        String plain = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-db\n  namespace: payments-dev-api\n"
                + "stringData:\n  password: hunter2\n";

        assertThat(check("secrets/dev/api/settings.yaml", configMap)).extracting(Violation::rule).containsExactly("sealed-secret");
        assertThat(check("secrets/dev/api/db.yaml", plain)).extracting(Violation::rule).containsExactly("no-plain-secret");
    }

    @Test
    void reportsASecretOutsideAServiceFolder() {
        assertThat(check("secrets/dev/stripe-key.yaml", sealedSecret("api-stripe-key", "payments-dev-api", SEALED)))
                .extracting(Violation::rule, Violation::message)
                .containsExactly(tuple("layout", "secrets/dev/stripe-key.yaml is not where secrets go: "
                        + "secrets/{env}/{service}/{name}.yaml, e.g. secrets/dev/api/stripe-key.yaml"));
    }
}

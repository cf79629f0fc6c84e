package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes' rules for Secret data keys (IsConfigMapKey), Secret names and namespaces. */
class SecretNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"STRIPE_KEY", "api.token", "tls.crt", ".env", "a", "db-password", "_x", "9"})
    void validDataKeys(String key) {
        assertThat(SecretNames.dataKeyProblem(key)).isEmpty();
        assertThat(SecretNames.checkDataKey(key)).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"STRIPE KEY", "a/b", "key:value", "ключ", "a\nb", ".", "..", "..data", "$(id)"})
    void invalidDataKeys(String key) {
        assertThat(SecretNames.dataKeyProblem(key)).isPresent();
        assertThatThrownBy(() -> SecretNames.checkDataKey(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Secret data key '");
    }

    @Test
    void dataKeysHaveAtMost253Characters() {
        assertThat(SecretNames.dataKeyProblem("k".repeat(253))).isEmpty();
        assertThat(SecretNames.dataKeyProblem("k".repeat(254))).hasValueSatisfying(p ->
                assertThat(p).contains("254 characters long, at most 253"));
        assertThat(SecretNames.dataKeyProblem("")).hasValue("a Secret data key must not be empty");
        assertThat(SecretNames.dataKeyProblem(null)).hasValue("a Secret data key must not be empty");
    }

    @Test
    void namesAreDnsSubdomainsAndNamespacesDnsLabels() {
        assertThat(SecretNames.checkName("api-stripe-key")).isEqualTo("api-stripe-key");
        assertThat(SecretNames.checkName("api.stripe")).isEqualTo("api.stripe");
        assertThatThrownBy(() -> SecretNames.checkName("Api")).hasMessageContaining("not a DNS-1123 subdomain");
        assertThatThrownBy(() -> SecretNames.checkName("api-")).hasMessageContaining("not a DNS-1123 subdomain");
        assertThatThrownBy(() -> SecretNames.checkName("a".repeat(254))).hasMessageContaining("not a DNS-1123 subdomain");
        assertThat(SecretNames.checkNamespace("payments-dev-api")).isEqualTo("payments-dev-api");
        assertThatThrownBy(() -> SecretNames.checkNamespace("payments.dev")).hasMessageContaining("not a DNS-1123 label");
        assertThatThrownBy(() -> SecretNames.checkNamespace(null)).hasMessageContaining("not a DNS-1123 label");
    }
}

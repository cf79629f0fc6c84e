package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kubeseal's scopes: labels, annotations and the names users type. */
class ScopeTest {

    private static String label(Scope scope, String namespace, String name) {
        return new String(scope.label(namespace, name), StandardCharsets.UTF_8);
    }

    @Test
    void labelsAreNamespaceSlashNameNamespaceOrEmpty() {
        assertThat(label(Scope.STRICT, "payments-dev-api", "api-stripe-key")).isEqualTo("payments-dev-api/api-stripe-key");
        assertThat(label(Scope.NAMESPACE_WIDE, "payments-dev-api", "api-stripe-key")).isEqualTo("payments-dev-api");
        assertThat(label(Scope.CLUSTER_WIDE, "payments-dev-api", "api-stripe-key")).isEmpty();
        assertThat(label(Scope.CLUSTER_WIDE, null, null)).isEmpty();
    }

    @Test
    void annotationsNameTheWideScopes() {
        assertThat(Scope.STRICT.annotations()).isEmpty();
        assertThat(Scope.NAMESPACE_WIDE.annotations()).containsExactlyEntriesOf(
                Map.of("sealedsecrets.bitnami.com/namespace-wide", "true"));
        assertThat(Scope.CLUSTER_WIDE.annotations()).containsExactlyEntriesOf(
                Map.of("sealedsecrets.bitnami.com/cluster-wide", "true"));
    }

    @Test
    void parseReadsKubesealsNamesAndDefaultsToStrict() {
        assertThat(Scope.parse("strict")).isEqualTo(Scope.STRICT);
        assertThat(Scope.parse(" Namespace-Wide ")).isEqualTo(Scope.NAMESPACE_WIDE);
        assertThat(Scope.parse("cluster-wide")).isEqualTo(Scope.CLUSTER_WIDE);
        assertThat(Scope.parse(null)).isEqualTo(Scope.STRICT);
        assertThat(Scope.parse("")).isEqualTo(Scope.STRICT);
        for (Scope scope : Scope.values()) {
            assertThat(Scope.parse(scope.id())).isEqualTo(scope);
        }
    }

    @Test
    void anUnknownScopeIsRefusedWithTheThreeThatExist() {
        assertThatThrownBy(() -> Scope.parse("cluster_wide")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown scope 'cluster_wide': use strict (the default: this Secret name in this namespace "
                        + "only), namespace-wide (any name in this namespace) or cluster-wide (any name in any namespace)");
    }
}

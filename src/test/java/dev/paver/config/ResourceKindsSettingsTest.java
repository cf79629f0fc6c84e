package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ResourceKinds;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code paver.conventions.resources.<type>.*}: a claim or a Crossplane v2 namespaced XR, per resource type. */
class ResourceKindsSettingsTest {

    private static Conventions conventions(Map<String, String> settings) {
        PaverProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("paver", PaverProperties.class);
        return ConventionsFactory.from(properties.conventions());
    }

    @Test
    void withoutSettingsEveryTypeIsAClaimOfThePlatformGroup() {
        ResourceKinds kinds = conventions(Map.of()).resourceKinds();

        assertThat(kinds.types()).containsExactly("database", "queue", "bucket");
        assertThat(kinds.find("database").orElseThrow()).isEqualTo(new ResourceKinds.ResourceKind("database", "postgres",
                "platform.paver.dev/v1alpha1", "PostgreSQLInstance", ResourceKinds.Mode.CLAIM));
    }

    @Test
    void modeXrAloneMovesOneTypeToTheNamespacedCompositeOfCrossplaneV2() {
        ResourceKinds kinds = conventions(Map.of("paver.conventions.resources.database.mode", "xr")).resourceKinds();

        assertThat(kinds.find("database").orElseThrow()).isEqualTo(new ResourceKinds.ResourceKind("database", "postgres",
                "xr.platform.paver.dev/v1alpha1", "PostgreSQLInstance", ResourceKinds.Mode.XR));
        assertThat(kinds.find("queue").orElseThrow().mode()).as("the other types stay claims").isEqualTo(ResourceKinds.Mode.CLAIM);
    }

    @Test
    void aNewTypeNeedsItsApiVersionKindAndSegment() {
        ResourceKinds kinds = conventions(Map.of(
                "paver.conventions.resources.cache.api-version", "platform.acme.io/v1",
                "paver.conventions.resources.cache.kind", "RedisCache",
                "paver.conventions.resources.cache.segment", "redis")).resourceKinds();

        assertThat(kinds.types()).containsExactly("database", "queue", "bucket", "cache");
        assertThat(kinds.byKind("RedisCache").orElseThrow().segment()).isEqualTo("redis");

        assertThatThrownBy(() -> conventions(Map.of("paver.conventions.resources.cache.kind", "RedisCache")))
                .isInstanceOf(IllegalStateException.class).hasMessage("paver.conventions.resources.cache.api-version is required for the new resource type cache");
    }

    @Test
    void aWrongModeOrKeyOrSegmentIsNamed() {
        assertThatThrownBy(() -> conventions(Map.of("paver.conventions.resources.database.mode", "v2")))
                .isInstanceOf(IllegalStateException.class).hasMessage("paver.conventions.resources.database.mode is v2; use claim (Crossplane v1 claim) "
                        + "or xr (Crossplane v2 namespaced composite resource)");
        assertThatThrownBy(() -> conventions(Map.of("paver.conventions.resources.database.group", "x")))
                .isInstanceOf(IllegalStateException.class).hasMessage("paver.conventions.resources.database.group is not a setting; use mode, api-version, kind or segment");
        assertThatThrownBy(() -> conventions(Map.of("paver.conventions.resources.database.segment", "pg-db")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("resource kind PostgreSQLInstance has the name segment 'pg-db'");
    }
}

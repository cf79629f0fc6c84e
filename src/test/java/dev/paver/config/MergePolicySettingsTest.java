package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.convention.Conventions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code paver.merge.*}: what is read, and a policy naming production or an unknown environment stopping the start. */
class MergePolicySettingsTest {

    private static PaverProperties.Merge merge(PaverProperties.MergePolicy... policies) {
        return new PaverProperties.Merge(List.of(policies), Duration.ofSeconds(15));
    }

    @Test
    void noPolicyByDefault() {
        var policies = PolicyFactory.merge(new PaverProperties.Merge(null, null), Conventions.defaults());
        assertThat(policies.policies()).isEmpty();
        assertThat(policies.allows("create-service", "dev", "payments")).isEmpty();
    }

    @Test
    void readsPoliciesWithTheirEnvironmentsAndDomains() {
        var policies = PolicyFactory.merge(merge(new PaverProperties.MergePolicy("create-service", List.of("dev", "staging"), null),
                new PaverProperties.MergePolicy("create-resource", List.of("dev"), List.of("payments"))), Conventions.defaults());
        assertThat(policies.allows("create-service", "staging", "shipping")).isPresent();
        assertThat(policies.allows("create-resource", "dev", "payments")).isPresent();
        assertThat(policies.allows("create-resource", "dev", "shipping")).isEmpty();
    }

    @Test
    void aPolicyNamingProductionIsRefusedWithTheKeyAndWhy() {
        assertThatThrownBy(() -> PolicyFactory.merge(merge(new PaverProperties.MergePolicy("create-service", List.of("dev"), null),
                new PaverProperties.MergePolicy("promote", List.of("staging", "prod"), null)), Conventions.defaults()))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageStartingWith("paver.merge.policies[1].environments names prod, the production environment")
                .hasMessageContaining("production keeps four eyes");
    }

    @Test
    void anUnknownEnvironmentAMissingGoldenPathOrATooShortIntervalIsRefused() {
        assertThatThrownBy(() -> PolicyFactory.merge(merge(new PaverProperties.MergePolicy("create-service", List.of("qa"), null)),
                Conventions.defaults()))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("paver.merge.policies[0].environments names qa");
        assertThatThrownBy(() -> PolicyFactory.merge(merge(new PaverProperties.MergePolicy(null, List.of("dev"), null)),
                Conventions.defaults()))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("paver.merge.policies[0].golden-path is missing");
        assertThatThrownBy(() -> PolicyFactory.checkInterval(new PaverProperties.Merge(List.of(), Duration.ofMillis(500))))
                .isInstanceOf(InvalidSettingException.class).hasMessageStartingWith("paver.merge.check-interval is PT0.5S");
    }
}

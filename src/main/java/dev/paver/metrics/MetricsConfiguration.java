package dev.paver.metrics;

import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalStore;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.run.RunStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Paver's own metrics, on {@code /actuator/prometheus} with the JVM's: runs and approvals ({@link RunMetrics}, told by
 * the run engine and the approvals), what is stored now ({@link StateGauges}). The adapters meter their own calls:
 * Slack's Web API and {@code /slack/events} in {@code slack}, GitHub's API in {@code git}, the cluster's watches and
 * revocations in {@code kubernetes}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MetricsProperties.class)
public class MetricsConfiguration {

    /** Told by the run engine and the approvals, which the catalog's actions need: so it cannot need the catalog. */
    @Bean
    RunMetrics runMetrics(MeterRegistry registry) {
        return new RunMetrics(registry);
    }

    /** The runs' series at zero, once every bean is built. */
    @Bean
    MeterBinder expectedRunSeries(RunMetrics metrics, GoldenPathCatalog catalog) {
        return registry -> metrics.expect(catalog);
    }

    @Bean
    StateGauges stateGauges(ApprovalStore approvals, GrantStore grants, RunStore runs, Clock clock,
                            MetricsProperties properties) {
        return new StateGauges(approvals, grants, runs, clock, properties.stuckAfter());
    }
}

package dev.paver.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code paver.metrics.*}.
 *
 * @param stuckAfter how long a run may stand still (acknowledged but not started, or past its timer) and an
 *                   elevation may stay after its expiry before {@code paver.runs.stuck} and
 *                   {@code paver.elevations.overdue} count it; default 10m
 */
@ConfigurationProperties("paver.metrics")
public record MetricsProperties(@DefaultValue("10m") Duration stuckAfter) {

    /** @throws IllegalArgumentException naming the key when the duration is not positive */
    public MetricsProperties {
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("paver.metrics.stuck-after must be a positive duration such as 10m, got "
                    + stuckAfter);
        }
    }
}

package dev.paver.config;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.TemplateProblem;
import java.util.List;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health indicator {@code goldenPaths}, part of readiness: UP when every template under {@code templates/} loaded;
 * DOWN when none did, or when one did not (its golden path is turned off until a restart that loads it). A replica
 * with a broken template is so kept out of service, and a rolling update that brings one stops before it replaces
 * the replicas that work. Details: the golden paths loaded, and the problems with file and line.
 */
final class GoldenPathsHealth implements HealthIndicator {

    private final GoldenPathCatalog catalog;

    GoldenPathsHealth(GoldenPathCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public Health health() {
        List<String> loaded = catalog.all().stream().map(GoldenPath::id).sorted().toList();
        List<String> problems = catalog.problems().stream().map(TemplateProblem::describe).toList();
        if (loaded.isEmpty()) {
            return Health.down().withDetail("error", "no golden path loaded: check paver.templates.dir")
                    .withDetail("problems", problems).build();
        }
        if (!catalog.turnedOff().isEmpty()) {
            return Health.down().withDetail("error", "golden paths turned off, their templates do not load: "
                    + catalog.turnedOff() + " (java -jar paver.jar templates check lists the problems)")
                    .withDetail("loaded", loaded).withDetail("problems", problems).build();
        }
        return Health.up().withDetail("loaded", loaded).build();
    }
}

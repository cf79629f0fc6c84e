package dev.paver.core.run;

import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.RequestCheck;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where typed commands, modal submissions and buttons meet: checks what a person asked for against the golden
 * path and the conventions ({@link #check}, no side effect, fast enough to run before Slack's 3-second ack), and
 * starts the run ({@link #start}, after the ack).
 */
public final class Intake {

    private final GoldenPathCatalog paths;
    private final RequestCheck check;
    private final CatalogSource catalog;
    private final RunEngine engine;
    private final boolean deploymentTracking;

    /** The {@code platform} key that says whether deployments are followed: {@code on} or {@code off}. */
    public static final String DEPLOYMENT_TRACKING = "deploymentTracking";

    /**
     * @param deploymentTracking whether a cluster is configured; runs carry it as {@code platform.deploymentTracking}
     *                           ({@code on}/{@code off}) so that templates and cards can say so from the start
     */
    public Intake(GoldenPathCatalog paths, RequestCheck check, CatalogSource catalog, RunEngine engine,
                  boolean deploymentTracking) {
        this.paths = paths;
        this.check = check;
        this.catalog = catalog;
        this.engine = engine;
        this.deploymentTracking = deploymentTracking;
    }

    /**
     * @param goldenPath    the golden path id
     * @param given         parameter name to text
     * @param askForMissing true for typed commands (missing required values open a modal), false for submissions
     * @return the outcome; {@code null} path outcomes never happen: an unknown id gives {@link UnknownPath}
     */
    public Outcome check(String goldenPath, Map<String, String> given, boolean askForMissing) {
        GoldenPath path = paths.find(goldenPath).orElse(null);
        if (path == null) {
            return new UnknownPath(goldenPath);
        }
        RequestCheck.Outcome outcome = check.check(path, given, catalog.current(), askForMissing);
        if (outcome instanceof RequestCheck.Accepted a) {
            return new Ready(path, a);
        }
        if (outcome instanceof RequestCheck.Rejected r) {
            return new Invalid(path, r.violations());
        }
        return new NeedsInput(path, ((RequestCheck.Incomplete) outcome).given());
    }

    /**
     * Stores the run (call it after the ack) and schedules it; returns once it is stored.
     *
     * @param afterFirstPass called with the run once its first pass ended; a run with no thread and a final state
     *                       could not post its card ({@link Run#outcome()} says why)
     */
    public Run start(Ready ready, String requester, RunRequest.Origin origin, String channel, Consumer<Run> afterFirstPass) {
        Map<String, Object> platform = new java.util.LinkedHashMap<>(ready.accepted().platform());
        platform.put(DEPLOYMENT_TRACKING, deploymentTracking ? "on" : "off");
        return engine.start(new RunRequest(ready.path().id(), ready.accepted().parameters(), platform, requester, origin,
                channel), afterFirstPass);
    }

    /** The golden paths, for help texts and modals. */
    public GoldenPathCatalog paths() {
        return paths;
    }

    /** The platform catalog as last read, for pickers. */
    public CatalogSource catalog() {
        return catalog;
    }

    /** What a check found. */
    public sealed interface Outcome permits Ready, Invalid, NeedsInput, UnknownPath {
    }

    /** Everything holds: {@link #start} may run it. */
    public record Ready(GoldenPath path, RequestCheck.Accepted accepted) implements Outcome {
    }

    /** Broken rules, one per parameter. */
    public record Invalid(GoldenPath path, java.util.List<Violation> violations) implements Outcome {
    }

    /** Required values are missing: open the modal prefilled with {@code given}. */
    public record NeedsInput(GoldenPath path, Map<String, String> given) implements Outcome {
    }

    /** No golden path has this id. */
    public record UnknownPath(String id) implements Outcome {
    }
}

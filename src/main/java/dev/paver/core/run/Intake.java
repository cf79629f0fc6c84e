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
    private final dev.paver.core.approval.ApprovalPolicy policy;
    private final dev.paver.core.approval.Directory directory;
    private final dev.paver.core.audit.AuditLog audit;
    private final java.time.Clock clock;

    /** The {@code platform} key that says whether deployments are followed: {@code on} or {@code off}. */
    public static final String DEPLOYMENT_TRACKING = "deploymentTracking";

    /**
     * @param deploymentTracking whether a cluster is configured; runs carry it as {@code platform.deploymentTracking}
     *                           ({@code on}/{@code off}) so that templates and cards can say so from the start
     */
    public Intake(GoldenPathCatalog paths, RequestCheck check, CatalogSource catalog, RunEngine engine,
                  boolean deploymentTracking, dev.paver.core.approval.ApprovalPolicy policy,
                  dev.paver.core.approval.Directory directory, dev.paver.core.audit.AuditLog audit, java.time.Clock clock) {
        this.policy = policy;
        this.directory = directory;
        this.audit = audit;
        this.clock = clock;
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
        given = new java.util.LinkedHashMap<>(given);
        String dry = given.remove(DRY_RUN_PARAMETER);
        boolean dryRun = dry != null && !dry.isBlank() && !dry.equalsIgnoreCase("false");
        if (dry != null && !dry.isBlank() && !dry.equalsIgnoreCase("true") && !dry.equalsIgnoreCase("false")) {
            return new Invalid(path, java.util.List.of(Violation.ofParameter(DRY_RUN_PARAMETER, "flag",
                    "--" + DRY_RUN_PARAMETER + " takes no value (or true/false), not " + dry)));
        }
        if (dryRun && !previews(path)) {
            return new Invalid(path, java.util.List.of(Violation.ofParameter(DRY_RUN_PARAMETER, "no-preview",
                    path.id() + " pushes no files, so there is nothing to preview; ask without --" + DRY_RUN_PARAMETER)));
        }
        RequestCheck.Outcome outcome = check.check(path, given, catalog.current(), askForMissing);
        if (outcome instanceof RequestCheck.Accepted a) {
            return new Ready(path, a, dryRun);
        }
        if (outcome instanceof RequestCheck.Rejected r) {
            return new Invalid(path, r.violations());
        }
        return new NeedsInput(path, ((RequestCheck.Incomplete) outcome).given());
    }

    /**
     * Checks that the requester may run the golden path in its domain ({@code paver.approvals.may-run}), stores the
     * run (call it after the ack: the check may ask the chat about user groups), records the request in the audit
     * log, and schedules the run; returns once it is stored.
     *
     * @param afterFirstPass called with the run once its first pass ended; a run with no thread and a final state
     *                       could not post its card ({@link Run#outcome()} says why)
     * @throws NotAllowed when the requester may not run it; nothing was stored
     */
    public Run start(Ready ready, String requester, RunRequest.Origin origin, String channel, Consumer<Run> afterFirstPass) {
        Map<String, Object> platform = new java.util.LinkedHashMap<>(ready.accepted().platform());
        String domain = String.valueOf(platform.getOrDefault("domain", ""));
        var allowed = policy.whoMayRun(ready.path().id(), domain);
        if (allowed.isPresent() && !directory.isMemberOfAny(requester, allowed.get())) {
            throw new NotAllowed("You may not run " + ready.path().id() + (domain.isEmpty() ? "" : " in " + domain)
                    + ": it is open to " + String.join(", ", allowed.get()) + " (paver.approvals.may-run). Nothing was started.");
        }
        platform.put(DEPLOYMENT_TRACKING, deploymentTracking ? "on" : "off");
        if (ready.dryRun()) {
            platform.put(RunRequest.DRY_RUN, true);
        }
        RunRequest request = new RunRequest(ready.path().id(), ready.accepted().parameters(), platform, requester, origin, channel);
        Run run = engine.start(request, afterFirstPass);
        audit.append(new dev.paver.core.audit.AuditEntry(clock.instant(), requester, "request", subject(request), run.id(),
                origin.name(), ready.path().id() + " " + ready.accepted().parameters()));
        return run;
    }

    /**
     * The audit subject of a request: its namespace or semantic key when it concerns one environment, else
     * {@code {domain}/{service}} (or the domain alone).
     */
    public static String subject(RunRequest request) {
        Map<String, Object> p = request.platform();
        Object service = p.getOrDefault("service", request.parameters().get("service"));
        if (p.get("namespace") != null) {
            return String.valueOf(p.get("namespace"));
        }
        if (p.get("domain") != null && service != null && p.get("environment") != null) {
            return p.get("domain") + "-" + p.get("environment") + "-" + service;
        }
        if (p.get("domain") != null) {
            return service == null ? String.valueOf(p.get("domain")) : p.get("domain") + "/" + service;
        }
        return request.goldenPath();
    }

    /** The requester may not run this golden path here; the message says who may. */
    public static final class NotAllowed extends RuntimeException {
        public NotAllowed(String message) {
            super(message);
        }
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

    /**
     * Everything holds: {@link #start} may run it.
     *
     * @param dryRun true when the requester asked for a preview first ({@code --dry-run}, Preview first in the modal)
     */
    public record Ready(GoldenPath path, RequestCheck.Accepted accepted, boolean dryRun) implements Outcome {
        /** A request that goes straight on. */
        public Ready(GoldenPath path, RequestCheck.Accepted accepted) {
            this(path, accepted, false);
        }
    }

    /**
     * The reserved parameter that asks for a dry run: {@code --dry-run} in a command, the Preview first box in a
     * modal. Templates cannot declare a parameter of this name.
     */
    public static final String DRY_RUN_PARAMETER = "dry-run";

    /** True when the golden path has a {@code paver:preview} step, so a dry run can show its change. */
    public static boolean previews(GoldenPath path) {
        return path.steps().stream().anyMatch(s -> s.action().equals("paver:preview"));
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

package dev.paver.core.run;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.approval.Directory;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.SecretParameters;
import dev.paver.core.secret.CertificateSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final ApprovalPolicy policy;
    private final Directory directory;
    private final AuditLog audit;
    private final Clock clock;
    private final CertificateSource certificates;
    private volatile IdentityPort identities;

    /** The {@code platform} key that says whether deployments are followed: {@code on} or {@code off}. */
    public static final String DEPLOYMENT_TRACKING = "deploymentTracking";

    /**
     * @param deploymentTracking whether a cluster is configured; runs carry it as {@code platform.deploymentTracking}
     *                           ({@code on}/{@code off}) so that templates and cards can say so from the start
     * @param certificates       the Sealed Secrets controller's certificate, read at {@link #start} (after the ack) to
     *                           seal or check secret values ({@link SecretParameters})
     */
    public Intake(GoldenPathCatalog paths, RequestCheck check, CatalogSource catalog, RunEngine engine,
                  boolean deploymentTracking, ApprovalPolicy policy,
                  Directory directory, AuditLog audit, Clock clock,
                  CertificateSource certificates) {
        this.certificates = certificates;
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
     * Gives each run its requester's Backstage identity ({@code user.ref}, {@code user.entity}: {@link Requester}),
     * read when the run starts (after the acknowledgement). Without this (the default), templates see none.
     *
     * @return this intake
     */
    public Intake identifiedBy(IdentityPort identities) {
        this.identities = identities;
        return this;
    }

    /**
     * Secret values ({@link SecretParameters}) are withheld before the request check sees them: no message quotes
     * them, and a {@link Ready} holds them until {@link #start} seals them.
     *
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
        given = new LinkedHashMap<>(given);
        String dry = given.remove(DRY_RUN_PARAMETER);
        boolean dryRun = dry != null && !dry.isBlank() && !dry.equalsIgnoreCase("false");
        if (dry != null && !dry.isBlank() && !dry.equalsIgnoreCase("true") && !dry.equalsIgnoreCase("false")) {
            return new Invalid(path, List.of(Violation.ofParameter(DRY_RUN_PARAMETER, "flag",
                    "--" + DRY_RUN_PARAMETER + " takes no value (or true/false), not " + dry)));
        }
        if (dryRun && !previews(path)) {
            return new Invalid(path, List.of(Violation.ofParameter(DRY_RUN_PARAMETER, "no-preview",
                    path.id() + " pushes no files, so there is nothing to preview; ask without --" + DRY_RUN_PARAMETER)));
        }
        SecretParameters.Split split = SecretParameters.withhold(path, given);
        if (!split.violations().isEmpty()) {
            return new Invalid(path, split.violations());
        }
        RequestCheck.Outcome outcome = check.check(path, split.given(), catalog.current(), askForMissing);
        if (outcome instanceof RequestCheck.Accepted a) {
            var missing = SecretParameters.missing(path, split.withheld());
            if (missing.isEmpty()) {
                return new Ready(path, a, dryRun, split.withheld());
            }
            if (!askForMissing) {
                return new Invalid(path, List.of(missing.get()));
            }
        }
        split.withheld().discard();
        if (outcome instanceof RequestCheck.Rejected r) {
            return new Invalid(path, r.violations());
        }
        // the modal is prefilled with what was typed, never with a plain secret value
        Map<String, String> prefill = new LinkedHashMap<>(given);
        path.parameters().parameters().stream().filter(SecretParameters::isPlain).forEach(p -> prefill.remove(p.name()));
        return new NeedsInput(path, prefill);
    }

    /**
     * Checks that the requester may run the golden path in its domain ({@code paver.approvals.may-run}), stores the
     * run (call it after the ack: the check may ask the chat about user groups), records the request in the audit
     * log, and schedules the run; returns once it is stored.
     *
     * @param afterFirstPass called with the run once its first pass ended; a run with no thread and a final state
     *                       could not post its card ({@link Run#outcome()} says why)
     * <p>A request with a secret value is sealed here, first ({@link SecretParameters#seal}: reads the certificate, which
     * may take seconds): the stored run, the audit log and every message carry the value's fingerprint only.
     *
     * @throws NotAllowed when the requester may not run it; nothing was stored
     * @throws Refused    when its secret value cannot be sealed or is not sealed for the controller's key; nothing was
     *                    stored
     */
    public Run start(Ready ready, String requester, RunRequest.Origin origin, String channel, Consumer<Run> afterFirstPass) {
        Run run = accept(ready, requester, origin, channel, null).orElseThrow();
        start(ready, run, afterFirstPass);
        return run;
    }

    /**
     * Stores a checked request as a {@link RunState#RECEIVED} run, before the acknowledgement: one small write, fast
     * enough for Slack's 3 seconds. Its secret values stay withheld (the stored request holds their fingerprints,
     * never a value). {@link #start(Ready, Run, Consumer)} goes on after the acknowledgement; if the process dies
     * first, {@link #resumeReceived} goes on after the restart.
     *
     * @param requestSignature the {@code X-Slack-Signature} of the slash command that asked for it, or null (a modal,
     *                         Socket Mode): the same request sent again then stores nothing
     * @return the stored run; empty when this request's run is stored already (a replay): nothing was stored
     */
    public Optional<Run> accept(Ready ready, String requester, RunRequest.Origin origin, String channel,
                                String requestSignature) {
        return engine.accept(request(ready, ready.accepted(), requester, origin, channel), requestSignature);
    }

    /**
     * The rest of the intake of an {@link #accept accepted} run, after the acknowledgement: checks that the
     * requester may run it, seals its secret values, starts it and records the request in the audit log. When it
     * throws, the run is ended as refused (DENIED or FAILED, with the reason) and never started.
     *
     * @throws NotAllowed when the requester may not run it
     * @throws Refused    when its secret value cannot be sealed or is not sealed for the controller's key
     */
    public void start(Ready ready, Run accepted, Consumer<Run> afterFirstPass) {
        engine.awaitQuiet(); // its writes and sealing wait while Slack requests are being acknowledged
        RequestCheck.Accepted checked;
        try {
            mayRun(ready.path(), accepted.request());
            RequestCheck.Outcome sealed = SecretParameters.seal(ready.path(), ready.accepted(), ready.secrets(), certificates);
            if (sealed instanceof RequestCheck.Rejected r) {
                throw new Refused(ready.path(), r.violations());
            }
            checked = (RequestCheck.Accepted) sealed;
        } catch (NotAllowed e) {
            engine.refuse(accepted.id(), accepted.request(), RunState.DENIED, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            engine.refuse(accepted.id(), accepted.request(), RunState.FAILED, e.getMessage());
            throw e;
        } finally {
            ready.secrets().discard();
        }
        RunRequest request = identified(request(ready, checked, accepted.request().requester(),
                accepted.request().origin(), accepted.request().channel()));
        if (engine.begin(accepted.id(), request, afterFirstPass)) {
            audited(request, accepted.id());
        }
    }

    /**
     * How long a {@link RunState#RECEIVED} run is left to the intake that acknowledged it before
     * {@link #resumeReceived} takes it over.
     */
    public static final Duration RECEIVED_GRACE = Duration.ofSeconds(20);

    /**
     * Goes on with the runs that were acknowledged but never started, RECEIVED for longer than {@link #RECEIVED_GRACE}
     * (the process that acknowledged them died, or stopped first): checks again who may run them and starts them. A
     * request with a secret value cannot go on (the value was never stored): it ends as failed and its requester is
     * told so privately, once, as is a requester who may not run it. Called at start-up and every few seconds.
     *
     * @return how many runs it started
     */
    public int resumeReceived() {
        int started = 0;
        for (Run run : engine.received(clock.instant().minus(RECEIVED_GRACE))) {
            RunRequest request = run.request();
            GoldenPath path = paths.find(request.goldenPath()).orElse(null);
            String refusal = null;
            RunState ending = RunState.FAILED;
            if (path == null) {
                refusal = "Paver restarted before it started your " + request.goldenPath() + ", and that golden path is"
                        + " not loaded now. Nothing was changed.";
            } else if (path.parameters().parameters().stream().anyMatch(SecretParameters::isPlain)) {
                refusal = "Paver restarted before it sealed the secret value of your " + path.id() + " request, and it"
                        + " never stores a value it has not sealed. Nothing was changed: please ask again.";
            } else {
                try {
                    mayRun(path, request);
                } catch (NotAllowed e) {
                    refusal = e.getMessage();
                    ending = RunState.DENIED;
                }
            }
            if (refusal != null) {
                if (engine.refuse(run.id(), request, ending, refusal)) {
                    engine.tellPrivately(request.channel(), request.requester(), ":warning: " + refusal, run.id() + "/refused");
                }
            } else if (engine.begin(run.id(), request = identified(request), null)) {
                audited(request, run.id());
                started++;
            }
        }
        return started;
    }

    private void mayRun(GoldenPath path, RunRequest request) {
        String domain = String.valueOf(request.platform().getOrDefault("domain", ""));
        var allowed = policy.whoMayRun(path.id(), domain);
        if (allowed.isPresent() && !directory.isMemberOfAny(request.requester(), allowed.get())) {
            throw new NotAllowed("You may not run " + path.id() + (domain.isEmpty() ? "" : " in " + domain)
                    + ": it is open to " + String.join(", ", allowed.get()) + " (paver.approvals.may-run). Nothing was started.");
        }
    }

    private RunRequest request(Ready ready, RequestCheck.Accepted accepted, String requester, RunRequest.Origin origin,
                               String channel) {
        Map<String, Object> platform = new LinkedHashMap<>(accepted.platform());
        platform.put(DEPLOYMENT_TRACKING, deploymentTracking ? "on" : "off");
        if (ready.dryRun()) {
            platform.put(RunRequest.DRY_RUN, true);
        }
        return new RunRequest(ready.path().id(), accepted.parameters(), platform, requester, origin, channel);
    }

    /**
     * The request with its requester's {@code platform.user}, when {@link #identifiedBy} and the identity allow, and
     * the template uses {@code user} at all (the identity may cost a call to the chat).
     */
    private RunRequest identified(RunRequest request) {
        IdentityPort port = identities;
        GoldenPath path = paths.find(request.goldenPath()).orElse(null);
        if (port == null || request.platform().containsKey(RunEngine.USER) || path == null
                || !(String.valueOf(path.steps()) + path.output()).contains("user.")) {
            return request;
        }
        return Requester.of(request.requester(), port, catalog.current()).map(user -> {
            Map<String, Object> platform = new LinkedHashMap<>(request.platform());
            platform.put(RunEngine.USER, user);
            return new RunRequest(request.goldenPath(), request.parameters(), platform, request.requester(),
                    request.origin(), request.channel());
        }).orElse(request);
    }

    private void audited(RunRequest request, String runId) {
        audit.append(new AuditEntry(clock.instant(), request.requester(), "request", subject(request), runId,
                request.origin().name(), request.goldenPath() + " " + request.parameters()));
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

    /**
     * The request broke a rule that could only be checked after the ack (its secret value: see
     * {@link SecretParameters#seal}); nothing was stored. The message lists the violations.
     */
    public static final class Refused extends RuntimeException {
        private final transient GoldenPath path;
        private final List<Violation> violations;

        public Refused(GoldenPath path, List<Violation> violations) {
            super(String.join("; ", violations.stream().map(Violation::message).toList()));
            this.path = path;
            this.violations = List.copyOf(violations);
        }

        /** The golden path asked for. */
        public GoldenPath path() {
            return path;
        }

        /** The broken rules, one per parameter. */
        public List<Violation> violations() {
            return violations;
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
     * Everything that can be checked at once holds: {@link #start} may run it.
     *
     * @param dryRun  true when the requester asked for a preview first ({@code --dry-run}, Preview first in the modal)
     * @param secrets the secret values withheld from {@code accepted} (whose parameters hold their fingerprints), sealed
     *                or checked by {@link #start}; {@link SecretParameters.Withheld#NONE} for most golden paths
     */
    public record Ready(GoldenPath path, RequestCheck.Accepted accepted, boolean dryRun,
                        SecretParameters.Withheld secrets) implements Outcome {
        public Ready {
            secrets = secrets == null ? SecretParameters.Withheld.NONE : secrets;
        }

        /** A request with no secret value. */
        public Ready(GoldenPath path, RequestCheck.Accepted accepted, boolean dryRun) {
            this(path, accepted, dryRun, SecretParameters.Withheld.NONE);
        }

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
    public record Invalid(GoldenPath path, List<Violation> violations) implements Outcome {
    }

    /** Required values are missing: open the modal prefilled with {@code given}. */
    public record NeedsInput(GoldenPath path, Map<String, String> given) implements Outcome {
    }

    /** No golden path has this id. */
    public record UnknownPath(String id) implements Outcome {
    }
}

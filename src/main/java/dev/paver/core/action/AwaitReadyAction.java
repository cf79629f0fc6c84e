package dev.paver.core.action;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.report.Times;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code crossplane:await-ready}: follows a Crossplane claim (v1) or namespaced composite resource (v2 XR) until it is
 * Ready, reporting in the run's thread what Crossplane says.
 *
 * <p>Inputs:
 * <ul>
 *   <li>{@code apiVersion}, {@code kind}, {@code name}: the claim or XR, e.g. {@code platform.paver.dev/v1alpha1},
 *       {@code PostgreSQLInstance}, {@code api-postgres-main} (required);</li>
 *   <li>{@code namespace}: its namespace (required for claims and namespaced XRs; empty for a cluster-scoped XR);</li>
 *   <li>{@code slowAfter}: how long before the thread says once what is still not Ready, as people write it
 *       ({@code 15m}, {@code 1h}, {@code 1h30m}); default {@code paver.crossplane.slow-after} (15 minutes);</li>
 *   <li>{@code failOnError}: {@code true} to fail the step on the first {@code Synced=False, ReconcileError};
 *       default {@code paver.crossplane.fail-on-error} ({@code false}: Crossplane retries, so does Paver).</li>
 * </ul>
 *
 * <p>Each check reads the whole chain through the {@link ProvisioningPort} and decides on that snapshot alone, so the
 * step is stateless between checks; every milestone has a fixed key, so the engine posts it once per run, across
 * restarts:
 * <ul>
 *   <li>{@code creating}: the object exists and is not Ready, once Crossplane has said why (its {@code Ready}
 *       reason and message, e.g. {@code Creating}, "Unready resources: db"; for a claim that says {@code Waiting},
 *       its composite's);</li>
 *   <li>{@code error:<object>:<fingerprint>}: an object of the chain says {@code Synced=False, ReconcileError}; its
 *       message verbatim (trimmed to {@value #ERROR_CHARS} characters). The fingerprint ignores digits and ids, so
 *       a retry whose message differs only by a request id is not posted again, while a different error is;</li>
 *   <li>{@code paused}: reconciliation is paused ({@code Synced=False, ReconcilePaused});</li>
 *   <li>{@code slow}: still not Ready {@code slowAfter} after the step began: the composed resources that are not
 *       Ready with all their conditions (type, status, reason, message), or what else holds it (no composite bound,
 *       the object does not exist);</li>
 *   <li>{@code ready}: {@code Ready=True} (reason {@code Available}): the step is done, saying how long after the
 *       request and naming the connection secret (name and namespace only; nobody reads Secrets here);</li>
 *   <li>{@code tracking-off}: no cluster is configured; the step ends at once.</li>
 * </ul>
 * A later success after errors is the {@code ready} milestone. The object being deleted ({@code deletionTimestamp}
 * or Ready reason {@code Deleting}), its kind not served or not readable by Paver ({@link ProvisioningPort.Refused})
 * fail the step with what to do; a failing API server is thrown to the engine, which tries again for 30 minutes.
 *
 * <p>Checks happen at every poll of waiting runs (the engine's periodic resume), at the {@code slowAfter} timer
 * ({@link ActionResult.Waiting#wakeAt()}, durable), and when something wakes {@link #waitKey}. Waits on
 * {@code crossplane:<kind>/<namespace>/<name>}.
 *
 * <p>Output: {@code tracking} ({@code on}/{@code off}), {@code ready} ({@code true}, or {@code unknown} when
 * tracking is off), {@code connectionSecret} and {@code connectionSecretNamespace} (empty when none is named or
 * tracking is off).
 */
public final class AwaitReadyAction implements Action {

    /** The default of {@code slowAfter}. */
    public static final Duration SLOW = Duration.ofMinutes(15);
    /** How much of a ReconcileError message is quoted. */
    static final int ERROR_CHARS = 600;
    /** How much of each condition message the slow report quotes. */
    static final int CONDITION_CHARS = 280;
    /** How many not-Ready composed resources the slow report lists. */
    static final int LISTED = 8;

    private final ProvisioningPort provisioning;
    private final Duration defaultSlowAfter;
    private final boolean defaultFailOnError;

    /** With the defaults: slow after 15 minutes, keep waiting on ReconcileError. */
    public AwaitReadyAction(ProvisioningPort provisioning) {
        this(provisioning, SLOW, false);
    }

    /**
     * @param defaultSlowAfter   {@code slowAfter} when the step does not say (positive)
     * @param defaultFailOnError {@code failOnError} when the step does not say
     */
    public AwaitReadyAction(ProvisioningPort provisioning, Duration defaultSlowAfter, boolean defaultFailOnError) {
        if (defaultSlowAfter == null || defaultSlowAfter.isZero() || defaultSlowAfter.isNegative()) {
            throw new IllegalArgumentException("paver.crossplane.slow-after must be a positive duration, not " + defaultSlowAfter);
        }
        this.provisioning = provisioning;
        this.defaultSlowAfter = defaultSlowAfter;
        this.defaultFailOnError = defaultFailOnError;
    }

    /** The wake key of a claim or XR. */
    public static String waitKey(String kind, String namespace, String name) {
        return "crossplane:" + kind + "/" + namespace + "/" + name;
    }

    @Override
    public String id() {
        return "crossplane:await-ready";
    }

    /**
     * One check.
     *
     * @throws IllegalArgumentException when an input is missing or malformed (the engine fails the step)
     * @throws RuntimeException         when the cluster cannot be read (the engine tries again)
     */
    @Override
    public ActionResult execute(ActionContext ctx) {
        String apiVersion = ctx.required("apiVersion");
        String kind = ctx.required("kind");
        String name = ctx.required("name");
        String namespace = ctx.text("namespace").strip();
        Duration slowAfter = slowAfter(ctx);
        boolean failOnError = failOnError(ctx);
        String what = kind + " " + name + (namespace.isEmpty() ? "" : " in " + namespace);
        String key = waitKey(kind, namespace, name);

        Optional<String> off = provisioning.unavailable(namespace);
        if (off.isPresent()) {
            return new ActionResult.Done(output("off", "unknown", "", ""), "provisioning tracking is off",
                    List.of(Milestone.of("tracking-off", "Provisioning tracking is off: " + off.get() + ", so Paver "
                            + "cannot tell when " + what + " is Ready. Check it with `kubectl get "
                            + ClaimStatus.kubectlType(apiVersion, kind) + " " + name + (namespace.isEmpty() ? "" : " -n " + namespace) + "`.")));
        }
        Optional<ClaimStatus> read;
        try {
            read = provisioning.status(apiVersion, kind, namespace, name);
        } catch (ProvisioningPort.Refused e) {
            return new ActionResult.Failed(e.getMessage(), List.of());
        }
        Instant now = ctx.clock().instant();
        Duration waited = Duration.between(ctx.stepStarted(), now);
        boolean slow = waited.compareTo(slowAfter) >= 0;
        Instant timer = slow ? null : ctx.stepStarted().plus(slowAfter);

        if (read.isEmpty()) {
            List<Milestone> milestones = slow ? List.of(Milestone.of("slow", what + " does not exist " + Times.elapsed(waited)
                    + " after this step began. Check that Argo CD applied it from the GitOps repository (the Application's "
                    + "sync status and message) and that the namespace exists; Paver keeps waiting.")) : List.of();
            return new ActionResult.Waiting(key, "waiting for " + kind + " " + name + " to appear", milestones, timer);
        }
        ClaimStatus status = read.get();
        ClaimStatus.Resource resource = status.resource();
        if (resource.deleting()) {
            return new ActionResult.Failed(what + " is being deleted (someone deleted it, or Argo CD pruned it): it will not "
                    + "become Ready. If that was not meant, restore its file in the GitOps repository and let Argo CD apply it "
                    + "again; then run the golden path again to follow it.", List.of());
        }
        if (status.ready()) {
            String secret = status.connectionSecret();
            String secretText = secret.isEmpty() ? " It names no connection secret."
                    : " Its connection details are in Secret " + secret + " in " + status.connectionSecretNamespace()
                    + " (Paver reports only the name; it never reads the Secret).";
            Condition readyCondition = Condition.of(resource);
            Duration took = Duration.between(ctx.runStarted(), now);
            return new ActionResult.Done(output("on", "true", secret, secret.isEmpty() ? "" : status.connectionSecretNamespace()),
                    "Ready" + (secret.isEmpty() ? "" : ", connection secret " + secret),
                    List.of(Milestone.of("ready", what + " is Ready (" + (readyCondition.reason().isEmpty() ? "Available"
                            : readyCondition.reason()) + "), " + Times.elapsed(took) + " after the request." + secretText)));
        }

        List<Milestone> milestones = new ArrayList<>();
        reported(status).ifPresent(c -> milestones.add(Milestone.of("creating", creating(what, c))));
        List<ClaimStatus.Resource> errors = status.reconcileErrors();
        for (ClaimStatus.Resource r : errors) {
            ClaimStatus.Condition c = r.reconcileError().orElseThrow();
            milestones.add(Milestone.of("error:" + r.kind() + "/" + r.name() + ":" + fingerprint(c.message()),
                    "Crossplane cannot reconcile " + r.describe() + (r == resource ? "" : " (" + role(status, r) + ")")
                            + ": Synced False, ReconcileError: " + quote(c.message(), ERROR_CHARS)
                            + (failOnError ? "" : "\nCrossplane retries; Paver keeps waiting.")));
        }
        if (failOnError && !errors.isEmpty()) {
            ClaimStatus.Resource first = errors.get(0);
            return new ActionResult.Failed("Crossplane cannot reconcile " + first.describe() + ": "
                    + stripPeriod(ClaimStatus.trim(first.reconcileError().orElseThrow().message(), ERROR_CHARS)) + ". Fix the cause (the "
                    + "claim's parameters in the GitOps repository, the composition or the provider's credentials), then "
                    + "run the golden path again.", milestones);
        }
        status.chain().stream().filter(ClaimStatus.Resource::paused).findFirst().ifPresent(p -> milestones.add(Milestone.of(
                "paused", "Crossplane's reconciliation of " + p.describe() + " is paused (annotation crossplane.io/paused): "
                        + "nothing changes until someone removes the annotation. Paver keeps waiting.")));
        if (slow) {
            milestones.add(Milestone.of("slow", slowReport(what, status, waited)));
        }
        Condition ready = shown(status);
        String detail = "waiting for " + kind + " " + name + ": Ready " + ready.status()
                + (ready.reason().isEmpty() ? "" : " (" + ready.reason() + ")")
                + (errors.isEmpty() ? "" : ", ReconcileError on " + errors.get(0).describe());
        return new ActionResult.Waiting(key, detail, milestones, timer);
    }

    private Duration slowAfter(ActionContext ctx) {
        String text = ctx.text("slowAfter").strip();
        if (text.isEmpty()) {
            return defaultSlowAfter;
        }
        Duration d = AccessPolicy.parseDuration(text).orElse(null);
        if (d == null || d.isZero()) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": input.slowAfter '" + text
                    + "' is not a duration; write it like 15m, 1h or 1h30m");
        }
        return d;
    }

    private boolean failOnError(ActionContext ctx) {
        String text = ctx.text("failOnError").strip().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> defaultFailOnError;
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("step " + ctx.stepId() + ": input.failOnError must be true or false, not '"
                    + text + "'");
        };
    }

    private static Map<String, Object> output(String tracking, String ready, String secret, String secretNamespace) {
        return Map.of("tracking", tracking, "ready", ready, "connectionSecret", secret, "connectionSecretNamespace", secretNamespace);
    }

    /** The Ready condition, or an Unknown one when the object has none yet. */
    private record Condition(String status, String reason, String message) {
        static Condition of(ClaimStatus.Resource r) {
            return r.condition(ClaimStatus.READY).map(c -> new Condition(c.status(), c.reason(), c.message()))
                    .orElse(new Condition("Unknown", "", ""));
        }
    }

    private static String creating(String what, Condition shown) {
        boolean creating = shown.reason().isEmpty() || "Creating".equals(shown.reason()) || "Waiting".equals(shown.reason());
        return what + (creating ? " exists; Crossplane is creating it (" : " exists but is not Ready (") + why(shown) + ").";
    }

    /**
     * The Ready condition that says why the object is not Ready yet: its own, or for a claim that says only
     * {@code Waiting} (for its composite), the composite's; empty until Crossplane has written it (an object just
     * applied has no conditions for a moment, and a claim says Waiting before its composite says anything).
     */
    private static Optional<Condition> reported(ClaimStatus status) {
        if (status.resource().condition(ClaimStatus.READY).isEmpty()) {
            return Optional.empty();
        }
        Condition own = Condition.of(status.resource());
        if (!"Waiting".equals(own.reason())) {
            return Optional.of(own);
        }
        return status.composite() == null || status.composite().condition(ClaimStatus.READY).isEmpty() ? Optional.empty()
                : Optional.of(Condition.of(status.composite()));
    }

    /** The Ready condition to show: {@link #reported} when there is one, else the object's own (or Unknown). */
    private static Condition shown(ClaimStatus status) {
        return reported(status).orElse(Condition.of(status.resource()));
    }

    /** {@code Ready False, Creating: Unready resources: db}, or {@code no Ready condition yet}. */
    private static String why(Condition c) {
        if (c.reason().isEmpty() && c.message().isEmpty()) {
            return "no Ready condition yet";
        }
        return "Ready " + c.status() + ", " + c.reason()
                + (c.message().isEmpty() ? "" : (c.reason().isEmpty() ? "" : ": ") + ClaimStatus.trim(c.message(), CONDITION_CHARS));
    }

    private static String slowReport(String what, ClaimStatus status, Duration waited) {
        StringBuilder out = new StringBuilder(what).append(" is still not Ready after ").append(Times.elapsed(waited))
                .append(" (").append(why(shown(status))).append(").");
        List<ClaimStatus.Resource> blocking = status.notReady();
        ClaimStatus.Resource xr = status.xr();
        if (!blocking.isEmpty()) {
            out.append(blocking.size() == 1 ? " Waiting on:" : " Waiting on " + blocking.size() + " composed resources:");
            for (ClaimStatus.Resource r : blocking.subList(0, Math.min(LISTED, blocking.size()))) {
                out.append("\n• ").append(r.describe()).append(" (").append(r.apiVersion())
                        .append(r.compositionResourceName().isEmpty() ? "" : ", " + r.compositionResourceName()).append("): ")
                        .append(state(r));
            }
            if (blocking.size() > LISTED) {
                out.append("\n• and ").append(blocking.size() - LISTED).append(" more");
            }
            ClaimStatus.Resource first = blocking.get(0);
            out.append("\n`kubectl describe ").append(first.kubectlType()).append(' ').append(first.name())
                    .append(first.namespace().isEmpty() ? "" : " -n " + first.namespace())
                    .append("` shows the provider's events.");
        } else if (status.resource() != xr || !status.composed().isEmpty()) {
            out.append(" No composed resource is waiting; ").append(status.resource() == xr ? "it" : "its composite "
                    + xr.describe()).append(" says: ").append(state(xr));
        } else {
            ClaimStatus.Resource r = status.resource();
            out.append(" Crossplane has composed nothing for it yet: check that a Composition matches it (its compositionRef "
                    + "or compositionSelector); `kubectl describe ").append(r.kubectlType()).append(' ').append(r.name())
                    .append(r.namespace().isEmpty() ? "" : " -n " + r.namespace()).append("` shows Crossplane's events.");
        }
        out.append("\nPaver keeps waiting.");
        return out.toString();
    }

    /** What a check saw of one object, with all its conditions, Ready first. */
    private static String state(ClaimStatus.Resource r) {
        return switch (r.presence()) {
            case MISSING -> "not created yet";
            case UNREADABLE, NOT_READ -> r.note();
            case DELETING, FOUND -> (r.presence() == ClaimStatus.Presence.DELETING ? "being deleted; " : "")
                    + (r.conditions().isEmpty() ? "no conditions yet"
                    : String.join("; ", r.conditions().stream()
                    .sorted(Comparator.comparing(c -> !ClaimStatus.READY.equals(c.type()))) // Ready first, then as given
                    .map(c -> c.describe(CONDITION_CHARS)).toList()));
        };
    }

    private static String role(ClaimStatus status, ClaimStatus.Resource r) {
        return r == status.composite() ? "its composite resource" : "composed" + (r.compositionResourceName().isEmpty() ? ""
                : " as " + r.compositionResourceName());
    }

    private static String stripPeriod(String text) {
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String quote(String message, int max) {
        String m = ClaimStatus.trim(message, max);
        return m.isEmpty() ? "(no message)" : m;
    }

    /**
     * A key for an error message that stays the same when only numbers, request ids or timestamps change (cloud
     * APIs put a fresh request id in every failed call), so a retry of the same error is not posted again.
     */
    static String fingerprint(String message) {
        String normal = message.toLowerCase(Locale.ROOT).replaceAll("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "#")
                .replaceAll("[0-9a-f]*[0-9][0-9a-f]*", "#").replaceAll("\\s+", " ").strip();
        return String.format("%08x", normal.hashCode());
    }
}

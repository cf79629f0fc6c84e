package dev.paver.core.run;

import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.report.Message;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what happens to every run into the audit log, beside the requests, approvals and grants written where they
 * are decided: a pull request opened ({@code pull-request}), merged and by whom ({@code merge}), a deployment
 * ({@code deploy}) or a claim Ready ({@code provision}), and the run's end ({@code done}, {@code failed},
 * {@code denied}, {@code expired}, {@code abandoned}, with its outcome; {@code cancelled} by who cancelled it).
 * The subject is the run's ({@link Intake#subject}), the actor
 * {@code paver} unless the step names a person (who merged). One insert per event, on the thread that made the change,
 * after it was stored.
 */
public final class RunAudit implements RunListener {

    private final AuditLog audit;

    public RunAudit(AuditLog audit) {
        this.audit = audit;
    }

    @Override
    public void stepDone(Run run, String action, Instant doneAt) {
        Map<String, Object> output = run.steps().stream()
                .filter(s -> s.status() == StepStatus.DONE && doneAt.equals(s.finishedAt())).map(StepRun::output)
                .findFirst().orElse(Map.of());
        String actor = "paver";
        String what;
        String detail;
        switch (action) {
            case "publish:github:pull-request" -> {
                what = "pull-request";
                detail = "opened " + output.getOrDefault("remoteUrl", "") + " in " + output.getOrDefault("repository", "")
                        + " (branch " + output.getOrDefault("branchName", "") + ")";
            }
            case "paver:await-merge", "paver:merge-pull-request" -> {
                what = "merge";
                Object by = output.get("mergedBy");
                actor = by == null || String.valueOf(by).isBlank() ? "paver" : String.valueOf(by);
                detail = "merged at " + output.getOrDefault("revision", "") + (action.equals("paver:merge-pull-request")
                        ? " by Paver, as approved" : "");
            }
            case "argocd:await-sync" -> {
                what = "deploy";
                detail = "off".equals(output.get("tracking")) ? "merged; deployment tracking is off, so not seen deployed"
                        : "deployed revision " + output.getOrDefault("revision", "");
            }
            case "crossplane:await-ready" -> {
                what = "provision";
                detail = "off".equals(output.get("tracking")) ? "merged; provisioning tracking is off, so not seen Ready" : "Ready";
            }
            default -> {
                return; // rendering, checks, waits: the steps that change nothing outside Paver or that others audit
            }
        }
        audit.append(new AuditEntry(doneAt, actor, what, Intake.subject(run.request()), run.id(), "PAVER",
                run.request().goldenPath() + ": " + detail));
    }

    @Override
    public void ended(String runId, RunRequest request, RunState ending, String outcome, Instant at) {
        if (ending == RunState.CANCELLED) {
            return; // written by cancelled, with who cancelled it
        }
        audit.append(new AuditEntry(at, "paver", ending == RunState.SUCCEEDED ? "done" : ending.name().toLowerCase(Locale.ROOT),
                Intake.subject(request), runId, "PAVER", request.goldenPath() + (outcome == null || outcome.isEmpty() ? "" : ": " + outcome)));
    }

    /** {@code cancelled}, by the person who clicked Cancel, with what is left to clean up by hand (mentions as ids). */
    @Override
    public void cancelled(Run run, String by, Instant at) {
        String outcome = Message.MENTION.matcher(run.outcome()).replaceAll("$1");
        audit.append(new AuditEntry(at, by, "cancelled", Intake.subject(run.request()), run.id(), "BUTTON",
                run.request().goldenPath() + ": " + outcome));
    }
}

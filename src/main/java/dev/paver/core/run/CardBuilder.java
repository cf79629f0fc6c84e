package dev.paver.core.run;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.report.Card;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the status card of a run from its template and state. Pure. */
public final class CardBuilder {

    private CardBuilder() {
    }

    /**
     * @param run   the run
     * @param path  its golden path (step names)
     * @param links the template's rendered output links, possibly empty
     */
    public static Card card(Run run, GoldenPath path, List<Link> links) {
        Map<String, Object> parameters = run.request().parameters();
        Object domain = run.request().platform().get("domain");
        Object primary = path.parameters().positional() == null ? null : parameters.get(path.parameters().positional().name());
        // a key {domain}-{env}-{service} names its domain already, and so does the domain itself (create-domain)
        boolean keyed = primary != null && domain != null && (String.valueOf(primary).startsWith(domain + "-")
                || String.valueOf(primary).equals(String.valueOf(domain)));
        String title = path.id() + (primary == null ? "" : " " + (domain == null || keyed ? "" : domain + "/") + primary);
        List<Card.Field> fields = new ArrayList<>();
        parameters.forEach((k, v) -> fields.add(new Card.Field(k, String.valueOf(v))));
        List<Card.StepLine> steps = new ArrayList<>();
        boolean dryRun = Boolean.TRUE.equals(run.request().platform().get(RunRequest.DRY_RUN));
        for (StepSpec spec : path.steps()) {
            if (!dryRun && spec.action().equals("paver:preview")) {
                continue; // a preview is a step only in a dry run
            }
            StepRun step = run.step(spec.id());
            steps.add(new Card.StepLine(spec.name(), step == null ? "pending" : step.status().word(),
                    step == null ? "" : step.detail()));
        }
        String note = run.outcome();
        if (note.isEmpty() && "off".equals(run.request().platform().get(Intake.DEPLOYMENT_TRACKING))) {
            if (path.steps().stream().anyMatch(s -> s.action().equals("argocd:await-sync"))) {
                note = "Deployment tracking is off: no cluster is configured, so Paver follows this run up to the merge.";
            } else if (path.steps().stream().anyMatch(s -> s.action().equals("crossplane:await-ready"))) {
                note = "Provisioning tracking is off: no cluster is configured, so Paver follows this run up to the merge.";
            }
        }
        List<Message.Button> buttons = run.thread() == null ? List.of()
                : run.state() == RunState.FAILED ? List.of(new Message.Button("Retry", RETRY_ACTION_ID, run.id(), "primary"))
                : run.state() == RunState.WAITING ? List.of(new Message.Button("Cancel", CANCEL_ACTION_ID, run.id(), "danger",
                        CANCEL_CONFIRM)) : List.of();
        return new Card(title, state(run), run.request().requester(), fields, steps, links, note, buttons);
    }

    /** The action id of a failed run's Retry button; its value is the run id ({@link RunEngine#retry}). */
    public static final String RETRY_ACTION_ID = "run-retry";

    /**
     * The action id of a waiting run's Cancel button; its value is the run id ({@link RunEngine#cancel}). The chat asks
     * {@link #CANCEL_CONFIRM} first.
     */
    public static final String CANCEL_ACTION_ID = "run-cancel";

    /** The question asked before a Cancel click is sent. */
    static final Message.Confirm CANCEL_CONFIRM = new Message.Confirm("Cancel this run?",
            "Paver closes the pull requests this run opened, deletes its branches and revokes any access it granted. "
                    + "Only the requester or an approver of its domain can cancel it.", "Cancel the run", "Keep it");

    private static String state(Run run) {
        if (run.state() == RunState.WAITING) {
            return run.steps().stream().filter(s -> !s.detail().isEmpty() && s.status() == StepStatus.WAITING)
                    .map(StepRun::detail).findFirst()
                    .map(d -> d.startsWith("waiting ") ? "W" + d.substring(1) : "Waiting: " + d).orElse("Waiting");
        }
        return switch (run.state()) {
            case RUNNING -> "Running";
            case SUCCEEDED -> "Done";
            case FAILED -> "Failed";
            case DENIED -> "Denied";
            case EXPIRED -> "Expired";
            case ABANDONED -> "Abandoned";
            case CANCELLED -> "Cancelled";
            default -> run.state().name();
        };
    }
}

package dev.paver.core.action;

import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.Violation;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:conventions:validate}: the conventions gate on files rendered in this run, before anything is
 * pushed: every rule of {@link ManifestRules}, the schema check included when the rules are built with one (the
 * server builds them with the same schemas as {@code java -jar paver.jar validate}). Inputs: {@code path} (workspace
 * folder holding a GitOps repository tree, e.g. {@code gitops}), {@code domain} (the repository's domain). A
 * violation fails the run; the reason lists {@code file:line: rule: message}, at most {@value #SHOWN} of them.
 */
public final class ValidateConventionsAction implements Action {

    static final int SHOWN = 15;

    private final ManifestRules rules;

    /** @param rules the conventions gate */
    public ValidateConventionsAction(ManifestRules rules) {
        this.rules = rules;
    }

    @Override
    public String id() {
        return "paver:conventions:validate";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Map<String, String> files = ctx.workspaceUnder(ctx.text("path"));
        if (files.isEmpty()) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": nothing was rendered under " + ctx.text("path")
                    + " to check", List.of());
        }
        String domain = ctx.text("domain");
        List<Violation> violations = rules.check(files, domain.isEmpty() ? null : domain);
        if (violations.isEmpty()) {
            return ActionResult.Done.of(Map.of("checked", files.size()), files.size() + " files follow the conventions");
        }
        StringBuilder reason = new StringBuilder("The rendered files break the platform conventions, so nothing was pushed ("
                + violations.size() + (violations.size() == 1 ? " violation" : " violations") + "):");
        violations.stream().limit(SHOWN).forEach(v -> reason.append("\n").append(v.describe()));
        if (violations.size() > SHOWN) {
            reason.append("\n… and ").append(violations.size() - SHOWN).append(" more");
        }
        return new ActionResult.Failed(reason.toString(), List.of());
    }
}

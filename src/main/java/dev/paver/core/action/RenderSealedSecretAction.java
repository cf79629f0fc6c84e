package dev.paver.core.action;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import dev.paver.core.secret.Scope;
import dev.paver.core.secret.SealedSecretManifest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:sealed-secret:render}: writes one SealedSecret into the run's workspace, in the shape {@code kubeseal -o
 * yaml} writes ({@link SealedSecretManifest}). Inputs: {@code path} (the workspace file, e.g.
 * {@code gitops/secrets/dev/api/stripe-key.yaml}), {@code namespace}, {@code name}, {@code scope} ({@code strict},
 * {@code namespace-wide}, {@code cluster-wide}), {@code encryptedData} (data key to sealed value: values already sealed,
 * as {@code platform.encryptedData} holds them after intake) and {@code labels} (of the Secret, optional). Output:
 * {@code files}, the path written. Pure: it only renders; a bad input fails the step naming the input, never a value.
 */
public final class RenderSealedSecretAction implements Action {

    @Override
    public String id() {
        return "paver:sealed-secret:render";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String path;
        String text;
        try {
            path = RepositoryNames.path(ctx.required("path"));
            Map<String, String> encryptedData = strings(ctx.input().get("encryptedData"), "encryptedData");
            Map<String, String> labels = strings(ctx.input().get("labels"), "labels");
            text = SealedSecretManifest.render(ctx.required("namespace"), ctx.required("name"), Scope.parse(ctx.text("scope")),
                    encryptedData, labels);
        } catch (IllegalArgumentException e) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": " + e.getMessage(), List.of());
        }
        ctx.workspace().put(path, text);
        return ActionResult.Done.of(Map.of("files", List.of(path)), "1 file");
    }

    private static Map<String, String> strings(Object value, String input) {
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("input." + input + " is not a map");
        }
        map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }
}

package dev.paver.core.action;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backstage's {@code fs:rename} ({@code builtin/filesystem/rename} of {@code @backstage/plugin-scaffolder-backend}):
 * moves files and folders of the run's workspace. Input {@code files}: a list of {@code {from, to, overwrite}}
 * (workspace paths; {@code overwrite} false by default: a destination that exists fails the step, as fs-extra's
 * {@code move} does). A folder moves with everything under it. Pure: it only changes the in-memory workspace, and is
 * done again, in order, when the workspace is rebuilt. Output: none.
 */
public final class FilesystemRenameAction implements Action {

    @Override
    public String id() {
        return "fs:rename";
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
        if (!(ctx.input().get("files") instanceof List<?> files)) {
            return failed(ctx, "files must be a list of {from, to}");
        }
        Map<String, String> workspace = new LinkedHashMap<>(ctx.workspace());
        for (Object entry : files) {
            if (!(entry instanceof Map<?, ?> file) || file.get("from") == null || file.get("to") == null
                    || String.valueOf(file.get("from")).isBlank() || String.valueOf(file.get("to")).isBlank()) {
                return failed(ctx, "each file must have a from and to property");
            }
            String from;
            String to;
            try {
                from = RepositoryNames.folder(String.valueOf(file.get("from")));
                to = RepositoryNames.folder(String.valueOf(file.get("to")));
            } catch (IllegalArgumentException e) {
                return failed(ctx, e.getMessage());
            }
            boolean overwrite = Boolean.TRUE.equals(file.get("overwrite"));
            String fromFile = from.substring(0, from.length() - 1);
            String toFile = to.substring(0, to.length() - 1);
            Map<String, String> moved = new LinkedHashMap<>();
            workspace.forEach((path, text) -> {
                if (path.equals(fromFile)) {
                    moved.put(path, toFile);
                } else if (path.startsWith(from)) {
                    moved.put(path, to + path.substring(from.length()));
                }
            });
            if (moved.isEmpty()) {
                return failed(ctx, "there is no " + fromFile + " in the workspace to rename");
            }
            for (String target : moved.values()) {
                if (!overwrite && workspace.containsKey(target) && !moved.containsKey(target)
                        || !overwrite && workspace.keySet().stream().anyMatch(p -> p.startsWith(toFile + "/")
                        && !moved.containsKey(p))) {
                    return failed(ctx, toFile + " exists already; set overwrite: true to replace it");
                }
            }
            Map<String, String> texts = new LinkedHashMap<>();
            moved.keySet().forEach(path -> texts.put(path, workspace.remove(path)));
            moved.forEach((path, target) -> workspace.put(target, texts.get(path)));
        }
        ctx.workspace().clear();
        ctx.workspace().putAll(workspace);
        return ActionResult.Done.of(Map.of(), files.size() + (files.size() == 1 ? " rename" : " renames"));
    }

    private static ActionResult failed(ActionContext ctx, String why) {
        return new ActionResult.Failed("step " + ctx.stepId() + " (fs:rename): " + why, List.of());
    }
}

package dev.paver.core.action;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Backstage's {@code fs:delete} ({@code builtin/filesystem/delete} of {@code @backstage/plugin-scaffolder-backend}):
 * removes files and folders from the run's workspace. Input {@code files}: a list of workspace paths or globs
 * ({@code docs/*.md}, {@code **}{@code /.keep}); a folder goes with everything under it; a path that matches nothing
 * is no error, as in Backstage. Pure: it only changes the in-memory workspace, and is done again, in order, when the
 * workspace is rebuilt. Output: {@code deleted}, the paths removed.
 */
public final class FilesystemDeleteAction implements Action {

    @Override
    public String id() {
        return "fs:delete";
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
            return new ActionResult.Failed("step " + ctx.stepId() + " (fs:delete): files must be a list of paths",
                    List.of());
        }
        List<String> deleted = new ArrayList<>();
        for (Object file : files) {
            String pattern;
            try {
                String folder = RepositoryNames.folder(String.valueOf(file).replace("*", "x"));
                pattern = String.valueOf(file).strip().replaceFirst("^(\\./)+", "").replaceAll("/+$", "");
                if (folder.isEmpty()) {
                    throw new IllegalArgumentException("path " + file + " is the whole workspace");
                }
            } catch (IllegalArgumentException e) {
                return new ActionResult.Failed("step " + ctx.stepId() + " (fs:delete): " + e.getMessage(), List.of());
            }
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            for (String path : List.copyOf(ctx.workspace().keySet())) {
                if (matches(glob, pattern, path)) {
                    ctx.workspace().remove(path);
                    deleted.add(path);
                }
            }
        }
        return ActionResult.Done.of(Map.of("deleted", List.copyOf(deleted)),
                deleted.size() + (deleted.size() == 1 ? " file deleted" : " files deleted"));
    }

    /** The path, or a folder it is in, is the pattern or matches it. */
    private static boolean matches(PathMatcher glob, String pattern, String path) {
        for (String prefix = path; !prefix.isEmpty(); ) {
            if (prefix.equals(pattern) || glob.matches(Path.of(prefix))) {
                return true;
            }
            int slash = prefix.lastIndexOf('/');
            prefix = slash < 0 ? "" : prefix.substring(0, slash);
        }
        return false;
    }
}

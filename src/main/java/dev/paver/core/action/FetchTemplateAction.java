package dev.paver.core.action;

import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Backstage's {@code fetch:template}: renders a skeleton folder of the template into the run's workspace.
 * Inputs: {@code url} (a folder inside the template, e.g. {@code ./skeleton/gitops}), {@code targetPath}
 * (workspace folder, default {@code .}), {@code values} (the {@code values} of the skeleton's expressions),
 * {@code copyWithoutRender} (globs of files copied as they are, e.g. GitHub workflows, whose own
 * {@code ${{ }}} is not Paver's), {@code trimBlocks} and {@code lstripBlocks} (true or false, default false as in
 * Backstage: the whitespace around {@code {% %}} tags, {@link TemplateRenderer.Blocks}). File and folder names are
 * rendered too. Output: {@code files}, the paths written.
 */
public final class FetchTemplateAction implements Action {

    private final TemplateRenderer renderer;

    /** @param renderer renders file names and contents */
    public FetchTemplateAction(TemplateRenderer renderer) {
        this.renderer = renderer;
    }

    @Override
    public String id() {
        return "fetch:template";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        Path folder = ctx.goldenPath().folder().toAbsolutePath().normalize();
        String url = ctx.required("url");
        Path source;
        try {
            source = RepositoryNames.within(folder, url);
        } catch (IllegalArgumentException outside) {
            source = null;
        }
        if (source == null || !Files.isDirectory(source)) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": url " + url
                    + " is not a folder inside the template " + ctx.goldenPath().id(), List.of());
        }
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        Object values = ctx.input().getOrDefault("values", Map.of());
        Map<String, Object> scope = Map.of("values", values);
        Object trim = ctx.input().getOrDefault("trimBlocks", false);
        Object lstrip = ctx.input().getOrDefault("lstripBlocks", false);
        if (!(trim instanceof Boolean) || !(lstrip instanceof Boolean)) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": trimBlocks and lstripBlocks must be true or false, got "
                    + trim + " and " + lstrip, List.of());
        }
        TemplateRenderer.Blocks blocks = new TemplateRenderer.Blocks((Boolean) trim, (Boolean) lstrip);
        List<PathMatcher> verbatim = new ArrayList<>();
        if (ctx.input().get("copyWithoutRender") instanceof List<?> globs) {
            for (Object glob : globs) {
                verbatim.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            }
        }
        Map<String, String> written = new TreeMap<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = source.relativize(file).toString().replace('\\', '/');
                boolean copy = verbatim.stream().anyMatch(m -> m.matches(Path.of(relative)));
                String name = RepositoryNames.path(renderer.render(relative, relative, scope));
                String text = Files.readString(file, StandardCharsets.UTF_8);
                written.put(target + name, copy ? text : renderer.renderFile(relative, text, scope, blocks));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read skeleton " + url + " of " + ctx.goldenPath().id(), e);
        } catch (TemplateRenderer.TemplateException | IllegalArgumentException e) {
            return new ActionResult.Failed("template " + ctx.goldenPath().id() + " cannot be rendered: " + e.getMessage(),
                    List.of());
        }
        ctx.workspace().putAll(written);
        return ActionResult.Done.of(Map.of("files", List.copyOf(written.keySet())), written.size() + (written.size() == 1 ? " file" : " files"));
    }
}

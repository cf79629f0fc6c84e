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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Backstage's {@code fetch:template}: renders a skeleton folder of the template into the run's workspace, with
 * Backstage's inputs ({@code fetch/templateActionHandler} of {@code @backstage/plugin-scaffolder-backend}):
 * {@code url} (a folder inside the template, e.g. {@code ./skeleton/gitops}), {@code targetPath} (workspace folder,
 * default {@code .}), {@code values} (the {@code values} of the skeleton's expressions), {@code copyWithoutTemplating}
 * (globs of files copied as they are, e.g. GitHub workflows, whose own {@code ${{ }}} is not Paver's; the older name
 * {@code copyWithoutRender} too), {@code templateFileExtension} (true for {@code .njk}, or an extension: only files
 * with it are rendered, and it is cut from their names; not with {@code copyWithoutTemplating}), {@code replace}
 * (false by default: a file an earlier step wrote at the same path is kept), {@code trimBlocks} and
 * {@code lstripBlocks} (true or false, default false as in Backstage: the whitespace around {@code {% %}} tags,
 * {@link TemplateRenderer.Blocks}), and {@code token} (accepted, unused: the template's files are local).
 * File and folder names are rendered too; a file whose rendered path is empty, starts with {@code /} or holds
 * {@code //} (an empty folder name: {@code ${{ values.x if values.x }}/file}) is not written, as in Backstage. A
 * {@code values} key that the step declares in its template but whose value is undefined (an optional parameter
 * left out) is undefined in the skeleton too: false in {@code {% if %}}, while a name the step does not declare
 * stays an error. Output: {@code files}, the paths written.
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
        String url = ctx.required("url");
        Path source = templateFolder(ctx, url);
        if (source == null) {
            return notATemplateFolder(ctx, url);
        }
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        if (Boolean.TRUE.equals(ctx.input().get("cookiecutterCompat"))) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": cookiecutterCompat is not supported by Paver: "
                    + "write the skeleton with ${{ values.x }} as Backstage's own templates do", List.of());
        }
        Object values = declaredValues(ctx, ctx.input().getOrDefault("values", Map.of()));
        Map<String, Object> scope = Map.of("values", values);
        Object trim = ctx.input().getOrDefault("trimBlocks", false);
        Object lstrip = ctx.input().getOrDefault("lstripBlocks", false);
        if (!(trim instanceof Boolean) || !(lstrip instanceof Boolean)) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": trimBlocks and lstripBlocks must be true or false, got "
                    + trim + " and " + lstrip, List.of());
        }
        TemplateRenderer.Blocks blocks = new TemplateRenderer.Blocks((Boolean) trim, (Boolean) lstrip);
        List<PathMatcher> verbatim = new ArrayList<>();
        for (String key : List.of("copyWithoutTemplating", "copyWithoutRender")) {
            Object globs = ctx.input().get(key);
            if (globs != null && !(globs instanceof List<?>)) {
                return new ActionResult.Failed("step " + ctx.stepId() + ": " + key + " must be a list of globs, got "
                        + globs, List.of());
            }
            if (globs instanceof List<?> list) {
                for (Object glob : list) {
                    verbatim.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
                }
            }
        }
        Object extensionInput = ctx.input().getOrDefault("templateFileExtension", false);
        String extension = Boolean.TRUE.equals(extensionInput) ? ".njk"
                : extensionInput instanceof String e && !e.isBlank() ? (e.startsWith(".") ? e : "." + e) : null;
        if (extension != null && !verbatim.isEmpty()) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": templateFileExtension cannot be used with "
                    + "copyWithoutTemplating: with an extension, only the files that have it are rendered", List.of());
        }
        boolean replace = Boolean.TRUE.equals(ctx.input().get("replace"));
        Map<String, String> written = new TreeMap<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = source.relativize(file).toString().replace('\\', '/');
                boolean copy;
                String output = relative;
                if (extension != null) {
                    copy = !relative.endsWith(extension) || relative.endsWith("/" + extension);
                    output = copy ? relative : relative.substring(0, relative.length() - extension.length());
                } else {
                    copy = verbatim.stream().anyMatch(m -> m.matches(Path.of(relative)));
                }
                String rendered = renderer.render(relative, output, scope);
                if (rendered.isEmpty() || rendered.startsWith("/") || rendered.contains("//")) {
                    continue; // Backstage's way to leave a file out: an empty name or folder name
                }
                String name = target + RepositoryNames.path(rendered);
                if (!replace && (ctx.workspace().containsKey(name) || written.containsKey(name))) {
                    continue;
                }
                String text = Files.readString(file, StandardCharsets.UTF_8);
                written.put(name, copy ? text : renderer.renderFile(output, text, scope, blocks));
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

    /**
     * The rendered {@code values}, with each key the step declares in its template ({@code input.values} of the
     * step's spec) but that has no value now (Backstage left it out as undefined) set to
     * {@link TemplateRenderer#UNDEFINED}.
     */
    private static Object declaredValues(ActionContext ctx, Object values) {
        if (!(values instanceof Map<?, ?> given)) {
            return values;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        given.forEach((k, v) -> out.put(String.valueOf(k), v));
        ctx.goldenPath().steps().stream().filter(step -> step.id().equals(ctx.stepId())).findFirst()
                .map(step -> step.input().get("values"))
                .filter(Map.class::isInstance)
                .ifPresent(declared -> ((Map<?, ?>) declared).keySet()
                        .forEach(k -> out.putIfAbsent(String.valueOf(k), TemplateRenderer.UNDEFINED)));
        return out;
    }

    /**
     * The folder {@code url} names inside the step's template folder ({@code ./skeleton}), or null when it is no folder
     * there (missing, a file, or a path leading out of the template).
     */
    static Path templateFolder(ActionContext ctx, String url) {
        Path folder = ctx.goldenPath().folder().toAbsolutePath().normalize();
        try {
            Path source = RepositoryNames.within(folder, url);
            return Files.isDirectory(source) ? source : null;
        } catch (IllegalArgumentException outside) {
            return null;
        }
    }

    /** The step's failure when {@link #templateFolder} found no folder. */
    static ActionResult notATemplateFolder(ActionContext ctx, String url) {
        return new ActionResult.Failed("step " + ctx.stepId() + ": url " + url + " is not a folder inside the template "
                + ctx.goldenPath().id(), List.of());
    }
}

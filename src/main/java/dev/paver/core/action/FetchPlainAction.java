package dev.paver.core.action;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Backstage's {@code fetch:plain} ({@code builtin/fetch/plain} of {@code @backstage/plugin-scaffolder-backend}): copies
 * a folder of the template into the run's workspace as it is, nothing rendered. Inputs: {@code url} (a folder inside
 * the template, e.g. {@code ./static}), {@code targetPath} (workspace folder, default {@code .}), {@code token}
 * (accepted, unused). Backstage also fetches from any URL its integrations read (a GitHub tree, say); Paver reads
 * nothing from the network for a template, so an absolute URL fails the step with what to do instead. The workspace
 * holds text: a file that is not UTF-8 text fails the step. Output: {@code files}, the paths written.
 */
public final class FetchPlainAction implements Action {

    @Override
    public String id() {
        return "fetch:plain";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String url = ctx.required("url");
        if (url.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (fetch:plain): " + url + " is a remote URL, and "
                    + "Paver fetches only from the template's own folder; copy those files into the template (e.g. "
                    + "templates/" + ctx.goldenPath().id() + "/static) and use url: ./static", List.of());
        }
        Path source = FetchTemplateAction.templateFolder(ctx, url);
        if (source == null) {
            return FetchTemplateAction.notATemplateFolder(ctx, url);
        }
        String target;
        try {
            target = RepositoryNames.folder(ctx.text("targetPath"));
        } catch (IllegalArgumentException e) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": targetPath: " + e.getMessage(), List.of());
        }
        Map<String, String> written = new TreeMap<>();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String relative = source.relativize(file).toString().replace('\\', '/');
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
                } catch (CharacterCodingException e) {
                    return new ActionResult.Failed("step " + ctx.stepId() + " (fetch:plain): " + url + "/" + relative
                            + " is not UTF-8 text, and Paver's workspace holds text only", List.of());
                }
                written.put(target + RepositoryNames.path(relative), text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + " of template " + ctx.goldenPath().id(), e);
        } catch (IllegalArgumentException e) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (fetch:plain): " + e.getMessage(), List.of());
        }
        ctx.workspace().putAll(written);
        return ActionResult.Done.of(Map.of("files", List.copyOf(written.keySet())),
                written.size() + (written.size() == 1 ? " file" : " files"));
    }
}

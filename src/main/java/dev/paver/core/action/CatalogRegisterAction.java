package dev.paver.core.action;

import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.YamlDocuments;
import dev.paver.core.report.Link;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Backstage's {@code catalog:register} ({@code builtin/catalog/register} of {@code @backstage/plugin-scaffolder-backend}),
 * where Paver is the engine: there is no Backstage to register a location with, so it registers nothing. Paver's
 * catalog is read from the repositories themselves, and a Backstage that reads the same organisation discovers the
 * file by its own catalog providers. The step says so in the thread, with the file's URL, and gives Backstage's
 * outputs so that a template's {@code output} works unchanged: {@code catalogInfoUrl} ({@code catalogInfoUrl}, or
 * {@code repoContentsUrl} joined with {@code catalogInfoPath}, default {@code /catalog-info.yaml}) and
 * {@code entityRef} ({@code kind:namespace/name}, lowercase, of the file's Component, else its first entity whose
 * name does not start with {@code generated-}, else its first), read from the run's workspace when the file is there
 * ({@code catalogInfoPath} from the workspace's root); without the file, {@code entityRef} is left out. Input
 * {@code optional} is accepted. Has no side effect.
 */
public final class CatalogRegisterAction implements Action {

    private static final Logger LOG = Logger.getLogger(CatalogRegisterAction.class.getName());

    @Override
    public String id() {
        return "catalog:register";
    }

    @Override
    public boolean usesWorkspace() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String url = ctx.text("catalogInfoUrl");
        String path = ctx.text("catalogInfoPath").isBlank() ? "/catalog-info.yaml" : ctx.text("catalogInfoPath");
        if (url.isBlank()) {
            String base = ctx.text("repoContentsUrl");
            if (base.isBlank()) {
                return new ActionResult.Failed("step " + ctx.stepId() + " (catalog:register): give catalogInfoUrl, or "
                        + "repoContentsUrl (e.g. ${{ steps.publish.output.repoContentsUrl }}) and catalogInfoPath",
                        List.of());
            }
            url = base.replaceAll("/+$", "") + "/" + path.replaceFirst("^(\\./|/)+", "");
        }
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("catalogInfoUrl", url);
        String file = ctx.workspace().get(path.replaceFirst("^(\\./|/)+", ""));
        String entityRef = file == null ? null : entityRef(file);
        if (entityRef != null) {
            output.put("entityRef", entityRef);
        }
        LOG.info("run " + ctx.runId() + " step " + ctx.stepId() + " (catalog:register): nothing registered, " + url);
        String text = "Nothing to register: Paver reads its catalog from the repositories, and Backstage finds "
                + (entityRef == null ? "the entity" : entityRef) + " there by its own catalog providers.";
        return new ActionResult.Done(output, entityRef == null ? url : entityRef,
                List.of(new Milestone("catalog", text, List.of(new Link("catalog-info.yaml", url)))));
    }

    /** Backstage's choice of the entity to show: a Component, else the first not generated, else the first; or null. */
    private static String entityRef(String yaml) {
        List<ManifestDocument> docs;
        try {
            docs = YamlDocuments.parse("catalog-info.yaml", yaml);
        } catch (RuntimeException e) {
            return null;
        }
        ManifestDocument chosen = docs.stream().filter(d -> !name(d).startsWith("generated-")
                && "Component".equals(d.kind())).findFirst()
                .or(() -> docs.stream().filter(d -> !name(d).startsWith("generated-")).findFirst())
                .or(() -> docs.stream().findFirst()).orElse(null);
        if (chosen == null || name(chosen).isEmpty() || chosen.kind() == null || chosen.kind().isEmpty()) {
            return null;
        }
        Object namespace = ManifestDocument.map(chosen.body(), "metadata").get("namespace");
        return (chosen.kind() + ":" + (namespace == null ? "default" : namespace) + "/" + name(chosen))
                .toLowerCase(Locale.ROOT);
    }

    private static String name(ManifestDocument doc) {
        Object name = ManifestDocument.map(doc.body(), "metadata").get("name");
        return name == null ? "" : String.valueOf(name);
    }
}

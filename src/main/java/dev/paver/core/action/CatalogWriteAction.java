package dev.paver.core.action;

import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Backstage's {@code catalog:write} ({@code builtin/catalog/write} of {@code @backstage/plugin-scaffolder-backend}):
 * writes {@code entity} (a catalog entity: apiVersion, kind, metadata, spec) as YAML to {@code filePath} of the
 * workspace (default {@code catalog-info.yaml}), with the annotation {@code backstage.io/source-template:
 * template:default/<golden path id>}, as Backstage adds its template's entity reference. Pure. Output: none.
 */
public final class CatalogWriteAction implements Action {

    /** The annotation that names the template an entity was made from (Backstage's well-known annotation). */
    public static final String SOURCE_TEMPLATE = "backstage.io/source-template";

    @Override
    public String id() {
        return "catalog:write";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        if (!(ctx.input().get("entity") instanceof Map<?, ?> entity)) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (catalog:write): entity must be a catalog entity "
                    + "(apiVersion, kind, metadata, spec)", List.of());
        }
        String path;
        try {
            path = RepositoryNames.path(ctx.text("filePath").isBlank() ? "catalog-info.yaml"
                    : ctx.text("filePath").strip().replaceFirst("^(\\./)+", ""));
        } catch (IllegalArgumentException e) {
            return new ActionResult.Failed("step " + ctx.stepId() + " (catalog:write): filePath: " + e.getMessage(),
                    List.of());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) TemplateRenderer.defined(entity)).forEach((k, v) -> out.put(String.valueOf(k), v));
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (out.get("metadata") instanceof Map<?, ?> m) {
            m.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        Map<String, Object> annotations = new LinkedHashMap<>();
        if (metadata.get("annotations") instanceof Map<?, ?> a) {
            a.forEach((k, v) -> annotations.put(String.valueOf(k), v));
        }
        annotations.put(SOURCE_TEMPLATE, "template:default/" + ctx.goldenPath().id());
        metadata.put("annotations", annotations);
        out.put("metadata", metadata);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        ctx.workspace().put(path, new Yaml(options).dump(out));
        return ActionResult.Done.of(Map.of(), path);
    }
}

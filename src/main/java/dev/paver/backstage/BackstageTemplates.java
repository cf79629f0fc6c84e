package dev.paver.backstage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.ParameterSchema;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Backstage as the engine, first part (issue 15, point 4): the golden paths are the Backstage catalog's Templates that
 * carry a tag ({@link #list()}), and each one's form is what Backstage's Scaffolder serves for it
 * ({@code GET /api/scaffolder/v2/templates/{namespace}/template/{name}/parameter-schema}: {@code {title, description,
 * steps: [{title, description, schema}]}}, each step a page of JSON Schema as in {@code spec.parameters}), read into
 * the same {@link ParameterSchema} that gives Paver's own templates their slash command, help and modal
 * ({@link #goldenPath}). Running one as a Scaffolder task is not here yet.
 */
public final class BackstageTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELDS = "kind,metadata.name,metadata.namespace,metadata.title,metadata.description";

    private final BackstageApi api;
    private final String tag;

    /**
     * @param tag the tag ({@code metadata.tags}) of the Templates that are golden paths in Slack, e.g. {@code paver}
     */
    BackstageTemplates(BackstageApi api, String tag) {
        this.api = api;
        this.tag = tag;
    }

    /**
     * A Template of the catalog.
     *
     * @param namespace   {@code metadata.namespace}, {@code default} when absent
     * @param name        {@code metadata.name}: the golden path's id, the slash sub-command
     * @param title       {@code metadata.title}, or the name
     * @param description {@code metadata.description}, or ""
     */
    public record TemplateRef(String namespace, String name, String title, String description) {

        /** Backstage's entity reference, {@code template:namespace/name}, as a task's {@code templateRef} names it. */
        public String entityRef() {
            return "template:" + namespace + "/" + name;
        }
    }

    /**
     * The catalog's Templates tagged {@code tag}, by name; those whose name Paver reserves for its own sub-commands
     * ({@link GoldenPathCatalog#RESERVED}) are left out.
     *
     * @throws CatalogEntities.Unavailable when the catalog cannot be read ({@link BackstageApi#entities})
     */
    public List<TemplateRef> list() {
        List<TemplateRef> templates = new ArrayList<>();
        for (JsonNode item : api.entities(List.of("kind=template,metadata.tags=" + tag), FIELDS, BackstageCatalog.PAGE_SIZE)) {
            JsonNode metadata = item.path("metadata");
            String name = metadata.path("name").asText("");
            if (name.isEmpty() || GoldenPathCatalog.RESERVED.contains(name)) {
                continue;
            }
            templates.add(new TemplateRef(metadata.path("namespace").asText("default"), name,
                    metadata.path("title").asText(name), metadata.path("description").asText("")));
        }
        templates.sort(Comparator.comparing(TemplateRef::name).thenComparing(TemplateRef::namespace));
        return List.copyOf(templates);
    }

    /**
     * The Template as a golden path whose parameters are the Scaffolder's form: title and description as Backstage
     * serves them, the pages' JSON Schema as {@link ParameterSchema}. Its steps are Backstage's to run, so the golden
     * path has none of Paver's.
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or does not know the template (HTTP 404)
     * @throws IllegalArgumentException    when a page of the form is not one Paver can show ({@link ParameterSchema#read});
     *                                     the message names the template
     */
    public GoldenPath goldenPath(TemplateRef template) {
        JsonNode form = api.get("/api/scaffolder/v2/templates/" + segment(template.namespace()) + "/template/"
                + segment(template.name()) + "/parameter-schema");
        List<Object> pages = new ArrayList<>();
        for (JsonNode step : form.path("steps")) {
            pages.add(JSON.convertValue(step.path("schema"), Map.class));
        }
        ParameterSchema parameters;
        try {
            parameters = ParameterSchema.read(pages);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the form of Backstage's " + template.entityRef() + " cannot be shown in "
                    + "Slack: " + e.getMessage(), e);
        }
        return new GoldenPath(template.name(), form.path("title").asText(template.title()),
                form.path("description").asText(template.description()), parameters, List.of(), Map.of(), List.of(), null);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.paver.backstage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathSource;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.StepSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backstage as the engine, first part (issue 15, point 4): the golden paths are the Backstage catalog's Templates that
 * carry a tag ({@link #list()}), and each one's form is what Backstage's Scaffolder serves for it
 * ({@code GET /api/scaffolder/v2/templates/{namespace}/template/{name}/parameter-schema}: {@code {title, description,
 * steps: [{title, description, schema}]}}, each step a page of JSON Schema as in {@code spec.parameters}), read into
 * the same {@link ParameterSchema} that gives Paver's own templates their slash command, help and modal
 * ({@link #goldenPath}), whose run is a Scaffolder task ({@code backstage:task}) and what Paver follows of it.
 */
public final class BackstageTemplates implements GoldenPathSource {

    private static final Logger LOG = LoggerFactory.getLogger(BackstageTemplates.class);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FIELDS = "kind,metadata.name,metadata.namespace,metadata.title,metadata.description,"
            + "metadata.annotations";

    /** Annotation: {@code "true"} when a run of the Template needs a second person's approval before its task starts. */
    public static final String FOUR_EYES = "paver.dev/four-eyes";
    /**
     * Annotation: the Argo CD Application that deploys what the task's pull requests change, with
     * {@code ${{ parameters.<name> }}} expressions, e.g. {@code payments-dev-${{ parameters.name }}}.
     */
    public static final String ARGOCD_APPLICATION = "paver.dev/argocd-application";
    /**
     * Annotation: the Crossplane claim (or namespaced XR) the task's pull requests create,
     * {@code <apiVersion>/<kind>/<namespace>/<name>}, with expressions, e.g.
     * {@code platform.paver.dev/v1alpha1/PostgreSQLInstance/payments-dev-api/api-postgres-${{ parameters.name }}}.
     */
    public static final String CROSSPLANE_CLAIM = "paver.dev/crossplane-claim";
    /** Annotation: the environment the task's pull requests deploy to (merge policies, Argo CD), with expressions. */
    public static final String ENVIRONMENT = "paver.dev/environment";

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
     * @param annotations {@code metadata.annotations}
     */
    public record TemplateRef(String namespace, String name, String title, String description,
                              Map<String, String> annotations) {
        public TemplateRef {
            annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        }

        /** A Template without annotations. */
        public TemplateRef(String namespace, String name, String title, String description) {
            this(namespace, name, title, description, Map.of());
        }

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
            Map<String, String> annotations = new LinkedHashMap<>();
            metadata.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText("")));
            templates.add(new TemplateRef(metadata.path("namespace").asText("default"), name,
                    metadata.path("title").asText(name), metadata.path("description").asText(""), annotations));
        }
        templates.sort(Comparator.comparing(TemplateRef::name).thenComparing(TemplateRef::namespace));
        return List.copyOf(templates);
    }

    /**
     * The Template as a golden path whose parameters are the Scaffolder's form: title and description as Backstage
     * serves them, the pages' JSON Schema as {@link ParameterSchema}. Its steps ({@link #steps}): Paver's approval when
     * the Template asks for four eyes, the Scaffolder task, then what Paver follows of what the task produced.
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
                form.path("description").asText(template.description()), parameters, steps(template), Map.of(),
                List.of(), null);
    }

    /**
     * A Template's steps in Paver:
     * <ol>
     *   <li>{@code approval} ({@code paver:approval}, Paver's approvals and their settings) when {@value #FOUR_EYES} is
     *       {@code "true"}: before the task starts; the domain's approvers decide ({@code platform.domain}, from a
     *       {@code domain} or {@code system} parameter);</li>
     *   <li>{@code task} ({@code backstage:task}): the Scaffolder task with the form's values;</li>
     *   <li>{@code merge} ({@code paver:await-merge}, once per pull request among the task output's links), followed
     *       as Paver follows its own (merge policies, reminders, checks), in {@value #ENVIRONMENT} when given;</li>
     *   <li>{@code deploy} ({@code argocd:await-sync}) when {@value #ARGOCD_APPLICATION} names the Application, for the
     *       last pull request's merge;</li>
     *   <li>{@code ready} ({@code crossplane:await-ready}) when {@value #CROSSPLANE_CLAIM} names a claim.</li>
     * </ol>
     *
     * @throws IllegalArgumentException when {@value #CROSSPLANE_CLAIM} is not {@code <apiVersion>/<kind>/<namespace>/<name>}
     */
    static List<StepSpec> steps(TemplateRef template) {
        Map<String, String> annotations = template.annotations();
        String environment = annotations.getOrDefault(ENVIRONMENT, "").strip();
        List<StepSpec> steps = new ArrayList<>();
        if ("true".equalsIgnoreCase(annotations.getOrDefault(FOUR_EYES, "").strip())) {
            steps.add(new StepSpec("approval", "Approval", "paver:approval", Map.of("purpose", template.name(),
                    "domain", "${{ platform.domain }}", "subject", "${{ platform.domain }}/" + template.name(),
                    "title", "Run " + template.title() + " (Backstage " + template.entityRef() + ")",
                    "summary", "${{ parameters }}"), null, null));
        }
        steps.add(new StepSpec("task", template.title() + " in Backstage", "backstage:task",
                Map.of("templateRef", template.entityRef(), "values", "${{ parameters }}"), null, null));
        Map<String, Object> merge = new LinkedHashMap<>();
        merge.put("pullRequestUrl", "${{ each.value.url }}");
        if (!environment.isEmpty()) {
            merge.put("environment", environment);
        }
        steps.add(new StepSpec("merge", "Pull requests merged", "paver:await-merge", merge, null,
                "${{ steps.task.output.pullRequests }}"));
        String application = annotations.getOrDefault(ARGOCD_APPLICATION, "").strip();
        if (!application.isEmpty()) {
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("application", application);
            sync.put("revision", "${{ (steps.merge.output.results | last).revision }}");
            if (!environment.isEmpty()) {
                sync.put("environment", environment);
            }
            steps.add(new StepSpec("deploy", "Deployed", "argocd:await-sync", sync,
                    "${{ steps.task.output.pullRequests | length > 0 }}", null));
        }
        String claim = annotations.getOrDefault(CROSSPLANE_CLAIM, "").strip();
        if (!claim.isEmpty()) {
            String[] parts = claim.split("/");
            if (parts.length < 5) {
                throw new IllegalArgumentException("the annotation " + CROSSPLANE_CLAIM + " of Backstage's "
                        + template.entityRef() + " is '" + claim + "': write <apiVersion>/<kind>/<namespace>/<name>, "
                        + "e.g. platform.paver.dev/v1alpha1/PostgreSQLInstance/payments-dev-api/api-postgres-main");
            }
            int n = parts.length;
            steps.add(new StepSpec("ready", "Ready", "crossplane:await-ready", Map.of(
                    "apiVersion", String.join("/", java.util.Arrays.copyOfRange(parts, 0, n - 3)), "kind", parts[n - 3],
                    "namespace", parts[n - 2], "name", parts[n - 1]), null, null));
        }
        return List.copyOf(steps);
    }

    /**
     * Every Template tagged for Paver as a golden path ({@link #list()}, {@link #goldenPath}); a Template whose form or
     * annotations Paver cannot take is left out, said in the log.
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked
     */
    @Override
    public List<GoldenPath> load() {
        List<GoldenPath> paths = new ArrayList<>();
        for (TemplateRef template : list()) {
            try {
                paths.add(goldenPath(template));
            } catch (IllegalArgumentException e) {
                LOG.warn("Backstage's {} is not a golden path in Slack: {}", template.entityRef(), e.getMessage());
            }
        }
        return List.copyOf(paths);
    }

    @Override
    public String describe() {
        return "Backstage at " + api.baseUrl() + " (Templates tagged " + tag + ")";
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.paver.core.goldenpath;

import dev.paver.core.convention.Names;
import dev.paver.core.convention.YamlDocuments;
import dev.paver.core.convention.ManifestDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The golden paths of a {@code templates/} folder: one sub-folder each, holding a {@code template.yaml} of
 * {@code apiVersion: scaffolder.backstage.io/v1beta3}, {@code kind: Template}, whose {@code metadata.name}
 * equals the folder name.
 */
public final class GoldenPathCatalog {

    /** The Backstage Scaffolder API version Paver reads. */
    public static final String API_VERSION = "scaffolder.backstage.io/v1beta3";

    private final Map<String, GoldenPath> paths;

    private GoldenPathCatalog(Map<String, GoldenPath> paths) {
        this.paths = paths;
    }

    /** This catalog with only the golden paths named (an engine that runs only some of them). */
    public GoldenPathCatalog only(java.util.Collection<String> ids) {
        Map<String, GoldenPath> kept = new TreeMap<>(paths);
        kept.keySet().retainAll(ids);
        return new GoldenPathCatalog(Map.copyOf(kept));
    }

    /**
     * Loads every {@code <root>/<id>/template.yaml}.
     *
     * @throws IllegalStateException naming the file and the problem when a template is not a valid v1beta3
     *                               Template, its name differs from its folder or is not a DNS-1123 label
     */
    @SuppressWarnings("unchecked")
    public static GoldenPathCatalog load(Path root) {
        Map<String, GoldenPath> paths = new TreeMap<>();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("templates folder " + root.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.sorted().toList()) {
                Path file = folder.resolve("template.yaml");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                String where = root.getFileName() + "/" + folder.getFileName() + "/template.yaml";
                List<ManifestDocument> docs = YamlDocuments.parse(where, Files.readString(file));
                if (docs.size() != 1) {
                    throw new IllegalStateException(where + ": expected one YAML document, found " + docs.size());
                }
                Map<String, Object> t = docs.get(0).body();
                if (!API_VERSION.equals(t.get("apiVersion")) || !"Template".equals(t.get("kind"))) {
                    throw new IllegalStateException(where + ": expected apiVersion " + API_VERSION + " and kind Template");
                }
                Map<String, Object> metadata = ManifestDocument.map(t, "metadata");
                Map<String, Object> spec = ManifestDocument.map(t, "spec");
                String id = ManifestDocument.text(metadata.get("name"));
                if (!Names.isDnsLabel(id) || !id.equals(folder.getFileName().toString())) {
                    throw new IllegalStateException(where + ": metadata.name " + Names.quote(id)
                            + " must be a DNS-1123 label equal to the folder name");
                }
                List<StepSpec> steps = new ArrayList<>();
                for (Object s : ManifestDocument.list(spec, "steps")) {
                    Map<String, Object> step = (Map<String, Object>) s;
                    String stepId = ManifestDocument.text(step.get("id"));
                    String action = ManifestDocument.text(step.get("action"));
                    if (stepId.isEmpty() || action.isEmpty()) {
                        throw new IllegalStateException(where + ": every step needs an id and an action");
                    }
                    if (steps.stream().anyMatch(x -> x.id().equals(stepId))) {
                        throw new IllegalStateException(where + ": step id " + stepId + " is used twice");
                    }
                    steps.add(new StepSpec(stepId, ManifestDocument.text(step.get("name")), action,
                            ManifestDocument.map(step, "input"), step.get("if"), step.get("each")));
                }
                List<Map<String, String>> examples = new ArrayList<>();
                for (Object e : ManifestDocument.list(spec, "examples")) {
                    Map<String, String> example = new LinkedHashMap<>();
                    ManifestDocument.map((Map<String, Object>) e, "parameters")
                            .forEach((k, v) -> example.put(k, v instanceof List<?> l
                                    ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
                    examples.add(example);
                }
                ParameterSchema schema;
                try {
                    schema = ParameterSchema.read(spec.get("parameters"));
                } catch (IllegalArgumentException | ClassCastException e) {
                    throw new IllegalStateException(where + ": " + e.getMessage(), e);
                }
                paths.put(id, new GoldenPath(id, ManifestDocument.text(metadata.get("title")),
                        ManifestDocument.text(metadata.get("description")).strip(), schema, steps,
                        ManifestDocument.map(spec, "output"), examples, folder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read templates folder " + root, e);
        } catch (YamlDocuments.InvalidYamlException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return new GoldenPathCatalog(Map.copyOf(paths));
    }

    /** The golden path with this id. */
    public Optional<GoldenPath> find(String id) {
        return Optional.ofNullable(paths.get(id));
    }

    /** All golden paths, by id. */
    public Collection<GoldenPath> all() {
        return new TreeMap<>(paths).values();
    }
}

package dev.paver.core.goldenpath;

import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.YamlDocuments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The golden paths of a {@code templates/} folder: one sub-folder each, holding a {@code template.yaml} of
 * {@code apiVersion: scaffolder.backstage.io/v1beta3}, {@code kind: Template}. A golden path's id is the template's
 * {@code metadata.name}, whatever its folder is called.
 *
 * <p>A template that cannot load (not YAML, not a v1beta3 Template, a bad name, a bad parameter schema, a step without
 * id or action, a step whose action Paver does not have, a name another template has too) turns off that golden
 * path only: the catalog holds the others, and {@link #problems()} says why, with file and line where known.
 */
public final class GoldenPathCatalog {

    /** The Backstage Scaffolder API version Paver reads. */
    public static final String API_VERSION = "scaffolder.backstage.io/v1beta3";

    /** Sub-commands of the slash command that are not golden paths: a template may not take these names. */
    public static final Set<String> RESERVED = Set.of("help", "audit");

    /** The key of a parameter that names the platform list its choices come from, e.g. {@code paver:enum: profiles}. */
    public static final String PLATFORM_ENUM = "paver:enum";
    /**
     * The key of an array parameter whose default is a whole platform list, e.g. {@code paver:default:
     * developerEnvironments} (where the choices themselves are checked by a rule, not by an {@code enum}).
     */
    public static final String PLATFORM_DEFAULT = "paver:default";

    /** Replaced whole, never changed in place: readers see one state or the next ({@link #refresh}). */
    private volatile Map<String, GoldenPath> paths;
    private final List<TemplateProblem> problems;
    private volatile boolean awaitingSources;

    private GoldenPathCatalog(Map<String, GoldenPath> paths, List<TemplateProblem> problems) {
        this.paths = paths;
        this.problems = problems;
    }

    /** This catalog with only the golden paths named (an engine that runs only some of them). */
    public GoldenPathCatalog only(Collection<String> ids) {
        Map<String, GoldenPath> kept = new TreeMap<>(paths);
        kept.keySet().retainAll(ids);
        return new GoldenPathCatalog(Map.copyOf(kept), problems);
    }

    /**
     * This catalog with {@code more} golden paths, built elsewhere than in {@code templates/} (Backstage's Templates when
     * Backstage is the engine); one of them with the id of a loaded template takes its place.
     */
    public GoldenPathCatalog with(Collection<GoldenPath> more) {
        GoldenPathCatalog copy = new GoldenPathCatalog(paths, problems);
        copy.refresh(more);
        return copy;
    }

    /**
     * Loads every {@code <root>/<folder>/template.yaml}, without checking the steps' actions (tests that run no
     * engine; the engine checks them again when built).
     *
     * @throws IllegalStateException when {@code root} is not a folder
     */
    public static GoldenPathCatalog load(Path root) {
        return load(root, null);
    }

    /**
     * Loads every {@code <root>/<folder>/template.yaml} with the default platform lists
     * ({@link PlatformValues#defaults()}); see {@link #load(Path, Set, PlatformValues)}.
     */
    public static GoldenPathCatalog load(Path root, Set<String> actions) {
        return load(root, actions, PlatformValues.defaults());
    }

    /**
     * Loads every {@code <root>/<folder>/template.yaml}. A template with a problem is left out and its problems are
     * in {@link #problems()}; every problem of every template is reported, not only the first.
     *
     * <p>A parameter (or an array parameter's {@code items}) with {@code paver:enum: <list>} draws its choices from the
     * platform: its {@code enum} is filled from {@code platform}'s list of that name ({@link PlatformValues}), so that
     * the template does not repeat what the configuration says. A {@code paver:enum} that names no list, a parameter
     * with both {@code enum} and {@code paver:enum}, and a {@code default} that is not in the list are problems.
     *
     * @param actions  the ids of the registered actions ({@code ActionRegistry#ids()}); null to accept any action
     * @param platform the platform's lists that {@code paver:enum} names
     * @throws IllegalStateException when {@code root} is not a folder
     * @throws UncheckedIOException  when the folder cannot be listed
     */
    public static GoldenPathCatalog load(Path root, Set<String> actions, PlatformValues platform) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("templates folder " + root.toAbsolutePath() + " does not exist");
        }
        List<Loaded> loaded = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.sorted().toList()) {
                Path file = folder.resolve("template.yaml");
                if (Files.isRegularFile(file)) {
                    String where = root.getFileName() + "/" + folder.getFileName() + "/template.yaml";
                    loaded.add(read(where, file, folder, actions, platform));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read templates folder " + root, e);
        }
        Map<String, List<Loaded>> byId = new TreeMap<>();
        loaded.stream().filter(Loaded::named).forEach(l -> byId.computeIfAbsent(l.id(), k -> new ArrayList<>()).add(l));
        Map<String, GoldenPath> paths = new TreeMap<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (Loaded l : loaded) {
            List<Loaded> same = byId.getOrDefault(l.id(), List.of(l));
            if (same.size() > 1) {
                List<String> others = same.stream().filter(o -> o != l).map(Loaded::file).toList();
                problems.add(new TemplateProblem(l.file(), l.nameLine(), l.id(), "metadata.name " + Names.quote(l.id())
                        + " is also the name of " + String.join(", ", others) + ": a golden path's name is its slash "
                        + "sub-command, so neither loads; rename one of them"));
            }
            problems.addAll(l.problems());
            if (l.problems().isEmpty() && same.size() == 1) {
                paths.put(l.id(), l.path());
            }
        }
        // by file, then by line; what concerns the whole file (no line) last
        problems.sort(Comparator.comparing(TemplateProblem::file)
                .thenComparingInt(p -> p.line() > 0 ? p.line() : Integer.MAX_VALUE));
        return new GoldenPathCatalog(Map.copyOf(paths), List.copyOf(problems));
    }

    /** One template as read: its golden path when it has no problem. */
    private record Loaded(String file, String id, boolean named, int nameLine, GoldenPath path,
                          List<TemplateProblem> problems) {
    }

    @SuppressWarnings("unchecked")
    private static Loaded read(String where, Path file, Path folder, Set<String> actions, PlatformValues platform) {
        String folderName = folder.getFileName().toString();
        List<TemplateProblem> problems = new ArrayList<>();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            return failed(where, folderName, "not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            return failed(where, folderName, "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        List<ManifestDocument> docs;
        try {
            docs = YamlDocuments.parse(where, text);
        } catch (YamlDocuments.InvalidYamlException e) {
            return new Loaded(where, folderName, false, 0, null, List.of(new TemplateProblem(where, e.line(), folderName,
                    "not valid YAML: " + e.getMessage().substring(e.getMessage().indexOf(": ") + 2))));
        }
        if (docs.size() != 1) {
            return failed(where, folderName, "expected one YAML document, found " + docs.size());
        }
        ManifestDocument doc = docs.get(0);
        Map<String, Object> t = doc.body();
        String name = t.get("metadata") instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : "";
        boolean named = Names.isDnsLabel(name) && !RESERVED.contains(name);
        String id = named ? name : folderName;
        int nameLine = doc.lineOf("/metadata/name");
        if (!API_VERSION.equals(t.get("apiVersion")) || !"Template".equals(t.get("kind"))) {
            problems.add(new TemplateProblem(where, doc.lineOf(t.containsKey("apiVersion") ? "/apiVersion" : "/kind"), id,
                    "expected apiVersion " + API_VERSION + " and kind Template, found " + Names.quote(doc.apiVersion())
                            + " and " + Names.quote(doc.kind())));
        }
        if (RESERVED.contains(name)) {
            problems.add(new TemplateProblem(where, nameLine, id, "metadata.name " + Names.quote(name)
                    + " is a sub-command of Paver's own (" + String.join(", ", new TreeSet<>(RESERVED))
                    + "); choose another name"));
        } else if (!named) {
            problems.add(new TemplateProblem(where, nameLine, id, "metadata.name " + Names.quote(name)
                    + " must be a DNS-1123 label (lowercase letters, digits and '-', at most 63): it is the slash sub-command"));
        }
        Map<String, Object> metadata = ManifestDocument.map(t, "metadata");
        Map<String, Object> spec = ManifestDocument.map(t, "spec");
        for (String key : List.of("title", "description")) {
            if (metadata.get(key) != null && !(metadata.get(key) instanceof String)) {
                problems.add(new TemplateProblem(where, doc.lineOf("/metadata/" + key), id, "metadata." + key + " must be text"));
            }
        }
        List<StepSpec> steps = steps(where, doc, id, spec, actions, problems);
        List<Map<String, String>> examples = new ArrayList<>();
        Object rawExamples = spec.get("examples");
        if (rawExamples != null && !(rawExamples instanceof List<?>)) {
            problems.add(new TemplateProblem(where, doc.lineOf("/spec/examples"), id, "spec.examples must be a list"));
        } else if (rawExamples instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> e) || e.get("parameters") != null && !(e.get("parameters") instanceof Map<?, ?>)) {
                    problems.add(new TemplateProblem(where, doc.lineOf("/spec/examples/" + i), id,
                            "spec.examples[" + i + "] must be an object with parameters: {name: value, ...}"));
                    continue;
                }
                Map<String, String> example = new LinkedHashMap<>();
                ManifestDocument.map((Map<String, Object>) e, "parameters")
                        .forEach((k, v) -> example.put(k, v instanceof List<?> l
                                ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v)));
                examples.add(example);
            }
        }
        fillPlatformEnums(where, doc, id, spec.get("parameters"), platform, problems);
        for (ParameterSchema.Problem p : ParameterSchema.problems(spec.get("parameters"))) {
            problems.add(new TemplateProblem(where, doc.lineOf("/spec/parameters" + p.pointer()), id, p.message()));
        }
        if (!problems.isEmpty()) {
            return new Loaded(where, id, named, nameLine, null, problems);
        }
        GoldenPath path = new GoldenPath(id, ManifestDocument.text(metadata.get("title")),
                ManifestDocument.text(metadata.get("description")).strip(), ParameterSchema.read(spec.get("parameters")),
                steps, ManifestDocument.map(spec, "output"), examples, folder);
        return new Loaded(where, id, named, nameLine, path, List.of());
    }

    /**
     * Fills the {@code enum} of every property (and array {@code items}) that names a platform list with
     * {@code paver:enum}; leaves {@code spec.parameters} of another shape to {@link ParameterSchema#problems}.
     */
    @SuppressWarnings("unchecked")
    private static void fillPlatformEnums(String where, ManifestDocument doc, String id, Object specParameters,
                                          PlatformValues platform, List<TemplateProblem> problems) {
        List<?> pages = specParameters instanceof List<?> l ? l : specParameters == null ? List.of() : List.of(specParameters);
        for (int i = 0; i < pages.size(); i++) {
            String page = "/spec/parameters" + (specParameters instanceof List<?> ? "/" + i : "");
            if (!(pages.get(i) instanceof Map<?, ?> pageMap) || !(pageMap.get("properties") instanceof Map<?, ?> props)) {
                continue;
            }
            for (Map.Entry<?, ?> e : props.entrySet()) {
                if (!(e.getValue() instanceof Map<?, ?> prop)) {
                    continue;
                }
                String name = String.valueOf(e.getKey());
                String at = page + "/properties/" + name.replace("~", "~0").replace("/", "~1");
                fillPlatformEnum(where, doc, id, name, at, (Map<String, Object>) prop, platform, problems);
                fillPlatformDefault(where, doc, id, name, at, (Map<String, Object>) prop, platform, problems);
                if (prop.get("items") instanceof Map<?, ?> items) {
                    fillPlatformEnum(where, doc, id, name + ".items", at + "/items", (Map<String, Object>) items,
                            platform, problems);
                }
            }
        }
    }

    private static void fillPlatformDefault(String where, ManifestDocument doc, String id, String name, String at,
                                            Map<String, Object> schema, PlatformValues platform,
                                            List<TemplateProblem> problems) {
        if (!schema.containsKey(PLATFORM_DEFAULT)) {
            return;
        }
        Object listName = schema.get(PLATFORM_DEFAULT);
        List<String> values = listName instanceof String s ? platform.list(s).orElse(null) : null;
        if (values == null || !"array".equals(schema.get("type")) || schema.containsKey("default")) {
            problems.add(new TemplateProblem(where, doc.lineOf(at + "/" + PLATFORM_DEFAULT), id, PLATFORM_DEFAULT + " of "
                    + name + " must name a list of the platform (" + String.join(", ", platform.names())
                    + ") on an array parameter without a default; it is " + Names.quote(String.valueOf(listName))));
            return;
        }
        schema.put("default", new ArrayList<>(values));
    }

    private static void fillPlatformEnum(String where, ManifestDocument doc, String id, String name, String at,
                                         Map<String, Object> schema, PlatformValues platform,
                                         List<TemplateProblem> problems) {
        if (!schema.containsKey(PLATFORM_ENUM)) {
            return;
        }
        Object listName = schema.get(PLATFORM_ENUM);
        int line = doc.lineOf(at + "/" + PLATFORM_ENUM);
        List<String> values = listName instanceof String s ? platform.list(s).orElse(null) : null;
        if (values == null) {
            problems.add(new TemplateProblem(where, line, id, PLATFORM_ENUM + " of " + name + " is "
                    + Names.quote(String.valueOf(listName)) + ", which is not a list of the platform; use one of "
                    + String.join(", ", platform.names())));
            return;
        }
        if (schema.containsKey("enum")) {
            problems.add(new TemplateProblem(where, doc.lineOf(at + "/enum"), id, name + " has both enum and "
                    + PLATFORM_ENUM + ": leave out enum, the platform's " + listName + " " + values + " fill it"));
            return;
        }
        Object def = schema.get("default");
        List<?> defaults = def instanceof List<?> l ? l : def == null ? List.of() : List.of(def);
        for (Object d : defaults) {
            if (!values.contains(String.valueOf(d))) {
                problems.add(new TemplateProblem(where, doc.lineOf(at + "/default"), id, name + ": the default "
                        + Names.quote(String.valueOf(d)) + " is not one of the platform's " + listName + " " + values
                        + "; choose a default among them or leave it out"));
                return;
            }
        }
        schema.put("enum", new ArrayList<>(values));
    }

    @SuppressWarnings("unchecked")
    private static List<StepSpec> steps(String where, ManifestDocument doc, String id, Map<String, Object> spec,
                                        Set<String> actions, List<TemplateProblem> problems) {
        List<StepSpec> steps = new ArrayList<>();
        Object raw = spec.get("steps");
        if (raw != null && !(raw instanceof List<?>)) {
            problems.add(new TemplateProblem(where, doc.lineOf("/spec/steps"), id, "spec.steps must be a list of steps"));
            return steps;
        }
        List<Object> list = raw == null ? List.of() : (List<Object>) raw;
        Set<String> seen = new HashSet<>();
        Set<String> unknown = new TreeSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "/spec/steps/" + i;
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                problems.add(new TemplateProblem(where, doc.lineOf(at), id, "spec.steps[" + i + "] must be an object "
                        + "with id, action and input"));
                continue;
            }
            Map<String, Object> step = (Map<String, Object>) m;
            String stepId = step.get("id") instanceof String s ? s : "";
            String action = step.get("action") instanceof String s ? s : "";
            if (stepId.isEmpty() || action.isEmpty()) {
                problems.add(new TemplateProblem(where, doc.lineOf(at), id, "every step needs an id and an action"
                        + " (spec.steps[" + i + "]" + (stepId.isEmpty() ? "" : ", " + stepId) + ")"));
                continue;
            }
            boolean ok = true;
            if (!seen.add(stepId)) {
                problems.add(new TemplateProblem(where, doc.lineOf(at + "/id"), id, "step id " + stepId + " is used twice"));
                ok = false;
            }
            if (step.get("input") != null && !(step.get("input") instanceof Map<?, ?>)) {
                problems.add(new TemplateProblem(where, doc.lineOf(at + "/input"), id, "step " + stepId
                        + ": input must be an object"));
                ok = false;
            }
            if (actions != null && !actions.contains(action)) {
                unknown.add(action);
                problems.add(new TemplateProblem(where, doc.lineOf(at + "/action"), id, "step " + stepId + " uses action "
                        + action + ", which is not registered in Paver"));
                ok = false;
            }
            if (!ok) {
                continue;
            }
            steps.add(new StepSpec(stepId, ManifestDocument.text(step.get("name")), action,
                    ManifestDocument.map(step, "input"), step.get("if"), step.get("each")));
        }
        if (!unknown.isEmpty()) {
            problems.add(new TemplateProblem(where, 0, id, "Paver's actions are " + String.join(", ", new TreeSet<>(actions))));
        }
        return steps;
    }

    private static Loaded failed(String where, String folder, String message) {
        return new Loaded(where, folder, false, 0, null, List.of(new TemplateProblem(where, 0, folder, message)));
    }

    /**
     * Adds or replaces golden paths read again from a {@link GoldenPathSource} while Paver runs (a Backstage Template
     * added or changed since the start). It never removes one: the runs of a Template removed meanwhile go on, and it
     * is gone from help at the next start. Thread-safe; a reader sees the catalog before or after, never half of it.
     *
     * @return the ids this catalog did not know before, in order; the others are replaced as they are now
     */
    public synchronized List<String> refresh(Collection<GoldenPath> fromSource) {
        Map<String, GoldenPath> all = new TreeMap<>(paths);
        List<String> added = new ArrayList<>();
        for (GoldenPath path : fromSource) {
            if (all.put(path.id(), path) == null) {
                added.add(path.id());
            }
        }
        paths = Map.copyOf(all);
        return added;
    }

    /**
     * Says whether a {@link GoldenPathSource} has not been read yet (Backstage did not answer at the start). Until it
     * has, a run of a golden path this catalog does not know waits for it instead of failing: it may be one of that
     * source's, read again by a later {@link #refresh}.
     */
    public void awaitingSources(boolean awaiting) {
        this.awaitingSources = awaiting;
    }

    /** True while a {@link GoldenPathSource} has not been read yet ({@link #awaitingSources(boolean)}). */
    public boolean awaitingSources() {
        return awaitingSources;
    }

    /** The golden path with this id, if it loaded. */
    public Optional<GoldenPath> find(String id) {
        return Optional.ofNullable(paths.get(id));
    }

    /** All golden paths that loaded, by id. */
    public Collection<GoldenPath> all() {
        return new TreeMap<>(paths).values();
    }

    /** Why templates did not load, by file and line; empty when all loaded. */
    public List<TemplateProblem> problems() {
        return problems;
    }

    /** The ids of golden paths that are turned off because their template does not load (see {@link #problems()}). */
    public Set<String> turnedOff() {
        Set<String> off = new TreeSet<>();
        problems.forEach(p -> off.add(p.id()));
        off.removeAll(paths.keySet());
        return off;
    }
}

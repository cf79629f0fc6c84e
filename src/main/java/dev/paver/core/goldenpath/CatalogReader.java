package dev.paver.core.goldenpath;

import dev.paver.core.convention.GroupAccessAnnotations;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.YamlDocuments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the Backstage catalog entities of domain GitOps repositories ({@code catalog/**.yaml}) into a
 * {@link PlatformCatalog}: {@code System} (name, {@code spec.domain}, {@code spec.owner}), {@code Component} (name, {@code spec.system},
 * {@code spec.owner}), {@code Group}
 * (name, annotation {@code platform/cost-center}, and its developer access, {@link GroupAccessAnnotations}: a Group
 * whose access annotations are not well-formed gets none here, and the conventions gate names the fault), {@code Domain} (name, {@code spec.owner}) and {@code User} (name,
 * {@code spec.memberOf}). Files that are not YAML are skipped: the gate reports them.
 */
public final class CatalogReader {

    /** The annotation that carries a group's cost centre. */
    public static final String COST_CENTER_ANNOTATION = "platform/cost-center";

    private CatalogReader() {
    }

    /** @param files path to text of one or more repositories' {@code catalog/} folders */
    public static PlatformCatalog read(Map<String, String> files) {
        return read(files, Set.of(), List.of());
    }

    /**
     * The catalog of the repositories' files, except that the entities of {@code kinds} come from {@code entities}
     * (another catalog's, such as Backstage's: {@link CatalogEntities}) and those of the files are ignored.
     *
     * @param files    path to text of one or more repositories' {@code catalog/} folders
     * @param kinds    the kinds {@code entities} is the source of, e.g. {@code Domain}, {@code System}
     * @param entities entities as documents ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}); those of
     *                 other kinds than {@code kinds} are ignored
     */
    public static PlatformCatalog read(Map<String, String> files, Set<String> kinds, List<ManifestDocument> entities) {
        List<ManifestDocument> documents = new ArrayList<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            if (!(file.getKey().endsWith(".yaml") || file.getKey().endsWith(".yml"))) {
                continue;
            }
            try {
                for (ManifestDocument doc : YamlDocuments.parse(file.getKey(), file.getValue())) {
                    if (!kinds.contains(doc.kind())) {
                        documents.add(doc);
                    }
                }
            } catch (YamlDocuments.InvalidYamlException e) {
                // not readable: the conventions gate reports it
            }
        }
        entities.stream().filter(doc -> kinds.contains(doc.kind())).forEach(documents::add);
        return fromDocuments(documents);
    }

    private static PlatformCatalog fromDocuments(List<ManifestDocument> documents) {
        Map<String, PlatformCatalog.SystemEntry> systems = new LinkedHashMap<>();
        Map<String, String> groups = new LinkedHashMap<>();
        Map<String, String[]> components = new LinkedHashMap<>();
        Map<String, String> domains = new LinkedHashMap<>();
        Map<String, List<String>> users = new LinkedHashMap<>();
        Map<String, PlatformCatalog.GroupAccess> access = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (ManifestDocument doc : documents) {
            if (!doc.apiVersion().startsWith("backstage.io/")) {
                continue;
            }
            Map<String, Object> spec = ManifestDocument.map(doc.body(), "spec");
            String type = ManifestDocument.text(spec.get("type"));
            if (type != null && !type.isBlank()) {
                types.put(PlatformCatalog.typeKey(doc.kind(), doc.name()), type);
            }
            if (doc.kind().equals("System")) {
                systems.put(doc.name(), new PlatformCatalog.SystemEntry(doc.name(),
                        entityName(ManifestDocument.text(spec.get("domain"))),
                        entityName(ManifestDocument.text(spec.get("owner")))));
            } else if (doc.kind().equals("Component")) {
                components.put(doc.name(), new String[] {entityName(ManifestDocument.text(spec.get("system"))),
                        entityName(ManifestDocument.text(spec.get("owner")))});
            } else if (doc.kind().equals("Domain")) {
                domains.put(doc.name(), entityName(ManifestDocument.text(spec.get("owner"))));
            } else if (doc.kind().equals("User")) {
                List<String> memberOf = spec.get("memberOf") instanceof List<?> l
                        ? l.stream().map(o -> entityName(String.valueOf(o))).toList() : List.of();
                users.put(doc.name(), memberOf);
            } else if (doc.kind().equals("Group")) {
                Map<String, Object> annotations = ManifestDocument.map(ManifestDocument.map(doc.body(), "metadata"), "annotations");
                groups.put(doc.name(), ManifestDocument.text(annotations.get(COST_CENTER_ANNOTATION)));
                if (Names.isDnsLabel(doc.name())
                        && GroupAccessAnnotations.read(annotations) instanceof GroupAccessAnnotations.Declared d) {
                    access.put(doc.name(), new PlatformCatalog.GroupAccess(doc.name(), d.domain(),
                            d.environments(), d.systems()));
                }
            }
        }
        Map<String, PlatformCatalog.ServiceEntry> services = new LinkedHashMap<>();
        components.forEach((name, so) -> services.put(name, new PlatformCatalog.ServiceEntry(name, so[0], so[1],
                systems.containsKey(so[0]) ? systems.get(so[0]).domain() : "")));
        return new PlatformCatalog(systems, groups, services, domains, users, Set.of(), access, types);
    }

    /** {@code group:default/team-a} and {@code group:team-a} give {@code team-a}. */
    static String entityName(String ref) {
        String name = ref.contains(":") ? ref.substring(ref.indexOf(':') + 1) : ref;
        return name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
    }
}

package dev.paver.core.convention;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The effective manifests of one kustomization directory, so that the rules see what Argo CD will apply
 * rather than a base without its overlay's labels. It implements the part of {@code kustomize build} that
 * golden paths use (kubectl.docs.kubernetes.io, "Kustomization"): {@code resources} (files and
 * directories), {@code namespace}, {@code labels} (with {@code includeSelectors}/{@code includeTemplates}),
 * {@code commonLabels}, {@code images} and strategic-merge {@code patches} by path. It never guesses: a kustomization
 * that uses anything else (a field such as {@code namePrefix}, {@code replicas}, {@code components} or a generator, an
 * inline or targeted patch, a JSON 6902 patch, a {@code $patch} directive, a patched list that kustomize merges by a
 * key other than {@code name}) is refused by {@link #buildOrRefuse}, naming the field, rather than built differently
 * from kustomize.
 */
public final class KustomizeView {

    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
            "CustomResourceDefinition", "StorageClass", "PersistentVolume", "PriorityClass");
    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicaSet");

    /** The kustomization fields the view models; kustomize's other fields are refused. */
    static final Set<String> MODELLED = Set.of("apiVersion", "kind", "metadata", "resources", "namespace", "commonLabels",
            "labels", "images", "patches", "patchesStrategicMerge");
    /** Lists that kustomize's strategic merge merges by {@code name} in the built-in kinds (patchMergeKey "name"). */
    static final Set<String> MERGED_BY_NAME = Set.of("containers", "initContainers", "ephemeralContainers", "env",
            "volumes", "imagePullSecrets");
    /** The kinds whose schema kustomize knows, where lists above merge by name (other kinds: lists are replaced). */
    static final Set<String> BUILT_IN_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob",
            "ReplicaSet", "Pod", "Service", "Namespace", "ConfigMap", "ServiceAccount");

    private final Map<String, String> files;
    private final Set<String> read = new TreeSet<>();
    private final List<Violation> refused = new ArrayList<>();

    /** @param files repository-relative path to text, the whole tree the kustomizations may reference */
    public KustomizeView(Map<String, String> files) {
        this.files = files;
    }

    /**
     * Builds a directory holding {@code kustomization.yaml}.
     *
     * @param directory repository-relative directory without trailing slash
     * @throws KustomizeException when a referenced file is missing or escapes the repository
     * @throws YamlDocuments.InvalidYamlException when a file is not YAML
     */
    public List<ManifestDocument> build(String directory) {
        return build(directory, 0);
    }

    /**
     * Builds a directory, or refuses it: every field the view does not model is one {@code kustomize} violation that
     * names it and says to install kustomize; a missing file, a bad reference or YAML that cannot be read is one
     * violation too.
     *
     * @param directory repository-relative directory without trailing slash
     */
    public OverlayBuilder.Build buildOrRefuse(String directory) {
        try {
            List<ManifestDocument> docs = build(directory, 0);
            return refused.isEmpty() ? OverlayBuilder.Build.of(docs) : OverlayBuilder.Build.failed(refused);
        } catch (KustomizeException e) {
            // after a refusal, a failure is what the unmodelled field left out (a generated resource a patch targets)
            return OverlayBuilder.Build.failed(refused.isEmpty()
                    ? List.of(new Violation(e.file(), 0, "kustomize", directory, e.getMessage())) : refused);
        } catch (YamlDocuments.InvalidYamlException e) {
            return OverlayBuilder.Build.failed(refused.isEmpty() ? List.of(e.toViolation()) : refused);
        }
    }

    /** Every file the builds so far read: kustomizations, resources and patches. */
    public Set<String> filesRead() {
        return Collections.unmodifiableSet(read);
    }

    @SuppressWarnings("unchecked")
    private List<ManifestDocument> build(String directory, int depth) {
        if (depth > 10) {
            throw new KustomizeException(directory + "/kustomization.yaml", "kustomizations nest more than 10 deep");
        }
        String kustomizationFile = Kustomizations.kustomizationFile(files, directory);
        if (kustomizationFile == null) {
            throw new KustomizeException(directory + "/kustomization.yaml", "missing kustomization.yaml");
        }
        String text = files.get(kustomizationFile);
        read.add(kustomizationFile);
        List<ManifestDocument> docs = YamlDocuments.parse(kustomizationFile, text);
        Map<String, Object> k = docs.isEmpty() ? Map.of() : docs.get(0).body();
        ManifestDocument kustomization = docs.isEmpty() ? new ManifestDocument(kustomizationFile, 0, Map.of()) : docs.get(0);
        refuseUnmodelled(kustomization, directory);

        List<ManifestDocument> out = new ArrayList<>();
        for (Object entry : ManifestDocument.list(k, "resources")) {
            String path = resolve(kustomizationFile, directory, ManifestDocument.text(entry));
            if (Kustomizations.kustomizationFile(files, path) != null) {
                out.addAll(build(path, depth + 1));
            } else if (files.containsKey(path)) {
                read.add(path);
                out.addAll(YamlDocuments.parse(path, files.get(path)));
            } else {
                throw new KustomizeException(kustomizationFile, "resource " + Names.quote(ManifestDocument.text(entry))
                        + " does not exist");
            }
        }
        List<Object> patches = new ArrayList<>(ManifestDocument.list(k, "patches"));
        patches.addAll(ManifestDocument.list(k, "patchesStrategicMerge"));
        for (Object patch : patches) {
            String patchPath = patch instanceof Map<?, ?> m ? ManifestDocument.text(m.get("path")) : ManifestDocument.text(patch);
            if (patchPath.isEmpty() || patchPath.contains("\n")) {
                continue;
            }
            String path = resolve(kustomizationFile, directory, patchPath);
            if (!files.containsKey(path)) {
                throw new KustomizeException(kustomizationFile, "patch " + Names.quote(patchPath) + " does not exist");
            }
            read.add(path);
            if (refuseJson6902(path, directory)) {
                continue;
            }
            for (ManifestDocument p : YamlDocuments.parse(path, files.get(path))) {
                if (refusePatch(p, directory)) {
                    continue;
                }
                applyPatch(out, p, kustomizationFile);
            }
        }
        String namespace = ManifestDocument.text(k.get("namespace"));
        List<ManifestDocument> result = new ArrayList<>();
        for (ManifestDocument doc : out) {
            Map<String, Object> body = deepCopy(doc.body());
            if (!namespace.isEmpty() && !CLUSTER_SCOPED.contains(doc.kind())) {
                mutableMap(body, "metadata").put("namespace", namespace);
            }
            Map<String, Object> common = ManifestDocument.map(k, "commonLabels");
            if (!common.isEmpty()) {
                addLabels(body, doc.kind(), (Map<String, Object>) (Map<?, ?>) common, true, true);
            }
            for (Object labelSet : ManifestDocument.list(k, "labels")) {
                if (labelSet instanceof Map<?, ?> set) {
                    Map<String, Object> s = (Map<String, Object>) set;
                    addLabels(body, doc.kind(), ManifestDocument.map(s, "pairs"),
                            Boolean.TRUE.equals(s.get("includeSelectors")), Boolean.TRUE.equals(s.get("includeTemplates")));
                }
            }
            for (Object image : ManifestDocument.list(k, "images")) {
                if (image instanceof Map<?, ?> img) {
                    setImage(body, (Map<String, Object>) img);
                }
            }
            result.add(doc.withBody(body));
        }
        return result;
    }

    private String resolve(String kustomizationFile, String directory, String relative) {
        if (relative.contains("://")) {
            throw new KustomizeException(kustomizationFile, "reference " + Names.quote(relative)
                    + " must be a relative path inside the repository");
        }
        return Kustomizations.resolve(kustomizationFile, directory, relative);
    }

    private static final String INSTALL = "install kustomize (or kubectl) so Paver builds overlays as Argo CD does";

    private void refuse(ManifestDocument kustomization, String pointer, String directory, String what) {
        refused.add(new Violation(kustomization.file(), kustomization.lineOf(pointer), "kustomize", directory,
                what + ", which the built-in view does not model; " + INSTALL));
    }

    /** Refuses every field, and every part of a modelled field, that {@link #build} would not build as kustomize does. */
    @SuppressWarnings("unchecked")
    private void refuseUnmodelled(ManifestDocument kustomization, String directory) {
        String name = kustomization.file().substring(kustomization.file().lastIndexOf('/') + 1);
        Map<String, Object> k = kustomization.body();
        for (String field : new TreeSet<>(k.keySet())) {
            if (!MODELLED.contains(field)) {
                refuse(kustomization, "/" + field, directory, name + " uses " + field);
            }
        }
        List<Object> labels = ManifestDocument.list(k, "labels");
        for (int i = 0; i < labels.size(); i++) {
            Map<String, Object> set = labels.get(i) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            for (String key : new TreeSet<>(set.keySet())) {
                if (!Set.of("pairs", "includeSelectors", "includeTemplates").contains(key)) {
                    refuse(kustomization, "/labels/" + i + "/" + key, directory, name + " uses labels[].'" + key + "'");
                }
            }
        }
        List<Object> images = ManifestDocument.list(k, "images");
        for (int i = 0; i < images.size(); i++) {
            Map<String, Object> image = images.get(i) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            for (String key : new TreeSet<>(image.keySet())) {
                if (!Set.of("name", "newName", "newTag", "digest").contains(key)) {
                    refuse(kustomization, "/images/" + i + "/" + key, directory, name + " uses images[]." + key);
                }
            }
        }
        List<Object> patches = ManifestDocument.list(k, "patches");
        for (int i = 0; i < patches.size(); i++) {
            Map<String, Object> patch = patches.get(i) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            for (String key : new TreeSet<>(patch.keySet())) {
                if (!key.equals("path")) {
                    refuse(kustomization, "/patches/" + i + "/" + key, directory, name + " uses patches[]." + key
                            + (key.equals("patch") ? " (an inline patch)" : ""));
                }
            }
        }
        List<Object> strategic = ManifestDocument.list(k, "patchesStrategicMerge");
        for (int i = 0; i < strategic.size(); i++) {
            if (ManifestDocument.text(strategic.get(i)).contains("\n")) {
                refuse(kustomization, "/patchesStrategicMerge/" + i, directory, name
                        + " uses patchesStrategicMerge with an inline patch");
            }
        }
    }

    /** Refuses a patch file that is a JSON 6902 patch (a list of operations); true when refused. */
    private boolean refuseJson6902(String path, String directory) {
        String text = files.get(path).stripLeading();
        while (text.startsWith("#")) {
            int end = text.indexOf('\n');
            text = end < 0 ? "" : text.substring(end + 1).stripLeading();
        }
        if (text.startsWith("-") && !text.startsWith("---") || text.startsWith("[")) {
            refused.add(new Violation(path, 1, "kustomize", directory, path.substring(path.lastIndexOf('/') + 1)
                    + " is a JSON 6902 patch, which the built-in view does not model; " + INSTALL));
            return true;
        }
        return false;
    }

    /** Refuses a strategic-merge patch that the view would merge differently from kustomize; true when refused. */
    private boolean refusePatch(ManifestDocument patch, String directory) {
        List<String> problems = new ArrayList<>();
        patchProblems(patch.body(), "", BUILT_IN_KINDS.contains(patch.kind()), problems);
        String file = patch.file().substring(patch.file().lastIndexOf('/') + 1);
        for (String problem : problems) {
            refused.add(new Violation(patch.file(), patch.lineOf(problem.substring(0, problem.indexOf(' '))), "kustomize",
                    directory, "patch " + file + " " + problem.substring(problem.indexOf(' ') + 1)
                            + ", which the built-in view does not model; " + INSTALL));
        }
        return !problems.isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static void patchProblems(Object value, String pointer, boolean builtInKind, List<String> problems) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                String child = pointer + "/" + e.getKey();
                if (e.getKey().startsWith("$")) {
                    problems.add(child + " uses the directive " + e.getKey() + " at " + child);
                } else if (e.getValue() == null) {
                    problems.add(child + " deletes " + child + " (null)");
                } else if (e.getValue() instanceof List<?> list) {
                    boolean named = list.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("name") != null);
                    if (!builtInKind || !MERGED_BY_NAME.contains(e.getKey()) || !named) {
                        problems.add(child + " sets the list " + child + ", which kustomize merges or replaces by the "
                                + "kind's schema");
                    } else {
                        for (int i = 0; i < list.size(); i++) {
                            patchProblems(list.get(i), child + "/" + i, builtInKind, problems);
                        }
                    }
                } else {
                    patchProblems(e.getValue(), child, builtInKind, problems);
                }
            }
        }
    }

    private static void applyPatch(List<ManifestDocument> docs, ManifestDocument patch, String kustomizationFile) {
        for (int i = 0; i < docs.size(); i++) {
            ManifestDocument doc = docs.get(i);
            if (doc.kind().equals(patch.kind()) && doc.name().equals(patch.name())) {
                Map<String, Object> merged = deepCopy(doc.body());
                merge(merged, patch.body());
                docs.set(i, doc.withBody(merged));
                return;
            }
        }
        throw new KustomizeException(kustomizationFile, "patch " + patch.file() + " targets " + patch.describe()
                + ", which no resource defines");
    }

    /** Strategic merge as kustomize does it for the fields golden paths patch: maps deep, lists of named items by name. */
    @SuppressWarnings("unchecked")
    static void merge(Map<String, Object> target, Map<String, Object> patch) {
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            Object current = target.get(e.getKey());
            Object value = e.getValue();
            if (current instanceof Map<?, ?> cm && value instanceof Map<?, ?> pm) {
                merge((Map<String, Object>) cm, (Map<String, Object>) pm);
            } else if (current instanceof List<?> cl && value instanceof List<?> pl && isNamedList(cl) && isNamedList(pl)) {
                // kustomize (kyaml's merge of associative lists) puts the patch's items first, in the patch's order,
                // then the target's items that the patch does not name, in their order
                List<Object> list = (List<Object>) cl;
                List<Object> merged = new ArrayList<>();
                Set<Object> named = new HashSet<>();
                for (Object item : pl) {
                    Map<String, Object> patchItem = (Map<String, Object>) item;
                    named.add(patchItem.get("name"));
                    Map<String, Object> existing = null;
                    for (Object o : list) {
                        if (((Map<?, ?>) o).get("name").equals(patchItem.get("name"))) {
                            existing = (Map<String, Object>) o;
                        }
                    }
                    if (existing == null) {
                        merged.add(deepCopy(patchItem));
                    } else {
                        merge(existing, patchItem);
                        merged.add(existing);
                    }
                }
                list.stream().filter(o -> !named.contains(((Map<?, ?>) o).get("name"))).forEach(merged::add);
                target.put(e.getKey(), merged);
            } else {
                target.put(e.getKey(), value instanceof Map<?, ?> m ? deepCopy((Map<String, Object>) m) : value);
            }
        }
    }

    private static boolean isNamedList(List<?> list) {
        return !list.isEmpty() && list.stream().allMatch(o -> o instanceof Map<?, ?> m && m.get("name") != null);
    }

    private static void addLabels(Map<String, Object> body, String kind, Map<String, Object> pairs,
                                  boolean selectors, boolean templates) {
        if (pairs.isEmpty()) {
            return;
        }
        mutableMap(mutableMap(body, "metadata"), "labels").putAll(pairs);
        Map<String, Object> spec = mutableMap(body, "spec");
        if (selectors) {
            if (kind.equals("Service")) {
                mutableMap(spec, "selector").putAll(pairs);
            } else if (WORKLOADS.contains(kind) && !kind.equals("CronJob") && !kind.equals("Job")) {
                mutableMap(mutableMap(spec, "selector"), "matchLabels").putAll(pairs);
            }
        }
        if (templates || selectors) {
            Map<String, Object> template = podTemplate(body, kind);
            if (template != null) {
                mutableMap(mutableMap(template, "metadata"), "labels").putAll(pairs);
            }
        }
        if (spec.isEmpty()) {
            body.remove("spec");
        }
    }

    /** The pod template of a workload (CronJob: {@code spec.jobTemplate.spec.template}), or null. */
    static Map<String, Object> podTemplate(Map<String, Object> body, String kind) {
        if (!WORKLOADS.contains(kind)) {
            return null;
        }
        Map<String, Object> spec = mutableMap(body, "spec");
        if (kind.equals("CronJob")) {
            spec = mutableMap(mutableMap(spec, "jobTemplate"), "spec");
        }
        return mutableMap(spec, "template");
    }

    @SuppressWarnings("unchecked")
    private static void setImage(Map<String, Object> body, Map<String, Object> image) {
        String name = ManifestDocument.text(image.get("name"));
        Map<String, Object> template = podTemplate(body, ManifestDocument.text(body.get("kind")));
        if (template == null || name.isEmpty()) {
            return;
        }
        Map<String, Object> podSpec = mutableMap(template, "spec");
        for (String field : List.of("containers", "initContainers")) {
            for (Object c : ManifestDocument.list(podSpec, field)) {
                Map<String, Object> container = (Map<String, Object>) c;
                String current = ManifestDocument.text(container.get("image"));
                if (!imageName(current).equals(name)) {
                    continue;
                }
                String newName = ManifestDocument.text(image.get("newName"));
                String newTag = ManifestDocument.text(image.get("newTag"));
                String digest = ManifestDocument.text(image.get("digest"));
                String base = newName.isEmpty() ? name : newName;
                String tag = imageTag(current);
                if (!digest.isEmpty()) {
                    container.put("image", base + "@" + digest);
                } else {
                    container.put("image", base + (newTag.isEmpty() ? (tag.isEmpty() ? "" : ":" + tag) : ":" + newTag));
                }
            }
        }
    }

    /** The image reference without tag or digest: {@code ghcr.io/acme/api:1.2} gives {@code ghcr.io/acme/api}. */
    public static String imageName(String image) {
        String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = noDigest.lastIndexOf('/');
        int colon = noDigest.lastIndexOf(':');
        return colon > slash ? noDigest.substring(0, colon) : noDigest;
    }

    /** The tag of an image reference, or "" when it has none (a digest counts as none). */
    public static String imageTag(String image) {
        if (image.contains("@")) {
            return "";
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mutableMap(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        Map<String, Object> created = new LinkedHashMap<>();
        parent.put(key, created);
        return created;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((k, v) -> copy.put(k, copyValue(v)));
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return deepCopy((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(o -> copy.add(copyValue(o)));
            return copy;
        }
        return v;
    }

    /** A kustomization that cannot be built; the message names the file and what to fix. */
    public static final class KustomizeException extends RuntimeException {
        private final String file;

        public KustomizeException(String file, String message) {
            super(message);
            this.file = file;
        }

        /** The repository-relative file at fault. */
        public String file() {
            return file;
        }
    }
}

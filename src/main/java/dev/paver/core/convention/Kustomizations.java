package dev.paver.core.convention;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a kustomization directory reaches, read without building it: every kustomization, resource, patch and
 * generator file it names, directly or through the folders it includes. Follows the fields that name files in
 * kustomize's {@code Kustomization} type (sigs.k8s.io/kustomize/api/types/kustomization.go): {@code resources},
 * {@code bases}, {@code components}, {@code patches[].path}, {@code patchesStrategicMerge}, {@code patchesJson6902[].path},
 * {@code replacements[].path}, {@code configurations}, {@code crds}, {@code generators}, {@code transformers},
 * {@code validators}, {@code openapi.path} and the {@code files}/{@code envs}/{@code env} of {@code configMapGenerator}
 * and {@code secretGenerator}.
 *
 * <p>The gate runs this before any build, so that a real kustomize is only given what stays in the repository: every
 * entry of {@code resources}, {@code bases} and {@code components} must be a relative path to a file or a kustomization
 * folder of the repository. A remote base (a URL, or {@code github.com/org/repo//path?ref=...}) is refused and never
 * fetched: Argo CD would fetch it at sync time, so the gate cannot see what it holds.
 */
public final class Kustomizations {

    /** The names kustomize accepts for a kustomization file, in the order it looks for them. */
    public static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

    private static final Pattern HOST_FIRST = Pattern.compile("^[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+(:\\d+)?/.*");
    private static final int MAX_DEPTH = 10;

    private Kustomizations() {
    }

    /**
     * What a directory reaches.
     *
     * @param files    every file reached (kustomizations included), repository-relative
     * @param problems {@code kustomize} violations: a remote, absolute, escaping or missing resource, or nesting
     *                 deeper than 10; empty when every reference is local
     */
    public record Reach(Set<String> files, List<Violation> problems) {
    }

    /**
     * @param files     repository-relative path to text
     * @param directory repository-relative directory holding a kustomization file
     * @return the files the directory reaches and the problems of its references
     */
    public static Reach reach(Map<String, String> files, String directory) {
        Set<String> reached = new LinkedHashSet<>();
        List<Violation> problems = new ArrayList<>();
        walk(files, directory, 0, reached, problems, new LinkedHashSet<>());
        return new Reach(reached, problems);
    }

    /** The kustomization file of a directory, or null when it has none. */
    public static String kustomizationFile(Map<String, String> files, String directory) {
        for (String name : FILE_NAMES) {
            String path = directory.isEmpty() ? name : directory + "/" + name;
            if (files.containsKey(path)) {
                return path;
            }
        }
        return null;
    }

    /**
     * True when a reference names a remote location as kustomize reads it (a URL, {@code git@host:...}, a
     * {@code host.tld/...} path, or a {@code ?ref=}/{@code //subdir} of go-getter), not a local path.
     */
    public static boolean isRemote(String reference) {
        return reference.contains("://") || reference.startsWith("git@") || reference.contains("?ref=")
                || reference.contains("?version=") || reference.contains("//") || HOST_FIRST.matcher(reference).matches();
    }

    /**
     * Resolves a reference of a kustomization against its directory.
     *
     * @return the repository-relative path
     * @throws KustomizeView.KustomizeException when the reference is empty, absolute, has backslashes or leaves the
     *         repository
     */
    public static String resolve(String kustomizationFile, String directory, String relative) {
        if (relative.isEmpty() || relative.startsWith("/") || relative.contains("\\")) {
            throw new KustomizeView.KustomizeException(kustomizationFile, "reference " + Names.quote(relative)
                    + " must be a relative path inside the repository");
        }
        List<String> parts = new ArrayList<>(directory.isEmpty() ? List.of() : List.of(directory.split("/")));
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new KustomizeView.KustomizeException(kustomizationFile, "reference " + Names.quote(relative)
                            + " leaves the repository");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    private static void walk(Map<String, String> files, String directory, int depth, Set<String> reached,
                             List<Violation> problems, Set<String> stack) {
        String kustomizationFile = kustomizationFile(files, directory);
        if (kustomizationFile == null) {
            problems.add(new Violation(directory + "/kustomization.yaml", 0, "kustomize", directory, "missing kustomization.yaml"));
            return;
        }
        if (depth > MAX_DEPTH || !stack.add(directory)) {
            problems.add(new Violation(kustomizationFile, 0, "kustomize", directory, "kustomizations nest more than "
                    + MAX_DEPTH + " deep"));
            return;
        }
        reached.add(kustomizationFile);
        Map<String, Object> k;
        try {
            List<ManifestDocument> docs = YamlDocuments.parse(kustomizationFile, files.get(kustomizationFile));
            k = docs.isEmpty() ? Map.of() : docs.get(0).body();
        } catch (YamlDocuments.InvalidYamlException e) {
            problems.add(e.toViolation());
            stack.remove(directory);
            return;
        }
        for (String field : List.of("resources", "bases", "components")) {
            for (Object entry : ManifestDocument.list(k, field)) {
                String reference = ManifestDocument.text(entry);
                try {
                    String path = resolve(kustomizationFile, directory, reference);
                    if (kustomizationFile(files, path) != null) {
                        walk(files, path, depth + 1, reached, problems, stack);
                    } else if (files.containsKey(path)) {
                        reached.add(path);
                    } else if (isRemote(reference)) {
                        problems.add(remote(kustomizationFile, directory, field, reference));
                    } else {
                        problems.add(new Violation(kustomizationFile, 0, "kustomize", directory,
                                (field.equals("components") ? "component " : "resource ") + Names.quote(reference)
                                        + " does not exist"));
                    }
                } catch (KustomizeView.KustomizeException e) {
                    problems.add(isRemote(reference) ? remote(kustomizationFile, directory, field, reference)
                            : new Violation(kustomizationFile, 0, "kustomize", directory, e.getMessage()));
                }
            }
        }
        for (String reference : fileReferences(k)) {
            try {
                String path = resolve(kustomizationFile, directory, reference);
                if (kustomizationFile(files, path) != null) {
                    walk(files, path, depth + 1, reached, problems, stack);
                } else if (files.containsKey(path)) {
                    reached.add(path);
                }
            } catch (KustomizeView.KustomizeException ignored) {
                // kustomize's own load restrictor refuses these files (they must sit below the kustomization)
            }
        }
        stack.remove(directory);
    }

    private static Violation remote(String kustomizationFile, String directory, String field, String reference) {
        return new Violation(kustomizationFile, 0, "kustomize", directory, field + " entry " + Names.quote(reference)
                + " is a remote base: Paver never fetches remote bases, so it cannot check what Argo CD would apply; "
                + "copy it into the repository and reference the copy");
    }

    /** The file names of the fields other than resources/bases/components (inline YAML entries left out). */
    @SuppressWarnings("unchecked")
    private static List<String> fileReferences(Map<String, Object> k) {
        List<String> out = new ArrayList<>();
        for (String field : List.of("patches", "patchesJson6902", "replacements")) {
            for (Object entry : ManifestDocument.list(k, field)) {
                if (entry instanceof Map<?, ?> m) {
                    out.add(ManifestDocument.text(m.get("path")));
                }
            }
        }
        for (String field : List.of("patchesStrategicMerge", "configurations", "crds", "generators", "transformers", "validators")) {
            for (Object entry : ManifestDocument.list(k, field)) {
                out.add(ManifestDocument.text(entry));
            }
        }
        out.add(ManifestDocument.text(ManifestDocument.map(k, "openapi").get("path")));
        for (String field : List.of("configMapGenerator", "secretGenerator")) {
            for (Object entry : ManifestDocument.list(k, field)) {
                if (entry instanceof Map<?, ?> m) {
                    Map<String, Object> generator = (Map<String, Object>) m;
                    for (Object f : ManifestDocument.list(generator, "files")) {
                        String file = ManifestDocument.text(f);
                        out.add(file.contains("=") ? file.substring(file.indexOf('=') + 1) : file);
                    }
                    ManifestDocument.list(generator, "envs").forEach(e -> out.add(ManifestDocument.text(e)));
                    out.add(ManifestDocument.text(generator.get("env")));
                }
            }
        }
        out.removeIf(s -> s.isEmpty() || s.contains("\n") || isRemote(s));
        return out;
    }
}

package dev.paver.core.convention;

import java.util.List;
import java.util.Map;

/**
 * One YAML document of a manifest file.
 *
 * @param file  repository-relative path, e.g. {@code apps/checkout/api/base/deployment.yaml}
 * @param line  1-based line where the document starts
 * @param body  the document as maps, lists and scalars (SnakeYAML's safe types)
 * @param lines where the document's fields are written: JSON pointer ({@code /spec/replicas},
 *              {@code /spec/template/spec/containers/0}) to 1-based line; empty when unknown
 */
public record ManifestDocument(String file, int line, Map<String, Object> body, Map<String, Integer> lines) {

    public ManifestDocument {
        lines = lines == null ? Map.of() : lines;
    }

    /** A document whose field lines are unknown. */
    public ManifestDocument(String file, int line, Map<String, Object> body) {
        this(file, line, body, Map.of());
    }

    /**
     * The line of the field at {@code pointer}, or of its nearest ancestor whose line is known, or the document's
     * start line.
     *
     * @param pointer a JSON pointer into the body, e.g. {@code /spec/template/spec/containers/0/image}
     */
    public int lineOf(String pointer) {
        String p = pointer == null ? "" : pointer;
        while (!p.isEmpty()) {
            Integer known = lines.get(p);
            if (known != null) {
                return known;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
        return line;
    }

    /** {@code kind}, or the empty string. */
    public String kind() {
        return text(body.get("kind"));
    }

    /** {@code apiVersion}, or the empty string. */
    public String apiVersion() {
        return text(body.get("apiVersion"));
    }

    /** {@code metadata.name}, or the empty string. */
    public String name() {
        return text(map(body, "metadata").get("name"));
    }

    /** {@code metadata.namespace}, or the empty string. */
    public String namespace() {
        return text(map(body, "metadata").get("namespace"));
    }

    /** {@code Kind/name}, how messages name a document. */
    public String describe() {
        return kind() + "/" + name();
    }

    /**
     * A copy with another body, keeping file, line and field lines (kustomize transformations: a field they add
     * takes the line of its nearest ancestor written in this file).
     */
    public ManifestDocument withBody(Map<String, Object> newBody) {
        return new ManifestDocument(file, line, newBody, lines);
    }

    /** The map under {@code key}, or an empty map when absent or not a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** The list under {@code key}, or an empty list when absent or not a list. */
    public static List<Object> list(Map<String, Object> parent, String key) {
        Object value = parent == null ? null : parent.get(key);
        return value instanceof List<?> l ? List.copyOf(l.stream().map(o -> (Object) o).toList()) : List.of();
    }

    /** A scalar as text ("" for null, maps and lists). */
    public static String text(Object value) {
        if (value == null || value instanceof Map || value instanceof List) {
            return "";
        }
        return String.valueOf(value);
    }
}

package dev.paver.core.convention;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses a multi-document YAML file into {@link ManifestDocument}s with their start lines and the line of each of
 * their fields ({@link ManifestDocument#lineOf}), using SnakeYAML's safe constructor: no custom tags, no duplicate
 * keys, at most 3 Mi (3,145,728) characters and 50 aliases per file (SnakeYAML's {@code codePointLimit} counts
 * code points, not bytes).
 */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    /**
     * @param file    the path shown in messages
     * @param content the file's text
     * @return the non-empty documents that are mappings, in file order
     * @throws InvalidYamlException when the text is not YAML, has duplicate keys, or a document is not a mapping
     */
    @SuppressWarnings("unchecked")
    public static List<ManifestDocument> parse(String file, String content) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        options.setCodePointLimit(3 * 1024 * 1024);
        DocumentConstructor constructor = new DocumentConstructor(options);
        Yaml yaml = new Yaml(constructor);
        List<ManifestDocument> documents = new ArrayList<>();
        try {
            for (Node node : yaml.composeAll(new StringReader(content))) {
                if (node == null) {
                    continue;
                }
                Object value = constructor.construct(node);
                int line = node.getStartMark().getLine() + 1;
                if (value == null) {
                    continue;
                }
                if (!(value instanceof Map<?, ?> map)) {
                    throw new InvalidYamlException(file, line, "a document must be a mapping, found "
                            + value.getClass().getSimpleName());
                }
                Map<String, Integer> lines = new HashMap<>();
                index(node, "", lines, 0);
                documents.add(new ManifestDocument(file, line, (Map<String, Object>) map, lines));
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InvalidYamlException(file, line, e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidYamlException(file, 0, e.getMessage());
        }
        return documents;
    }

    /**
     * Records the 1-based line of every field below {@code node}: a mapping entry at its key's line, a sequence item
     * at its own line. Keys are JSON-pointer escaped ({@code ~0}, {@code ~1}).
     */
    private static void index(Node node, String pointer, Map<String, Integer> lines, int depth) {
        if (depth > 100) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    continue;
                }
                String child = pointer + "/" + key.getValue().replace("~", "~0").replace("/", "~1");
                lines.put(child, key.getStartMark().getLine() + 1);
                index(tuple.getValueNode(), child, lines, depth + 1);
            }
        } else if (node instanceof SequenceNode sequence) {
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                String child = pointer + "/" + i;
                lines.put(child, items.get(i).getStartMark().getLine() + 1);
                index(items.get(i), child, lines, depth + 1);
            }
        }
    }

    /** Not YAML, or not manifest-shaped YAML. {@link #line()} is 1-based, 0 when unknown. */
    public static final class InvalidYamlException extends RuntimeException {
        private final String file;
        private final int line;

        public InvalidYamlException(String file, int line, String problem) {
            super(file + (line > 0 ? ":" + line : "") + ": " + problem);
            this.file = file;
            this.line = line;
        }

        /** The file that is not valid YAML. */
        public String file() {
            return file;
        }

        /** 1-based line of the problem, 0 when unknown. */
        public int line() {
            return line;
        }

        /** The problem as a {@code yaml} violation. */
        public Violation toViolation() {
            String message = getMessage().substring(getMessage().indexOf(": ") + 2);
            return new Violation(file, line, "yaml", file, message);
        }
    }

    private static final class DocumentConstructor extends SafeConstructor {
        DocumentConstructor(LoaderOptions options) {
            super(options);
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }
}

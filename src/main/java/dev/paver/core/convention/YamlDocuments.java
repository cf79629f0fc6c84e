package dev.paver.core.convention;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses a multi-document YAML file into {@link ManifestDocument}s with their start lines, using SnakeYAML's
 * safe constructor: no custom tags, no duplicate keys, at most 3 MB and 50 aliases per file.
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
                documents.add(new ManifestDocument(file, line, (Map<String, Object>) map));
            }
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InvalidYamlException(file, line, e.getProblem());
        } catch (YAMLException e) {
            throw new InvalidYamlException(file, 0, e.getMessage());
        }
        return documents;
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

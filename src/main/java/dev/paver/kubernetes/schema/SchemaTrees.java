package dev.paver.kubernetes.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Walks and adjusts JSON Schema trees (draft 7), and turns YAML values into JSON the way Kubernetes reads them. */
final class SchemaTrees {

    /** Keywords whose value is a map of name to schema. */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "definitions", "patternProperties");
    /** Keywords whose value is one schema. */
    private static final Set<String> SCHEMA_VALUES = Set.of("additionalProperties", "items", "not", "additionalItems");
    /** Keywords whose value is a list of schemas. */
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf");

    private SchemaTrees() {
    }

    /** Calls {@code visitor} with {@code schema} and each of its subschemas, parents first. */
    static void forEachSchema(JsonNode schema, Consumer<ObjectNode> visitor) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        visitor.accept(node);
        for (String keyword : SCHEMA_MAPS) {
            if (node.get(keyword) instanceof ObjectNode map) {
                map.elements().forEachRemaining(child -> forEachSchema(child, visitor));
            }
        }
        for (String keyword : SCHEMA_VALUES) {
            JsonNode child = node.get(keyword);
            if (child instanceof ArrayNode tuple) {
                tuple.elements().forEachRemaining(item -> forEachSchema(item, visitor));
            } else {
                forEachSchema(child, visitor);
            }
        }
        for (String keyword : SCHEMA_LISTS) {
            if (node.get(keyword) instanceof ArrayNode list) {
                list.elements().forEachRemaining(child -> forEachSchema(child, visitor));
            }
        }
    }

    /** Makes every typed schema also accept null, as kubeconform's schemas of the built-in kinds do. */
    static void allowNull(JsonNode schema) {
        forEachSchema(schema, node -> {
            JsonNode type = node.get("type");
            if (type != null && type.isTextual() && !type.asText().equals("null")) {
                node.putArray("type").add(type.asText()).add("null");
            } else if (type instanceof ArrayNode types && !contains(types, "null")) {
                types.add("null");
            }
        });
    }

    /**
     * Forbids properties a schema does not declare: {@code additionalProperties: false} on every schema with
     * {@code properties} and no {@code additionalProperties} of its own (kubeconform's strict schemas, and its
     * schemas of custom resources).
     *
     * @param includeRoot whether the root schema is closed too
     * @param open        schemas to leave open (CRDs' {@code x-kubernetes-preserve-unknown-fields})
     */
    static void denyUnknownProperties(JsonNode schema, boolean includeRoot, Set<JsonNode> open) {
        forEachSchema(schema, node -> {
            boolean root = node == schema;
            if ((includeRoot || !root) && node.has("properties") && !node.has("additionalProperties")
                    && open.stream().noneMatch(o -> o == node)) {
                node.put("additionalProperties", false);
            }
        });
    }

    private static boolean contains(ArrayNode values, String text) {
        for (Iterator<JsonNode> it = values.elements(); it.hasNext();) {
            if (it.next().asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A YAML value (SnakeYAML's safe types) as JSON, as Kubernetes' YAML reader turns it into JSON: timestamps stay
     * text, {@code !!binary} becomes base64, keys become strings.
     */
    static JsonNode toJson(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = f.objectNode();
            map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v)));
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = f.arrayNode();
            list.forEach(v -> node.add(toJson(v)));
            return node;
        }
        if (value instanceof Set<?> set) {
            ObjectNode node = f.objectNode();
            set.forEach(v -> node.putNull(String.valueOf(v)));
            return node;
        }
        if (value instanceof String text) {
            return f.textNode(text);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Integer i) {
            return f.numberNode(i);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof BigInteger big) {
            return f.numberNode(big);
        }
        if (value instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? f.textNode(String.valueOf(d)) : f.numberNode(BigDecimal.valueOf(d));
        }
        if (value instanceof Number n) {
            return f.numberNode(new BigDecimal(n.toString()));
        }
        if (value instanceof Date date) {
            return f.textNode(DateTimeFormatter.ISO_INSTANT.format(date.toInstant().atOffset(ZoneOffset.UTC)));
        }
        if (value instanceof byte[] bytes) {
            return f.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        return f.textNode(String.valueOf(value));
    }
}

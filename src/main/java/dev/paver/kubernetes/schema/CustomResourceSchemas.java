package dev.paver.kubernetes.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * JSON Schemas (draft 7) of custom resources, read from definitions shipped inside the jar:
 * {@code CustomResourceDefinition}s ({@code apiextensions.k8s.io/v1}, alone or in a {@code v1 List}) and Crossplane
 * {@code CompositeResourceDefinition}s ({@code apiextensions.crossplane.io/v1} and {@code v2}).
 *
 * <p>An {@code openAPIV3Schema} becomes a JSON Schema as kubeconform's conversion of CRDs does it
 * ({@code openapi2jsonschema}): every object schema that declares {@code properties} allows no other property
 * (the root too only in strict mode, {@link KubernetesSchemas#check}), and {@code x-kubernetes-int-or-string} is an
 * integer or a string; following the Kubernetes API server rather than that script, {@code nullable: true} accepts
 * null, {@code x-kubernetes-preserve-unknown-fields: true} keeps an object open, and OpenAPI's boolean
 * {@code exclusiveMinimum}/{@code exclusiveMaximum} become draft 7's numbers. {@code format} is not asserted and CEL
 * rules ({@code x-kubernetes-validations}) are not evaluated.
 *
 * <p>A composite resource definition gives the schema of its composite resource and, when it has
 * {@code claimNames}, of its claim, each with the fields Crossplane adds to the CRDs it generates (Crossplane's
 * {@code xcrd} package): {@code compositionRef}, {@code compositionSelector}, {@code compositionRevisionRef},
 * {@code compositionRevisionSelector}, {@code compositionUpdatePolicy}; for a claim also
 * {@code compositeDeletePolicy}, {@code resourceRef} and {@code writeConnectionSecretToRef} (a name); for a
 * cluster-scoped composite of {@code v1} also {@code resourceRefs}, {@code claimRef} and
 * {@code writeConnectionSecretToRef} (a name and namespace); for a {@code v2} composite ({@code Namespaced} by
 * default, or {@code Cluster}) these sit under {@code spec.crossplane}. {@code status} is not checked.
 */
final class CustomResourceSchemas {

    /** Marks an object schema that stays open; removed before the schema is used. */
    static final String OPEN = "x-kubernetes-preserve-unknown-fields";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();

    private CustomResourceSchemas() {
    }

    /**
     * Reads definitions from the class path.
     *
     * @param resources class path resources, e.g. {@code schemas/bitnami.com_sealedsecrets.crd.yaml}
     * @throws IllegalStateException when a resource is missing or is not a definition Paver can read: the jar is broken
     */
    static CustomResourceSchemas load(List<String> resources) {
        CustomResourceSchemas loaded = new CustomResourceSchemas();
        for (String resource : resources) {
            try (InputStream in = CustomResourceSchemas.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("schema resource " + resource + " is missing from the class path");
                }
                loaded.read(resource, new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read schema resource " + resource, e);
            }
        }
        return loaded;
    }

    /**
     * The schema of a custom resource kind; object schemas to keep open carry {@value #OPEN}. The caller owns a copy.
     *
     * @return the schema, or empty when no shipped definition defines the kind
     */
    Optional<ObjectNode> schemaOf(String apiVersion, String kind) {
        ObjectNode schema = schemas.get(apiVersion + "/" + kind);
        return schema == null ? Optional.empty() : Optional.of(schema.deepCopy());
    }

    /** The kinds defined, as {@code apiVersion/kind}. */
    List<String> kinds() {
        return List.copyOf(schemas.keySet());
    }

    @SuppressWarnings("unchecked")
    private void read(String resource, Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(500);
        for (Object document : new Yaml(new SafeConstructor(options)).loadAll(reader)) {
            if (!(document instanceof Map<?, ?> map)) {
                continue;
            }
            List<Map<String, Object>> definitions = new ArrayList<>();
            if ("List".equals(map.get("kind"))) {
                for (Object item : list(map.get("items"))) {
                    definitions.add((Map<String, Object>) item);
                }
            } else {
                definitions.add((Map<String, Object>) map);
            }
            for (Map<String, Object> definition : definitions) {
                String apiVersion = String.valueOf(definition.get("apiVersion"));
                String kind = String.valueOf(definition.get("kind"));
                if (kind.equals("CustomResourceDefinition") && apiVersion.equals("apiextensions.k8s.io/v1")) {
                    readCrd(definition);
                } else if (kind.equals("CompositeResourceDefinition")
                        && apiVersion.startsWith("apiextensions.crossplane.io/")) {
                    readXrd(definition, apiVersion.substring(apiVersion.indexOf('/') + 1));
                } else {
                    throw new IllegalStateException(resource + ": " + kind + " (" + apiVersion + ") is not a definition");
                }
            }
        }
    }

    private void readCrd(Map<String, Object> crd) {
        Map<String, Object> spec = map(crd.get("spec"));
        String group = String.valueOf(spec.get("group"));
        String kind = String.valueOf(map(spec.get("names")).get("kind"));
        for (Object v : list(spec.get("versions"))) {
            Map<String, Object> version = map(v);
            Map<String, Object> schema = map(map(version.get("schema")).get("openAPIV3Schema"));
            if (Boolean.FALSE.equals(version.get("served")) || schema.isEmpty()) {
                continue;
            }
            schemas.put(group + "/" + version.get("name") + "/" + kind, convert(schema));
        }
    }

    private void readXrd(Map<String, Object> xrd, String xrdVersion) {
        Map<String, Object> spec = map(xrd.get("spec"));
        String group = String.valueOf(spec.get("group"));
        String kind = String.valueOf(map(spec.get("names")).get("kind"));
        Map<String, Object> claimNames = map(spec.get("claimNames"));
        String scope = xrdVersion.equals("v1") ? "LegacyCluster" : String.valueOf(spec.getOrDefault("scope", "Namespaced"));
        for (Object v : list(spec.get("versions"))) {
            Map<String, Object> version = map(v);
            if (Boolean.FALSE.equals(version.get("served"))) {
                continue;
            }
            Map<String, Object> schema = map(map(version.get("schema")).get("openAPIV3Schema"));
            String apiVersion = group + "/" + version.get("name");
            schemas.put(apiVersion + "/" + kind, convert(generated(schema, compositeProperties(scope))));
            if (!claimNames.isEmpty()) {
                schemas.put(apiVersion + "/" + claimNames.get("kind"), convert(generated(schema, claimProperties())));
            }
        }
    }

    /**
     * The schema of a CRD that Crossplane generates from a definition's schema: its {@code spec} with Crossplane's
     * fields, {@code metadata.name} at most 63 characters, {@code spec} required.
     */
    private static Map<String, Object> generated(Map<String, Object> xrdSchema, Map<String, Object> crossplaneSpec) {
        Map<String, Object> userSpec = map(map(xrdSchema.get("properties")).get("spec"));
        Map<String, Object> specProperties = new LinkedHashMap<>(crossplaneSpec);
        specProperties.putAll(map(userSpec.get("properties")));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", "object");
        spec.put("properties", specProperties);
        if (userSpec.get("required") != null) {
            spec.put("required", userSpec.get("required"));
        }
        if (userSpec.get(OPEN) != null) {
            spec.put(OPEN, userSpec.get(OPEN));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "object");
        root.put("required", List.of("spec"));
        root.put("properties", Map.of(
                "apiVersion", Map.of("type", "string"),
                "kind", Map.of("type", "string"),
                "metadata", Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string", "maxLength", 63))),
                "spec", spec,
                "status", Map.of("type", "object", OPEN, true)));
        return root;
    }

    /** Crossplane's fields of a composite resource's spec, by scope. */
    private static Map<String, Object> compositeProperties(String scope) {
        Map<String, Object> props = compositionProperties();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("apiVersion", STRING);
        ref.put("kind", STRING);
        ref.put("name", STRING);
        if (!scope.equals("Namespaced")) {
            ref.put("namespace", STRING);
        }
        props.put("resourceRefs", Map.of("type", "array",
                "items", object(ref, List.of("apiVersion", "kind"))));
        if (!scope.equals("LegacyCluster")) {
            return Map.of("crossplane", object(props, List.of()));
        }
        props.put("claimRef", object(Map.of("apiVersion", STRING, "kind", STRING, "namespace", STRING, "name", STRING),
                List.of("apiVersion", "kind", "namespace", "name")));
        props.put("writeConnectionSecretToRef", object(Map.of("name", STRING, "namespace", STRING), List.of("name", "namespace")));
        return props;
    }

    /** Crossplane's fields of a claim's spec. */
    private static Map<String, Object> claimProperties() {
        Map<String, Object> props = compositionProperties();
        props.put("compositeDeletePolicy", Map.of("type", "string", "enum", List.of("Background", "Foreground")));
        props.put("resourceRef", object(Map.of("apiVersion", STRING, "kind", STRING, "name", STRING),
                List.of("apiVersion", "kind", "name")));
        props.put("writeConnectionSecretToRef", object(Map.of("name", STRING), List.of("name")));
        return props;
    }

    private static Map<String, Object> compositionProperties() {
        Map<String, Object> byName = object(Map.of("name", STRING), List.of("name"));
        Map<String, Object> byLabels = object(Map.of("matchLabels",
                Map.of("type", "object", "additionalProperties", STRING)), List.of("matchLabels"));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("compositionRef", byName);
        props.put("compositionSelector", byLabels);
        props.put("compositionRevisionRef", byName);
        props.put("compositionRevisionSelector", byLabels);
        props.put("compositionUpdatePolicy", Map.of("type", "string", "enum", List.of("Automatic", "Manual")));
        return props;
    }

    private static final Map<String, Object> STRING = Map.of("type", "string");

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        if (!required.isEmpty()) {
            schema.put("required", required);
        }
        return schema;
    }

    /** An OpenAPI v3 structural schema (a CRD's) as a JSON Schema; open objects keep the {@value #OPEN} marker. */
    static ObjectNode convert(Map<String, Object> openApi) {
        ObjectNode out = F.objectNode();
        boolean nullable = Boolean.TRUE.equals(openApi.get("nullable"));
        if (Boolean.TRUE.equals(openApi.get("x-kubernetes-int-or-string"))) {
            ArrayNode type = out.putArray("type").add("integer").add("string");
            if (nullable) {
                type.add("null");
            }
        } else if (openApi.get("type") instanceof String type) {
            if (nullable) {
                out.putArray("type").add(type).add("null");
            } else {
                out.put("type", type);
            }
            for (String keyword : List.of("allOf", "anyOf", "oneOf")) {
                if (openApi.get(keyword) instanceof List<?> schemas) {
                    ArrayNode converted = out.putArray(keyword);
                    schemas.forEach(s -> converted.add(convert(map(s))));
                }
            }
            if (openApi.get("not") instanceof Map<?, ?> not) {
                out.set("not", convert(map(not)));
            }
        }
        for (String keyword : List.of("enum", "pattern", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems",
                "minProperties", "maxProperties", "minimum", "maximum", "multipleOf", "required")) {
            if (openApi.containsKey(keyword)) {
                out.set(keyword, SchemaTrees.toJson(openApi.get(keyword)));
            }
        }
        if (nullable && out.get("enum") instanceof ArrayNode values) {
            values.addNull();
        }
        exclusive(openApi, out, "exclusiveMinimum", "minimum");
        exclusive(openApi, out, "exclusiveMaximum", "maximum");
        if (openApi.get("properties") instanceof Map<?, ?> properties) {
            ObjectNode converted = out.putObject("properties");
            properties.forEach((name, schema) -> converted.set(String.valueOf(name), convert(map(schema))));
        }
        if (openApi.get("items") instanceof Map<?, ?> items) {
            out.set("items", convert(map(items)));
        }
        Object additional = openApi.get("additionalProperties");
        if (additional instanceof Boolean allowed) {
            out.put("additionalProperties", allowed);
        } else if (additional instanceof Map<?, ?> schema) {
            out.set("additionalProperties", convert(map(schema)));
        }
        if (Boolean.TRUE.equals(openApi.get("x-kubernetes-embedded-resource")) && out.get("properties") instanceof ObjectNode p) {
            p.putIfAbsent("apiVersion", F.objectNode().put("type", "string"));
            p.putIfAbsent("kind", F.objectNode().put("type", "string"));
            p.putIfAbsent("metadata", F.objectNode().put("type", "object"));
        }
        if (Boolean.TRUE.equals(openApi.get(OPEN))) {
            out.put(OPEN, true);
        }
        return out;
    }

    private static void exclusive(Map<String, Object> openApi, ObjectNode out, String keyword, String bound) {
        if (Boolean.TRUE.equals(openApi.get(keyword)) && out.has(bound)) {
            JsonNode value = out.remove(bound);
            out.set(keyword, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}

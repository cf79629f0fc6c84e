package dev.paver.kubernetes.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.ManifestSchemas;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.Violation;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The schema check of the conventions gate, as kubeconform does it, with every schema inside the jar (no network):
 * a manifest is checked against the JSON Schema of its {@code apiVersion} and {@code kind}.
 *
 * <ul>
 * <li>Kubernetes built-in kinds: derived from fabric8 7.8.0's model classes, which model the OpenAPI of Kubernetes
 *     {@value #KUBERNETES_VERSION} ({@link ModelSchemas}). Typed fields accept null; the model has no
 *     {@code required} lists, so nothing is required.</li>
 * <li>{@code bitnami.com/v1alpha1 SealedSecret}: the sealed-secrets CRD; Argo CD's {@code Application},
 *     {@code ApplicationSet} and {@code AppProject} ({@code argoproj.io/v1alpha1}): CRD-style schemas written after
 *     Argo CD's types; the platform's Crossplane claims and composite resources: the composite resource definitions
 *     of {@code deploy/crossplane/} ({@code platform.paver.dev}, {@code xr.platform.paver.dev}), see
 *     {@link CustomResourceSchemas}. Their {@code metadata} is checked as the built-in {@code ObjectMeta}.</li>
 * <li>{@code v1 List}: each item is checked on its own.</li>
 * </ul>
 *
 * <p>Like kubeconform's defaults: a document without {@code kind} or {@code apiVersion}, or whose kind has no known
 * schema ("could not find schema"), is a violation; a built-in kind accepts fields its schema does not declare, a
 * custom resource's nested objects do not. In strict mode ({@code --strict}, kubeconform's {@code -strict}) no object
 * accepts undeclared fields, except those a CRD keeps open ({@code x-kubernetes-preserve-unknown-fields}).
 * kubeconform's strict mode also rejects duplicate keys: the gate's YAML reader always does (rule {@code yaml}).
 *
 * <p>Schemas are built the first time a kind is seen and kept (thread-safe); the first check of a built-in kind
 * takes up to a second or so, later ones a few milliseconds.
 */
public final class KubernetesSchemas implements ManifestSchemas {

    /** The Kubernetes release whose OpenAPI fabric8 7.8.0's model (and so the built-in schemas) follows. */
    public static final String KUBERNETES_VERSION = "1.36.0";

    /** The definitions shipped inside the jar, as class path resources. */
    static final List<String> DEFINITIONS = List.of(
            "schemas/bitnami.com_sealedsecrets.crd.yaml",
            "schemas/argoproj.io_crds.yaml",
            "schemas/crossplane/xrds.yaml",
            "schemas/crossplane/xrds-v2.yaml");

    private static final SchemaRegistry FACTORY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            registry -> registry.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .pathType(PathType.JSON_POINTER).locale(Locale.ENGLISH).formatAssertionsEnabled(false).build()));

    private final boolean strict;
    private final ModelSchemas model = new ModelSchemas();
    private volatile CustomResourceSchemas custom;
    private final Map<String, Optional<Schema>> compiled = new ConcurrentHashMap<>();

    /**
     * @param strict whether objects reject fields their schema does not declare (kubeconform's {@code -strict})
     */
    public KubernetesSchemas(boolean strict) {
        this.strict = strict;
    }

    /**
     * @return violations of rule {@code schema}, each at the line of the offending field where the document's line
     *         index knows it; empty when the document follows its schema
     * @throws IllegalStateException when a definition shipped in the jar cannot be read (a broken build)
     */
    @Override
    public List<Violation> check(ManifestDocument document) {
        List<Violation> out = new ArrayList<>();
        check(document, document.body(), "", out);
        return out;
    }

    private void check(ManifestDocument doc, Map<String, Object> body, String at, List<Violation> out) {
        Object kind = body.get("kind");
        Object apiVersion = body.get("apiVersion");
        String subject = subject(body);
        if (!(kind instanceof String k) || k.isEmpty()) {
            out.add(violation(doc, at, subject, kind == null ? "missing 'kind' key: a manifest names its apiVersion and kind"
                    : "kind " + shown(kind) + " is not a kind name"));
            return;
        }
        if (!(apiVersion instanceof String v) || v.isEmpty()) {
            out.add(violation(doc, at, subject, apiVersion == null ? "missing 'apiVersion' key: a manifest names its "
                    + "apiVersion and kind" : "apiVersion " + shown(apiVersion) + " is not an API version"));
            return;
        }
        if (v.equals("v1") && k.equals("List")) {
            List<?> items = body.get("items") instanceof List<?> l ? l : List.of();
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof Map<?, ?> item) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> itemBody = (Map<String, Object>) item;
                    check(doc, itemBody, at + "/items/" + i, out);
                } else {
                    out.add(violation(doc, at + "/items/" + i, subject, "items[" + i + "] is not an object"));
                }
            }
            return;
        }
        Optional<Schema> schema = schemaOf(v, k);
        if (schema.isEmpty()) {
            out.add(violation(doc, at, subject, "could not find schema for " + k + " (" + v + "): the gate knows the "
                    + "built-in kinds of Kubernetes " + KUBERNETES_VERSION + ", SealedSecret, Argo CD's Application, "
                    + "ApplicationSet and AppProject, and the platform's Crossplane resources"));
            return;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Error message : schema.get().validate(SchemaTrees.toJson(body))) {
            String location = message.getInstanceLocation().toString();
            String pointer = location.equals("$") ? "" : location;
            String field = "additionalProperties".equals(message.getKeyword()) && message.getProperty() != null
                    ? pointer + "/" + escape(message.getProperty()) : pointer;
            String text = describe(message, pointer, field, k, v);
            if (seen.add(field + " " + text)) {
                out.add(violation(doc, at + field, subject, text));
            }
        }
    }

    /**
     * The kinds a domain GitOps repository holds by convention (its Namespaces, Deployments and Services, Argo CD's
     * objects, SealedSecrets, the platform's claims): what {@link #warmUp} prepares.
     */
    public static final List<String> DOMAIN_REPOSITORY_KINDS = List.of("v1/Namespace", "apps/v1/Deployment", "v1/Service",
            "argoproj.io/v1alpha1/Application", "argoproj.io/v1alpha1/ApplicationSet", "argoproj.io/v1alpha1/AppProject",
            "bitnami.com/v1alpha1/SealedSecret", "platform.paver.dev/v1alpha1/PostgreSQLInstance",
            "rbac.authorization.k8s.io/v1/RoleBinding");

    /**
     * Builds the schemas of {@link #DOMAIN_REPOSITORY_KINDS} now, so that the first run's gate does not wait for them
     * (about a second on a cold JVM). Safe to call while checks run.
     */
    public void warmUp() {
        for (String kind : DOMAIN_REPOSITORY_KINDS) {
            int slash = kind.lastIndexOf('/');
            schemaOf(kind.substring(0, slash), kind.substring(slash + 1));
        }
    }

    /** The compiled schema of a kind, built once. */
    Optional<Schema> schemaOf(String apiVersion, String kind) {
        return compiled.computeIfAbsent(apiVersion + "/" + kind, key -> build(apiVersion, kind).map(s -> FACTORY.getSchema(s)));
    }

    /** The JSON Schema of a kind as the gate uses it (custom resources first, then the built-in kinds). */
    Optional<ObjectNode> build(String apiVersion, String kind) {
        Optional<ObjectNode> customSchema = custom().schemaOf(apiVersion, kind);
        if (customSchema.isPresent()) {
            ObjectNode schema = customSchema.get();
            Set<JsonNode> open = Collections.newSetFromMap(new IdentityHashMap<>());
            SchemaTrees.forEachSchema(schema, node -> {
                if (node.remove(CustomResourceSchemas.OPEN) != null) {
                    open.add(node);
                }
            });
            SchemaTrees.denyUnknownProperties(schema, strict, open);
            withObjectMeta(schema);
            return Optional.of(schema);
        }
        return model.classOf(apiVersion, kind).map(type -> {
            ObjectNode schema = model.schemaOf(type);
            if (strict) {
                SchemaTrees.denyUnknownProperties(schema, true, Set.of());
            }
            return schema;
        });
    }

    /**
     * Checks a custom resource's {@code metadata} as the API server does, as an {@code ObjectMeta}, keeping the
     * constraints its definition adds to the metadata's fields (Crossplane limits names to 63 characters).
     */
    private void withObjectMeta(ObjectNode schema) {
        ObjectNode properties = (ObjectNode) schema.get("properties");
        if (properties == null) {
            return;
        }
        ObjectNode meta = model.schemaOf(ObjectMeta.class);
        if (strict) {
            SchemaTrees.denyUnknownProperties(meta, true, Set.of());
        }
        ObjectNode definitions = schema.putObject("definitions");
        if (meta.remove("definitions") instanceof ObjectNode nested) {
            definitions.setAll(nested);
        }
        JsonNode own = properties.get("metadata");
        if (own != null && own.get("properties") instanceof ObjectNode constrained) {
            ObjectNode metaProperties = (ObjectNode) meta.get("properties");
            for (Iterator<Map.Entry<String, JsonNode>> it = constrained.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode base = metaProperties.get(field.getKey());
                ObjectNode both = metaProperties.putObject(field.getKey());
                both.putArray("allOf").add(base == null ? both.objectNode() : base).add(field.getValue());
            }
        }
        definitions.set("ObjectMeta", meta);
        properties.putObject("metadata").put("$ref", "#/definitions/ObjectMeta");
    }

    private CustomResourceSchemas custom() {
        CustomResourceSchemas loaded = custom;
        if (loaded == null) {
            synchronized (this) {
                loaded = custom;
                if (loaded == null) {
                    loaded = CustomResourceSchemas.load(DEFINITIONS);
                    custom = loaded;
                }
            }
        }
        return loaded;
    }

    /** What a validation message means, in the words of the gate: the field, the value, what the schema wants. */
    private static String describe(Error message, String pointer, String field, String kind, String apiVersion) {
        String where = path(field);
        JsonNode value = message.getInstanceNode();
        Object[] arguments = message.getArguments() == null ? new Object[0] : message.getArguments();
        switch (String.valueOf(message.getKeyword())) {
            case "type" -> {
                String expected = arguments.length > 1 ? String.valueOf(arguments[1]) : "another type";
                expected = expected.replace(", null]", "]").replace("[null, ", "[").replaceAll("^\\[([^,\\]]+)]$", "$1");
                return where + " is " + valueText(value) + ", expected " + expected;
            }
            case "additionalProperties" -> {
                return where + " is not a field of " + kind + " (" + apiVersion + ")";
            }
            case "required" -> {
                return (where.isEmpty() ? "" : where + ": ") + "required field " + message.getProperty() + " is missing";
            }
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                JsonNode values = message.getSchemaNode();
                if (values != null && values.isArray()) {
                    values.forEach(v -> {
                        if (!v.isNull()) {
                            allowed.add(v.asText());
                        }
                    });
                }
                return where + " is " + valueText(value) + ", expected one of "
                        + (allowed.isEmpty() ? "the values its schema allows" : "[" + String.join(", ", allowed) + "]");
            }
            default -> {
                String text = message.getMessage();
                String prefix = message.getInstanceLocation().toString() + ": ";
                text = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
                return (where.isEmpty() ? "" : where + " ") + text;
            }
        }
    }

    /** {@code /spec/template/spec/containers/0/image} as {@code spec.template.spec.containers[0].image}. */
    static String path(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (name.chars().allMatch(Character::isDigit)) {
                out.append('[').append(name).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(name);
            }
        }
        return out.toString();
    }

    private static String valueText(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        if (value.isTextual()) {
            return "the string " + Names.quote(value.asText());
        }
        if (value.isNumber()) {
            return "the number " + value.asText();
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        if (value.isNull()) {
            return "null";
        }
        return value.isArray() ? "a list" : "an object";
    }

    private static String shown(Object value) {
        return value instanceof Map || value instanceof List ? "(" + (value instanceof Map ? "an object" : "a list") + ")"
                : Names.quote(String.valueOf(value));
    }

    private static String escape(String property) {
        return property.replace("~", "~0").replace("/", "~1");
    }

    private static String subject(Map<String, Object> body) {
        Object metadata = body.get("metadata");
        Object name = metadata instanceof Map<?, ?> m ? m.get("name") : null;
        if (name == null && metadata instanceof Map<?, ?> m && m.get("generateName") != null) {
            name = m.get("generateName") + "*";
        }
        String kind = ManifestDocument.text(body.get("kind"));
        String shownName = ManifestDocument.text(name);
        return kind.isEmpty() ? "document" + (shownName.isEmpty() ? "" : " " + shownName) : kind + "/" + shownName;
    }

    private static Violation violation(ManifestDocument doc, String pointer, String subject, String message) {
        return new Violation(doc.file(), doc.lineOf(pointer), "schema", subject, subject + ": " + message);
    }
}

package dev.paver.kubernetes.schema;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.CustomDefinition;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schemas (draft 7) of the Kubernetes built-in kinds, derived from fabric8's model classes, which fabric8 7.8.0
 * generates from the OpenAPI of Kubernetes {@value KubernetesSchemas#KUBERNETES_VERSION} (older API versions it still
 * models, such as {@code batch/v1beta1}, from the OpenAPI of the Kubernetes release that last served them).
 *
 * <p>Kinds are found through fabric8's own registry of resource types: the {@link KubernetesResource} service
 * loader, read without instantiating anything; a class's {@code apiVersion} and {@code kind} are the ones fabric8
 * reads from its {@link Group}, {@link Version} and {@link Kind} annotations. Schemas are derived by victools'
 * generator with its Jackson module (property names and ignored properties as Jackson serialises them), with these
 * types described by their JSON form rather than their fields, as kubeconform's schemas do:
 * {@link IntOrString} is an integer or a string, {@link Quantity} a string or a number, a type whose JSON is given by
 * a {@code @JsonValue} accessor or a custom deserializer ({@code AnyType}, {@code Duration}, the
 * {@code JSONSchemaPropsOr...} unions) is any value, and an interface ({@code HasMetadata}) any object.
 *
 * <p>The model classes do not record the OpenAPI's {@code required} lists, so a derived schema requires nothing;
 * like kubeconform's schemas, every typed field also accepts {@code null}.
 */
final class ModelSchemas {

    private final SchemaGenerator generator;
    private final Map<Class<?>, Boolean> ownJsonForm = new ConcurrentHashMap<>();
    private volatile Map<String, Class<?>> registry;

    ModelSchemas() {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_7, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule())
                .with(Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        config.forTypesInGeneral().withCustomDefinitionProvider((type, context) -> {
            Class<?> raw = type.getErasedType();
            ObjectNode node = context.getGeneratorConfig().createObjectNode();
            if (IntOrString.class.isAssignableFrom(raw)) {
                node.putArray("type").add("integer").add("string");
            } else if (Quantity.class.isAssignableFrom(raw)) {
                node.putArray("type").add("string").add("number");
            } else if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || hasOwnJsonForm(raw)) {
                return new CustomDefinition(node, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
            } else if (raw.isInterface() && !Collection.class.isAssignableFrom(raw) && !Map.class.isAssignableFrom(raw)) {
                node.put("type", "object");
            } else {
                return null;
            }
            return new CustomDefinition(node, CustomDefinition.DefinitionType.INLINE, CustomDefinition.AttributeInclusion.NO);
        });
        this.generator = new SchemaGenerator(config.build());
    }

    /**
     * The model class of a kind.
     *
     * @param apiVersion e.g. {@code apps/v1}
     * @param kind       e.g. {@code Deployment}
     * @return the class, or empty when fabric8 models no such kind
     */
    Optional<Class<?>> classOf(String apiVersion, String kind) {
        return Optional.ofNullable(registry().get(apiVersion + "/" + kind));
    }

    /**
     * The schema of a model class, with its nested types under {@code definitions}; every typed node also accepts
     * null.
     */
    ObjectNode schemaOf(Class<?> type) {
        ObjectNode schema = generator.generateSchema(type);
        SchemaTrees.allowNull(schema);
        return schema;
    }

    private Map<String, Class<?>> registry() {
        Map<String, Class<?>> known = registry;
        if (known == null) {
            synchronized (this) {
                known = registry;
                if (known == null) {
                    known = readRegistry();
                    registry = known;
                }
            }
        }
        return known;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Class<?>> readRegistry() {
        Map<String, Class<?>> known = new HashMap<>();
        for (ServiceLoader.Provider<KubernetesResource> provider
                : ServiceLoader.load(KubernetesResource.class, ModelSchemas.class.getClassLoader()).stream().toList()) {
            Class<?> type = provider.type();
            String key;
            if (HasMetadata.class.isAssignableFrom(type)) {
                Class<? extends HasMetadata> resource = (Class<? extends HasMetadata>) type;
                key = HasMetadata.getApiVersion(resource) + "/" + HasMetadata.getKind(resource);
            } else if (KubernetesResourceList.class.isAssignableFrom(type) && type.isAnnotationPresent(Version.class)) {
                Group group = type.getAnnotation(Group.class);
                String version = type.getAnnotation(Version.class).value();
                Kind kind = type.getAnnotation(Kind.class);
                key = (group == null || group.value().isEmpty() ? version : group.value() + "/" + version) + "/"
                        + (kind == null ? type.getSimpleName() : kind.value());
            } else {
                continue;
            }
            known.putIfAbsent(key, type);
        }
        return Map.copyOf(known);
    }

    /** True when Jackson reads and writes the type through something other than its fields. */
    private boolean hasOwnJsonForm(Class<?> type) {
        return ownJsonForm.computeIfAbsent(type, ModelSchemas::findOwnJsonForm);
    }

    private static boolean findOwnJsonForm(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            JsonDeserialize deserialize = c.getAnnotation(JsonDeserialize.class);
            if (deserialize != null && deserialize.using() != JsonDeserializer.None.class) {
                return true;
            }
            for (Method method : c.getDeclaredMethods()) {
                JsonValue value = method.getAnnotation(JsonValue.class);
                if (value != null && value.value()) {
                    return true;
                }
            }
        }
        return false;
    }
}

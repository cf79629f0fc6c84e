package dev.paver.core.secret;

import dev.paver.core.convention.Names;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Renders a SealedSecret ({@code bitnami.com/v1alpha1}, the CRD of bitnami-labs/sealed-secrets
 * {@code helm/sealed-secrets/crds/bitnami.com_sealedsecrets.yaml}) in the shape {@code kubeseal -o yaml} writes:
 * <pre>{@code
 * apiVersion: bitnami.com/v1alpha1
 * kind: SealedSecret
 * metadata:
 *   name: api-stripe-key
 *   namespace: payments-dev-api
 *   annotations:                                   # only for namespace-wide and cluster-wide
 *     sealedsecrets.bitnami.com/namespace-wide: "true"
 * spec:
 *   encryptedData:                                 # sorted by key
 *     STRIPE_KEY: AgB...
 *   template:
 *     metadata:
 *       name: api-stripe-key
 *       namespace: payments-dev-api
 *       labels: {...}                              # sorted by key, omitted when none
 *       annotations: {...}                         # the scope's, as kubeseal copies them
 *     type: Opaque
 * }</pre>
 * The scope annotation is on the SealedSecret, where the controller reads it to choose the label it unseals with
 * ({@code pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go}, {@code Unseal}), and on the template, as kubeseal
 * writes it (the Secret made from it carries it too). Built with SnakeYAML, block style; strings YAML would read as
 * something else ({@code "true"}, {@code "0123"}) are double-quoted.
 */
public final class SealedSecretManifest {

    /** The SealedSecret API version. */
    public static final String API_VERSION = "bitnami.com/v1alpha1";
    /** The SealedSecret kind. */
    public static final String KIND = "SealedSecret";

    private SealedSecretManifest() {
    }

    /**
     * @param namespace     the SealedSecret's and Secret's namespace, a DNS-1123 label
     * @param name          their name, a DNS-1123 subdomain
     * @param scope         the scope every value was sealed in
     * @param encryptedData data key to sealed value (base64); keys follow {@link SecretNames#checkDataKey(String)},
     *                      values are written as given (check pasted ones with {@link SealedValues#check} first); at
     *                      least one entry
     * @param labels        labels of the Secret (the template's metadata); may be null or empty
     * @return one YAML document, ending with a line break
     * @throws IllegalArgumentException when the namespace, the name or a data key is not valid, a value is empty, or
     *                                  there is no value at all; messages name keys, never values
     */
    public static String render(String namespace, String name, Scope scope, Map<String, String> encryptedData,
                                Map<String, String> labels) {
        SecretNames.checkNamespace(namespace);
        SecretNames.checkName(name);
        Objects.requireNonNull(scope, "scope");
        if (encryptedData == null || encryptedData.isEmpty()) {
            throw new IllegalArgumentException("a SealedSecret needs at least one sealed value");
        }
        Map<String, String> data = new TreeMap<>();
        encryptedData.forEach((key, value) -> {
            SecretNames.checkDataKey(key);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("the sealed value of " + Names.quote(key) + " is empty");
            }
            data.put(key, value);
        });

        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        if (!scope.annotations().isEmpty()) {
            metadata.put("annotations", new TreeMap<>(scope.annotations()));
        }

        Map<String, Object> templateMetadata = new LinkedHashMap<>();
        templateMetadata.put("name", name);
        templateMetadata.put("namespace", namespace);
        if (labels != null && !labels.isEmpty()) {
            templateMetadata.put("labels", new TreeMap<>(labels));
        }
        if (!scope.annotations().isEmpty()) {
            templateMetadata.put("annotations", new TreeMap<>(scope.annotations()));
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", templateMetadata);
        template.put("type", "Opaque");

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("encryptedData", data);
        spec.put("template", template);

        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", API_VERSION);
        document.put("kind", KIND);
        document.put("metadata", metadata);
        document.put("spec", spec);
        return yaml().dump(document);
    }

    private static Yaml yaml() {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setSplitLines(false); // a sealed value stays on one line
        options.setWidth(Integer.MAX_VALUE);
        return new Yaml(new QuotingRepresenter(options), options);
    }

    /** Double-quotes the strings YAML would read as booleans, numbers or null; the rest stays plain where it can. */
    private static final class QuotingRepresenter extends Representer {
        QuotingRepresenter(DumperOptions options) {
            super(options);
            Represent plain = representers.get(String.class);
            representers.put(String.class, data -> Names.isNotAYamlString((String) data)
                    ? representScalar(Tag.STR, (String) data, DumperOptions.ScalarStyle.DOUBLE_QUOTED)
                    : plain.representData(data));
        }
    }
}

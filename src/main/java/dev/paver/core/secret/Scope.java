package dev.paver.core.secret;

import dev.paver.core.convention.Names;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Where a sealed value may be unsealed, as kubeseal's {@code --scope} (bitnami-labs/sealed-secrets
 * {@code pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go}, {@code EncryptionLabel} and
 * {@code UpdateScopeAnnotations}). The scope decides the RSA-OAEP label a value is sealed with, and the controller
 * reads it back from the SealedSecret's annotations: a value sealed in one scope only unseals in a SealedSecret
 * annotated for that scope.
 */
public enum Scope {

    /** The default: only a Secret of this name in this namespace. Label {@code namespace/name}, no annotation. */
    STRICT("strict", Map.of()),
    /** Any name in this namespace. Label {@code namespace}, annotation {@code sealedsecrets.bitnami.com/namespace-wide: "true"}. */
    NAMESPACE_WIDE("namespace-wide", Map.of(Scope.NAMESPACE_WIDE_ANNOTATION, "true")),
    /** Any name in any namespace. Empty label, annotation {@code sealedsecrets.bitnami.com/cluster-wide: "true"}. */
    CLUSTER_WIDE("cluster-wide", Map.of(Scope.CLUSTER_WIDE_ANNOTATION, "true"));

    /** The SealedSecret annotation of {@link #NAMESPACE_WIDE}. */
    public static final String NAMESPACE_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/namespace-wide";
    /** The SealedSecret annotation of {@link #CLUSTER_WIDE}. */
    public static final String CLUSTER_WIDE_ANNOTATION = "sealedsecrets.bitnami.com/cluster-wide";

    private final String id;
    private final Map<String, String> annotations;

    Scope(String id, Map<String, String> annotations) {
        this.id = id;
        this.annotations = annotations;
    }

    /** The name users and kubeseal use: {@code strict}, {@code namespace-wide} or {@code cluster-wide}. */
    public String id() {
        return id;
    }

    /** The annotations the SealedSecret (and its template) must carry for this scope; empty for {@link #STRICT}. */
    public Map<String, String> annotations() {
        return annotations;
    }

    /**
     * The RSA-OAEP label, UTF-8: {@code namespace/name} ({@link #STRICT}), {@code namespace} ({@link #NAMESPACE_WIDE}),
     * or empty ({@link #CLUSTER_WIDE}, which ignores both arguments).
     *
     * @throws IllegalArgumentException when the scope needs the namespace (or the name) and it is not a valid one
     */
    public byte[] label(String namespace, String name) {
        String label = switch (this) {
            case STRICT -> SecretNames.checkNamespace(namespace) + "/" + SecretNames.checkName(name);
            case NAMESPACE_WIDE -> SecretNames.checkNamespace(namespace);
            case CLUSTER_WIDE -> "";
        };
        return label.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a scope as a user writes it: {@code strict}, {@code namespace-wide} or {@code cluster-wide}, in any case,
     * surrounding blanks ignored; {@code null} or blank is {@link #STRICT}, the default.
     *
     * @throws IllegalArgumentException for anything else, naming the three scopes and what each allows
     */
    public static Scope parse(String text) {
        if (text == null || text.isBlank()) {
            return STRICT;
        }
        String wanted = text.strip().toLowerCase(Locale.ROOT);
        for (Scope scope : values()) {
            if (scope.id.equals(wanted)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope " + Names.quote(text)
                + ": use strict (the default: this Secret name in this namespace only), namespace-wide (any name in this "
                + "namespace) or cluster-wide (any name in any namespace)");
    }
}

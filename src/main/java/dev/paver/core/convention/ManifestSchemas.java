package dev.paver.core.convention;

import java.util.List;

/**
 * The conventions gate's port to manifest schemas: whether one manifest is well-formed for the Kubernetes API
 * (the fields its kind has, their types, what the kind requires), as kubeconform checks it. The core decides which
 * documents are manifests (not the Backstage catalog, not kustomizations); an adapter knows the schemas.
 */
@FunctionalInterface
public interface ManifestSchemas {

    /** No schema check at all: every document passes. */
    ManifestSchemas NONE = document -> List.of();

    /**
     * Checks one document against the schema of its {@code apiVersion} and {@code kind}.
     *
     * @param document a manifest, as written or as a kustomize overlay builds it
     * @return one violation (rule {@code schema}) per problem, at the document's file and the line of the offending
     *         field where known; a document without {@code kind} or {@code apiVersion}, or whose kind has no known
     *         schema, is one violation; empty when the document follows its schema
     */
    List<Violation> check(ManifestDocument document);
}

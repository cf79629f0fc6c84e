package dev.paver.core.convention;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds kustomization directories into the manifests that Argo CD applies, as {@code kustomize build <dir>} does
 * (kubectl.docs.kubernetes.io, "Kustomization"; Argo CD, "Kustomize" application sources). A port of the conventions
 * gate: the server and {@code validate} give it a builder that runs a real kustomize when one is installed, and the
 * built-in view ({@link #BUILT_IN}) otherwise.
 */
public interface OverlayBuilder {

    /**
     * The built-in view ({@link KustomizeView}): models part of kustomize, and refuses, naming the field, every
     * kustomization that uses something it does not model. Runs no process.
     */
    OverlayBuilder BUILT_IN = new BuiltInOverlays();

    /**
     * Builds directories of one repository.
     *
     * @param files       repository-relative path to text: the whole tree the kustomizations may reference
     * @param directories repository-relative directories holding {@code kustomization.yaml}, without trailing slash;
     *                    the caller has checked that every {@code resources}/{@code components} entry they reach is
     *                    a local file or folder of {@code files} ({@link Kustomizations#reach})
     * @return one build per directory, keyed by directory
     */
    Map<String, Build> build(Map<String, String> files, List<String> directories);

    /** A short description for logs and summaries, e.g. {@code kubectl kustomize (kustomize v5.5.0)}. */
    String describe();

    /**
     * The outcome of building one directory: the documents, each with the repository file and line it comes from
     * where known, or the problems that stopped the build.
     *
     * @param documents the built documents (empty when the build failed)
     * @param problems  why the directory could not be built; empty when it was
     */
    record Build(List<ManifestDocument> documents, List<Violation> problems) {

        public Build {
            documents = List.copyOf(Objects.requireNonNull(documents));
            problems = List.copyOf(Objects.requireNonNull(problems));
        }

        /** A directory that built. */
        public static Build of(List<ManifestDocument> documents) {
            return new Build(documents, List.of());
        }

        /** A directory that did not build, for these reasons (at least one). */
        public static Build failed(List<Violation> problems) {
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a failed build names at least one problem");
            }
            return new Build(List.of(), problems);
        }

        /** True when the directory built. */
        public boolean built() {
            return problems.isEmpty();
        }
    }
}

package dev.paver.kustomize;

import dev.paver.core.convention.Kustomizations;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.core.convention.Violation;
import dev.paver.core.convention.YamlDocuments;
import dev.paver.core.report.Times;
import dev.paver.core.run.RepositoryNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Builds overlays with a real kustomize, as Argo CD does ({@code kustomize build <dir>}; Argo CD, "Kustomize"):
 * writes the repository's files into a new temporary folder (every path checked to stay inside it), runs the
 * command once per overlay with an argument list (never a shell) and a timeout, at most {@value #PARALLEL} at a time,
 * reads the documents it prints, and deletes the folder. The overlay is built with
 * {@code buildMetadata: [originAnnotations]} added to its kustomization (when it sets no {@code buildMetadata}), so
 * that each document is traced back to the repository file and line it comes from; the annotation is removed again.
 *
 * <p>A build that fails, or does not finish in time, is one {@code kustomize} violation on the overlay's
 * kustomization file that quotes kustomize's standard error. The caller has already refused remote bases
 * ({@link Kustomizations#reach}), so nothing is fetched.
 */
public final class KustomizeOverlays implements OverlayBuilder {

    /** How many kustomize processes run at once. */
    static final int PARALLEL = 2;
    private static final Logger LOG = LoggerFactory.getLogger(KustomizeOverlays.class);
    private static final String ORIGIN = "config.kubernetes.io/origin";
    private static final int QUOTED = 1500;

    private final KustomizeCommand command;
    private final Duration timeout;

    /**
     * @param command the kustomize to run
     * @param timeout how long one build may take before it is stopped
     */
    public KustomizeOverlays(KustomizeCommand command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /**
     * The gate's overlay builder for a setting: a real kustomize when {@link KustomizeCommand#detect} finds one, else
     * {@link OverlayBuilder#BUILT_IN} (which refuses what it does not model). Logs which.
     *
     * @param configured {@code paver.conventions.kustomize-command}, or null/blank for the default search
     * @param timeout    {@code paver.conventions.kustomize-timeout}: how long one build may take
     */
    public static OverlayBuilder detect(String configured, Duration timeout) {
        KustomizeCommand.Detection detection = KustomizeCommand.detect(configured, timeout);
        if (detection.command().isPresent()) {
            LOG.info("conventions gate: overlays are built with {}", detection.command().get().describe());
            return new KustomizeOverlays(detection.command().get(), timeout);
        }
        if (configured != null && configured.strip().equals(KustomizeCommand.BUILT_IN)) {
            LOG.info("conventions gate: overlays are built with the built-in view (paver.conventions.kustomize-command is builtin)");
            return OverlayBuilder.BUILT_IN;
        }
        LOG.warn("conventions gate: no usable kustomize ({}); the built-in view builds overlays and refuses every "
                + "kustomization field it does not model. Install kustomize or kubectl, or set "
                + "paver.conventions.kustomize-command", detection.reason());
        return OverlayBuilder.BUILT_IN;
    }

    @Override
    public String describe() {
        return command.describe();
    }

    @Override
    public Map<String, Build> build(Map<String, String> files, List<String> directories) {
        Map<String, Build> out = new LinkedHashMap<>();
        Path root = null;
        try {
            root = Files.createTempDirectory("paver-kustomize-");
            Path tree = Files.createDirectory(root.resolve("repository"));
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target;
                try {
                    target = RepositoryNames.within(tree, file.getKey());
                } catch (IllegalArgumentException e) {
                    directories.forEach(d -> out.put(d, Build.failed(List.of(new Violation(file.getKey(), 0, "kustomize", d,
                            e.getMessage() + ": the overlays were not built")))));
                    return out;
                }
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
            Map<String, Future<Build>> running = new LinkedHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(PARALLEL, directories.size())));
            try {
                int n = 0;
                for (String directory : directories) {
                    Path work = Files.createDirectory(root.resolve("build-" + n++));
                    Path overlay = tree.resolve(directory);
                    running.put(directory, pool.submit(() -> buildOne(files, tree, work, directory, overlay)));
                }
                for (Map.Entry<String, Future<Build>> r : running.entrySet()) {
                    out.put(r.getKey(), r.getValue().get());
                }
            } finally {
                pool.shutdownNow();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the overlays into a temporary folder: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building overlays", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("building an overlay failed: " + e.getCause(), e.getCause());
        } finally {
            delete(root);
        }
    }

    private Build buildOne(Map<String, String> files, Path tree, Path work, String directory, Path overlay) throws IOException {
        String kustomizationFile = Kustomizations.kustomizationFile(files, directory);
        if (kustomizationFile == null) {
            return Build.failed(List.of(new Violation(directory + "/kustomization.yaml", 0, "kustomize", directory,
                    "missing kustomization.yaml")));
        }
        boolean traced = addOriginAnnotations(files.get(kustomizationFile), tree.resolve(kustomizationFile));
        Path stdout = work.resolve("stdout.yaml");
        Path stderr = work.resolve("stderr.txt");
        List<String> args = new ArrayList<>(command.command());
        args.add(overlay.toString());
        Process process = new ProcessBuilder(args).directory(tree.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (!finished) {
            process.destroyForcibly();
            return Build.failed(List.of(new Violation(kustomizationFile, 0, "kustomize", directory, String.join(" ", command.command())
                    + " " + directory + " did not finish within " + Times.elapsed(timeout))));
        }
        if (process.exitValue() != 0) {
            String error = Files.readString(stderr, StandardCharsets.UTF_8).replace(tree.toString() + "/", "")
                    .replace(tree.toString(), ".").lines().filter(l -> !l.startsWith("# Warning:"))
                    .reduce((a, b) -> a + "\n" + b).orElse("").strip();
            if (error.length() > QUOTED) {
                error = error.substring(0, QUOTED) + " …";
            }
            return Build.failed(List.of(new Violation(kustomizationFile, 0, "kustomize", directory, String.join(" ", command.command())
                    + " " + directory + " failed (exit " + process.exitValue() + "): " + error)));
        }
        List<ManifestDocument> built;
        try {
            built = YamlDocuments.parse(kustomizationFile, Files.readString(stdout, StandardCharsets.UTF_8));
        } catch (YamlDocuments.InvalidYamlException e) {
            return Build.failed(List.of(new Violation(kustomizationFile, 0, "kustomize", directory,
                    "kustomize printed what is not YAML: " + e.getMessage())));
        }
        Map<String, List<ManifestDocument>> sources = new HashMap<>();
        List<ManifestDocument> out = new ArrayList<>();
        for (ManifestDocument doc : built) {
            out.add(traced ? traceBack(files, sources, kustomizationFile, directory, doc) : doc);
        }
        return Build.of(out);
    }

    /** Adds {@code buildMetadata: [originAnnotations]} to the written kustomization; false when it sets buildMetadata. */
    private static boolean addOriginAnnotations(String text, Path written) throws IOException {
        try {
            List<ManifestDocument> docs = YamlDocuments.parse("kustomization", text);
            if (docs.size() > 1 || (!docs.isEmpty() && docs.get(0).body().containsKey("buildMetadata"))) {
                return false;
            }
        } catch (YamlDocuments.InvalidYamlException e) {
            return false;
        }
        Files.writeString(written, text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n")
                + "buildMetadata: [originAnnotations]\n", StandardCharsets.UTF_8);
        return true;
    }

    /**
     * The built document with the file and line it comes from: its origin annotation names the file (relative to the
     * overlay) or the kustomization of the generator that made it; the document there with the same kind and name
     * (or a name the built one contains, after namePrefix/nameSuffix) gives the line and field lines.
     */
    @SuppressWarnings("unchecked")
    private static ManifestDocument traceBack(Map<String, String> files, Map<String, List<ManifestDocument>> sources,
                                              String kustomizationFile, String directory, ManifestDocument doc) {
        Map<String, Object> body = doc.body();
        Map<String, Object> metadata = body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        Map<String, Object> annotations = metadata != null && metadata.get("annotations") instanceof Map<?, ?> a
                ? (Map<String, Object>) a : null;
        Object origin = annotations == null ? null : annotations.remove(ORIGIN);
        if (annotations != null && annotations.isEmpty()) {
            metadata.remove("annotations");
        }
        Map<String, Object> where = Map.of();
        if (origin instanceof String text) {
            try {
                List<ManifestDocument> parsed = YamlDocuments.parse(ORIGIN, text);
                where = parsed.isEmpty() ? Map.of() : parsed.get(0).body();
            } catch (YamlDocuments.InvalidYamlException ignored) {
                // not the annotation kustomize writes: the document keeps the overlay as its place
            }
        }
        String path = ManifestDocument.text(where.get("path"));
        String configuredIn = ManifestDocument.text(where.get("configuredIn"));
        try {
            if (!path.isEmpty() && ManifestDocument.text(where.get("repo")).isEmpty()) {
                String file = Kustomizations.resolve(kustomizationFile, directory, path);
                if (files.containsKey(file)) {
                    List<ManifestDocument> candidates = sources.computeIfAbsent(file, f -> parseQuietly(f, files.get(f)));
                    ManifestDocument source = candidates.stream().filter(c -> c.kind().equals(doc.kind()) && c.name().equals(doc.name()))
                            .findFirst().or(() -> candidates.stream().filter(c -> c.kind().equals(doc.kind())
                                    && !c.name().isEmpty() && doc.name().contains(c.name())).findFirst())
                            .or(() -> candidates.stream().filter(c -> c.kind().equals(doc.kind())).findFirst())
                            .orElse(null);
                    return source == null ? new ManifestDocument(file, 0, body) : source.withBody(body);
                }
            } else if (!configuredIn.isEmpty()) {
                return new ManifestDocument(Kustomizations.resolve(kustomizationFile, directory, configuredIn), 0, body);
            }
        } catch (RuntimeException unresolvable) {
            // an origin outside the repository cannot be: kustomize was given the repository only
        }
        return new ManifestDocument(kustomizationFile, 0, body);
    }

    private static List<ManifestDocument> parseQuietly(String file, String text) {
        try {
            return YamlDocuments.parse(file, text);
        } catch (YamlDocuments.InvalidYamlException e) {
            return List.of();
        }
    }

    private static void delete(Path root) {
        if (root == null) {
            return;
        }
        try {
            FileSystemUtils.deleteRecursively(root);
        } catch (IOException e) {
            LOG.warn("could not delete the temporary folder {}: {}", root, e.getMessage());
        }
    }
}

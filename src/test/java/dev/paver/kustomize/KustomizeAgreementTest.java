package dev.paver.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.paver.core.convention.KustomizeViewTest;
import dev.paver.core.convention.Kustomizations;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in view never builds a different document from kustomize: every overlay is built both ways, and either
 * the documents are equal (compared parsed, order-insensitive by kind, namespace and name) or the built-in view
 * refuses, naming what it does not model. The overlays: the fixtures of {@link KustomizeViewTest}, what every example
 * of every golden path renders ({@code spec.examples}), and the real-world corpus in
 * {@code src/test/resources/kustomize-corpus/} (its {@code SOURCES} names where each comes from).
 *
 * <p>Needs kustomize v4 or newer (kubectl 1.24 or newer bundles one): without it the test fails and says how to
 * install one, rather than passing without comparing anything.
 */
class KustomizeAgreementTest {

    private static final Path CORPUS = Path.of("src", "test", "resources", "kustomize-corpus");
    private static KustomizeOverlays kustomize;

    @BeforeAll
    static void findKustomize() {
        KustomizeCommand.Detection detection = KustomizeCommand.detect(null, Duration.ofSeconds(20));
        if (detection.command().isEmpty()) {
            fail("The kustomize agreement test needs kustomize v" + KustomizeCommand.MINIMUM_MAJOR + " or newer on the "
                    + "PATH, and found none (" + detection.reason() + "). Install kubectl 1.24 or newer (its "
                    + "'kubectl kustomize' bundles kustomize v4.5+; Debian's kubernetes-client package is 1.20, too old) "
                    + "or the kustomize binary from the kubernetes-sigs/kustomize releases.");
        }
        kustomize = new KustomizeOverlays(detection.command().get(), Duration.ofSeconds(60));
    }

    /** One repository and the kustomization folders in it to build. */
    private record Case(String name, Map<String, String> files, List<String> directories) {
    }

    private record Outcome(int equal, int refused, List<String> unreadable, List<String> disagreements) {
    }

    @Test
    void theBuiltInViewNeverBuildsADifferentDocumentFromKustomize() throws IOException {
        List<Case> cases = new ArrayList<>();
        cases.add(corpus());
        int fixture = 0;
        for (Map<String, String> tree : KustomizeViewTest.fixtureTrees()) {
            cases.add(new Case("fixture " + fixture++, tree, List.of("apps/checkout/api/overlays/prod")));
        }
        cases.addAll(goldenPaths());

        int overlays = 0;
        int equal = 0;
        int refused = 0;
        List<String> unreadable = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        long kustomizeNanos = 0;
        for (Case c : cases) {
            long start = System.nanoTime();
            Map<String, OverlayBuilder.Build> real = kustomize.build(c.files(), c.directories());
            kustomizeNanos += System.nanoTime() - start;
            Map<String, OverlayBuilder.Build> builtIn = OverlayBuilder.BUILT_IN.build(c.files(), c.directories());
            Outcome outcome = compare(c, real, builtIn);
            overlays += c.directories().size();
            equal += outcome.equal();
            refused += outcome.refused();
            unreadable.addAll(outcome.unreadable());
            disagreements.addAll(outcome.disagreements());
        }
        System.out.printf("kustomize agreement: %d overlays, %d agree (%d built to equal documents, %d refused by the "
                        + "built-in view naming the field), %d the built-in view cannot read as YAML %s, %d disagree; "
                        + "kustomize (%s) took %d ms per overlay%n",
                overlays, equal + refused, equal, refused, unreadable.size(), unreadable, disagreements.size(),
                kustomize.describe(), kustomizeNanos / 1_000_000 / Math.max(1, overlays));

        assertThat(disagreements).as("overlays where the built-in view and kustomize differ").isEmpty();
        assertThat(equal).as("overlays built to equal documents").isGreaterThan(0);
        assertThat(refused).as("overlays the built-in view refuses").isGreaterThan(0);
    }

    private static Outcome compare(Case c, Map<String, OverlayBuilder.Build> real, Map<String, OverlayBuilder.Build> builtIn) {
        int equal = 0;
        int refused = 0;
        List<String> unreadable = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        for (String directory : c.directories()) {
            String where = c.name() + ": " + directory;
            OverlayBuilder.Build k = real.get(directory);
            OverlayBuilder.Build b = builtIn.get(directory);
            if (!k.built()) {
                disagreements.add(where + ": kustomize cannot build it: " + k.problems());
            } else if (!b.built()) {
                List<Violation> notRefusals = b.problems().stream()
                        .filter(v -> !v.message().contains("which the built-in view does not model; install kustomize")).toList();
                if (notRefusals.isEmpty()) {
                    refused++;
                } else if (notRefusals.stream().allMatch(v -> v.rule().equals("yaml"))) {
                    // SnakeYAML is stricter than kustomize's go-yaml (a tab in indentation): a yaml violation, no document
                    unreadable.add(where + ": " + notRefusals.get(0).message());
                } else {
                    disagreements.add(where + ": the built-in view fails where kustomize builds: " + notRefusals);
                }
            } else {
                Map<String, Map<String, Object>> expected = byId(k.documents());
                Map<String, Map<String, Object>> actual = byId(b.documents());
                if (expected.equals(actual)) {
                    equal++;
                } else {
                    disagreements.add(where + ": documents differ\n  kustomize: " + expected + "\n  built-in:  " + actual);
                }
            }
        }
        return new Outcome(equal, refused, unreadable, disagreements);
    }

    private static Map<String, Map<String, Object>> byId(List<ManifestDocument> docs) {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (ManifestDocument doc : docs) {
            out.put(doc.kind() + "/" + doc.namespace() + "/" + doc.name(), doc.body());
        }
        return out;
    }

    /** Every kustomization folder of the corpus, as one repository. */
    private static Case corpus() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(CORPUS)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(CORPUS.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        List<String> directories = kustomizationFolders(files);
        assertThat(directories).as("kustomization folders of the corpus").hasSizeGreaterThan(30);
        return new Case("corpus", files, directories);
    }

    /** What every example of every golden path that runs the gate renders into its GitOps repository. */
    private static List<Case> goldenPaths() {
        List<Case> cases = new ArrayList<>();
        GoldenPathFixtures.templates().all().stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s.action().equals("paver:conventions:validate")))
                .forEach(p -> p.examples().forEach(example -> {
                    Map<String, String> files = GoldenPathFixtures.under("gitops",
                            GoldenPathFixtures.renderExample(p.id(), example));
                    List<String> directories = kustomizationFolders(files);
                    if (!directories.isEmpty()) {
                        cases.add(new Case(p.id() + " " + example, new LinkedHashMap<>(files), directories));
                    }
                }));
        assertThat(cases).as("golden path examples that render kustomizations").isNotEmpty();
        return cases;
    }

    private static List<String> kustomizationFolders(Map<String, String> files) {
        return files.keySet().stream().filter(f -> Kustomizations.FILE_NAMES.contains(f.substring(f.lastIndexOf('/') + 1)))
                .map(f -> f.contains("/") ? f.substring(0, f.lastIndexOf('/')) : "").distinct().sorted().toList();
    }
}

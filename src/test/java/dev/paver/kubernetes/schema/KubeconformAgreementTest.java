package dev.paver.kubernetes.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.SharedFixtures;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.Violation;
import dev.paver.core.convention.YamlDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gate's schema verdict on kubeconform's own fixtures ({@code ../shared/fixtures/kubernetes/kubeconform/}, from
 * yannh/kubeconform at e65429b) equals kubeconform's, in default and in strict mode.
 *
 * <p>kubeconform's verdicts are those of its {@code acceptance.bats} at that commit: "Pass when parsing a valid
 * Kubernetes config YAML file" (valid.yaml), "... JSON file" (valid.json), "... with int_to_string vars"
 * (int_or_string.yaml), "... with generate name" (generate_name.yaml), "... string and integer quantities"
 * (quantity.yaml), "... with null arrays" and "... null strings" (null_string.yaml), "Pass when parsing a
 * multi-document config file" (multi_valid.yaml), "Pass when parsing a file containing a List" (list_valid.yaml);
 * "Fail when parsing an invalid Kubernetes config file" (invalid.yaml), "... a multi-document config file with one
 * invalid resource" (multi_invalid.yaml), "... a List that contains an invalid resource" (list_invalid.yaml), "... a
 * config that is missing a Kind" / "... an apiVersion" (missing_kind.yaml, missing_apiversion.yaml); "Pass when
 * parsing a config with additional properties" and "Fail ... with additional properties and strict set"
 * (extra_property.yaml); "Pass when parsing a config with duplicate properties and strict NOT set" and "Fail ... with
 * duplicate properties and strict set" (duplicate_property.yaml). Where acceptance.bats runs a file in one mode only,
 * the other mode's verdict is the same: {@code -strict} only closes objects to undeclared properties and rejects
 * duplicate keys, and those files have neither.
 */
class KubeconformAgreementTest {

    private static final Path FIXTURES = SharedFixtures.path("kubernetes", "kubeconform");

    /** file: kubeconform's verdict without and with -strict (true: valid). */
    private static final Map<String, boolean[]> KUBECONFORM = Map.ofEntries(
            Map.entry("valid.yaml", new boolean[] {true, true}),
            Map.entry("valid.json", new boolean[] {true, true}),
            Map.entry("multi_valid.yaml", new boolean[] {true, true}),
            Map.entry("list_valid.yaml", new boolean[] {true, true}),
            Map.entry("int_or_string.yaml", new boolean[] {true, true}),
            Map.entry("null_string.yaml", new boolean[] {true, true}),
            Map.entry("quantity.yaml", new boolean[] {true, true}),
            Map.entry("generate_name.yaml", new boolean[] {true, true}),
            Map.entry("extra_property.yaml", new boolean[] {true, false}),
            Map.entry("duplicate_property.yaml", new boolean[] {true, false}),
            Map.entry("invalid.yaml", new boolean[] {false, false}),
            Map.entry("multi_invalid.yaml", new boolean[] {false, false}),
            Map.entry("list_invalid.yaml", new boolean[] {false, false}),
            Map.entry("missing_apiversion.yaml", new boolean[] {false, false}),
            Map.entry("missing_kind.yaml", new boolean[] {false, false}));

    /**
     * Where the gate disagrees on purpose. kubeconform without -strict reads duplicate keys as the last one wins;
     * the gate's YAML reader rejects them in both modes (rule {@code yaml}), as kubectl's strict field validation
     * does, because a duplicate key silently drops half of what was written.
     */
    private static final Map<String, String> DIVERGENCES = Map.of("duplicate_property.yaml", "yaml");

    private static final KubernetesSchemas DEFAULT = new KubernetesSchemas(false);
    private static final KubernetesSchemas STRICT = new KubernetesSchemas(true);

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void everyFixtureHasKubeconformsVerdict() throws IOException {
        assertThat(fixtures()).containsExactlyInAnyOrderElementsOf(KUBECONFORM.keySet());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void agreesWithKubeconformWithoutStrict(String file) throws IOException {
        List<Violation> violations = verdict(file, DEFAULT);
        if (DIVERGENCES.containsKey(file)) {
            assertThat(violations).extracting(Violation::rule).containsOnly(DIVERGENCES.get(file));
            return;
        }
        assertThat(violations.isEmpty()).as("%s valid without -strict; the gate says %s", file, violations)
                .isEqualTo(KUBECONFORM.get(file)[0]);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void agreesWithKubeconformWithStrict(String file) throws IOException {
        List<Violation> violations = verdict(file, STRICT);
        assertThat(violations.isEmpty()).as("%s valid with -strict; the gate says %s", file, violations)
                .isEqualTo(KUBECONFORM.get(file)[1]);
    }

    @Test
    void namesTheFieldTheValueAndTheLineOfATypeError() throws IOException {
        assertThat(verdict("invalid.yaml", DEFAULT)).extracting(Violation::line, Violation::rule, Violation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(6, "schema",
                        "ReplicationController/bob: spec.replicas is the string 'asd\"', expected integer"));
    }

    @Test
    void checksEachItemOfAListOnItsOwn() throws IOException {
        assertThat(verdict("list_invalid.yaml", DEFAULT)).extracting(Violation::line, Violation::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(26, "ReplicationController/bob"));
    }

    @Test
    void strictModeNamesTheUndeclaredField() throws IOException {
        assertThat(verdict("extra_property.yaml", STRICT)).extracting(Violation::line, Violation::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(7,
                        "DaemonSet/nginx-ds: spec.replicas is not a field of DaemonSet (apps/v1)"));
    }

    @Test
    void saysWhatIsMissing() throws IOException {
        assertThat(verdict("missing_kind.yaml", DEFAULT)).extracting(Violation::message)
                .containsExactly("document: missing 'kind' key: a manifest names its apiVersion and kind");
        assertThat(verdict("missing_apiversion.yaml", DEFAULT)).extracting(Violation::message)
                .containsExactly("ReplicationController/bob: missing 'apiVersion' key: a manifest names its apiVersion and kind");
    }

    /** The gate's schema verdict on one file: its YAML, then every document against its schema. */
    static List<Violation> verdict(String file, KubernetesSchemas schemas) throws IOException {
        String text = Files.readString(FIXTURES.resolve(file), StandardCharsets.UTF_8);
        List<Violation> violations = new ArrayList<>();
        try {
            for (ManifestDocument doc : YamlDocuments.parse(file, text)) {
                violations.addAll(schemas.check(doc));
            }
        } catch (YamlDocuments.InvalidYamlException e) {
            violations.add(e.toViolation());
        }
        return violations;
    }
}

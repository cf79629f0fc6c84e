package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example of every template that renders files ({@code spec.examples}) is accepted by the request check,
 * renders, and passes the conventions gate: the examples are what the help and the docs show, so they must work.
 * The paths that change an existing service (promote) read it from a payments-gitops holding what create-service
 * renders for api.
 */
class TemplateExamplesTest {

    private final ManifestRules gate = new ManifestRules(Conventions.defaults());

    static Stream<Arguments> examples() {
        return GoldenPathFixtures.templates().all().stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s.action().equals("paver:conventions:validate")))
                .flatMap(p -> p.examples().stream().map(e -> Arguments.of(p.id(), e)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("examples")
    void everyExampleRendersFilesThatFollowTheConventions(String pathId, Map<String, String> example) {
        Map<String, String> files = GoldenPathFixtures.under("gitops", GoldenPathFixtures.renderExample(pathId, example));

        assertThat(files).isNotEmpty();
        String domain = example.getOrDefault("domain", "payments");
        assertThat(gate.check(files, domain)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void everyTemplateHasExamples() {
        assertThat(GoldenPathFixtures.templates().all()).allSatisfy(p -> assertThat(p.examples()).as(p.id()).isNotEmpty());
    }
}

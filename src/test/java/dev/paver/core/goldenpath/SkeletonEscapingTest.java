package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.YamlDocuments;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Free text cannot inject markup: every example of every golden path that has a {@code description} is rendered
 * with a description full of HTML and Markdown, and each rendered file is checked for its type. HTML files hold
 * it as entities, Markdown files with backslash escapes, YAML files as a string that reads back unchanged; any
 * other type of file must not receive free text at all (a template that puts it there fails here, until its type
 * gets an escaping).
 */
class SkeletonEscapingTest {

    static final String HOSTILE = "<script>alert(1)</script> *x* [a](javascript:alert(1))";

    static Stream<Arguments> examplesWithFreeText() {
        return GoldenPathFixtures.templates().all().stream()
                .filter(p -> p.steps().stream().anyMatch(s -> s.action().equals("fetch:template")))
                .filter(p -> p.parameters().parameters().stream().anyMatch(x -> x.name().equals("description")))
                .flatMap(p -> p.examples().stream().map(e -> Arguments.of(p.id(), e)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("examplesWithFreeText")
    void everyRenderedFileHoldsTheDescriptionSafelyForItsType(String pathId, Map<String, String> example) {
        Map<String, String> given = new HashMap<>(example);
        given.put("description", HOSTILE);

        Map<String, String> files = GoldenPathFixtures.renderExample(pathId, given);

        assertThat(files).isNotEmpty();
        boolean shown = false;
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path = file.getKey().toLowerCase(Locale.ROOT);
            String text = file.getValue();
            if (path.endsWith(".html")) {
                assertThat(text).as(file.getKey()).doesNotContain("<script");
                shown |= text.contains("&lt;script&gt;alert(1)&lt;/script&gt;");
            } else if (path.endsWith(".md")) {
                // no markup character of the description is left unescaped
                assertThat(text).as(file.getKey()).doesNotContainPattern("(?<!\\\\)<script")
                        .doesNotContainPattern("(?<!\\\\)\\[a").doesNotContainPattern("(?<!\\\\)\\*x");
                shown |= text.contains("\\<script\\>alert(1)\\</script\\> \\*x\\* \\[a\\](javascript:alert(1))");
            } else if (path.endsWith(".yaml") || path.endsWith(".yml")) {
                if (text.contains("alert(1)")) {
                    List<String> strings = YamlDocuments.parse(file.getKey(), text).stream()
                            .flatMap(d -> strings(d.body())).toList();
                    assertThat(strings).as(file.getKey()).contains(HOSTILE);
                    shown = true;
                }
            } else {
                assertThat(text).as(file.getKey() + " has no escaping for its type").doesNotContain("alert(1)");
            }
        }
        assertThat(shown).as("the description reaches some rendered file").isTrue();
    }

    private static Stream<String> strings(Object node) {
        if (node instanceof Map<?, ?> map) {
            return map.values().stream().flatMap(SkeletonEscapingTest::strings);
        }
        if (node instanceof List<?> list) {
            return list.stream().flatMap(SkeletonEscapingTest::strings);
        }
        return node instanceof String s ? Stream.of(s) : Stream.empty();
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.YamlDocuments;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TemplateRendererTest {

    private final TemplateRenderer renderer = new TemplateRenderer();

    private final Map<String, Object> context = Map.of(
            "parameters", Map.of("service", "api", "system", "checkout", "port", 8080L, "tls", false, "tags", List.of()),
            "platform", Map.of("domain", "payments", "environments", List.of("dev", "staging", "prod"),
                    "profile", Map.of("name", "small", "limitsCpu", "500m")));

    @Test
    void rendersExpressionsInText() {
        String text = renderer.render("title", "Add ${{ parameters.service }} to ${{ parameters.system }} of ${{ platform.domain }}", context);

        assertThat(text).isEqualTo("Add api to checkout of payments");
    }

    @Test
    void rendersFiltersAndBlocksAndDropsComments() {
        String template = "{# who deploys #}{% for env in platform.environments %}${{ platform.domain }}-${{ env }}-${{ parameters.service }}\n{% endfor %}"
                + "${{ platform.environments | join(', ') }}";

        assertThat(renderer.render("list", template, context))
                .isEqualTo("payments-dev-api\npayments-staging-api\npayments-prod-api\ndev, staging, prod");
    }

    @Test
    void nothingARenderSetsReachesTheNextRender() {
        assertThat(renderer.render("first", "{% set owner = 'team-a' %}{% macro hi() %}hi{% endmacro %}${{ owner }} ${{ hi() }}",
                context)).isEqualTo("team-a hi");
        assertThatThrownBy(() -> renderer.render("second", "${{ owner }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("second");
        assertThatThrownBy(() -> renderer.renderValue("third", "${{ owner }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageContaining("third");
        assertThat(renderer.render("fourth", "${{ hi is defined }}", context)).isEqualTo("false");
    }

    @Test
    void rendersFromManyThreadsAtOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                Map<String, Object> own = Map.of("parameters", Map.of("service", "svc-" + i, "envs", List.of("dev", "prod")));
                int n = i;
                results.add(pool.submit(() -> n % 2 == 0
                        ? renderer.render("t", "${{ parameters.envs | join(',') }}:${{ parameters.service }}", own)
                        : renderer.renderFile("app/README.md", "# ${{ parameters.service }}", own)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get(30, TimeUnit.SECONDS))
                        .isEqualTo(i % 2 == 0 ? "dev,prod:svc-" + i : "# svc-" + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static final String HOSTILE = "<script>alert(1)</script> *bold* [x](javascript:alert(1)) & `code`";
    private final Map<String, Object> hostile = Map.of("values", Map.of("description", HOSTILE,
            "lines", List.of("# heading", "1. item", "- item"), "service", "payments-dev-api"));

    @Test
    void escapesValuesAsHtmlEntitiesInHtmlFiles() {
        String page = renderer.renderFile("app/public/index.html", "<p>${{ values.description }}</p>", hostile);

        assertThat(page).isEqualTo("<p>&lt;script&gt;alert(1)&lt;/script&gt; *bold* [x](javascript:alert(1)) &amp; `code`</p>");
        assertThat(renderer.renderFile("site/feed.XML", "<t>${{ values.description }}</t>", hostile)).doesNotContain("<script>");
    }

    @Test
    void escapesMarkdownMarkupInMarkdownFilesButLeavesNamesReadable() {
        String doc = renderer.renderFile("docs/index.md", "# ${{ values.service }}\n\n${{ values.description }}\n"
                + "{% for line in values.lines %}${{ line }}\n{% endfor %}", hostile);

        assertThat(doc).isEqualTo("# payments-dev-api\n\n"
                + "\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[x\\](javascript:alert(1)) \\& \\`code\\`\n"
                + "\\# heading\n1\\. item\n\\- item\n");
    }

    @Test
    void leavesOtherFilesAndSafeValuesAsTheyAre() {
        assertThat(renderer.renderFile("catalog-info.yaml", "description: ${{ values.description | dump }}", hostile))
                .isEqualTo("description: \"" + HOSTILE + "\"");
        assertThat(renderer.renderFile("Dockerfile", "# ${{ values.description }}", hostile)).isEqualTo("# " + HOSTILE);
        assertThat(renderer.renderFile("index.html", "${{ '<b>' | safe }}${{ values.service }}", hostile))
                .isEqualTo("<b>payments-dev-api");
    }

    @Test
    void leavesPlainTextAndShellVariablesAlone() {
        assertThat(renderer.render("ci.yaml", "echo \"$HOME ${PATH} {{ not ours }}\"", context))
                .isEqualTo("echo \"$HOME ${PATH} {{ not ours }}\"");
    }

    @Test
    void refusesAnUnknownVariableNamingTheTemplate() {
        assertThatThrownBy(() -> renderer.render("skeleton/base/deployment.yaml", "image: ${{ values.image }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageStartingWith("skeleton/base/deployment.yaml: ")
                .hasMessageContaining("values");
    }

    @Test
    void refusesAnUnknownPropertyOfAKnownObject() {
        assertThatThrownBy(() -> renderer.render("steps[publish].input.title", "Add ${{ parameters.servcie }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageStartingWith("steps[publish].input.title: ");
    }

    @Test
    void refusesBrokenSyntaxNamingTheTemplate() {
        assertThatThrownBy(() -> renderer.render("README.md", "{% if parameters.service %}open", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageStartingWith("README.md: ");
    }

    @Test
    void keepsTheTypeOfALoneExpression() {
        assertThat(renderer.renderValue("each", "${{ platform.environments }}", context)).isEqualTo(List.of("dev", "staging", "prod"));
        assertThat(renderer.renderValue("port", "${{ parameters.port }}", context)).isEqualTo(8080L);
        assertThat(renderer.renderValue("tls", " ${{ parameters.tls }} ", context)).isEqualTo(false);
        assertThat(renderer.renderValue("profile", "${{ platform.profile }}", context))
                .isEqualTo(Map.of("name", "small", "limitsCpu", "500m"));
    }

    @Test
    void rendersAnExpressionWithinTextAsText() {
        assertThat(renderer.renderValue("port", "port ${{ parameters.port }}", context)).isEqualTo("port 8080");
        assertThat(renderer.renderValue("two", "${{ parameters.service }}-${{ parameters.port }}", context)).isEqualTo("api-8080");
    }

    @Test
    void rendersStepInputsRecursively() {
        Map<String, Object> input = Map.of("values", Map.of("service", "${{ parameters.service }}",
                "envs", List.of("${{ platform.environments }}", "fixed"), "replicas", 2));

        assertThat(renderer.renderValue("steps[render].input", input, context)).isEqualTo(Map.of("values", Map.of(
                "service", "api", "envs", List.of(List.of("dev", "staging", "prod"), "fixed"), "replicas", 2)));
    }

    @Test
    void refusesAnUnknownVariableInALoneExpressionNamingWhere() {
        assertThatThrownBy(() -> renderer.renderValue("steps[await-sync].input.revision",
                "${{ steps['await-merge'].output.revision }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageStartingWith("steps[await-sync].input.revision: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a: b", "- x", "\"quoted\"", "#comment", "line one\nline two", "{a: 1}", "[1, 2]", "*alias",
            "&anchor", "!!python/object", "'single'", "yes", "null", "~", "1.0", "0x1F", "@handle", "%TAG", "back\\slash",
            "tab\there", "  padded  ", "", "café ☕ 日本", "---", "...", "a # b", "key: value\nother: x"})
    void dumpQuotesTextSoThatYamlReadsBackTheSameString(String value) {
        String yaml = renderer.render("values.yaml", "value: ${{ x | dump }}\nnext: ok\n", Map.of("x", value));

        List<ManifestDocument> docs = YamlDocuments.parse("values.yaml", yaml);
        assertThat(docs).hasSize(1);
        assertThat(docs.get(0).body()).containsEntry("value", value).containsEntry("next", "ok").hasSize(2);
    }

    @Test
    void dumpWritesNumbersAndListsAsJson() {
        assertThat(renderer.render("x", "${{ parameters.port | dump }} ${{ platform.environments | dump }}", context))
                .isEqualTo("8080 [\"dev\",\"staging\",\"prod\"]");
    }

    @Test
    void refusesAnUnknownVariableEvenThroughDump() {
        assertThatThrownBy(() -> renderer.render("skeleton/overlay/namespace.yaml",
                "platform/cost-center: ${{ values.costCentre | dump }}", Map.of("values", Map.of("costCenter", "cc-4711"))))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageStartingWith("skeleton/overlay/namespace.yaml: ")
                .hasMessageContaining("costCentre");
    }

    @Test
    void runsAStepWithoutCondition() {
        assertThat(renderer.condition("if", null, context)).isTrue();
    }

    @Test
    void runsAStepWhoseConditionIsTruthy() {
        assertThat(renderer.condition("if", true, context)).isTrue();
        assertThat(renderer.condition("if", "${{ parameters.service }}", context)).isTrue();
        assertThat(renderer.condition("if", "${{ parameters.port > 1024 }}", context)).isTrue();
        assertThat(renderer.condition("if", "${{ platform.environments }}", context)).isTrue();
        assertThat(renderer.condition("if", "${{ platform.profile }}", context)).isTrue();
    }

    @Test
    void skipsAStepWhoseConditionIsFalsy() {
        assertThat(renderer.condition("if", false, context)).isFalse();
        assertThat(renderer.condition("if", "${{ parameters.tls }}", context)).isFalse();
        assertThat(renderer.condition("if", "${{ parameters.port < 1024 }}", context)).isFalse();
        assertThat(renderer.condition("if", "${{ parameters.service == 'worker' }}", context)).isFalse();
        assertThat(renderer.condition("if", "${{ 0 }}", context)).isFalse();
        assertThat(renderer.condition("if", "${{ '' }}", context)).isFalse();
        assertThat(renderer.condition("if", "", context)).isFalse();
    }

    @Test
    void skipsAStepWhoseConditionIsAnEmptyListAsBackstageDoes() {
        // Backstage's isTruthy: not false, undefined, null, "", 0 or []
        assertThat(renderer.condition("if", "${{ parameters.tags }}", context)).isFalse();
    }

    @Test
    void refusesAConditionWithAnUnknownVariable() {
        assertThatThrownBy(() -> renderer.condition("steps[tls].if", "${{ parameters.tlss }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class).hasMessageStartingWith("steps[tls].if: ");
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backstage's template filters and Nunjucks' undefined in Paver's renderer; the expected values are those of
 * Backstage's filter examples ({@code createDefaultFilters} of {@code @backstage/plugin-scaffolder-backend}).
 */
class BackstageFiltersTest {

    private final TemplateRenderer renderer = new TemplateRenderer();

    private final Map<String, Object> context = Map.of(
            "parameters", TemplateRenderer.parameters(Map.of(
                    "repoUrl", "github.com?repo=backstage&owner=backstage",
                    "owner", "group:techdocs",
                    "team", "techdocs"), List.of("repoUrl", "owner", "team", "description")),
            "secrets", TemplateRenderer.allUndefined());

    @Test
    void parseRepoUrlGivesHostOwnerAndRepoAndLeavesOutWhatIsNotGiven() {
        Object parsed = renderer.renderValue("v", "${{ parameters.repoUrl | parseRepoUrl }}", context);

        assertThat(TemplateRenderer.defined(parsed))
                .isEqualTo(Map.of("host", "github.com", "owner", "backstage", "repo", "backstage"));
        assertThat(renderer.render("t", "${{ (parameters.repoUrl | parseRepoUrl).owner }}/"
                + "${{ parameters.repoUrl | parseRepoUrl | pick('repo') }}"
                + "{% if (parameters.repoUrl | parseRepoUrl).organization %} org{% endif %}", context))
                .isEqualTo("backstage/backstage");
        assertThat(renderer.render("t", "${{ parameters.repoUrl | projectSlug }}", context)).isEqualTo("backstage/backstage");
    }

    @Test
    void parseRepoUrlRefusesAUrlWithoutOwnerOrRepo() {
        Map<String, Object> noOwner = Map.of("parameters", Map.of("repoUrl", "github.com?repo=x"));

        assertThatThrownBy(() -> renderer.render("steps[fetch].input.values.destination",
                "${{ parameters.repoUrl | parseRepoUrl }}", noOwner))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageContaining("missing owner");
    }

    @Test
    void parseEntityRefFillsTheDefaultNamespaceAndTheGivenDefaults() {
        assertThat(renderer.renderValue("v", "${{ parameters.owner | parseEntityRef }}", context))
                .isEqualTo(ordered("kind", "group", "namespace", "default", "name", "techdocs"));
        assertThat(renderer.renderValue("v", "${{ parameters.team | parseEntityRef({ defaultKind: 'group', "
                + "defaultNamespace: 'another-namespace' }) }}", context))
                .isEqualTo(ordered("kind", "group", "namespace", "another-namespace", "name", "techdocs"));
        assertThat(renderer.render("t", "${{ parameters.owner | parseEntityRef | pick('name') }}", context))
                .isEqualTo("techdocs");
        assertThatThrownBy(() -> renderer.render("t", "${{ parameters.team | parseEntityRef }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageContaining("missing or empty kind");
    }

    @Test
    void anOptionalParameterLeftOutIsUndefinedButATypoIsStillAnError() {
        assertThat(renderer.render("t", "[${{ parameters.description }}]{% if parameters.description %} described"
                + "{% endif %}${{ parameters.description or ' none' }}", context)).isEqualTo("[] none");
        assertThat(renderer.render("t", "${{ parameters.description | default('no description') }}", context))
                .isEqualTo("no description");
        assertThat(renderer.render("t", "{% if parameters.description is defined %}defined{% else %}undefined{% endif %}",
                context)).isEqualTo("undefined");
        Object input = renderer.renderValue("input", Map.of("description", "${{ parameters.description }}",
                "name", "x"), context);
        assertThat(TemplateRenderer.defined(input)).isEqualTo(Map.of("name", "x"));

        assertThatThrownBy(() -> renderer.render("t", "${{ parameters.descriptoin }}", context))
                .isInstanceOf(TemplateRenderer.TemplateException.class)
                .hasMessageContaining("parameters.descriptoin");
    }

    @Test
    void aConditionalWithoutElseIsUndefinedWhenFalseAsInNunjucks() {
        Map<String, Object> input = Map.of("description", "# New project\n\n${{ parameters.description if parameters.description }}",
                "targetPath", "${{ parameters.description if parameters.description else parameters.team }}",
                "note", "${{ parameters.description if parameters.description }}");

        assertThat(TemplateRenderer.defined(renderer.renderValue("input", input, context)))
                .isEqualTo(Map.of("description", "# New project\n\n", "targetPath", "techdocs"));
        assertThat(TemplateRenderer.withElse("'what if' ~ x")).isEqualTo("'what if' ~ x");
        assertThat(TemplateRenderer.withElse("x if y else z")).isEqualTo("x if y else z");
        assertThat(TemplateRenderer.withElse("gift | upper if y")).isEqualTo("gift | upper if y else __paver_undefined__");
    }

    @Test
    void aListInTextIsWrittenAsNunjucksWritesIt() {
        Map<String, Object> topics = Map.of("parameters", Map.of("topics", List.of("writing-templates", "builtin-actions")));

        assertThat(renderer.render("t", "Topics: ${{ parameters.topics }}", topics))
                .isEqualTo("Topics: writing-templates,builtin-actions");
        assertThat(renderer.renderValue("v", "${{ parameters.topics }}", topics))
                .isEqualTo(List.of("writing-templates", "builtin-actions"));
    }

    @Test
    void secretsAreEmptySoATokenFallsBackAsInBackstage() {
        assertThat(renderer.renderValue("token", "${{ secrets.USER_OAUTH_TOKEN or false }}", context)).isEqualTo(false);
        assertThat(renderer.render("t", "[${{ secrets.ANYTHING }}]", context)).isEqualTo("[]");
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * A page's top-level {@code oneOf}, as Backstage's form (react-jsonschema-form) shows it: a choice of which schema to
 * fill, the first chosen, then the chosen schema's fields; the choice itself is the form's, never a template value.
 */
class OneOfTest {

    private final Object page = new Yaml().load("""
            title: Where the code comes from
            properties:
              name: {title: Name, type: string}
            required: [name]
            oneOf:
              - title: From scratch
                properties:
                  language: {title: Language, type: string, enum: [java, go]}
                required: [language]
              - title: From a repository
                properties:
                  repoUrl: {title: Repository, type: string, pattern: '^[a-z]+/[a-z]+$'}
                  branch: {title: Branch, type: string, default: main}
                required: [repoUrl]
            """);
    private final ParameterSchema schema = ParameterSchema.read(List.of(page));

    private List<String> shown(Map<String, String> values) {
        return schema.shown(values).stream().map(Parameter::name).toList();
    }

    @Test
    void theChoiceIsASelectOfTheTitlesAndTheFirstIsChosenUntilAnotherIs() {
        Parameter choice = schema.get(ParameterSchema.CHOICE);
        assertThat(ParameterSchema.isChoice(choice)).isTrue();
        assertThat(choice.enumValues()).containsExactly("1", "2");
        assertThat(choice.label("2")).isEqualTo("From a repository");
        assertThat(choice.title()).isEqualTo("Where the code comes from");
        assertThat(schema.decides(ParameterSchema.CHOICE)).as("the modal updates as soon as it is chosen").isTrue();
        assertThat(shown(Map.of())).containsExactly("name", ParameterSchema.CHOICE, "language");
        assertThat(shown(Map.of(ParameterSchema.CHOICE, "2"))).containsExactly("name", ParameterSchema.CHOICE, "repoUrl", "branch");
        assertThat(schema.positional().name()).as("a slash command's positional value is a template's").isEqualTo("name");
    }

    @Test
    void aSlashCommandChoosesByTheParametersItGives() {
        assertThat(shown(Map.of("name", "api", "repoUrl", "acme/api"))).contains("repoUrl").doesNotContain("language");
        assertThat(schema.missing(Map.of("name", "api", "branch", "dev"))).extracting(Parameter::name).containsExactly("repoUrl");
        assertThat(schema.missing(Map.of("name", "api"))).as("the first choice").extracting(Parameter::name)
                .containsExactly("language");
    }

    @Test
    void theRunGetsOnlyTheChosenSchemasValuesAndNeverTheChoice() {
        Map<String, Object> values = schema.withDefaults(Map.of(ParameterSchema.CHOICE, "2", "name", "api",
                "repoUrl", "acme/api", "language", "go"));
        assertThat(values).containsExactly(Map.entry("name", "api"), Map.entry("repoUrl", "acme/api"), Map.entry("branch", "main"));
        assertThat(schema.validate(values)).isEmpty();
        assertThat(schema.validate(schema.withDefaults(Map.of("name", "api", "language", "java")))).isEmpty();
    }

    @Test
    void aValueThatBreaksTheChosenSchemasRuleIsNamedWithItsRule() {
        List<Violation> violations = schema.validate(schema.withDefaults(Map.of(ParameterSchema.CHOICE, "2", "name", "api",
                "repoUrl", "Not A Repo")));
        assertThat(violations).extracting(Violation::subject).containsExactly("repoUrl");
        assertThat(violations.get(0).message()).contains("repoUrl 'Not A Repo' does not match");
    }

    @Test
    void choicesWithoutTitleAreNumberedAsTheFormNumbersThem() {
        ParameterSchema untitled = ParameterSchema.read(List.of((Object) new Yaml().load("""
                oneOf:
                  - properties: {a: {type: string}}
                  - properties: {b: {type: string}}
                """)));
        Parameter choice = untitled.get(ParameterSchema.CHOICE);
        assertThat(List.of(choice.label("1"), choice.label("2"))).containsExactly("Option 1", "Option 2");
        assertThat(untitled.positional()).isNull();
    }
}

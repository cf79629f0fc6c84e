package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * A page's {@code dependencies}, as Backstage's form (react-jsonschema-form) reads them: parameters asked for only when
 * another has a given value, checked by the JSON Schema with the branch they belong to.
 */
class DependenciesTest {

    private final Object page = new Yaml().load("""
            required: [database]
            properties:
              database:
                title: Database
                type: string
                enum: [none, postgres]
                default: none
            dependencies:
              database:
                oneOf:
                  - properties:
                      database: {enum: [none]}
                  - properties:
                      database: {enum: [postgres]}
                      size: {title: Size, type: string, enum: [small, large]}
                      backups: {title: Backups, type: boolean, default: true}
                    required: [size]
            """);
    private final ParameterSchema schema = ParameterSchema.read(List.of(page));

    private List<String> shown(Map<String, String> values) {
        return schema.shown(values).stream().map(Parameter::name).toList();
    }

    @Test
    void theParametersABranchCallsForAreAskedOnlyWhenItsValueIsChosen() {
        assertThat(shown(Map.of())).as("the default, none, calls for nothing").containsExactly("database");
        assertThat(shown(Map.of("database", "postgres"))).containsExactly("database", "size", "backups");
        assertThat(schema.decides("database")).isTrue();
        assertThat(schema.decides("size")).isFalse();
        assertThat(schema.parameters()).as("a slash command may set any of them")
                .extracting(Parameter::name).containsExactly("database", "size", "backups");
    }

    @Test
    void aBranchsRequiredParameterIsMissingOnlyInItsBranchAndItsDefaultsOnlyApplyThere() {
        assertThat(schema.missing(Map.of("database", "postgres"))).extracting(Parameter::name).containsExactly("size");
        assertThat(schema.missing(Map.of("database", "none"))).isEmpty();
        assertThat(schema.withDefaults(Map.of("database", "none", "size", "large"))).as("a value of another branch is dropped")
                .containsExactly(Map.entry("database", "none"));
        Map<String, Object> postgres = schema.withDefaults(Map.of("database", "postgres", "size", "small"));
        assertThat(postgres).containsExactly(Map.entry("database", "postgres"), Map.entry("size", "small"),
                Map.entry("backups", true));
        assertThat(schema.validate(postgres)).isEmpty();
        assertThat(schema.validate(schema.withDefaults(Map.of("database", "postgres", "size", "huge"))))
                .as("the branch's own rules are checked").isNotEmpty();
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code spec.parameters} as a list of pages, each a step of the modal, as Backstage's form steps through them. */
class PagesTest {

    private static Object pages(String yaml) {
        return new Yaml().load(yaml);
    }

    private final ParameterSchema schema = ParameterSchema.read(pages("""
            - title: Component
              required: [name]
              properties:
                name: {type: string}
                kind: {type: string, enum: [service, library], default: service}
              dependencies:
                kind:
                  oneOf:
                    - properties: {kind: {enum: [service]}, port: {type: integer, default: 8080}}
                    - properties: {kind: {enum: [library]}}
            - title: Location
              required: [repoUrl]
              properties:
                repoUrl: {type: string}
            """));

    @Test
    void eachPageAsksForItsOwnParametersAndTheDependentsTheirValuesCallFor() {
        assertThat(schema.pageCount()).isEqualTo(2);
        assertThat(List.of(schema.pageTitle(0), schema.pageTitle(1))).containsExactly("Component", "Location");
        assertThat(schema.shown(Map.of(), 0)).extracting(Parameter::name).containsExactly("name", "kind", "port");
        assertThat(schema.shown(Map.of("kind", "library"), 0)).extracting(Parameter::name).containsExactly("name", "kind");
        assertThat(schema.shown(Map.of(), 1)).extracting(Parameter::name).containsExactly("repoUrl");
        assertThat(schema.shown(Map.of())).as("a slash command still gives every page's values at once")
                .extracting(Parameter::name).containsExactly("name", "kind", "port", "repoUrl");
    }

    @Test
    void aSecretValueMustBeOnTheLastPageSoThatNoPageCarriesIt() {
        List<ParameterSchema.Problem> problems = ParameterSchema.problems(pages("""
                - properties:
                    token: {type: string, paver:convention: secret-value}
                - properties:
                    name: {type: string}
                """));
        assertThat(problems).extracting(ParameterSchema.Problem::pointer).containsExactly("/0/properties/token/paver:convention");
        assertThat(problems.get(0).message()).contains("put it on the last page");
        assertThat(ParameterSchema.problems(pages("""
                - properties:
                    name: {type: string}
                - properties:
                    token: {type: string, paver:convention: secret-value}
                """))).isEmpty();
    }
}

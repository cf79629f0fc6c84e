package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * A Backstage {@code ui:field: RepoUrlPicker} parameter typed in Slack: what a person writes there (owner/repository,
 * an address) becomes the picker's value {@code host?owner=o&repo=r}, which {@code parseRepoUrl} reads; anything else
 * is refused before a run starts.
 */
class RepoUrlPickerTest {

    private final Object page = new Yaml().load("""
            required: [repoUrl]
            properties:
              repoUrl:
                title: Repository Location
                type: string
                ui:field: RepoUrlPicker
                ui:options: {allowedHosts: [github.com]}
            """);
    private final ParameterSchema schema = ParameterSchema.read(List.of(page));

    private Object typed(String value) {
        return schema.withDefaults(Map.of("repoUrl", value)).get("repoUrl");
    }

    @Test
    void whatAPersonTypesBecomesThePickersValue() {
        assertThat(typed("acme/payments-docs")).isEqualTo("github.com?owner=acme&repo=payments-docs");
        assertThat(typed(" https://github.com/acme/payments.git ")).isEqualTo("github.com?owner=acme&repo=payments");
        assertThat(typed("github.com?owner=acme&repo=payments")).as("Backstage's own form, as the portal sends it")
                .isEqualTo("github.com?owner=acme&repo=payments");
        assertThat(schema.validate(schema.withDefaults(Map.of("repoUrl", "acme/payments")))).isEmpty();
    }

    @Test
    void somethingElseIsRefusedWithTheFormsThatWork() {
        List<Violation> violations = schema.validate(schema.withDefaults(Map.of("repoUrl", "payments")));
        assertThat(violations).singleElement().extracting(Violation::message).asString()
                .isEqualTo("repoUrl 'payments' is not a repository: write owner/repository (e.g. acme/payments), its "
                        + "address (https://github.com/acme/payments) or Backstage's form github.com?owner=acme&repo=payments");
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Violation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Backstage's catalog pickers as its form reads them: what they offer from the catalog, how a typed name is completed
 * into an entity ref, and what is refused at submission.
 */
class EntityPickersTest {

    private final PlatformCatalog catalog = new PlatformCatalog(
            Map.of("checkout", new PlatformCatalog.SystemEntry("checkout", "payments", "team-payments")),
            Map.of("team-payments", "cc-1", "team-ledger", "cc-2"),
            Map.of("api", new PlatformCatalog.ServiceEntry("api", "checkout", "team-payments", "payments"),
                    "money-lib", new PlatformCatalog.ServiceEntry("money-lib", "checkout", "team-payments", "payments")),
            Map.of("payments", "team-payments"),
            Map.of("dana", List.of("team-payments")), Set.of(), Map.of(),
            Map.of("component:api", "service", "component:money-lib", "library"));

    private static Parameter parameter(String yaml) {
        return ParameterSchema.read(List.of((Object) new Yaml().load("properties:\n  field:\n" + yaml.indent(4)))).get("field");
    }

    @Test
    void anOwnerPickerOffersGroupsAndUsersAsEntityRefsAndShowsGroupsByName() {
        Parameter owner = parameter("type: string\nui:field: OwnerPicker\n");
        assertThat(EntityPickers.choices(owner, catalog)).containsExactly("group:default/team-ledger",
                "group:default/team-payments", "user:default/dana");
        assertThat(EntityPickers.label(owner, "group:default/team-payments")).isEqualTo("team-payments");
        assertThat(EntityPickers.label(owner, "user:default/dana")).isEqualTo("user:dana");
        Parameter groupsOnly = parameter("type: string\nui:field: OwnerPicker\nui:options: {allowedKinds: [Group]}\n");
        assertThat(EntityPickers.choices(groupsOnly, catalog)).containsExactly("group:default/team-ledger", "group:default/team-payments");
    }

    @Test
    void anOwnerPickerOfPaversOwnTemplatesKeepsThePlainGroupName() {
        Parameter paver = parameter("type: string\nui:field: OwnerPicker\npaver:convention: owner\n");
        assertThat(EntityPickers.storesRef(paver)).isFalse();
        assertThat(EntityPickers.check(paver, "team-payments", catalog)).isEmpty();
    }

    @Test
    void anEntityPickerFiltersByKindAndATypedNameIsCompletedWithTheDefaultKind() {
        Parameter system = parameter("type: string\nui:field: EntityPicker\n"
                + "ui:options: {catalogFilter: [{kind: System}, {kind: Component, spec.type: service}], defaultKind: System}\n");
        assertThat(EntityPickers.choices(system, catalog)).as("spec.type: service leaves the library out")
                .containsExactly("system:default/checkout", "component:default/api");
        assertThat(EntityPickers.ref(system, "checkout")).isEqualTo("system:default/checkout");
        assertThat(EntityPickers.ref(system, "Component:api")).isEqualTo("component:default/api");
        assertThat(EntityPickers.label(system, "system:default/checkout")).isEqualTo("checkout");
        ParameterSchema schema = ParameterSchema.read(List.of((Object) new Yaml().load(
                "properties:\n  system: {type: string, ui:field: EntityPicker, ui:options: {defaultKind: System}}\n")));
        assertThat(schema.withDefaults(Map.of("system", "checkout"))).as("a slash command's name, stored as Backstage stores it")
                .containsEntry("system", "system:default/checkout");
    }

    @Test
    void aSubmittedValueIsCheckedAgainWhateverTheFormOffered() {
        Parameter closed = parameter("type: string\nui:field: EntityPicker\n"
                + "ui:options: {catalogFilter: {kind: [Group, User]}, allowArbitraryValues: false}\n");
        assertThat(EntityPickers.check(closed, "group:default/team-payments", catalog)).isEmpty();
        assertThat(EntityPickers.check(closed, "group:default/team-nobody", catalog)).map(Violation::rule).contains("unknown-entity");
        assertThat(EntityPickers.check(closed, "system:default/checkout", catalog)).map(Violation::message)
                .hasValueSatisfying(m -> assertThat(m).contains("is a system; choose a Group or User"));
        assertThat(EntityPickers.check(closed, "group:default/../etc", catalog)).map(Violation::rule).contains("entity-ref");

        Parameter open = parameter("type: string\nui:field: EntityPicker\nui:options: {catalogFilter: {kind: Group}}\n");
        assertThat(EntityPickers.allowsArbitrary(open)).as("Backstage's default").isTrue();
        assertThat(EntityPickers.check(open, "group:default/team-new", catalog)).as("not listed, but allowed").isEmpty();
    }

    @Test
    void anEntityNameFollowsBackstagesRule() {
        Parameter name = parameter("type: string\nui:field: EntityNamePicker\n");
        assertThat(EntityPickers.check(name, "my-service_1.v2", catalog)).isEmpty();
        assertThat(EntityPickers.check(name, "a".repeat(63), catalog)).isEmpty();
        for (String bad : List.of("a".repeat(64), "-api", "api-", "my service", "api/x", "ä")) {
            assertThat(EntityPickers.check(name, bad, catalog)).as(bad).map(Violation::message)
                    .hasValueSatisfying(m -> assertThat(m).contains("is not an entity name"));
        }
    }

    @Test
    void aCatalogFileGivesItsEntitiesTypesToTheTypeFilter() {
        PlatformCatalog read = CatalogReader.read(Map.of(
                "catalog/components/api.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: api}\n"
                        + "spec: {type: service, system: checkout, owner: team-payments}\n",
                "catalog/components/money-lib.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\n"
                        + "metadata: {name: money-lib}\nspec: {type: library, system: checkout, owner: team-payments}\n"));
        Parameter services = parameter("type: string\nui:field: EntityPicker\n"
                + "ui:options: {catalogFilter: {kind: Component, spec.type: SERVICE}, allowArbitraryValues: false}\n");

        assertThat(read.type("Component", "money-lib")).isEqualTo("library");
        assertThat(EntityPickers.choices(services, read)).as("compared case-insensitively").containsExactly("component:default/api");
        assertThat(EntityPickers.check(services, "component:default/money-lib", read)).as("checked again at submission")
                .isNotEmpty();
    }
}

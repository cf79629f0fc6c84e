package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenPathCatalogTest {

    private static final String MINIMAL = """
            apiVersion: scaffolder.backstage.io/v1beta3
            kind: Template
            metadata:
              name: %s
              title: Create a queue
            spec:
              parameters:
                - required: [name]
                  properties:
                    name:
                      type: string
              steps:
                - id: render
                  action: fetch:template
                  input:
                    url: ./skeleton
                - id: %s
                  action: paver:conventions:validate
            """;

    @TempDir
    Path tmp;

    private Path templates(String folder, String templateYaml) throws IOException {
        Path root = tmp.resolve("templates");
        Files.createDirectories(root.resolve(folder));
        Files.writeString(root.resolve(folder).resolve("template.yaml"), templateYaml);
        return root;
    }

    @Test
    void loadsTheCreateServiceTemplate() {
        GoldenPath path = GoldenPathFixtures.templates().find("create-service").orElseThrow();

        assertThat(path.id()).isEqualTo("create-service");
        assertThat(path.title()).isEqualTo("Create a service");
        assertThat(path.description()).startsWith("A new service in an existing system");
        assertThat(path.folder()).isEqualTo(Path.of("templates", "create-service"));
        assertThat(path.steps()).extracting(StepSpec::id).containsExactly("render-base", "render-overlays",
                "render-catalog", "render-app", "validate", "preview", "publish-gitops", "create-app-repo", "publish-app",
                "await-merge", "await-sync");
        assertThat(path.step("render-overlays").each()).isEqualTo("${{ platform.environments }}");
        assertThat(path.step("publish-gitops").action()).isEqualTo("publish:github:pull-request");
        assertThat(path.examples()).hasSize(2).first()
                .isEqualTo(java.util.Map.of("service", "api", "system", "checkout", "owner", "team-payments", "profile", "small"));
    }

    @Test
    void buildsTheSlashCommandUsageFromTheParameters() {
        assertThat(GoldenPathFixtures.createService().usage("/platform")).isEqualTo("/platform create-service <service> "
                + "--system <system> --owner <owner> [--profile small|medium|large] [--port <port>] [--description <description>] [--dry-run]");
    }

    @Test
    void takesTheFirstRequiredParameterAsThePositionalOne() {
        assertThat(GoldenPathFixtures.createService().parameters().positional().name()).isEqualTo("service");
    }

    @Test
    void readsTypesEnumsDefaultsPickersAndConventionsOfTheParameters() {
        ParameterSchema schema = GoldenPathFixtures.createService().parameters();

        assertThat(schema.parameters()).extracting(Parameter::name)
                .containsExactly("service", "system", "owner", "profile", "port", "description");
        assertThat(schema.get("service")).extracting(Parameter::title, Parameter::required, Parameter::convention)
                .containsExactly("Service name", true, "service");
        assertThat(schema.get("system")).extracting(Parameter::uiField, Parameter::convention, Parameter::picksFromCatalog)
                .containsExactly("SystemPicker", "system", true);
        assertThat(schema.get("owner")).extracting(Parameter::uiField, Parameter::picksFromCatalog).containsExactly("OwnerPicker", true);
        assertThat(schema.get("profile")).extracting(Parameter::enumValues, Parameter::defaultValue, Parameter::required,
                Parameter::convention).containsExactly(java.util.List.of("small", "medium", "large"), "small", false, "profile");
        assertThat(schema.get("port")).extracting(Parameter::type, Parameter::defaultValue).containsExactly("integer", "8080");
        assertThat(schema.get("description")).extracting(Parameter::maxLength, Parameter::required, Parameter::picksFromCatalog)
                .containsExactly(200, false, false);
    }

    @Test
    void loadsATemplateWrittenToAFolderOfItsName() throws IOException {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(templates("create-queue", MINIMAL.formatted("create-queue", "validate")));

        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-queue");
        assertThat(catalog.find("create-queue").orElseThrow().usage("/platform")).isEqualTo("/platform create-queue <name>");
        assertThat(catalog.find("create-service")).isEmpty();
    }

    @Test
    void skipsAFolderWithoutTemplate() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-queue", "validate"));
        Files.createDirectories(root.resolve("drafts"));

        assertThat(GoldenPathCatalog.load(root).all()).extracting(GoldenPath::id).containsExactly("create-queue");
    }

    @Test
    void refusesATemplateWhoseNameDiffersFromItsFolder() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-topic", "validate"));

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("templates/create-queue/template.yaml: ")
                .hasMessageContaining("'create-topic'", "equal to the folder name");
    }

    @Test
    void refusesATemplateWithADuplicateStepId() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-queue", "render"));

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessage("templates/create-queue/template.yaml: step id render is used twice");
    }

    @Test
    void refusesATemplateOfAnotherScaffolderVersion() throws IOException {
        String v1beta2 = MINIMAL.formatted("create-queue", "validate")
                .replace("scaffolder.backstage.io/v1beta3", "backstage.io/v1beta2");
        Path root = templates("create-queue", v1beta2);

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessage("templates/create-queue/template.yaml: expected apiVersion scaffolder.backstage.io/v1beta3 and kind Template");
    }

    @Test
    void refusesAStepWithoutAction() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("    action: paver:conventions:validate\n", "");
        Path root = templates("create-queue", template);

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessage("templates/create-queue/template.yaml: every step needs an id and an action");
    }

    @Test
    void refusesAParameterWithoutType() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("          type: string\n", "          title: Name\n");
        Path root = templates("create-queue", template);

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessage("templates/create-queue/template.yaml: spec.parameters: property name has no type");
    }

    @Test
    void refusesATemplateThatIsNotYamlNamingTheFileAndLine() throws IOException {
        String valid = MINIMAL.formatted("create-queue", "validate");
        Path root = templates("create-queue", valid + "metadata:\n  name: again\n");
        long duplicateLine = valid.lines().count() + 1;

        assertThatThrownBy(() -> GoldenPathCatalog.load(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("templates/create-queue/template.yaml:" + duplicateLine + ": ")
                .hasMessageContaining("duplicate key metadata");
    }

    @Test
    void refusesAMissingTemplatesFolder() {
        assertThatThrownBy(() -> GoldenPathCatalog.load(tmp.resolve("nowhere"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
    }
}

package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
                "render-catalog", "render-group-access", "render-app", "validate", "preview", "check-free", "publish-gitops",
                "create-app-repo", "publish-app",
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

    private static final java.util.Set<String> ACTIONS = java.util.Set.of("fetch:template", "paver:conventions:validate");

    private static java.util.List<String> problems(GoldenPathCatalog catalog) {
        return catalog.problems().stream().map(TemplateProblem::describe).toList();
    }

    @Test
    void takesTheIdFromMetadataNameWhateverTheFolderIsCalled() throws IOException {
        Path root = templates("queues", MINIMAL.formatted("create-queue", "validate"));

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-queue");
        assertThat(catalog.find("create-queue").orElseThrow().folder()).isEqualTo(root.resolve("queues"));
        assertThat(catalog.problems()).isEmpty();
    }

    @Test
    void refusesBothTemplatesThatHaveTheSameNameNamingBothFiles() throws IOException {
        Path root = templates("queues", MINIMAL.formatted("create-queue", "validate"));
        templates("queues-v2", MINIMAL.formatted("create-queue", "validate"));
        templates("topics", MINIMAL.formatted("create-topic", "validate"));

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-topic");
        assertThat(problems(catalog)).containsExactly(
                "templates/queues-v2/template.yaml:4: metadata.name 'create-queue' is also the name of "
                        + "templates/queues/template.yaml: a golden path's name is its slash sub-command, so neither loads; rename one of them",
                "templates/queues/template.yaml:4: metadata.name 'create-queue' is also the name of "
                        + "templates/queues-v2/template.yaml: a golden path's name is its slash sub-command, so neither loads; rename one of them");
        assertThat(catalog.turnedOff()).containsExactly("create-queue");
    }

    @Test
    void turnsOffATemplateWithADuplicateStepIdOnly() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-queue", "render"));
        templates("create-topic", MINIMAL.formatted("create-topic", "validate"));

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-topic");
        assertThat(problems(catalog)).containsExactly("templates/create-queue/template.yaml:17: step id render is used twice");
        assertThat(catalog.turnedOff()).containsExactly("create-queue");
    }

    @Test
    void refusesATemplateOfAnotherScaffolderVersionAtItsLine() throws IOException {
        String v1beta2 = MINIMAL.formatted("create-queue", "validate")
                .replace("scaffolder.backstage.io/v1beta3", "backstage.io/v1beta2");
        Path root = templates("create-queue", v1beta2);

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS))).containsExactly("templates/create-queue/template.yaml:1: "
                + "expected apiVersion scaffolder.backstage.io/v1beta3 and kind Template, found 'backstage.io/v1beta2' and 'Template'");
    }

    @Test
    void refusesAStepWithoutAction() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("    action: paver:conventions:validate\n", "");
        Path root = templates("create-queue", template);

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS))).containsExactly(
                "templates/create-queue/template.yaml:17: every step needs an id and an action (spec.steps[1], validate)");
    }

    @Test
    void refusesAStepWhoseActionIsNotRegisteredAtTheLineOfTheAction() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("paver:conventions:validate", "publish:github");
        Path root = templates("create-queue", template);

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).isEmpty();
        assertThat(problems(catalog)).containsExactly(
                "templates/create-queue/template.yaml:18: step validate uses action publish:github, which is not registered in Paver",
                "templates/create-queue/template.yaml: Paver's actions are fetch:template, paver:conventions:validate");
        assertThat(GoldenPathCatalog.load(root).all()).as("without a registry, any action").hasSize(1);
    }

    @Test
    void refusesAParameterWithoutTypeAtItsLine() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("          type: string\n", "          title: Name\n");
        Path root = templates("create-queue", template);

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS)))
                .containsExactly("templates/create-queue/template.yaml:10: spec.parameters: property name has no type");
    }

    @Test
    void refusesAPasswordFieldWithAPointerToCreateSecretAndEnumNamesThatDoNotMatchTheEnum() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("          type: string\n",
                "          type: string\n          ui:widget: password\n");
        assertThat(problems(GoldenPathCatalog.load(templates("create-queue", template), ACTIONS))).singleElement()
                .asString().startsWith("templates/create-queue/template.yaml:12: spec.parameters: property name asks for a "
                        + "password field (ui:widget: password), which Slack cannot mask")
                .contains("create-secret golden path");

        String labels = MINIMAL.formatted("create-queue", "validate").replace("          type: string\n",
                "          type: string\n          enum: [a, b]\n          enumNames: [A]\n");
        assertThat(problems(GoldenPathCatalog.load(templates("create-queue", labels), ACTIONS))).containsExactly(
                "templates/create-queue/template.yaml:13: spec.parameters: enumNames of property name must be a list with "
                        + "one label for each value of its enum, in the same order (2 values)");
    }

    @Test
    void fillsTheChoicesOfAParameterFromThePlatformListItNames() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("          type: string\n",
                "          type: string\n          paver:enum: environments\n");
        Path root = templates("create-queue", template);
        PlatformValues platform = new PlatformValues(Map.of(PlatformValues.ENVIRONMENTS, List.of("dev", "qa", "prod")));

        GoldenPath path = GoldenPathCatalog.load(root, ACTIONS, platform).find("create-queue").orElseThrow();

        assertThat(path.parameters().get("name").enumValues()).containsExactly("dev", "qa", "prod");
        assertThat(path.parameters().validate(Map.of("name", "test"))).singleElement()
                .extracting(v -> v.message()).isEqualTo("name 'test' is not one of [dev, qa, prod]");
    }

    @Test
    void refusesAPlatformListThatDoesNotExistOrAnEnumBesideItAtTheirLines() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-queue", "validate").replace("          type: string\n",
                "          type: string\n          paver:enum: sizes\n"));
        templates("create-topic", MINIMAL.formatted("create-topic", "validate").replace("          type: string\n",
                "          type: string\n          enum: [dev, prod]\n          paver:enum: environments\n"));

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).isEmpty();
        assertThat(problems(catalog)).containsExactly(
                "templates/create-queue/template.yaml:12: paver:enum of name is 'sizes', which is not a list of the "
                        + "platform; use one of developerEnvironments, environments, profiles, promotionTargets, resourceTypes, roles",
                "templates/create-topic/template.yaml:12: name has both enum and paver:enum: leave out enum, the "
                        + "platform's environments [dev, staging, prod] fill it");
    }

    @Test
    void refusesADefaultThatThePlatformListDoesNotHold() throws IOException {
        Path root = templates("create-queue", MINIMAL.formatted("create-queue", "validate").replace("          type: string\n",
                "          type: string\n          paver:enum: profiles\n          default: small\n"));
        PlatformValues platform = new PlatformValues(Map.of(PlatformValues.PROFILES, List.of("medium", "large")));

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS, platform))).containsExactly(
                "templates/create-queue/template.yaml:13: name: the default 'small' is not one of the platform's "
                        + "profiles [medium, large]; choose a default among them or leave it out");
    }

    @Test
    void refusesAParameterSchemaThatIsNotJsonSchemaAtItsLine() throws IOException {
        String template = MINIMAL.formatted("create-queue", "validate").replace("type: string", "type: strin");
        Path root = templates("create-queue", template);

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS))).singleElement().asString()
                .startsWith("templates/create-queue/template.yaml:11: spec.parameters: not a valid JSON Schema (draft 7): ")
                .contains("type");
    }

    @Test
    void listsEveryProblemOfATemplateNotOnlyTheFirst() throws IOException {
        String template = MINIMAL.formatted("Create_Queue", "render").replace("type: string", "type: 3")
                .replace("paver:conventions:validate", "debug:log");
        Path root = templates("create-queue", template);

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(problems(catalog)).hasSize(5).anySatisfy(p -> assertThat(p).startsWith(
                "templates/create-queue/template.yaml:4: metadata.name 'Create_Queue' must be a DNS-1123 label"))
                .anySatisfy(p -> assertThat(p).startsWith("templates/create-queue/template.yaml:11: spec.parameters: not a valid JSON Schema"))
                .anySatisfy(p -> assertThat(p).isEqualTo("templates/create-queue/template.yaml:17: step id render is used twice"));
        assertThat(catalog.turnedOff()).containsExactly("create-queue");
    }

    @Test
    void refusesANameThatIsOneOfPaversOwnSubCommands() throws IOException {
        Path root = templates("help", MINIMAL.formatted("help", "validate"));

        assertThat(problems(GoldenPathCatalog.load(root, ACTIONS))).containsExactly("templates/help/template.yaml:4: "
                + "metadata.name 'help' is a sub-command of Paver's own (audit, help); choose another name");
    }

    @Test
    void refusesATemplateThatIsNotYamlNamingTheFileAndLineAndKeepsTheOthers() throws IOException {
        String valid = MINIMAL.formatted("create-queue", "validate");
        Path root = templates("create-queue", valid + "metadata:\n  name: again\n");
        templates("create-topic", MINIMAL.formatted("create-topic", "validate"));
        long duplicateLine = valid.lines().count() + 1;

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, ACTIONS);

        assertThat(catalog.all()).extracting(GoldenPath::id).containsExactly("create-topic");
        assertThat(problems(catalog)).singleElement().asString()
                .startsWith("templates/create-queue/template.yaml:" + duplicateLine + ": not valid YAML: ")
                .contains("duplicate key metadata");
        assertThat(catalog.turnedOff()).containsExactly("create-queue");
    }

    @Test
    void refusesAMissingTemplatesFolder() {
        assertThatThrownBy(() -> GoldenPathCatalog.load(tmp.resolve("nowhere"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
    }
}

package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RunRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backstage's built-in actions that work on the run's workspace, with Backstage's input names. */
class BackstageActionsTest {

    @TempDir
    Path template;

    private final Map<String, String> workspace = new TreeMap<>(Map.of(
            "README.md", "# app\n", "src/main.js", "main", "src/util.js", "util", "docs/a.md", "a", "docs/b.txt", "b"));

    @Test
    void fsRenameMovesFilesAndFoldersAndRefusesToOverwriteUnlessAsked() {
        ActionResult done = execute(new FilesystemRenameAction(), Map.of("files", List.of(
                Map.of("from", "src", "to", "lib"), Map.of("from", "README.md", "to", "docs/README.md"))));

        assertThat(done).isInstanceOf(ActionResult.Done.class);
        assertThat(workspace).containsOnlyKeys("lib/main.js", "lib/util.js", "docs/README.md", "docs/a.md", "docs/b.txt");
        assertThat(workspace.get("lib/main.js")).isEqualTo("main");

        ActionResult refused = execute(new FilesystemRenameAction(), Map.of("files", List.of(
                Map.of("from", "docs/a.md", "to", "docs/b.txt"))));
        assertThat(refused).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .contains("docs/b.txt exists already; set overwrite: true"));
        assertThat(workspace).containsEntry("docs/b.txt", "b");

        execute(new FilesystemRenameAction(), Map.of("files", List.of(
                Map.of("from", "docs/a.md", "to", "docs/b.txt", "overwrite", true))));
        assertThat(workspace).containsEntry("docs/b.txt", "a").doesNotContainKey("docs/a.md");
    }

    @Test
    void fsRenameRefusesAPathOutsideTheWorkspace() {
        ActionResult refused = execute(new FilesystemRenameAction(), Map.of("files", List.of(
                Map.of("from", "README.md", "to", "../outside.md"))));

        assertThat(refused).isInstanceOf(ActionResult.Failed.class);
        assertThat(workspace).containsKey("README.md");
    }

    @Test
    void fsDeleteRemovesPathsFoldersAndGlobsAndIgnoresWhatMatchesNothing() {
        ActionResult done = execute(new FilesystemDeleteAction(), Map.of("files",
                List.of("src", "docs/*.md", "nothing-here")));

        assertThat(done).isInstanceOf(ActionResult.Done.class);
        assertThat(workspace).containsOnlyKeys("README.md", "docs/b.txt");
        assertThat(execute(new FilesystemDeleteAction(), Map.of("files", List.of("../etc"))))
                .isInstanceOf(ActionResult.Failed.class);
    }

    @Test
    void fetchPlainCopiesATemplateFolderAsItIsAndRefusesARemoteUrl() throws IOException {
        Files.createDirectories(template.resolve("static"));
        Files.writeString(template.resolve("static/page.html"), "<p>${{ values.kept }}</p>");

        ActionResult done = execute(new FetchPlainAction(), Map.of("url", "./static", "targetPath", "./site"));
        ActionResult remote = execute(new FetchPlainAction(), Map.of("url",
                "https://github.com/backstage/community/tree/main/backstage-community-sessions"));

        assertThat(done).isInstanceOf(ActionResult.Done.class);
        assertThat(workspace).containsEntry("site/page.html", "<p>${{ values.kept }}</p>");
        assertThat(remote).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .contains("is a remote URL").contains("use url: ./static"));
    }

    @Test
    void catalogWriteWritesTheEntityWithItsSourceTemplate() {
        execute(new CatalogWriteAction(), Map.of("entity", Map.of("apiVersion", "backstage.io/v1alpha1",
                "kind", "Component", "metadata", Map.of("name", "api"), "spec", Map.of("type", "service"))));

        assertThat(workspace.get("catalog-info.yaml")).contains("kind: Component")
                .contains("backstage.io/source-template: template:default/docs");
    }

    @Test
    void catalogRegisterRegistersNothingAndGivesBackstagesOutputs() {
        workspace.put("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
                + "  name: Payments-Docs\nspec:\n  type: documentation\n");

        ActionResult done = execute(new CatalogRegisterAction(), Map.of(
                "repoContentsUrl", "https://github.com/acme/payments-docs/blob/main", "catalogInfoPath", "/catalog-info.yaml"));

        assertThat(done).isInstanceOfSatisfying(ActionResult.Done.class, d -> {
            assertThat(d.output()).containsEntry("catalogInfoUrl",
                    "https://github.com/acme/payments-docs/blob/main/catalog-info.yaml")
                    .containsEntry("entityRef", "component:default/payments-docs");
            assertThat(d.milestones().get(0).text()).startsWith("Nothing to register");
        });
    }

    @Test
    void debugLogPostsTheMessageAndTheWorkspaceInTheThread() {
        ActionResult done = execute(new DebugLogAction(), Map.of("message", "hello", "listWorkspace", true));

        assertThat(done).isInstanceOfSatisfying(ActionResult.Done.class, d -> assertThat(d.milestones().get(0).text())
                .contains("hello").contains("  - docs/a.md").contains("  - src/main.js"));
        assertThat(execute(new DebugLogAction(), Map.of("listWorkspace", "everything")))
                .isInstanceOf(ActionResult.Failed.class);
    }

    @Test
    void fetchTemplateRendersOnlyFilesWithTheTemplateExtensionAndLeavesOutEmptyPaths() throws IOException {
        Files.createDirectories(template.resolve("skeleton/${{ values.docs }}"));
        Files.writeString(template.resolve("skeleton/app.yaml.njk"), "name: ${{ values.name }}\n");
        Files.writeString(template.resolve("skeleton/raw.yaml"), "name: ${{ values.name }}\n");
        Files.writeString(template.resolve("skeleton/${{ values.docs }}/index.md"), "docs\n");
        workspace.clear();

        ActionResult done = execute(new FetchTemplateAction(new TemplateRenderer()), Map.of("url", "./skeleton",
                "templateFileExtension", true, "values", Map.of("name", "api", "docs", "")));

        assertThat(done).isInstanceOf(ActionResult.Done.class);
        assertThat(workspace).containsOnly(Map.entry("app.yaml", "name: api\n"),
                Map.entry("raw.yaml", "name: ${{ values.name }}\n"));
    }

    @Test
    void fetchTemplateSeesADeclaredValueThatIsUndefinedAsFalseAndAnUndeclaredOneAsAnError() throws IOException {
        Files.createDirectories(template.resolve("skeleton"));
        Files.writeString(template.resolve("skeleton/info.yaml"),
                "name: ${{ values.name }}\n{% if values.description %}description: ${{ values.description }}\n{% endif %}");
        workspace.clear();
        StepSpec step = new StepSpec("fetch", "Fetch", "fetch:template", Map.of("url", "./skeleton", "values",
                Map.of("name", "${{ parameters.name }}", "description", "${{ parameters.description }}")), null, null);

        ActionResult done = execute(new FetchTemplateAction(new TemplateRenderer()), List.of(step),
                Map.of("url", "./skeleton", "values", Map.of("name", "api")));
        String written = workspace.remove("info.yaml");
        ActionResult typo = execute(new FetchTemplateAction(new TemplateRenderer()), List.of(),
                Map.of("url", "./skeleton", "values", Map.of("name", "api")));

        assertThat(done).isInstanceOf(ActionResult.Done.class);
        assertThat(written).isEqualTo("name: api\n");
        assertThat(typo).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .contains("values.description"));
    }

    private ActionResult execute(Action action, Map<String, Object> input) {
        return execute(action, List.of(), input);
    }

    private ActionResult execute(Action action, List<StepSpec> steps, Map<String, Object> input) {
        GoldenPath path = new GoldenPath("docs", "Docs", "", ParameterSchema.read(List.of()), steps, Map.of(),
                List.of(), template);
        RunRequest request = new RunRequest("docs", Map.of(), Map.of(), "U0PAVER01", RunRequest.Origin.TYPED, "C0PAVER01");
        Instant now = Instant.now();
        return action.execute(new ActionContext("run", "fetch", now, now, request, path, new LinkedHashMap<>(input),
                workspace, Clock.systemUTC()));
    }
}

package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.CatalogReader;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.Parameter;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 5, against a real Backstage backend: the domains, systems, groups and users of its catalog
 * ({@code src/test/backstage/platform-catalog.yaml}) are what Paver's catalog offers, read page by page through
 * Backstage's own cursors; an unchanged catalog is seen as unchanged, and an entity deleted in Backstage is gone at
 * the next refresh.
 */
class BackstageCatalogBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final BackstageBackend.PerClass BACKSTAGE = new BackstageBackend.PerClass();

    @TempDir
    static Path tmp;


    @Test
    void theCatalogOffersWhatThePortalOffersAndFollowsItsChanges() throws Exception {
        Path tokenFile = tmp.resolve("token");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        // two entities a page: the six entities take three pages of Backstage's cursors
        BackstageCatalog catalog = new BackstageCatalog(new BackstageApi(BACKSTAGE.backend().baseUrl(),
                new TokenFile(tokenFile.toString()), Duration.ofSeconds(10)), 2);

        List<ManifestDocument> entities = awaitEntities(catalog, 6);
        PlatformCatalog read = CatalogReader.read(Map.of(), catalog.kinds(), entities);

        assertThat(read.domains()).containsExactly(Map.entry("payments", "team-payments"));
        assertThat(read.systems()).containsOnlyKeys("checkout", "ledger");
        assertThat(read.systems().get("ledger").domain()).isEqualTo("payments");
        assertThat(read.groups()).containsExactly(Map.entry("team-payments", "cc-4711"));
        assertThat(read.users()).containsOnly(Map.entry("alex", List.of("team-payments")),
                Map.entry("sam", List.of("team-payments")));

        assertThat(catalog.changed()).as("Backstage's etags stay while nothing changes").isEmpty();

        String uid = JSON.readTree(BACKSTAGE.backend().get("/api/catalog/entities/by-name/user/default/sam", true).body())
                .path("metadata").path("uid").asText();
        HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        BACKSTAGE.backend().baseUrl().resolve("/api/catalog/entities/by-uid/" + uid))
                .header("Authorization", "Bearer " + BACKSTAGE.backend().token()).timeout(Duration.ofSeconds(30)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);

        Optional<List<ManifestDocument>> changed = catalog.changed();
        assertThat(changed).isPresent();
        assertThat(CatalogReader.read(Map.of(), catalog.kinds(), changed.get()).users()).containsOnlyKeys("alex");
    }

    /**
     * Point 4, first part: the Templates tagged {@code recommended} are the golden paths, and a golden path's form is
     * the Scaffolder's parameter schema, read into the parameters that give Paver's modal its fields.
     */
    @Test
    void theTaggedTemplatesAreGoldenPathsWithTheScaffoldersForm() throws Exception {
        Path tokenFile = tmp.resolve("token-templates");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        BackstageTemplates templates = new BackstageTemplates(new BackstageApi(BACKSTAGE.backend().baseUrl(),
                new TokenFile(tokenFile.toString()), Duration.ofSeconds(10)), "recommended");

        List<BackstageTemplates.TemplateRef> listed = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (listed.size() < 2 && System.nanoTime() < deadline) { // the catalog reads its locations after start-up
            listed = templates.list();
            Thread.sleep(listed.size() < 2 ? 500 : 0);
        }
        assertThat(listed).extracting(BackstageTemplates.TemplateRef::name)
                .as("demo-template and pull-request carry no such tag").containsExactly("docs-template", "springboot-template");
        assertThat(listed.get(0).entityRef()).isEqualTo("template:default/docs-template");

        GoldenPath docs = templates.goldenPath(listed.get(0));

        assertThat(docs.id()).isEqualTo("docs-template");
        assertThat(docs.title()).isEqualTo("Documentation Template");
        assertThat(docs.description()).isEqualTo("Create a new standalone documentation project");
        assertThat(docs.parameters().parameters()).extracting(Parameter::name)
                .containsExactly("name", "description", "owner", "repoUrl");
        assertThat(docs.parameters().get("owner").uiField()).isEqualTo("OwnerPicker");
        assertThat(docs.parameters().missing(Map.of("name", "guide")))
                .as("required on the form's pages").extracting(Parameter::name).containsExactly("description", "repoUrl");
        assertThat(docs.usage("/platform")).startsWith("/platform docs-template");
    }

    /**
     * Point 4, second part: a golden path's run is a Scaffolder task; its events give each step's status, and a
     * failed task gives Backstage's own log line of the failed step.
     */
    @Test
    void aRunIsAScaffolderTaskWhoseEventsGiveEachStepsStatus() throws Exception {
        Path tokenFile = tmp.resolve("token-tasks");
        Files.writeString(tokenFile, BACKSTAGE.backend().token());
        BackstageApi api = new BackstageApi(BACKSTAGE.backend().baseUrl(), new TokenFile(tokenFile.toString()), Duration.ofSeconds(10));
        BackstageTemplates templates = new BackstageTemplates(api, "paver-engine-test");
        ScaffolderTasks tasks = new ScaffolderTasks(api);
        List<BackstageTemplates.TemplateRef> listed = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (listed.size() < 6 && System.nanoTime() < deadline) {
            listed = templates.list();
            Thread.sleep(listed.size() < 6 ? 500 : 0);
        }
        assertThat(listed).extracting(BackstageTemplates.TemplateRef::entityRef)
                .containsExactly("template:paver-engine/broken", "template:paver-engine/deliver-service",
                        "template:paver-engine/delivery", "template:paver-engine/hello",
                        "template:paver-engine/reviewed", "template:paver-engine/slow");

        ScaffolderTasks.Progress hello = follow(tasks, tasks.start(listed.get(3), Map.of("name", "Alex")));
        assertThat(hello.failed()).as(hello.failure()).isFalse();
        assertThat(hello.steps()).containsExactly(Map.entry("greet", "completed"), Map.entry("wave", "completed"));

        ScaffolderTasks.Progress broken = follow(tasks, tasks.start(listed.get(0), Map.of()));
        assertThat(broken.failed()).isTrue();
        assertThat(broken.steps()).containsEntry("greet", "completed").containsEntry("escape", "failed");
        assertThat(broken.failure()).contains("outside");

        BackstageTemplates.TemplateRef helloTemplate = listed.get(3);
        assertThatThrownBy(() -> tasks.start(helloTemplate, Map.of()))
                .as("the values are checked against the template's form").isInstanceOf(CatalogEntities.Unavailable.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("name");
    }

    /** Reads the task's events until it ends (at most 60 s). */
    private static ScaffolderTasks.Progress follow(ScaffolderTasks tasks, String taskId) {
        ScaffolderTasks.Progress progress = new ScaffolderTasks.Progress();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!progress.ended() && System.nanoTime() < deadline) {
            progress.take(tasks.events(taskId, progress.after()));
        }
        assertThat(progress.ended()).as("task " + taskId + " ended within 60 s: " + progress.steps()).isTrue();
        return progress;
    }

    /** The catalog reads its locations in the background after start-up: waits (at most 60 s) until it has them all. */
    private static List<ManifestDocument> awaitEntities(BackstageCatalog catalog, int count)
            throws InterruptedException, IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<ManifestDocument> last = List.of();
        while (System.nanoTime() < deadline) {
            Optional<List<ManifestDocument>> changed = catalog.changed();
            if (changed.isPresent()) {
                last = changed.get();
            }
            if (last.size() >= count) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Backstage's catalog did not hold " + count + " domains, systems, groups and users "
                + "within 60 s; it held " + last.stream().map(ManifestDocument::describe).toList() + "; see "
                + BackstageBackend.LOG);
    }
}

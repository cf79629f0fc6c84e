package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test backend is a Backstage as the portal runs one: its catalog holds the fixture templates (read from
 * {@code src/test/backstage/catalog-info.yaml}), its Scaffolder serves their forms' schemas, and both refuse a caller
 * without the static token.
 */
class BackstageBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final BackstageBackend.PerClass BACKSTAGE = new BackstageBackend.PerClass();


    @Test
    void theCatalogHoldsTheFixtureTemplates() throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // the catalog reads its locations in the background after start-up
        while (names.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            // the fixtures are in namespace default; engine-templates.yaml's in paver-engine
            HttpResponse<String> response = BACKSTAGE.backend().get(
                    "/api/catalog/entities/by-query?filter=kind=template,metadata.namespace=default", true);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            names.clear();
            JSON.readTree(response.body()).path("items").forEach(item -> names.add(item.path("metadata").path("name").asText()));
        }

        assertThat(names).containsExactlyInAnyOrder("demo-template", "docs-template", "pull-request",
                "springboot-template");
    }

    @Test
    void theScaffolderServesATemplatesFormAsItsParameterPages() throws IOException, InterruptedException {
        HttpResponse<String> response = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) { // 404 until the catalog has read the template
            response = BACKSTAGE.backend().get("/api/scaffolder/v2/templates/default/template/docs-template/parameter-schema", true);
            if (response.statusCode() != 404) {
                break;
            }
            Thread.sleep(500);
        }

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode schema = JSON.readTree(response.body());
        assertThat(schema.path("title").asText()).isEqualTo("Documentation Template");
        List<String> pages = new ArrayList<>();
        schema.path("steps").forEach(step -> pages.add(step.path("title").asText()));
        assertThat(pages).containsExactly("Fill in some steps", "Choose a location");
        assertThat(schema.path("steps").get(0).path("schema").path("required").toString()).isEqualTo("[\"name\",\"description\"]");
    }

    @Test
    void refusesACallerWithoutTheToken() {
        HttpResponse<String> response = BACKSTAGE.backend().get("/api/catalog/entities/by-query?filter=kind=template", false);

        assertThat(response.statusCode()).isEqualTo(401);
    }
}

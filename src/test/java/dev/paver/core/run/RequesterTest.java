package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.TemplateRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The requester's {@code user.ref} and {@code user.entity}, as a template sees them. */
class RequesterTest {

    private final PlatformCatalog catalog = new PlatformCatalog(Map.of(), Map.of(), Map.of(), Map.of(),
            Map.of("dana", List.of("team-payments")));

    @Test
    void theIdentitysLocalPartNamesTheCatalogUser() {
        Map<String, Object> user = Requester.of("U0DANA", id -> Optional.of("Dana@acme.io"), catalog).orElseThrow();

        assertThat(user).containsEntry("ref", "user:default/dana");
        assertThat(user.get("entity")).isEqualTo(Map.of("apiVersion", "backstage.io/v1alpha1", "kind", "User",
                "metadata", Map.of("name", "dana", "namespace", "default"),
                "spec", Map.of("profile", Map.of("email", "Dana@acme.io"), "memberOf", List.of("team-payments"))));
    }

    @Test
    void aUserTheCatalogDoesNotKnowHasARefAndNoEntityAndAnUnreachableChatNeither() {
        assertThat(Requester.of("U0ALEX", id -> Optional.of("alex@acme.io"), catalog))
                .contains(Map.of("ref", "user:default/alex"));
        assertThat(Requester.of("U0BOT", id -> Optional.empty(), catalog)).isEmpty();
        assertThat(Requester.of("U0X", id -> {
            throw new IllegalStateException("Slack users.info could not be reached");
        }, catalog)).isEmpty();
    }

    @Test
    void templatesSeeTheUserAndNoSecretsAndAnUnknownUserAsUndefined() {
        TemplateRenderer renderer = new TemplateRenderer();
        GoldenPath path = new GoldenPath("docs", "Docs", "", ParameterSchema.read(List.of()), List.of(), Map.of(),
                List.of(), Path.of("."));
        RunRequest known = new RunRequest("docs", Map.of(), Map.of(RunEngine.USER,
                Requester.of("U0DANA", id -> Optional.of("dana@acme.io"), catalog).orElseThrow()), "U0DANA",
                RunRequest.Origin.TYPED, "C0DOCS");
        RunRequest unknown = new RunRequest("docs", Map.of(), Map.of(), "U0BOT", RunRequest.Origin.TYPED, "C0DOCS");
        String template = "${{ user.ref or 'nobody' }} ${{ user.entity.spec.memberOf | join(',') if user.entity }}"
                + " ${{ secrets.GITHUB_TOKEN or 'no token' }}";

        assertThat(renderer.render("t", template, RunEngine.templateContext(path, known, "r1", Map.of())))
                .isEqualTo("user:default/dana team-payments no token");
        assertThat(renderer.render("t", template, RunEngine.templateContext(path, unknown, "r1", Map.of())))
                .isEqualTo("nobody  no token");
    }
}

package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/github-app-manifest.yaml} registers an App that can do what the golden paths do, and no more: only
 * keys of GitHub's manifest format ("Registering a GitHub App from a manifest", "GitHub App Manifest parameters"),
 * the webhook on the path Paver serves with the one event it reads, and the workflow permission exactly when a golden
 * path commits a GitHub Actions workflow (GitHub refuses such a commit from an App without it); checks and statuses
 * read, which a waiting pull request's checks need.
 */
class GitHubAppManifestTest {

    @SuppressWarnings("unchecked")
    @Test
    void theManifestAsksForWhatTheGoldenPathsNeedOnTheWebhookPaverServes() throws IOException {
        Map<String, Object> manifest = new Yaml().load(Files.readString(Path.of("deploy/github-app-manifest.yaml")));
        assertThat(manifest.keySet()).isSubsetOf("name", "url", "hook_attributes", "redirect_url", "callback_urls",
                "setup_url", "description", "public", "default_events", "default_permissions", "request_oauth_on_install",
                "setup_on_update");
        assertThat(((Map<String, Object>) manifest.get("hook_attributes")).get("url").toString()).endsWith("/github/webhook");
        assertThat((List<String>) manifest.get("default_events")).containsExactly("pull_request");

        Map<String, String> permissions = (Map<String, String>) manifest.get("default_permissions");
        assertThat(permissions).containsEntry("contents", "write").containsEntry("pull_requests", "write")
                .containsEntry("metadata", "read").containsEntry("administration", "write")
                .containsEntry("checks", "read").containsEntry("statuses", "read");
        boolean commitsWorkflows;
        try (Stream<Path> files = Files.walk(Path.of("templates"))) {
            commitsWorkflows = files.anyMatch(p -> p.toString().replace('\\', '/').contains("/.github/workflows/"));
        }
        assertThat(permissions.containsKey("workflows")).isEqualTo(commitsWorkflows);
        assertThat(permissions.values()).allMatch(v -> v.equals("read") || v.equals("write"));
        assertThat(permissions).hasSize(commitsWorkflows ? 7 : 6);
    }
}

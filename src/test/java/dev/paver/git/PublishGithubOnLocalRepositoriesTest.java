package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.action.PublishGithubAction;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backstage's {@code publish:github} on Paver's git host: a folder of bare repositories. */
class PublishGithubOnLocalRepositoriesTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheRepositoryWithTheWorkspaceOnItsDefaultBranchOnceEvenWhenExecutedAgain() {
        JGitRepositories git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        Map<String, String> workspace = new LinkedHashMap<>(Map.of("catalog-info.yaml", "kind: Component\n",
                "docs/index.md", "# payments-docs\n"));
        Map<String, Object> input = Map.of("repoUrl", "localhost?owner=paver&repo=payments-docs",
                "description", "This is payments-docs", "allowedHosts", List.of("github.com"));

        ActionResult first = publish(git, input, workspace);
        ActionResult again = publish(git, input, workspace);

        assertThat(first).isInstanceOfSatisfying(ActionResult.Done.class, done -> {
            assertThat(done.output()).containsEntry("remoteUrl", git.cloneUrl("payments-docs"))
                    .containsKeys("repoContentsUrl", "commitHash");
            assertThat(String.valueOf(done.output().get("repoContentsUrl"))).endsWith("/blob/main");
        });
        assertThat(again).isInstanceOfSatisfying(ActionResult.Done.class, done -> assertThat(done.output().get("commitHash"))
                .isEqualTo(((ActionResult.Done) first).output().get("commitHash")));
        assertThat(git.readFiles("payments-docs", "")).containsEntry("catalog-info.yaml", "kind: Component\n")
                .containsEntry("docs/index.md", "# payments-docs\n");
    }

    @Test
    void refusesARepositoryThatExistsAndIsNotTheRunsOwn() {
        JGitRepositories git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        git.seed("website", Map.of("README.md", "# website\n"), "Create website");

        ActionResult result = publish(git, Map.of("repoUrl", "localhost?owner=paver&repo=website"),
                new LinkedHashMap<>(Map.of("index.html", "<p>hi</p>")));

        assertThat(result).isInstanceOfSatisfying(ActionResult.Failed.class, failed -> assertThat(failed.reason())
                .contains("Repository website already exists"));
        assertThat(git.readFiles("website", "")).doesNotContainKey("index.html");
    }

    private ActionResult publish(JGitRepositories git, Map<String, Object> input, Map<String, String> workspace) {
        GoldenPath path = new GoldenPath("docs-template", "Docs", "", ParameterSchema.read(List.of()), List.of(),
                Map.of(), List.of(), tmp);
        RunRequest request = new RunRequest("docs-template", Map.of(), Map.of(), "U0PAVER01", RunRequest.Origin.TYPED,
                "C0PAVER01");
        Instant now = Instant.now();
        return new PublishGithubAction(git).execute(new ActionContext("r1", "publish", now, now, request, path, input,
                workspace, Clock.systemUTC()));
    }
}

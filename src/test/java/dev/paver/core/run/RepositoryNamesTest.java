package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that become folders, paths and branches are checked before they reach git. */
class RepositoryNamesTest {

    @Test
    void aFolderIsTheSamePrefixHoweverItIsWritten() {
        assertThat(RepositoryNames.folder("gitops")).isEqualTo("gitops/");
        assertThat(RepositoryNames.folder("./gitops/")).isEqualTo("gitops/");
        assertThat(RepositoryNames.folder("././gitops//")).isEqualTo("gitops/");
        assertThat(RepositoryNames.folder(".")).isEmpty();
        assertThat(RepositoryNames.folder("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../gitops", "/etc", "gitops/../../x", "a\\b", "a/.git/hooks"})
    void aFolderOutsideTheRepositoryIsRefused(String folder) {
        assertThatThrownBy(() -> RepositoryNames.folder(folder)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a safe repository path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main..x", "a/b.lock", "-x", "a b", "a~1", "a^", "a:b", "/x", "x/", "a//b"})
    void aBranchThatGitWouldRefuseOrMisreadIsRefused(String branch) {
        assertThatThrownBy(() -> RepositoryNames.branch(branch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a valid branch name");
    }

    @Test
    void stepsSeeTheWorkspaceUnderAFolderWrittenEitherWay() {
        Map<String, String> workspace = new LinkedHashMap<>();
        workspace.put("gitops/apps/checkout/api/base/deployment.yaml", "kind: Deployment");
        workspace.put("app/Dockerfile", "FROM scratch");
        ActionContext ctx = new ActionContext("r1", "validate", Instant.EPOCH, Instant.EPOCH, null, null, Map.of(), workspace,
                Clock.systemUTC());

        assertThat(ctx.workspaceUnder("./gitops")).containsOnlyKeys("apps/checkout/api/base/deployment.yaml");
        assertThat(ctx.workspaceUnder("gitops/")).containsOnlyKeys("apps/checkout/api/base/deployment.yaml");
        assertThat(ctx.workspaceUnder(".")).hasSize(2);
    }

    private static ActionContext step(Map<String, Object> input) {
        return new ActionContext("r1", "publish", Instant.EPOCH, Instant.EPOCH, null, null, input, new LinkedHashMap<>(),
                Clock.systemUTC());
    }

    @Test
    void aRepoUrlNamesARepositoryOfPaversOwnHostAndOwnerOnly() {
        var own = new dev.paver.core.goldenpath.RepositoryPort.Location("GitHub.com", "acme");

        assertThat(RepositoryNames.repository(step(Map.of("repoUrl", "github.com?owner=acme&repo=payments-gitops")), own))
                .isEqualTo("payments-gitops");
        assertThat(RepositoryNames.repository(step(Map.of("repository", "payments-gitops")), own))
                .as("Paver's own input, still read").isEqualTo("payments-gitops");
        assertThatThrownBy(() -> RepositoryNames.repository(step(Map.of("repoUrl",
                "ghe.acme.example?owner=acme&repo=payments-gitops")), own))
                .hasMessage("step publish: repoUrl ghe.acme.example?owner=acme&repo=payments-gitops names owner acme on "
                        + "ghe.acme.example, but Paver publishes only to its own repositories, owner acme on github.com "
                        + "(paver.github.organization and paver.github.api-url, or the git host Paver is given); nothing "
                        + "was changed. Write github.com?owner=acme&repo=payments-gitops instead");
        assertThatThrownBy(() -> RepositoryNames.repository(step(Map.of("repoUrl",
                "github.com?project=acme&repo=payments-gitops")), own)).hasMessageContaining("names owner (none) on github.com");
        assertThatThrownBy(() -> RepositoryNames.repository(step(Map.of("repository", "ledger-gitops",
                "repoUrl", "github.com?owner=acme&repo=payments-gitops")), own))
                .hasMessageContaining("name two repositories; give one of them");
        assertThatThrownBy(() -> RepositoryNames.repository(step(Map.of("repoUrl", "github.com?owner=acme&repo=../x")), own))
                .hasMessageContaining("is not a valid repository name");
        assertThatThrownBy(() -> RepositoryNames.repository(step(Map.of()), own))
                .hasMessage("step publish: input.repoUrl (e.g. github.com?owner=acme&repo=payments-gitops) or "
                        + "input.repository is required");
    }
}

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
}

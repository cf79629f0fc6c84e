package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code paver:decommission:render} against a real (local) GitOps repository, and the pull request that removes what it
 * lists: the service's files go, another service's stay, production claims stay with deletionPolicy Orphan.
 */
class DecommissionActionTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private final Map<String, String> workspace = new LinkedHashMap<>();

    private static String claim(String name, String namespace, String policyLine) {
        return "# the team's database\napiVersion: platform.paver.dev/v1alpha1\nkind: PostgreSQLInstance\nmetadata:\n  name: "
                + name + "\n  namespace: " + namespace + "\nspec:\n  parameters:\n    size: small\n" + policyLine;
    }

    @BeforeEach
    void repository() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("catalog/components/api.yaml", "kind: Component\n");
        files.put("catalog/components/api-v2.yaml", "kind: Component\n");
        files.put("apps/checkout/api/base/kustomization.yaml", "resources: []\n");
        files.put("apps/checkout/api/overlays/dev/kustomization.yaml", "resources: []\n");
        files.put("apps/checkout/api/overlays/prod/kustomization.yaml", "resources: []\n");
        files.put("apps/checkout/api-v2/base/kustomization.yaml", "resources: []\n");
        files.put("secrets/dev/api/stripe-key.yaml", "kind: SealedSecret\n");
        files.put("rbac/groups/dev/team-ledger/api.yaml", "kind: RoleBinding\n");
        files.put("rbac/groups/staging/team-ledger/api.yaml", "kind: RoleBinding\n");
        files.put("rbac/groups/dev/team-ledger/api-v2.yaml", "kind: RoleBinding\n");
        files.put("secrets/dev/api-v2/stripe-key.yaml", "kind: SealedSecret\n");
        files.put("crossplane/claims/dev/api-postgres-main.yaml", claim("api-postgres-main", "payments-dev-api", "    deletionPolicy: Delete\n"));
        files.put("crossplane/claims/dev/api-v2-postgres-main.yaml", claim("api-v2-postgres-main", "payments-dev-api-v2", "    deletionPolicy: Delete\n"));
        files.put("crossplane/claims/prod/api-postgres-main.yaml", claim("api-postgres-main", "payments-prod-api", "    deletionPolicy: Delete   # wrong\n"));
        files.put("crossplane/claims/prod/api-queue-events.yaml", claim("api-queue-events", "payments-prod-api", ""));
        files.put("crossplane/claims/prod/api-postgres-kept.yaml", claim("api-postgres-kept", "payments-prod-api", "    deletionPolicy: Orphan\n"));
        git.seed("payments-gitops", files, "seed");
    }

    private ActionResult render(String service) {
        Map<String, Object> input = new HashMap<>(Map.of("repository", "payments-gitops", "domain", "payments",
                "system", "checkout", "service", service, "environments", List.of("dev", "staging", "prod"),
                "production", "prod", "targetPath", "gitops"));
        return new DecommissionAction(git).execute(new ActionContext("r1", "render", Instant.EPOCH, Instant.EPOCH, null, null,
                input, workspace, Clock.systemUTC()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void removesTheServicesFilesAndKeepsItsProductionClaimsOrphaned() {
        ActionResult result = render("api");

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        ActionResult.Done done = (ActionResult.Done) result;
        assertThat((List<String>) done.output().get("deletions")).containsExactly("apps/checkout/api",
                "catalog/components/api.yaml", "secrets/dev/api", "rbac/groups/dev/team-ledger/api.yaml",
                "crossplane/claims/dev/api-postgres-main.yaml", "rbac/groups/staging/team-ledger/api.yaml");
        assertThat(done.output()).containsEntry("inProduction", true);
        assertThat((List<String>) done.output().get("keptClaims"))
                .containsExactlyInAnyOrder("api-postgres-main", "api-queue-events", "api-postgres-kept");
        // the claims without Orphan get it; the one that has it is left alone
        assertThat(workspace).containsOnlyKeys("gitops/crossplane/claims/prod/api-postgres-main.yaml",
                "gitops/crossplane/claims/prod/api-queue-events.yaml");
        assertThat(workspace.get("gitops/crossplane/claims/prod/api-postgres-main.yaml"))
                .isEqualTo(claim("api-postgres-main", "payments-prod-api", "    deletionPolicy: Orphan   # wrong\n"));
        assertThat(workspace.get("gitops/crossplane/claims/prod/api-queue-events.yaml")).contains("deletionPolicy: Orphan");
        assertThat(done.milestones()).singleElement().satisfies(m -> assertThat(m.text())
                .contains("The prod claims of api are not deleted", "keep deletionPolicy: Orphan"));

        // the pull request removes exactly those paths and writes the orphaned claims
        Map<String, String> files = new LinkedHashMap<>();
        workspace.forEach((path, text) -> files.put(path.substring("gitops/".length()), text));
        RepositoryPort.PullRequest pr = git.openPullRequest(new RepositoryPort.PullRequestDraft("payments-gitops",
                "paver/r1/delete-service-api", "Delete api", "", "Delete api", files,
                (List<String>) done.output().get("deletions")));
        git.merge(pr, pr.headSha(), "Merge");
        assertThat(git.readFiles("payments-gitops", "")).containsOnlyKeys("catalog/components/api-v2.yaml",
                "rbac/groups/dev/team-ledger/api-v2.yaml",
                "apps/checkout/api-v2/base/kustomization.yaml", "secrets/dev/api-v2/stripe-key.yaml",
                "crossplane/claims/dev/api-v2-postgres-main.yaml", "crossplane/claims/prod/api-postgres-main.yaml",
                "crossplane/claims/prod/api-queue-events.yaml", "crossplane/claims/prod/api-postgres-kept.yaml");
        assertThat(git.readFiles("payments-gitops", "crossplane/claims/prod").values())
                .allSatisfy(text -> assertThat(text).contains("deletionPolicy: Orphan"));
    }

    @Test
    void aServiceWithoutProductionNeedsNoApproval() {
        ActionResult result = render("api-v2");

        assertThat(result).isInstanceOfSatisfying(ActionResult.Done.class, d -> {
            assertThat(d.output()).containsEntry("inProduction", false);
            assertThat(d.milestones()).isEmpty();
        });
        assertThat(workspace).isEmpty();
    }

    @Test
    void aServiceTheRepositoryDoesNotHaveIsRefusedChangingNothing() {
        assertThat(render("ghost")).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .contains("there is no service ghost in system checkout to delete", "Nothing was changed"));
        assertThat(workspace).isEmpty();
    }
}

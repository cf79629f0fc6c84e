package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitStandIn;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link JGitRepositories#merge} against real bare repositories in a temporary folder. */
class JGitRepositoriesTest {

    private static final String REPO = "shop-gitops";
    private static final String BRANCH = "paver/run-1/step-1";

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;

    @BeforeEach
    void setUp() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed(REPO, Map.of("apps/cart/values.yaml", "replicas: 1\n", "README.md", "# shop\n"), "Create shop-gitops");
    }

    /**
     * The default settings are relative ({@code ./data/git}, {@code ./data/git-work}): files of a pull request must
     * land in the branch, not be refused as leaving the repository (the packaged jar's publish-app defect).
     */
    @Test
    void relativeFoldersLikeTheDefaultsPushEveryFile() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Path relative = cwd.relativize(tmp.toAbsolutePath());
        JGitRepositories defaults = new JGitRepositories("./" + relative.resolve("repos"), Path.of("./" + relative.resolve("relative-work")),
                "main", null);
        PullRequest pr = defaults.openPullRequest(new PullRequestDraft(REPO, BRANCH, "Add api", "body", "Add api",
                Map.of("README.md", "# api\n", "catalog-info.yaml", "kind: Component\n", "docs/index.md", "# docs\n")));

        assertThat(people.files(REPO, BRANCH)).containsEntry("README.md", "# api\n")
                .containsEntry("catalog-info.yaml", "kind: Component\n").containsEntry("docs/index.md", "# docs\n");
        assertThat(pr.headSha()).isEqualTo(head(BRANCH));
        assertThatThrownBy(() -> defaults.openPullRequest(new PullRequestDraft(REPO, BRANCH + "-2", "t", "b", "m",
                Map.of("../outside.txt", "x")))).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("'../outside.txt' is not a safe repository path");
        assertThat(people.head(REPO, BRANCH + "-2")).as("nothing pushed").isEmpty();
    }

    @Test
    void mergesTheApprovedBranchIntoMainWithAMergeCommit() throws Exception {
        PullRequest pr = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));
        String mainBefore = head("main");

        MergeState.Merged merged = git.merge(pr, pr.headSha(), "Merge cart replicas (approved by bob)");

        assertThat(merged.revision()).isEqualTo(head("main"));
        RevCommit commit = commit(merged.revision());
        assertThat(commit.getParentCount()).isEqualTo(2);
        assertThat(commit.getParent(0).name()).isEqualTo(mainBefore);
        assertThat(commit.getParent(1).name()).isEqualTo(pr.headSha());
        assertThat(commit.getFullMessage()).isEqualTo("Merge cart replicas (approved by bob)");
        assertThat(people.files(REPO, "main")).containsEntry("apps/cart/values.yaml", "replicas: 3\n");
        assertThat(git.mergeState(pr)).isEqualTo(new MergeState.Merged(merged.revision(), ""));
    }

    @Test
    void mergesOntoChangesThatLandedOnMainMeanwhile() throws Exception {
        PullRequest pr = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));
        String other = people.commit(REPO, "apps/search/values.yaml", "replicas: 2\n", "carol");

        MergeState.Merged merged = git.merge(pr, pr.headSha(), "Merge cart replicas");

        assertThat(commit(merged.revision()).getParent(0).name()).isEqualTo(other);
        assertThat(people.files(REPO, "main")).containsEntry("apps/cart/values.yaml", "replicas: 3\n")
                .containsEntry("apps/search/values.yaml", "replicas: 2\n");
    }

    @Test
    void mergingTwiceReturnsTheSameMergeAndMakesNoSecondCommit() throws Exception {
        PullRequest pr = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));

        MergeState.Merged first = git.merge(pr, pr.headSha(), "Merge cart replicas");
        MergeState.Merged second = git.merge(pr, pr.headSha(), "Merge cart replicas");

        assertThat(second).isEqualTo(first);
        assertThat(head("main")).isEqualTo(first.revision());
    }

    @Test
    void refusesABranchThatMovedAfterTheApprovalAndMergesNothing() throws Exception {
        PullRequest approved = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));
        PullRequest moved = open(Map.of("apps/cart/values.yaml", "replicas: 30\n"));
        String mainBefore = head("main");

        assertThatThrownBy(() -> git.merge(approved, approved.headSha(), "Merge cart replicas"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("the branch moved from " + approved.headSha() + " to " + moved.headSha())
                .hasMessageContaining("nothing was merged")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
        assertThat(head("main")).isEqualTo(mainBefore);
    }

    @Test
    void refusesAConflictingBranchNamingTheFileAndMergesNothing() throws Exception {
        PullRequest pr = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));
        String mainBefore = people.commit(REPO, "apps/cart/values.yaml", "replicas: 5\n", "carol");

        assertThatThrownBy(() -> git.merge(pr, pr.headSha(), "Merge cart replicas"))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("conflicts with main in apps/cart/values.yaml")
                .hasMessageContaining("nothing was merged")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
        assertThat(head("main")).isEqualTo(mainBefore);
        assertThat(git.mergeState(pr)).isEqualTo(new MergeState.Open(pr.headSha()));
    }

    @Test
    void aSeededRepositoryHoldsItsFilesInOneCommitOnMain() throws Exception {
        RevCommit first = commit(head("main"));

        assertThat(first.getParentCount()).isZero();
        assertThat(first.getFullMessage()).isEqualTo("Create shop-gitops");
        assertThat(first.getAuthorIdent().getName()).isEqualTo("Paver");
        assertThat(people.files(REPO, "main")).isEqualTo(Map.of("apps/cart/values.yaml", "replicas: 1\n", "README.md", "# shop\n"));
        assertThat(git.seed(REPO, Map.of("README.md", "# other\n"), "Create again")).as("it exists").isFalse();
        assertThat(people.files(REPO, "main")).containsEntry("README.md", "# shop\n");
    }

    @Test
    void findsTakenFilesAndFoldersOnMainInOneCallAndNothingInAMissingRepository() throws Exception {
        people.commit(REPO, "apps/big/blob.bin", "x".repeat(2 * 1024 * 1024), "carol");
        open(Map.of("apps/branch-only/values.yaml", "replicas: 1\n"));

        assertThat(git.existing(REPO, List.of("apps/none", "apps/cart", "apps/cart/values.yaml", "apps/big",
                "apps/branch-only", "apps/car"))).containsExactly("apps/cart", "apps/cart/values.yaml", "apps/big");
        assertThat(git.existing("no-such-repo", List.of("README.md"))).isEmpty();
    }

    /**
     * A local repository's branches are compared with the clone's before each call, and fetched only when they differ:
     * whatever people changed in between (a commit on main, a branch moved or deleted) is seen at the next call.
     */
    @Test
    void everyChangePeopleMakeIsSeenAtTheNextCall() throws Exception {
        assertThat(git.readFiles(REPO, "apps")).containsOnlyKeys("apps/cart/values.yaml");
        people.commit(REPO, "apps/search/values.yaml", "replicas: 2\n", "carol");
        assertThat(git.readFiles(REPO, "apps")).containsOnlyKeys("apps/cart/values.yaml", "apps/search/values.yaml");

        PullRequest pr = open(Map.of("apps/cart/values.yaml", "replicas: 3\n"));
        assertThat(git.mergeState(pr)).isEqualTo(new MergeState.Open(pr.headSha()));
        String moved = people.commit(REPO, BRANCH, "apps/cart/values.yaml", old -> "replicas: 4\n", "dave");
        assertThat(git.mergeState(pr)).isEqualTo(new MergeState.Open(moved));

        try (Git bare = Git.open(people.bare(REPO).toFile())) {
            bare.branchDelete().setBranchNames(BRANCH).setForce(true).call();
        }
        assertThat(git.mergeState(pr)).isEqualTo(new MergeState.Closed());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private PullRequest open(Map<String, String> files) {
        return git.openPullRequest(new PullRequestDraft(REPO, BRANCH, "Cart replicas", "", "Change cart replicas", files));
    }

    private String head(String branch) throws IOException {
        try (Git bare = Git.open(people.bare(REPO).toFile())) {
            return bare.getRepository().exactRef(Constants.R_HEADS + branch).getObjectId().name();
        }
    }

    private RevCommit commit(String id) throws IOException {
        try (Git bare = Git.open(people.bare(REPO).toFile()); RevWalk walk = new RevWalk(bare.getRepository())) {
            RevCommit commit = walk.parseCommit(bare.getRepository().resolve(id));
            walk.parseBody(commit);
            return commit;
        }
    }
}

package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitDaemon;
import dev.paver.conversation.GitStandIn;
import dev.paver.core.goldenpath.RepositoryPort.Adoption;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryInfo;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JGitRepositories} with {@code paver.git.remote-url} against a real {@code git daemon} on loopback
 * ({@code git://}): what Paver does on a git host that has no pull requests and cannot create repositories.
 */
class JGitRemoteTest {

    private static final String GITOPS = "payments-gitops";
    private static final String BRANCH = "paver/r1/create-service-api";

    @TempDir
    Path tmp;

    private GitDaemon daemon;
    private JGitRepositories paver;
    private GitStandIn people;

    @BeforeEach
    void setUp() {
        daemon = GitDaemon.start(tmp.resolve("host"));
        // the host's repositories, made there by the platform team (here: directly in the daemon's folder)
        new JGitRepositories(daemon.base().toString(), tmp.resolve("seed-work"), "main", null)
                .seed(GITOPS, Map.of("catalog/systems/checkout.yaml", "kind: System\nmetadata:\n  name: checkout\n",
                        "README.md", "# payments\n"), "Create payments-gitops");
        paver = new JGitRepositories(daemon.url(), tmp.resolve("work"), "main", null, List.of(GITOPS));
        people = new GitStandIn(daemon.base());
    }

    @AfterEach
    void tearDown() {
        daemon.close();
    }

    @Test
    void pushesABranchAndNoticesWhenAPersonMergesIt() throws Exception {
        PullRequest pr = paver.openPullRequest(draft(GITOPS, BRANCH, Map.of("catalog/components/api.yaml", "kind: Component\n")));

        assertThat(pr.url()).isEqualTo(daemon.url() + "/payments-gitops.git#" + BRANCH);
        assertThat(pr.describe()).isEqualTo("branch " + BRANCH);
        assertThat(people.files(GITOPS, BRANCH)).containsEntry("catalog/components/api.yaml", "kind: Component\n")
                .containsKey("catalog/systems/checkout.yaml");
        assertThat(pr.headSha()).isEqualTo(people.head(GITOPS, BRANCH));
        assertThat(paver.mergeState(pr)).isEqualTo(new MergeState.Open(pr.headSha()));

        String merged = people.merge(GITOPS, BRANCH, "alex");

        assertThat(paver.mergeState(pr)).isEqualTo(new MergeState.Merged(merged, ""));
        assertThat(paver.readFiles(GITOPS, "catalog")).containsOnlyKeys("catalog/components/api.yaml",
                "catalog/systems/checkout.yaml");
    }

    @Test
    void pushingTheSameBranchAgainKeepsOneBranchWithTheLatestFiles() throws Exception {
        PullRequest first = paver.openPullRequest(draft(GITOPS, BRANCH, Map.of("a.txt", "1\n")));
        PullRequest again = paver.openPullRequest(draft(GITOPS, BRANCH, Map.of("a.txt", "1\n")));

        assertThat(again.headSha()).isEqualTo(first.headSha());
        assertThat(people.paverBranches(GITOPS)).containsExactly(BRANCH);
    }

    @Test
    void mergesAnApprovedBranchOverGitProtocol() throws Exception {
        PullRequest pr = paver.openPullRequest(draft(GITOPS, BRANCH, Map.of("apps/checkout/api/base/kustomization.yaml", "resources: []\n")));

        MergeState.Merged merged = paver.merge(pr, pr.headSha(), "Merge api (approved by sam)");

        assertThat(merged.revision()).isEqualTo(people.head(GITOPS, "main"));
        assertThat(people.files(GITOPS, "main")).containsKey("apps/checkout/api/base/kustomization.yaml");
        try (Git git = Git.open(daemon.base().resolve(GITOPS + ".git").toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            RevCommit commit = walk.parseCommit(git.getRepository().resolve(Constants.R_HEADS + "main"));
            assertThat(commit.getParentCount()).isEqualTo(2);
            assertThat(commit.getParent(1).name()).isEqualTo(pr.headSha());
        }
    }

    @Test
    void readsNothingFromARepositoryTheHostDoesNotHave() {
        assertThat(paver.readFiles("shipping-gitops", "catalog")).isEmpty();
        assertThat(paver.readFiles(GITOPS, "catalog")).containsOnlyKeys("catalog/systems/checkout.yaml");
    }

    @Test
    void listsTheConfiguredRepositoriesAndThoseItWorkedOn() throws Exception {
        JGitRepositories configured = new JGitRepositories(daemon.url(), tmp.resolve("work2"), "main", null,
                List.of(GITOPS, "loyalty-gitops"));
        assertThat(configured.listRepositories()).containsExactly("loyalty-gitops", GITOPS);

        createEmpty("shipping-gitops");
        configured.adoptRepository("shipping-gitops", "The shipping domain");
        configured.openPullRequest(draft("shipping-gitops", BRANCH, Map.of("catalog/domains/shipping.yaml", "kind: Domain\n")));

        assertThat(configured.listRepositories()).containsExactly("loyalty-gitops", GITOPS, "shipping-gitops");
    }

    @Test
    void cannotCreateARepositoryAndSaysWhatTheHostAnswered() {
        assertThat(paver.createsRepositories()).isFalse();

        Adoption found = paver.adoptRepository("api", "The api service");

        assertThat(found).isInstanceOf(Adoption.Missing.class);
        Adoption.Missing missing = (Adoption.Missing) found;
        assertThat(missing.url()).isEqualTo(daemon.url() + "/api.git");
        assertThat(missing.defaultBranch()).isEqualTo("main");
        assertThat(missing.hostAnswer()).contains("not exported").doesNotContain("git://");
        assertThat(Files.exists(daemon.base().resolve("api.git"))).isFalse();
        assertThatThrownBy(() -> paver.ensureRepository("api", "x")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("create it on the git host first");
    }

    @Test
    void anEmptyRepositoryGetsPaversFirstCommitOnMainOnce() throws Exception {
        createEmpty("api");

        Adoption first = paver.adoptRepository("api", "The api service (created by Paver run r1)");
        Adoption again = paver.adoptRepository("api", "The api service (created by Paver run r1)");

        RepositoryInfo info = ((Adoption.Ready) first).info();
        assertThat(info.url()).isEqualTo(daemon.url() + "/api.git");
        assertThat(info.defaultBranch()).isEqualTo("main");
        assertThat(info.description()).contains("(created by Paver run r1)");
        assertThat(people.files("api", "main")).containsEntry("README.md", "# api\n\nThe api service (created by Paver run r1)\n");
        assertThat(again).isEqualTo(first);
        assertThat(commits("api")).isEqualTo(1);

        PullRequest pr = paver.openPullRequest(draft("api", "paver/r1/create-service", Map.of("Dockerfile", "FROM scratch\n")));
        assertThat(people.files("api", pr.branch())).containsKeys("README.md", "Dockerfile");
    }

    @Test
    void aRepositoryCreatedWithADefaultBranchIsReadyAsItIs() throws Exception {
        createEmpty("api");
        people.commit("api", "README.md", "# api, by the platform\n", "alex");

        Adoption found = paver.adoptRepository("api", "The api service (created by Paver run r1)");

        RepositoryInfo info = ((Adoption.Ready) found).info();
        assertThat(info.description()).doesNotContain("created by Paver").contains("Change README.md");
        assertThat(commits("api")).isEqualTo(1);
    }

    @Test
    void aRepositoryWithCommitsButNotTheDefaultBranchIsRefused() throws Exception {
        createEmpty("api");
        try (Git git = Git.open(daemon.base().resolve("api.git").toFile())) {
            // the host made "master" its default branch
            git.getRepository().getRefDatabase().newUpdate(Constants.HEAD, false).link(Constants.R_HEADS + "master");
        }
        people.commit("api", "master", "README.md", old -> "# api\n", "alex");

        assertThatThrownBy(() -> paver.adoptRepository("api", "x")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("has commits but no branch main")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isTrue());
    }

    @Test
    void anUnreachableHostIsATransientFailureNotAMissingRepository() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        JGitRepositories unreachable = new JGitRepositories("git://127.0.0.1:" + closed, tmp.resolve("work3"), "main", null);

        assertThatThrownBy(() -> unreachable.adoptRepository("api", "x")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("cannot reach")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isFalse());
    }

    @Test
    void aLocalFolderOrFileUrlCreatesRepositoriesAndARemoteUrlIsChecked() {
        Path folder = tmp.resolve("local");
        JGitRepositories byUrl = new JGitRepositories(folder.toUri().toString(), tmp.resolve("work4"), "main", null);

        assertThat(byUrl.createsRepositories()).isTrue();
        Adoption created = byUrl.adoptRepository("api", "The api service");
        assertThat(created).isInstanceOf(Adoption.Ready.class);
        assertThat(Files.exists(folder.resolve("api.git").resolve("HEAD"))).isTrue();

        assertThatThrownBy(() -> new JGitRepositories("https://paver:s3cret@git.example.com/acme", tmp, "main", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PAVER_GIT_PASSWORD")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> new JGitRepositories("ftp://git.example.com/acme", tmp, "main", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("git://, http://, https:// or ssh://");
        assertThat(new JGitRepositories("https://paver@git.example.com/acme/", tmp, "main", null).cloneUrl("api"))
                .isEqualTo("https://paver@git.example.com/acme/api.git");
    }

    private void createEmpty(String name) throws Exception {
        Git.init().setBare(true).setInitialBranch("main").setDirectory(daemon.base().resolve(name + ".git").toFile()).call().close();
    }

    private int commits(String repository) throws Exception {
        try (Git git = Git.open(daemon.base().resolve(repository + ".git").toFile())) {
            int n = 0;
            for (RevCommit ignored : git.log().all().call()) {
                n++;
            }
            return n;
        }
    }

    private static PullRequestDraft draft(String repository, String branch, Map<String, String> files) {
        return new PullRequestDraft(repository, branch, "Add api", "body", "Add api", files);
    }
}

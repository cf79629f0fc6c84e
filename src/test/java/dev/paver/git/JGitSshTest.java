package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitStandIn;
import dev.paver.conversation.SshGitServer;
import dev.paver.core.goldenpath.RepositoryPort.Adoption;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JGitRepositories} with an {@code ssh://} remote URL, against a real SSH git host on loopback (Apache MINA
 * sshd running the real git upload-pack and receive-pack), with Paver's key ({@code ~/.ssh/id_ed25519}, made by
 * {@code ssh-keygen}) authorised on the host and the host's key in {@code ~/.ssh/known_hosts}, as an operator sets them.
 */
class JGitSshTest {

    private static final String GITOPS = "payments-gitops";
    private static final String BRANCH = "paver/r1/create-service-api";

    @TempDir
    Path tmp;

    private SshGitServer host;
    private SshdSessionFactory ssh;
    private GitStandIn people;

    @BeforeEach
    void setUp() throws Exception {
        Path home = tmp.resolve("home");
        Path dotSsh = Files.createDirectories(home.resolve(".ssh"));
        Process keygen = new ProcessBuilder(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "paver",
                "-f", dotSsh.resolve("id_ed25519").toString())).redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keygen.exitValue()).as(new String(keygen.getInputStream().readAllBytes())).isZero();
        Files.copy(dotSsh.resolve("id_ed25519.pub"), tmp.resolve("authorized_keys"));
        host = SshGitServer.start(tmp.resolve("host"), tmp.resolve("host-key.ser"), tmp.resolve("authorized_keys"));
        Files.writeString(dotSsh.resolve("known_hosts"), host.knownHostsLine() + "\n");
        // what JGit's SSH transport reads from the user's home: the key and known_hosts
        ssh = new SshdSessionFactoryBuilder().setHomeDirectory(home.toFile()).setSshDirectory(home.resolve(".ssh").toFile())
                .build(null);
        SshSessionFactory.setInstance(ssh);
        new JGitRepositories(host.base().toString(), tmp.resolve("seed-work"), "main", null)
                .seed(GITOPS, Map.of("catalog/systems/checkout.yaml", "kind: System\n"), "Create payments-gitops");
        people = new GitStandIn(host.base());
    }

    @AfterEach
    void tearDown() {
        SshSessionFactory.setInstance(null);
        ssh.close();
        host.close();
    }

    private JGitRepositories paver() {
        return new JGitRepositories(host.url("git"), tmp.resolve("work"), "main", null, List.of(GITOPS));
    }

    @Test
    void pushesABranchAndNoticesAMergeOverSsh() throws Exception {
        JGitRepositories paver = paver();
        assertThat(paver.createsRepositories()).isFalse();

        PullRequest pr = paver.openPullRequest(new PullRequestDraft(GITOPS, BRANCH, "Add api", "b", "Add api",
                Map.of("catalog/components/api.yaml", "kind: Component\n")));
        assertThat(people.files(GITOPS, BRANCH)).containsKey("catalog/components/api.yaml");
        assertThat(paver.mergeState(pr)).isEqualTo(new MergeState.Open(pr.headSha()));

        String merged = people.merge(GITOPS, BRANCH, "alex");

        assertThat(paver.mergeState(pr)).isEqualTo(new MergeState.Merged(merged, ""));
        assertThat(paver.readFiles(GITOPS, "catalog")).containsKeys("catalog/components/api.yaml", "catalog/systems/checkout.yaml");
    }

    @Test
    void asksForAMissingRepositoryThenPushesTheFirstCommitToTheEmptyOne() throws Exception {
        JGitRepositories paver = paver();

        Adoption missing = paver.adoptRepository("api", "The api service");
        assertThat(missing).isInstanceOf(Adoption.Missing.class);
        assertThat(((Adoption.Missing) missing).url()).isEqualTo(host.url("git") + "/api.git");

        Git.init().setBare(true).setInitialBranch("main").setDirectory(host.base().resolve("api.git").toFile()).call().close();
        Adoption ready = paver.adoptRepository("api", "The api service");

        assertThat(ready).isInstanceOf(Adoption.Ready.class);
        assertThat(people.files("api", "main")).containsEntry("README.md", "# api\n\nThe api service\n");
    }

    @Test
    void anUnknownHostKeyIsAFailureToReachNotAMissingRepository() throws Exception {
        Files.writeString(tmp.resolve("home").resolve(".ssh").resolve("known_hosts"), "");

        assertThatThrownBy(() -> paver().adoptRepository("api", "x")).isInstanceOf(RepositoryException.class)
                .hasMessageContaining("cannot reach")
                .satisfies(e -> assertThat(((RepositoryException) e).permanent()).isFalse());
    }
}

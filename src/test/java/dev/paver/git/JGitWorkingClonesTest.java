package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.GitStandIn;
import dev.paver.core.goldenpath.RepositoryPort.MergeState;
import dev.paver.core.goldenpath.RepositoryPort.PullRequest;
import dev.paver.core.goldenpath.RepositoryPort.PullRequestDraft;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Working clones are disposable: whatever a killed process or a failed run left in {@code <work>/<repository>}
 * (stale git locks, a half-written index, a half-made clone, stray files), the next pull request of that repository
 * is pushed with every file, and no message names a folder of the server.
 */
class JGitWorkingClonesTest {

    private static final String REPO = "payments-gitops";
    private static final Map<String, String> BASE = Map.of("README.md", "# payments\n", "argocd/appproject.yaml", "kind: AppProject\n");

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private GitStandIn people;
    private Path clone;
    private int runs;

    @BeforeEach
    void setUp() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        people = new GitStandIn(tmp.resolve("repos"));
        git.seed(REPO, BASE, "Create " + REPO);
        clone = tmp.resolve("work").resolve(REPO);
    }

    @Test
    void staleGitLocksLeftByAKilledProcessDoNotBlockTheNextPullRequest() throws Exception {
        pullRequest(); // makes the working clone
        Path dotGit = clone.resolve(".git");
        List<Path> locks = List.of(dotGit.resolve("index.lock"), dotGit.resolve("HEAD.lock"), dotGit.resolve("config.lock"),
                dotGit.resolve("packed-refs.lock"), dotGit.resolve("refs/remotes/origin/main.lock"),
                dotGit.resolve("refs/remotes/origin/paver/run-1/step-1.lock"));
        for (Path lock : locks) {
            Files.createDirectories(lock.getParent());
            Files.writeString(lock, "half written by a process that was killed");
        }

        pullRequest();

        assertThat(locks).allSatisfy(lock -> assertThat(lock).doesNotExist());
    }

    /** A pull request is made from the remote's tree in memory: a broken index in the clone does not matter. */
    @Test
    void aHalfWrittenIndexDoesNotMatter() throws Exception {
        pullRequest();
        Files.write(clone.resolve(".git/index"), Arrays.copyOf("DIRC".getBytes(StandardCharsets.US_ASCII), 9));

        pullRequest();
    }

    @Test
    void aCloneLeftWithoutObjectsOrHeadIsMadeAgain() throws Exception {
        Files.createDirectories(clone.resolve(".git"));
        Files.writeString(clone.resolve(".git/config"), "[core]\n\trepositoryformatversion = 0\n");

        pullRequest();
    }

    @Test
    void aCloneFolderHoldingOnlyGarbageIsMadeAgain() throws Exception {
        Files.createDirectories(clone.resolve("apps"));
        Files.writeString(clone.resolve("apps/stray.yaml"), "kind: Secret\n");
        Files.writeString(clone.resolve("notes.txt"), "left behind\n");

        pullRequest();
    }

    @Test
    void aCloneWhoseHeadIsGarbageIsMadeAgain() throws Exception {
        pullRequest();
        Files.writeString(clone.resolve(".git/HEAD"), "\0\0garbage");

        pullRequest();
    }

    @Test
    void whatAFailedRunLeftInTheCloneNeverReachesAnotherRunsBranch() throws Exception {
        pullRequest();
        // a run that failed after writing: a staged new file, an edited tracked file, untracked files and folders
        Files.writeString(clone.resolve("staged.yaml"), "kind: ConfigMap\n");
        try (Git g = Git.open(clone.toFile())) {
            g.add().addFilepattern("staged.yaml").call();
        }
        Files.writeString(clone.resolve("README.md"), "# edited by a failed run\n");
        Files.createDirectories(clone.resolve("apps/stray/base"));
        Files.writeString(clone.resolve("apps/stray/base/deployment.yaml"), "kind: Deployment\n");

        pullRequest();
    }

    @Test
    void aRunsBranchThatSomeoneMovedIsContinuedFromTheRemoteNotOverwritten() throws Exception {
        PullRequest first = pullRequest();
        String theirs = people.commit(REPO, first.branch(), "apps/extra.yaml", old -> "kind: Extra\n", "carol");

        PullRequest again = git.openPullRequest(new PullRequestDraft(REPO, first.branch(), "t", "b", "m",
                Map.of("apps/api/values.yaml", "replicas: 2\n")));

        assertThat(people.files(REPO, first.branch())).containsEntry("apps/api/values.yaml", "replicas: 2\n")
                .containsEntry("apps/extra.yaml", "kind: Extra\n");
        assertThat(again.headSha()).isEqualTo(people.head(REPO, first.branch())).isNotEqualTo(theirs);
    }

    @Test
    void aFailureNamesTheRepositoryAndWhatToDoButNoFolderOfTheServer() throws Exception {
        // the work folder cannot be made: a file stands where it should be
        Path work = tmp.resolve("blocked-work");
        Files.writeString(work, "not a folder");
        JGitRepositories blocked = new JGitRepositories(tmp.resolve("repos").toString(), work, "main", null);

        assertThatThrownBy(() -> blocked.openPullRequest(draft("paver/run-9/step-1")))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining(REPO)
                .hasMessageContaining("paver.git.work-dir")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tmp.toString()).doesNotContain(tmp.toUri().getPath()));
    }

    @Test
    void messagesNameFilesInTheCloneRelativelyAndHideOtherServerPathsButKeepUrls() {
        String work = tmp.resolve("work").toString();
        String tmpdir = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize().toString();

        assertThat(git.withoutPaths("Cannot lock " + work + "/" + REPO + "/.git/index. Ensure that no other process has an "
                + "open file handle on the lock file " + work + "/" + REPO + "/.git/index.lock, then you may delete it."))
                .isEqualTo("Cannot lock " + REPO + "/.git/index. Ensure that no other process has an open file handle on the "
                        + "lock file " + REPO + "/.git/index.lock, then you may delete it.");
        assertThat(git.withoutPaths(tmp.resolve("repos").toUri() + REPO + ".git: not found"))
                .isEqualTo(REPO + ".git: not found");
        assertThat(git.withoutPaths("cannot write " + tmpdir + "/paver-first-1/README.md"))
                .isEqualTo("cannot write paver-first-1/README.md");
        assertThat(git.withoutPaths("disk full at /var/lib/paver/x.pack; file:/srv/git/a.git and C:\\paver\\work failed."))
                .isEqualTo("disk full at <path>; <path> and <path> failed.");
        assertThat(git.withoutPaths("https://git.example.com/tmp/payments-gitops.git: not authorized for paver/run-1/step-1"))
                .isEqualTo("https://git.example.com/tmp/payments-gitops.git: not authorized for paver/run-1/step-1");
    }

    @Test
    void aMissingRepositoryIsReportedWithoutTheServersFolders() {
        assertThatThrownBy(() -> git.openPullRequest(new PullRequestDraft("absent-gitops", "paver/run-1/step-1", "t", "b", "m",
                Map.of("a.yaml", "a: 1\n"))))
                .isInstanceOf(RepositoryException.class)
                .hasMessageContaining("repository absent-gitops does not exist")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(tmp.toString()).doesNotContain(tmp.toUri().getPath()));
    }

    @Test
    void runsOfOneRepositoryAtTheSameTimeNeverTakeEachOthersLocks() throws Exception {
        // two instances on one work folder, as two beans or two tests in one process: they share the clone's lock
        JGitRepositories other = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PullRequest>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                JGitRepositories paver = i % 2 == 0 ? git : other;
                String branch = "paver/run-" + (100 + i) + "/step-1";
                runs.add(pool.submit(() -> paver.openPullRequest(draft(branch))));
            }
            for (Future<PullRequest> run : runs) {
                PullRequest pr = run.get(120, TimeUnit.SECONDS);
                Map<String, String> expected = new TreeMap<>(BASE);
                expected.putAll(draft(pr.branch()).files());
                assertThat(people.files(REPO, pr.branch())).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A clone polled through a burst (a branch opened, merged by a person and polled, 60 times: a fetch that brings a
     * pack each time) keeps few packs, as git's own automatic garbage collection keeps a clone, instead of gaining one
     * at every fetch; and each poll sees the merge made just before it.
     */
    @Test
    void aClonePolledThroughABurstKeepsItsPacksFewAndSeesEveryMerge() throws Exception {
        for (int i = 0; i < 60; i++) {
            PullRequest pr = pullRequest();
            people.merge(REPO, pr.branch(), "dana");
            assertThat(git.mergeState(pr)).as("poll after the merge of " + pr.branch())
                    .isInstanceOf(MergeState.Merged.class);
        }
        assertThat(packs(clone.resolve(".git/objects/pack"))).as("packs of the working clone").isLessThanOrEqualTo(50);
        // the embedded repository collects after a push on a thread of its own, as git does: wait for it a little
        Path remote = tmp.resolve("repos").resolve(REPO + ".git").resolve("objects/pack");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (packs(remote) > 50 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(packs(remote)).as("packs of the embedded repository").isLessThanOrEqualTo(50);
    }

    private static long packs(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".pack")).count();
        }
    }

    /**
     * Another process sharing the work folder holds the clone (its OS lock) and has a git lock file open in it: Paver
     * waits for it and never deletes that lock file while it is held.
     */
    @Test
    void aLockHeldByAnotherLiveProcessIsWaitedForNotDeleted() throws Exception {
        pullRequest();
        Path log = tmp.resolve("holder.log");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldTheClone.class.getName(),
                tmp.resolve("work/.paver/" + REPO + "/lock").toString(), clone.resolve(".git/index.lock").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(log) && Files.readString(log).contains("holding"))) {
                assertThat(holder.isAlive()).as("the holder runs; its output: %s", log).isTrue();
                assertThat(System.nanoTime()).as("the holder holds within 60 s").isLessThan(until);
                Thread.sleep(20);
            }

            pullRequest(); // waits until the holder lets go

            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("its index.lock was intact").doesNotContain("deleted");
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Runs in a child JVM: takes the clone's OS lock, makes index.lock, holds both 2 s, and says if it was kept. */
    public static final class HoldTheClone {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                Path indexLock = Path.of(args[1]);
                Files.writeString(indexLock, "being written");
                System.out.println("holding");
                System.out.flush();
                Thread.sleep(2000);
                System.out.println(Files.exists(indexLock) ? "its index.lock was intact" : "its index.lock was deleted");
                Files.delete(indexLock);
            }
        }
    }

    /**
     * The real way: a separate JVM opens pull requests of the same repository, as Paver does, and is killed with
     * SIGKILL at a random instant of its git work (fetching, writing objects, pushing, collecting), several times;
     * after each kill Paver opens a pull request of that repository with every file and nothing of the child's.
     */
    @Test
    void afterAProcessIsKilledDuringGitWorkTheNextPullRequestHasEveryFile() throws Exception {
        Random random = new Random(12);
        int kills = 4;
        int killedWorking = 0;
        for (int i = 0; i < kills; i++) {
            pullRequest();
            Path log = tmp.resolve("child-" + i + ".log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), GitWorkUntilKilled.class.getName(),
                    tmp.resolve("repos").toString(), tmp.resolve("work").toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (!(Files.exists(log) && Files.readString(log).contains("working"))) { // one pull request done
                    assertThat(child.isAlive()).as("the child runs; its output: %s", log).isTrue();
                    assertThat(System.nanoTime()).as("the child's first pull request within 90 s").isLessThan(until);
                    Thread.sleep(20);
                }
                Thread.sleep(random.nextInt(300));
                if (child.isAlive()) {
                    killedWorking++;
                }
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                child.destroyForcibly();
            }
        }
        pullRequest();
        assertThat(killedWorking).as("children killed in the middle of their work").isEqualTo(kills);
    }

    /**
     * Runs in a child JVM, as Paver would: opens pull requests of 100 files on new branches of {@link #REPO}, for ever,
     * with the local base and work folder given.
     */
    public static final class GitWorkUntilKilled {
        public static void main(String[] args) {
            JGitRepositories paver = new JGitRepositories(args[0], Path.of(args[1]), "main", null);
            paver.seed(REPO, BASE, "Create " + REPO); // nothing when it exists
            Map<String, String> files = new TreeMap<>();
            for (int round = 0; ; round++) {
                for (int f = 0; f < 100; f++) {
                    files.put("load/" + (f % 10) + "/file-" + f + ".yaml", ("round: " + round + "\n").repeat(20));
                }
                paver.openPullRequest(new PullRequestDraft(REPO, "paver/child-" + ProcessHandle.current().pid() + "-" + round,
                        "t", "b", "m", files));
                if (round == 0) {
                    System.out.println("working");
                    System.out.flush();
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Opens a pull request on a new branch and checks that the branch holds exactly the base files and the draft's:
     * nothing a failed run or a killed process left.
     */
    private PullRequest pullRequest() throws Exception {
        runs++;
        String branch = "paver/run-" + runs + "/step-1";
        PullRequest pr = git.openPullRequest(draft(branch));
        Map<String, String> expected = new TreeMap<>(BASE);
        expected.putAll(draft(branch).files());
        assertThat(people.files(REPO, branch)).as("files of " + branch).isEqualTo(expected);
        assertThat(pr.headSha()).isEqualTo(people.head(REPO, branch));
        return pr;
    }

    private PullRequestDraft draft(String branch) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("apps/checkout/api/base/deployment.yaml", "kind: Deployment\nname: api\n");
        files.put("apps/checkout/api/overlays/dev/kustomization.yaml", "resources: [../../base]\n");
        files.put("catalog/components/api.yaml", "kind: Component\n");
        return new PullRequestDraft(REPO, branch, "Add api", "body", "Add api (" + branch + ")", files);
    }
}

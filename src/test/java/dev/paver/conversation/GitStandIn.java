package dev.paver.conversation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.MergeResult;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What people do in the embedded git repositories during a conversation (merge a branch Paver pushed) and what a
 * conversation reads back (branches, files), with JGit on the bare repositories under the local root.
 */
public final class GitStandIn implements GitHost {

    private final Path root;

    public GitStandIn(Path root) {
        this.root = root;
    }

    public Path bare(String repository) {
        return root.resolve(repository + ".git");
    }

    @Override
    public boolean exists(String repository) {
        return Files.exists(bare(repository));
    }

    /**
     * Creates an empty bare repository (no commit, {@code HEAD} on {@code main}), as a platform team does on a git host
     * where Paver cannot create repositories.
     *
     * @throws IllegalStateException when it exists already
     */
    @Override
    public void createEmpty(String repository) throws Exception {
        if (Files.exists(bare(repository))) {
            throw new IllegalStateException("repository " + repository + " exists already");
        }
        Git.init().setBare(true).setInitialBranch("main").setDirectory(bare(repository).toFile()).call().close();
    }

    /** Branches whose name starts with {@code paver/}, newest commit first (newest run first on a tie). */
    @Override
    public List<String> paverBranches(String repository) throws IOException {
        if (!Files.exists(bare(repository))) {
            return List.of();
        }
        try (Git git = Git.open(bare(repository).toFile()); RevWalk walk = new RevWalk(git.getRepository())) {
            List<Ref> refs = new ArrayList<>(git.getRepository().getRefDatabase().getRefsByPrefix(Constants.R_HEADS + "paver/"));
            List<Object[]> dated = new ArrayList<>();
            for (Ref ref : refs) {
                RevCommit c = walk.parseCommit(ref.getObjectId());
                dated.add(new Object[] {ref.getName().substring(Constants.R_HEADS.length()), c.getCommitTime()});
            }
            // commit times have one-second precision; run ids in branch names grow with time and break ties
            dated.sort(Comparator.comparing((Object[] o) -> (Integer) o[1]).thenComparing(o -> (String) o[0]).reversed());
            return dated.stream().map(o -> (String) o[0]).toList();
        }
    }

    /**
     * Every ref of every repository under the root with the commit it points at, one per line, sorted: equal texts mean
     * that nothing was pushed, created or deleted in between.
     */
    @Override
    public String refs() throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return "";
        }
        try (var repositories = Files.list(root)) {
            for (Path bare : repositories.filter(p -> p.getFileName().toString().endsWith(".git")).sorted().toList()) {
                lines.add(bare.getFileName().toString());
                try (Repository repo = Git.open(bare.toFile()).getRepository()) {
                    for (Ref ref : repo.getRefDatabase().getRefs()) {
                        lines.add(bare.getFileName() + " " + ref.getName() + " "
                                + (ref.getObjectId() == null ? "-" : ref.getObjectId().name()));
                    }
                } catch (org.eclipse.jgit.errors.RepositoryNotFoundException beingCreated) {
                    lines.add(bare.getFileName() + " (being created)");
                }
            }
        }
        return String.join("\n", lines.stream().sorted().toList());
    }

    /** The commit id at the tip of {@code branch}. */
    @Override
    public String head(String repository, String branch) throws IOException {
        try (org.eclipse.jgit.lib.Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
                .setGitDir(bare(repository).toFile()).build()) {
            var id = repo.resolve("refs/heads/" + branch);
            return id == null ? "" : id.name();
        }
    }

    /** The files on a branch, path to text. */
    @Override
    public Map<String, String> files(String repository, String branch) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Repository repo = Git.open(bare(repository).toFile()).getRepository(); RevWalk walk = new RevWalk(repo);
             TreeWalk tw = new TreeWalk(repo)) {
            ObjectId id = repo.resolve(Constants.R_HEADS + branch);
            if (id == null) {
                return files;
            }
            tw.addTree(walk.parseCommit(id).getTree());
            tw.setRecursive(true);
            while (tw.next()) {
                files.put(tw.getPathString(), new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    /**
     * Commits one file on {@code main}, as another team's change landing meanwhile.
     *
     * @return the new head of main
     */
    public String commit(String repository, String path, String content, String person) throws Exception {
        return commit(repository, "main", path, old -> content, person);
    }

    /**
     * Commits a change of {@code path} on {@code branch} and pushes it, as a person would; a push to {@code main} of a
     * repository that does not exist creates it first.
     *
     * @param change the file's new content from its old one ("" when absent)
     * @return the new head of the branch
     */
    @Override
    public String commit(String repository, String branch, String path, java.util.function.UnaryOperator<String> change,
                         String person) throws Exception {
        if (!Files.exists(bare(repository)) && branch.equals("main")) {
            // a person's first push to a repository of their own (another team's, not Paver's)
            Git.init().setBare(true).setInitialBranch("main").setDirectory(bare(repository).toFile()).call().close();
        }
        Path work = Files.createTempDirectory("paver-commit-");
        try (Git git = Git.cloneRepository().setURI(bare(repository).toUri().toString()).setDirectory(work.toFile())
                .setBranch(branch).call()) {
            Path file = work.resolve(path);
            Files.createDirectories(file.getParent());
            Files.writeString(file, change.apply(Files.exists(file) ? Files.readString(file) : ""));
            git.add().addFilepattern(path).call();
            PersonIdent who = new PersonIdent(person, person + "@example.com");
            git.commit().setMessage("Change " + path).setAuthor(who).setCommitter(who).setSign(false).call();
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/" + branch)).call();
            return git.getRepository().resolve(Constants.HEAD).name();
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Merges {@code branch} into {@code main} with a merge commit, as a person pressing "Merge" would.
     *
     * @return the new head of main
     */
    @Override
    public String merge(String repository, String branch, String person) throws Exception {
        Path work = Files.createTempDirectory("paver-merge-");
        try (Git git = Git.cloneRepository().setURI(bare(repository).toUri().toString()).setDirectory(work.toFile()).call()) {
            PersonIdent who = new PersonIdent(person, person + "@example.com");
            MergeResult result = git.merge().include(git.getRepository().resolve("refs/remotes/origin/" + branch))
                    .setFastForward(org.eclipse.jgit.api.MergeCommand.FastForwardMode.NO_FF)
                    .setMessage("Merge branch '" + branch + "'").setCommit(false).call();
            if (!result.getMergeStatus().isSuccessful()) {
                throw new IllegalStateException("merge of " + branch + " failed: " + result.getMergeStatus());
            }
            git.commit().setMessage("Merge branch '" + branch + "'").setAuthor(who).setCommitter(who).setSign(false).call();
            git.push().setRefSpecs(new RefSpec("HEAD:refs/heads/main")).call();
            return git.getRepository().resolve(Constants.HEAD).name();
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Every text git holds in every repository under the root: the message of every commit reachable from any ref, and
     * every file of every such commit, as UTF-8.
     */
    @Override
    public List<String> everything() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (var repositories = Files.list(root)) {
            for (Path bare : repositories.filter(p -> p.getFileName().toString().endsWith(".git")).toList()) {
                try (Repository repo = Git.open(bare.toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
                    for (Ref ref : repo.getRefDatabase().getRefs()) {
                        if (ref.getObjectId() != null) {
                            walk.markStart(walk.parseCommit(ref.getObjectId()));
                        }
                    }
                    for (RevCommit commit : walk) {
                        out.add(commit.getFullMessage());
                        try (TreeWalk tw = new TreeWalk(repo)) {
                            tw.addTree(commit.getTree());
                            tw.setRecursive(true);
                            while (tw.next()) {
                                out.add(new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}

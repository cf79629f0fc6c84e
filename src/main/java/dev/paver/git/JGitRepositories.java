package dev.paver.git;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.RepositoryNames;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.JGitInternalException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.ConfigInvalidException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.errors.RemoteRepositoryException;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryBuilder;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.RepositoryCacheConfig;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteConfig;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * {@link RepositoryPort} for any git remote, through JGit. There are no pull requests on plain git: Paver pushes
 * a branch, and the change counts as merged once the branch's commit is reachable from the default branch. Each
 * repository is {@code <base>/<name>.git}; the base is a local folder of bare repositories (a path or a
 * {@code file:} URL; the embedded default, where missing repositories are created) or a remote URL
 * ({@code git://}, {@code http(s)://}; where a person creates them, as plain git cannot: see
 * {@link #adoptRepository}). Working clones live under {@code workDir} and are disposable: the remote is the truth,
 * and what a killed process or a failed run left in a clone is removed, or the clone made again, before it is used
 * (see {@link #withClone}). On a local base a call fetches only when the bare repository's branches differ from the
 * clone's, and a pull request's commit is written into the bare repository rather than pushed through JGit's
 * transport (see {@link #openPullRequest}). Calls for one repository are serialised in the process, and across
 * processes that share {@code workDir} by an OS file lock. Exception messages, which reach Slack, name no folder of
 * this server.
 */
public final class JGitRepositories implements RepositoryPort {

    /** How often {@link #merge} merges again when the default branch moved before its push. */
    static final int MERGE_ATTEMPTS = 3;

    /** How long a call waits for another Paver process working in the same clone (a shared work folder). */
    static final Duration CLONE_WAIT = Duration.ofMinutes(2);

    private static final Logger LOG = LoggerFactory.getLogger(JGitRepositories.class);

    /** Paver's own folder in the work folder; not a repository name, which cannot start with a dot. */
    private static final String OWN = ".paver";

    private static final String UNFINISHED = "unfinished-clone-";

    /**
     * An absolute path (two segments or more, not inside a URL) or a {@code file:} URL, Unix or Windows; its last
     * character is not a full stop or other punctuation ending a sentence.
     */
    private static final Pattern ABSOLUTE_PATH = Pattern.compile(
            "(?:file:/*|(?<![\\w:/.~-])/(?=[^\\s'\"/]+/)|\\b[A-Za-z]:\\\\)[^\\s'\"]*[^\\s'\".,;:)]");

    /** One monitor per clone folder, shared by every instance in the process. */
    private static final Map<Path, Object> CLONE_LOCKS = new ConcurrentHashMap<>();

    /**
     * Per clone folder, when ({@link System#nanoTime()}) the last fetch that succeeded started. A call made before
     * that instant needs no fetch of its own: the clone already shows the remote as it was after the call began.
     * So the calls that queue for a clone while it fetches (a burst of runs polling one GitOps repository) share the
     * next fetch instead of making one each.
     */
    private static final Map<Path, Long> FETCHED = new ConcurrentHashMap<>();

    /**
     * How long a working clone nobody used stays open in JGit's {@link RepositoryCache} (its config, refs and pack
     * indexes in memory): the clones of a burst's new repositories are let go a few minutes after their runs moved on.
     */
    static final Duration OPEN_CLONES = Duration.ofMinutes(5);

    static {
        RepositoryCacheConfig cache = new RepositoryCacheConfig();
        cache.setExpireAfter(OPEN_CLONES.toMillis());
        cache.setCleanupDelay(RepositoryCacheConfig.AUTO_CLEANUP_DELAY);
        cache.install();
    }

    private final String base;
    private final boolean local;
    private final Path workDir;
    private final String defaultBranch;
    private final CredentialsProvider credentials;
    private final PersonIdent author;
    private final List<String> remoteRepositories;

    /**
     * @param base          a local folder of bare repositories, or a remote base URL such as {@code https://git.example.com/acme}
     * @param workDir       where working clones are kept
     * @param defaultBranch the branch pull requests merge into, e.g. {@code main}
     * @param credentials   for a remote, or null
     */
    public JGitRepositories(String base, Path workDir, String defaultBranch, CredentialsProvider credentials) {
        this(base, workDir, defaultBranch, credentials, List.of());
    }

    /**
     * As above, for a remote base that cannot be listed: {@code remoteRepositories} names the repositories Paver
     * reads catalogs from (the domain GitOps repositories, e.g. {@code payments-gitops}).
     */
    public JGitRepositories(String base, Path workDir, String defaultBranch, CredentialsProvider credentials,
                            List<String> remoteRepositories) {
        this.remoteRepositories = List.copyOf(remoteRepositories);
        this.local = local(base);
        if (!local) {
            checkRemote(base);
        }
        this.base = local ? localPath(base).toAbsolutePath().normalize().toString() : base.replaceAll("/+$", "");
        this.workDir = workDir.toAbsolutePath().normalize();
        this.defaultBranch = defaultBranch;
        this.credentials = credentials;
        this.author = new PersonIdent("Paver", "paver@localhost");
    }

    /**
     * True when {@code base} is a local folder of bare repositories: a path, or a {@code file:} URL. Anything else
     * ({@code git://}, {@code http(s)://}, {@code ssh://}) is a remote, where repositories cannot be created.
     */
    public static boolean local(String base) {
        return !base.contains("://") || base.startsWith("file:");
    }

    /**
     * Refuses a remote base that JGit cannot use or that carries a password.
     *
     * @throws IllegalArgumentException when the scheme is not {@code git}, {@code http}, {@code https} or
     *                                  {@code ssh}, or the URL holds a password (it would appear wherever the URL is
     *                                  shown: logs, Slack)
     */
    static void checkRemote(String base) {
        URIish url;
        try {
            url = new URIish(base);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("paver.git.remote-url is not a URL: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme();
        if (!List.of("git", "http", "https", "ssh").contains(scheme)) {
            throw new IllegalArgumentException("paver.git.remote-url must start with git://, http://, https:// or ssh:// "
                    + "(or be a local folder or file: URL), not " + (scheme.isEmpty() ? "no scheme" : scheme + "://"));
        }
        if (url.getPass() != null && !url.getPass().isEmpty()) {
            throw new IllegalArgumentException("paver.git.remote-url holds a password; give it as paver.git.password "
                    + "(PAVER_GIT_PASSWORD) instead, so that it never shows where the URL is shown");
        }
    }

    private static Path localPath(String base) {
        return base.startsWith("file:") ? Path.of(URI.create(base)) : Path.of(base);
    }

    /** True for a local base, where missing repositories are created; false for a remote. */
    @Override
    public boolean createsRepositories() {
        return local;
    }

    /** The URI of repository {@code name}. */
    @Override
    public String cloneUrl(String repository) {
        return uri(repository);
    }

    /**
     * {@link Location#EMBEDDED} ({@code localhost}, owner {@code paver}) for a local folder; for a remote, its host
     * (with its port when the URL gives one) and the last folder of its path as the owner
     * ({@code https://git.example.com/acme}: {@code git.example.com}, {@code acme}), or {@code paver} when the path
     * has none.
     */
    @Override
    public Location location() {
        if (local) {
            return Location.EMBEDDED;
        }
        try {
            URIish url = new URIish(base);
            String host = url.getHost() == null ? "localhost" : url.getHost();
            String path = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
            String owner = path.substring(path.lastIndexOf('/') + 1);
            return new Location(url.getPort() > 0 ? host + ":" + url.getPort() : host,
                    owner.isBlank() ? Location.EMBEDDED.owner() : owner);
        } catch (URISyntaxException e) {
            return Location.EMBEDDED; // checked by checkRemote when built
        }
    }

    public String uri(String name) {
        return local ? Path.of(base, name + ".git").toUri().toString() : base + "/" + name + ".git";
    }

    /** The bare repository folder of {@code name} in the local base; only for a local base. */
    public Path bareRepository(String name) {
        if (!local) {
            throw new IllegalStateException("the git base " + base + " is remote");
        }
        return Path.of(base, name + ".git");
    }

    @Override
    public RepositoryInfo ensureRepository(String name, String description) {
        synchronized (lock(name)) {
            String text = "";
            if (local) {
                Path bare = bareRepository(name);
                if (!Files.exists(bare.resolve("HEAD"))) {
                    seed(name, Map.of("README.md", "# " + name + "\n\n" + (description == null ? "" : description) + "\n"),
                            "Create " + name);
                    try {
                        // git's own one-line description of a repository (gitweb, cgit)
                        Files.writeString(bare.resolve("description"), description == null ? "" : description);
                    } catch (IOException e) {
                        throw failure("cannot write the description of repository " + name, e, false);
                    }
                }
                try {
                    text = Files.exists(bare.resolve("description")) ? Files.readString(bare.resolve("description")).strip() : "";
                } catch (IOException e) {
                    throw failure("cannot read the description of repository " + name, e, false);
                }
            } else if (remoteRefs(name).missing() != null) {
                throw new RepositoryException("repository " + name + " does not exist at " + base
                        + "; create it on the git host first (plain git cannot create repositories)");
            }
            return new RepositoryInfo(name, uri(name), defaultBranch, text);
        }
    }

    /**
     * On a local base, {@link #ensureRepository}. On a remote: {@link Adoption.Missing} when the host has no such
     * repository (git daemon's "access denied or repository not exported", HTTP 404, or the like); an empty one
     * (no refs) gets Paver's first commit on the default branch, a {@code README.md} with {@code description}, in a
     * commit "Create {@code name}" whose body is {@code description}. The info's description is the full message of
     * the first commit of the default branch.
     *
     * @throws RepositoryException permanent when the repository has refs but not the default branch; not permanent
     *                             when the host cannot be reached or refuses the first push
     */
    @Override
    public Adoption adoptRepository(String name, String description) {
        if (local) {
            return new Adoption.Ready(ensureRepository(name, description));
        }
        synchronized (lock(name)) {
            RemoteRefs refs = remoteRefs(name);
            if (refs.missing() != null) {
                return new Adoption.Missing(uri(name), defaultBranch, refs.missing());
            }
            if (refs.refs().isEmpty()) {
                pushFirstCommit(name, description);
            } else if (refs.refs().stream().noneMatch(r -> r.getName().equals(Constants.R_HEADS + defaultBranch))) {
                throw new RepositoryException("repository " + name + " at " + uri(name) + " has commits but no branch "
                        + defaultBranch + ", the default branch Paver merges into (paver.git.default-branch); make "
                        + defaultBranch + " its default branch, or create the repository empty");
            }
            return new Adoption.Ready(new RepositoryInfo(name, uri(name), defaultBranch, firstCommitMessage(name)));
        }
    }

    /** Pushes one commit holding a README to the default branch of an empty remote repository. */
    private void pushFirstCommit(String name, String description) {
        String text = description == null ? "" : description;
        try {
            Path tmp = Files.createTempDirectory("paver-first-");
            try (Git git = Git.init().setInitialBranch(defaultBranch).setDirectory(tmp.toFile()).call()) {
                write(tmp, Map.of("README.md", "# " + name + "\n\n" + text + "\n"));
                git.add().addFilepattern(".").call();
                PersonIdent now = signature();
                git.commit().setMessage("Create " + name + "\n\n" + text).setAuthor(now).setCommitter(now).setSign(false).call();
                for (PushResult result : git.push().setRemote(uri(name)).setCredentialsProvider(credentials)
                        .setRefSpecs(new RefSpec("HEAD:" + Constants.R_HEADS + defaultBranch)).call()) {
                    RemoteRefUpdate update = result.getRemoteUpdate(Constants.R_HEADS + defaultBranch);
                    if (update != null && update.getStatus() != RemoteRefUpdate.Status.OK) {
                        throw new RepositoryException("the first push to " + name + " at " + uri(name) + " was refused ("
                                + update.getStatus() + (update.getMessage() == null ? "" : ": " + withoutPaths(update.getMessage())) + ")",
                                null, false);
                    }
                }
            } finally {
                FileSystemUtils.deleteRecursively(tmp);
            }
        } catch (IOException | GitAPIException e) {
            throw failure("cannot push the first commit to " + name + " at " + uri(name), e, false);
        }
    }

    /** The full message of the root commit of the default branch (following first parents), or "". */
    private String firstCommitMessage(String name) {
        try {
            return withClone(name, git -> {
                try (RevWalk walk = new RevWalk(git.getRepository())) {
                    Ref main = git.getRepository().exactRef(Constants.R_REMOTES + "origin/" + defaultBranch);
                    if (main == null) {
                        return "";
                    }
                    walk.setFirstParent(true);
                    walk.markStart(walk.parseCommit(main.getObjectId()));
                    RevCommit first = null;
                    for (RevCommit c : walk) {
                        first = c;
                    }
                    return first == null ? "" : first.getFullMessage();
                }
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(name, "cannot read " + name + " at " + uri(name), e);
        }
    }

    /**
     * Creates a local bare repository holding {@code files} in one commit on the default branch, if it does not
     * exist. Used for the embedded default's seed repositories.
     *
     * @return true when it was created
     */
    public boolean seed(String name, Map<String, String> files, String message) {
        synchronized (lock(name)) {
            Path bare = bareRepository(name);
            if (Files.exists(bare.resolve("HEAD"))) {
                return false;
            }
            try {
                Files.createDirectories(bare.getParent());
                try (Git created = Git.init().setBare(true).setInitialBranch(defaultBranch).setDirectory(bare.toFile()).call()) {
                    // every push makes a pack, and each fetch reads every pack's index: the packs that git's automatic
                    // collection replaced are deleted at once (as git repack -d does), not kept for an hour
                    StoredConfig config = created.getRepository().getConfig();
                    config.setString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE, "now");
                    config.save();
                    // the first commit written straight into the new repository: what a clone, a commit and a push
                    // would leave there, without them
                    Repository repo = created.getRepository();
                    try (ObjectInserter inserter = repo.newObjectInserter()) {
                        ObjectId commit = insertCommit(inserter, tree(inserter, files), message);
                        RefUpdate branch = repo.updateRef(Constants.R_HEADS + defaultBranch);
                        branch.setNewObjectId(commit);
                        branch.setExpectedOldObjectId(ObjectId.zeroId());
                        RefUpdate.Result result = branch.update();
                        if (result != RefUpdate.Result.NEW) {
                            throw new IOException("the first commit of " + name + " was not written (" + result + ")");
                        }
                    }
                }
                return true;
            } catch (IOException | GitAPIException e) {
                throw failure("cannot create repository " + name, e, false);
            }
        }
    }

    /**
     * Pushes the draft's files as one commit on its branch, from the remote's branch when it exists (a run that
     * continues), else from the default branch. The commit is made in memory from the remote's tree and the draft's
     * files ({@link #commitFiles}), never from the clone's work tree or index, so nothing a failed run or a killed
     * process left in the clone reaches the branch, and the cost does not grow with the repository's files. On a local
     * base the commit is written into the bare repository and the branch moved there ({@link #pushedLocally}).
     *
     * @throws RepositoryException not permanent when the remote cannot be reached or the branch moved meanwhile (the
     *                             next try starts from the moved branch); permanent when the remote refuses the push for
     *                             a reason of its own (e.g. a hook), or a file of the draft cannot be written where
     *                             its path says
     */
    @Override
    public PullRequest openPullRequest(PullRequestDraft draft) {
        String repository = draft.repository();
        try {
            return withClone(repository, git -> {
                Repository repo = git.getRepository();
                String remoteBranch = Constants.R_REMOTES + "origin/" + draft.branch();
                boolean branchExists = repo.exactRef(remoteBranch) != null;
                Ref start = repo.exactRef(branchExists ? remoteBranch : Constants.R_REMOTES + "origin/" + defaultBranch);
                if (start == null) {
                    throw new RepositoryException("repository " + repository + " has no branch " + defaultBranch);
                }
                PersonIdent now = signature();
                ObjectId head = commitFiles(repo, start.getObjectId(), draft, !branchExists, now);
                String target = Constants.R_HEADS + draft.branch();
                if (local && pushedLocally(repository, repo, draft, branchExists ? start.getObjectId() : null,
                        start.getObjectId(), !branchExists, now, head)) {
                    return new PullRequest(repository, 0, uri(repository) + "#" + draft.branch(), draft.branch(), defaultBranch, head.name());
                }
                for (PushResult result : git.push().setRemote("origin").setCredentialsProvider(credentials)
                        .setRefSpecs(new RefSpec(head.name() + ":" + target)).call()) {
                    RemoteRefUpdate update = result.getRemoteUpdate(target);
                    if (update != null && update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
                        boolean moved = update.getStatus() == RemoteRefUpdate.Status.REJECTED_NONFASTFORWARD
                                || update.getStatus() == RemoteRefUpdate.Status.REJECTED_REMOTE_CHANGED;
                        throw new RepositoryException("the remote refused the push of " + draft.branch() + " to " + repository
                                + " (" + update.getStatus() + (update.getMessage() == null ? "" : ": " + withoutPaths(update.getMessage()))
                                + (moved ? "); the branch moved meanwhile, and the next try starts from its new commits"
                                : "); nothing was pushed"), null, !moved);
                    }
                }
                return new PullRequest(repository, 0, uri(repository) + "#" + draft.branch(), draft.branch(), defaultBranch, head.name());
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(repository, "git push of " + draft.branch() + " to " + repository + " failed", e);
        }
    }

    /**
     * Writes, without a work tree, a commit whose tree is {@code start}'s with the draft's {@code files} (path relative to
     * the repository's root, UTF-8 text) added or replaced and its {@code deletions} removed, and whose one parent is
     * {@code start}. When that tree is
     * {@code start}'s own and no commit is {@code required}, {@code start} is returned: a run that pushes the same files
     * again pushes nothing new.
     *
     * @throws RepositoryException permanent when a path is not a plain relative path inside the repository, or would
     *                             put a file where the tree has a folder, or a folder where it has a file
     */
    private ObjectId commitFiles(Repository repo, ObjectId start, PullRequestDraft draft,
                                 boolean required, PersonIdent when) throws IOException {
        Map<String, String> files = draft.files();
        String message = draft.commitMessage();
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = inserter.newReader();
             RevWalk walk = new RevWalk(reader); TreeWalk existing = new TreeWalk(reader)) {
            RevCommit base = walk.parseCommit(start);
            Map<String, ObjectId> blobs = blobs(inserter, files);
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            existing.addTree(base.getTree());
            existing.setRecursive(true);
            while (existing.next()) {
                String path = existing.getPathString();
                for (String added : blobs.keySet()) {
                    if (added.startsWith(path + "/")) {
                        throw new RepositoryException("cannot write " + added + ": " + path + " is a file in the repository");
                    }
                    if (path.startsWith(added + "/")) {
                        throw new RepositoryException("cannot write " + added + ": it is a folder in the repository (it holds " + path + ")");
                    }
                }
                if (!blobs.containsKey(path) && !draft.deletes(path)) {
                    DirCacheEntry entry = new DirCacheEntry(existing.getRawPath());
                    entry.setFileMode(existing.getFileMode(0));
                    entry.setObjectId(existing.getObjectId(0));
                    builder.add(entry);
                }
            }
            for (Map.Entry<String, ObjectId> blob : blobs.entrySet()) {
                DirCacheEntry entry = new DirCacheEntry(blob.getKey());
                entry.setFileMode(FileMode.REGULAR_FILE);
                entry.setObjectId(blob.getValue());
                builder.add(entry);
            }
            builder.finish();
            ObjectId tree = index.writeTree(inserter);
            if (!required && tree.equals(base.getTree())) {
                return start;
            }
            return insertCommit(inserter, tree, message, when, start);
        }
    }

    /**
     * On a local base, the push of {@link #openPullRequest} without JGit's transport (whose server half, run on a
     * thread of its own through pipes, was most of a pull request's cost): the same commit is written into the bare
     * repository (the same objects, so the same id), its branch is moved there from exactly {@code seen}, the tip the
     * clone saw (created when {@code seen} is null), and the clone's remote-tracking branch is set as a push sets
     * it. Git's automatic collection then runs in the bare repository when it needs it, as after a push
     * ({@code receive.autogc}).
     *
     * @return false when the bare repository lacks {@code start} (changed behind the clone's back): the caller pushes
     * @throws RepositoryException not permanent when the branch moved meanwhile (as a refused push)
     */
    private boolean pushedLocally(String repository, Repository clone, PullRequestDraft draft, ObjectId seen, ObjectId start,
                                  boolean required, PersonIdent when, ObjectId head) throws IOException {
        if (head.equals(seen)) {
            return true; // nothing new: a push would say up to date
        }
        try (Repository bare = new RepositoryBuilder().setGitDir(bareRepository(repository).toFile()).setMustExist(true).build()) {
            ObjectId written;
            try {
                written = commitFiles(bare, start, draft, required, when);
            } catch (MissingObjectException e) {
                return false;
            }
            if (!written.equals(head)) {
                throw new IllegalStateException("the commit written into " + repository + " is " + written.name()
                        + ", not the clone's " + head.name());
            }
            RefUpdate branch = bare.updateRef(Constants.R_HEADS + draft.branch());
            branch.setExpectedOldObjectId(seen == null ? ObjectId.zeroId() : seen);
            branch.setNewObjectId(head);
            RefUpdate.Result result = branch.update();
            switch (result) {
                case NEW, FAST_FORWARD, NO_CHANGE -> {
                }
                case LOCK_FAILURE, REJECTED, REJECTED_CURRENT_BRANCH -> throw new RepositoryException("the remote refused "
                        + "the push of " + draft.branch() + " to " + repository + " (" + result + "); the branch moved "
                        + "meanwhile, and the next try starts from its new commits", null, false);
                default -> throw new RepositoryException("the push of " + draft.branch() + " to " + repository
                        + " failed (" + result + "); nothing was pushed", null, false);
            }
            if (bare.getConfig().getBoolean("receive", "autogc", true)) {
                bare.autoGC(NullProgressMonitor.INSTANCE);
            }
        }
        RefUpdate tracking = clone.updateRef(Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + draft.branch());
        tracking.setNewObjectId(head);
        tracking.forceUpdate();
        return true;
    }

    /**
     * Merges the branch into the default branch with a merge commit (never a fast forward) whose second parent is
     * the branch tip, and pushes the default branch. After a fetch the branch tip must still be
     * {@code expectedHead}; when {@code expectedHead} is already reachable from the default branch, nothing is done
     * and the merge is returned again, as {@link #mergeState} gives it. The merge is made without a work tree, so a
     * conflict leaves nothing behind. When the push is rejected because the default branch moved meanwhile, the
     * remote is fetched and the merge made again, up to {@value #MERGE_ATTEMPTS} times.
     *
     * @return the default branch head that contains the change (the new merge commit), merged by nobody named
     * @throws RepositoryException permanent when the branch moved from {@code expectedHead}, is gone without being
     *                             merged, conflicts with the default branch (naming the files), or the remote
     *                             refuses the push for a reason of its own (e.g. a hook); not permanent when the
     *                             remote cannot be reached or the default branch keeps moving
     */
    @Override
    public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
        String what = pullRequest.describe() + " of " + pullRequest.repository();
        if (!ObjectId.isId(expectedHead)) {
            throw new RepositoryException("cannot merge " + what + ": the approved head '" + expectedHead
                    + "' is not a commit id");
        }
        ObjectId expected = ObjectId.fromString(expectedHead);
        try {
            return withClone(pullRequest.repository(), git -> {
                Repository repo = git.getRepository();
                for (int attempt = 1; ; attempt++) {
                    Ref main = repo.exactRef(Constants.R_REMOTES + "origin/" + defaultBranch);
                    if (main == null) {
                        throw new RepositoryException("cannot merge " + what + ": the repository has no branch " + defaultBranch);
                    }
                    MergeState state = state(repo, pullRequest.branch(), expected);
                    if (state instanceof MergeState.Merged merged) {
                        return merged;
                    }
                    if (state instanceof MergeState.Closed) {
                        throw new RepositoryException(what + " is gone and its commit " + expectedHead + " is not on "
                                + defaultBranch + "; nothing was merged. Start the request again");
                    }
                    String tip = ((MergeState.Open) state).headSha();
                    if (!tip.equals(expectedHead)) {
                        throw new RepositoryException("the branch moved from " + expectedHead + " to " + tip
                                + " after the approval of " + what + "; nothing was merged. The new commits need a new approval");
                    }
                    ObjectId commit = mergeCommit(repo, main.getObjectId(), expected, message, what);
                    RemoteRefUpdate update = pushDefaultBranch(git, commit);
                    switch (update.getStatus()) {
                        case OK, UP_TO_DATE -> {
                            return new MergeState.Merged(commit.name(), "");
                        }
                        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
                            if (attempt >= MERGE_ATTEMPTS) {
                                throw new RepositoryException("cannot merge " + what + ": " + defaultBranch + " moved "
                                        + MERGE_ATTEMPTS + " times while merging; try again", null, false);
                            }
                            fetch(git); // someone pushed to the default branch meanwhile: merge onto the new head
                        }
                        default -> throw new RepositoryException("the remote refused the merge of " + what + " into "
                                + defaultBranch + " (" + update.getStatus()
                                + (update.getMessage() == null ? "" : ": " + withoutPaths(update.getMessage())) + "); nothing was merged");
                    }
                }
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(pullRequest.repository(), "git merge of " + what + " into " + defaultBranch + " failed", e);
        }
    }

    @Override
    public MergeState mergeState(PullRequest pullRequest) {
        try {
            return withClone(pullRequest.repository(), git -> {
                Repository repo = git.getRepository();
                Ref branch = repo.exactRef(Constants.R_REMOTES + "origin/" + pullRequest.branch());
                ObjectId head = branch != null ? branch.getObjectId()
                        : pullRequest.headSha().isEmpty() ? null : ObjectId.fromString(pullRequest.headSha());
                return state(repo, pullRequest.branch(), head);
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(pullRequest.repository(), "git fetch of " + pullRequest.repository() + " failed", e);
        }
    }

    /**
     * Plain git has no pull requests: a pushed branch is one, and {@link #deleteBranch} removes it. Closes nothing;
     * returns where the branch stands, as {@link #mergeState} does.
     */
    @Override
    public MergeState closeChange(PullRequest pullRequest) {
        return mergeState(pullRequest);
    }

    /**
     * Deletes the branch on the remote (a push of the refspec {@code :refs/heads/<branch>}, as {@code git push origin
     * --delete} does) and its tracking branch in the working clone; false when the remote has no such branch.
     */
    @Override
    public boolean deleteBranch(String repository, String branch) {
        if (branch.equals(defaultBranch)) {
            throw new RepositoryException("branch " + branch + " of " + repository + " is its default branch; Paver never deletes it");
        }
        try {
            return withClone(repository, git -> {
                Repository repo = git.getRepository();
                String tracking = Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/" + branch;
                if (repo.exactRef(tracking) == null) {
                    return false;
                }
                String target = Constants.R_HEADS + branch;
                for (PushResult result : git.push().setRemote("origin").setCredentialsProvider(credentials)
                        .setRefSpecs(new RefSpec(":" + target)).call()) {
                    RemoteRefUpdate update = result.getRemoteUpdate(target);
                    if (update != null && update.getStatus() != RemoteRefUpdate.Status.OK
                            && update.getStatus() != RemoteRefUpdate.Status.NON_EXISTING) {
                        throw new RepositoryException("the remote refused to delete branch " + branch + " of " + repository
                                + " (" + update.getStatus() + (update.getMessage() == null ? "" : ": "
                                + withoutPaths(update.getMessage())) + ")", null, update.getStatus()
                                == RemoteRefUpdate.Status.REJECTED_OTHER_REASON);
                    }
                }
                RefUpdate gone = repo.updateRef(tracking);
                gone.setForceUpdate(true);
                gone.delete();
                return true;
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(repository, "git push deleting " + branch + " of " + repository + " failed", e);
        }
    }

    @Override
    public Map<String, String> readFiles(String repository, String directory) {
        Map<String, String> files = new TreeMap<>();
        if (local && !Files.exists(bareRepository(repository).resolve("HEAD"))) {
            return files;
        }
        try {
            return withClone(repository, git -> {
                Repository repo = git.getRepository();
                Ref main = repo.exactRef(Constants.R_REMOTES + "origin/" + defaultBranch);
                if (main == null) {
                    return files;
                }
                try (RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
                    tw.addTree(walk.parseCommit(main.getObjectId()).getTree());
                    tw.setRecursive(true);
                    if (directory != null && !directory.isEmpty()) {
                        tw.setFilter(PathFilter.create(directory));
                    }
                    while (tw.next()) {
                        ObjectLoader loader = repo.open(tw.getObjectId(0));
                        if (loader.getSize() <= 1024 * 1024) {
                            files.put(tw.getPathString(), new String(loader.getBytes(), StandardCharsets.UTF_8));
                        }
                    }
                }
                return files;
            });
        } catch (InvalidRemoteException e) {
            return files;
        } catch (TransportException e) {
            if (missing(e) != null) {
                return files; // not created on the host yet
            }
            throw cloneFailure(repository, "cannot read " + repository, e);
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(repository, "cannot read " + repository, e);
        }
    }

    /**
     * One visit of the working clone (one fetch, or none when nothing changed) for every path: a path exists when
     * the default branch has a file there or a folder holding files, of any size.
     */
    @Override
    public List<String> existing(String repository, List<String> paths) {
        if (local && !Files.exists(bareRepository(repository).resolve("HEAD"))) {
            return List.of();
        }
        try {
            return withClone(repository, git -> {
                Repository repo = git.getRepository();
                Ref main = repo.exactRef(Constants.R_REMOTES + "origin/" + defaultBranch);
                if (main == null) {
                    return List.of();
                }
                List<String> found = new ArrayList<>();
                try (RevWalk walk = new RevWalk(repo)) {
                    RevCommit head = walk.parseCommit(main.getObjectId());
                    for (String path : paths) {
                        try (TreeWalk at = TreeWalk.forPath(repo, path, head.getTree())) {
                            if (at != null) {
                                found.add(path);
                            }
                        }
                    }
                }
                return found;
            });
        } catch (InvalidRemoteException e) {
            return List.of();
        } catch (TransportException e) {
            if (missing(e) != null) {
                return List.of(); // not created on the host yet
            }
            throw cloneFailure(repository, "cannot read " + repository, e);
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(repository, "cannot read " + repository, e);
        }
    }

    @Override
    public boolean contains(String repository, String revision, String commit) {
        if (revision.equals(commit)) {
            return true;
        }
        try {
            return withClone(repository, git -> {
                try (RevWalk walk = new RevWalk(git.getRepository())) {
                    return walk.isMergedInto(walk.parseCommit(ObjectId.fromString(commit)), walk.parseCommit(ObjectId.fromString(revision)));
                } catch (MissingObjectException | IllegalArgumentException e) {
                    return false;
                }
            });
        } catch (IOException | GitAPIException | JGitInternalException e) {
            throw cloneFailure(repository, "cannot compare " + revision + " with " + commit + " in " + repository, e);
        }
    }

    /**
     * Repository names under a local base (folders ending in {@code .git}). For a remote base, which plain git
     * cannot list: the repositories given to the constructor, and those Paver keeps a working clone of under
     * {@code workDir} (it pushed to or read them: a domain repository that create-domain made is found without a
     * restart), sorted.
     */
    @Override
    public List<String> listRepositories() {
        if (!local) {
            SortedSet<String> names = new TreeSet<>(remoteRepositories);
            if (Files.isDirectory(workDir)) {
                try (Stream<Path> children = Files.list(workDir)) {
                    children.filter(p -> Files.isDirectory(p.resolve(".git"))).map(p -> p.getFileName().toString())
                            .filter(JGitRepositories::validName).forEach(names::add);
                } catch (IOException e) {
                    throw failure("cannot list Paver's work folder (paver.git.work-dir)", e, false);
                }
            }
            return List.copyOf(names);
        }
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(Path.of(base))) {
            return names;
        }
        try (Stream<Path> children = Files.list(Path.of(base))) {
            children.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".git"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().forEach(names::add);
        } catch (IOException e) {
            throw failure("cannot list the repositories in paver.git.local-root", e, false);
        }
        return names;
    }

    /**
     * What a remote has under a name: the refs it advertises (none when the repository is empty), or, when the host
     * says there is no such repository, its words in {@code missing} (refs empty).
     */
    private record RemoteRefs(Collection<Ref> refs, String missing) {
    }

    /**
     * The remote repository's refs, or the host's answer that there is no such repository.
     *
     * @throws RepositoryException not permanent, when the host cannot be reached or refuses for another reason
     *                             (credentials)
     */
    private RemoteRefs remoteRefs(String name) {
        try {
            return new RemoteRefs(Git.lsRemoteRepository().setRemote(uri(name)).setCredentialsProvider(credentials).call(), null);
        } catch (InvalidRemoteException | TransportException e) {
            String answer = missing(e);
            if (answer != null) {
                return new RemoteRefs(List.of(), answer);
            }
            throw failure("cannot reach " + uri(name), e, false);
        } catch (GitAPIException e) {
            throw failure("cannot reach " + uri(name), e, false);
        }
    }

    /**
     * The host's words when {@code e} says that the repository does not exist, else null: JGit's
     * {@link NoRemoteRepositoryException} (HTTP 404, a missing path over ssh or file) or a
     * {@link RemoteRepositoryException}, the host's own {@code ERR} line (git daemon answers "access denied or
     * repository not exported" for a missing repository, see git's {@code daemon.c}).
     */
    private static String missing(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoRemoteRepositoryException || t instanceof RemoteRepositoryException) {
                String message = t.getMessage() == null ? "" : t.getMessage();
                int colon = message.indexOf(": ");
                // JGit puts the URL first: "git://host/api.git: access denied ..."
                return colon >= 0 && message.substring(0, colon).contains("://") ? message.substring(colon + 2) : message;
            }
        }
        return null;
    }

    /** Work done on a fetched working clone. */
    @FunctionalInterface
    private interface CloneWork<T> {
        T apply(Git git) throws IOException, GitAPIException;
    }

    /**
     * Runs {@code work} on the fetched working clone of {@code name}, alone: under this process's lock for the clone
     * (one per clone folder, shared by every instance in the process) and an OS file lock in the work folder, which
     * other processes sharing the folder respect and which the OS releases when a process dies, even by SIGKILL. So a
     * git lock file found in the clone was left by a process that stopped, and {@link #workingClone} removes it. When
     * the work fails inside the clone rather than at the remote (a corrupt file, a lock that cannot be taken), the
     * clone is discarded and the work done once more on a new clone: the remote is the truth, and every call of the
     * port is idempotent.
     *
     * @throws RepositoryException not permanent, when another process keeps the clone for {@link #CLONE_WAIT}, or the
     *                             clone cannot be discarded
     */
    private <T> T withClone(String name, CloneWork<T> work) throws IOException, GitAPIException {
        long asked = System.nanoTime();
        synchronized (lock(name)) {
            try (CloneHold ignored = processLock(name)) {
                for (int attempt = 1; ; attempt++) {
                    try (Repository repo = workingClone(name, asked); Git git = Git.wrap(repo)) {
                        return work.apply(git);
                    } catch (IOException | GitAPIException | JGitInternalException e) {
                        if (attempt > 1 || !inClone(e)) {
                            throw e;
                        }
                        LOG.warn("the working clone of {} failed; discarding it and cloning again", name, e);
                        discard(name);
                    }
                }
            }
        }
    }

    /**
     * The working clone of {@code name}, recovered from whatever a killed process left, and fetched. Leftovers of an
     * unfinished clone are deleted; a clone folder that is not a whole clone of the repository (no {@code .git},
     * {@code HEAD}, {@code objects} or {@code refs}, a {@code HEAD} or {@code config} that does not parse, another
     * remote) is discarded; the git lock files in it ({@code index.lock}, {@code HEAD.lock}, {@code config.lock},
     * {@code packed-refs.lock}, {@code refs/**.lock}) are stale, as the caller holds the clone alone, and are deleted.
     * The clone's work tree and index are never used (commits are made in memory). A new clone is made in
     * {@code <workDir>/.paver/<name>/} and moved into place when complete, so a kill never leaves half a clone in
     * {@code <workDir>/<name>}. The fetch is skipped when one started after {@code asked} ({@link #FETCHED}). Only
     * the caller ({@link #withClone}) may call it.
     *
     * @return the clone's repository, from JGit's {@link RepositoryCache} (so its refs and pack indexes are not read
     *         again at every call; {@link #OPEN_CLONES}), which the caller closes
     */
    private Repository workingClone(String name, long asked) throws IOException, GitAPIException {
        Path dir = workDir.resolve(name);
        Path own = ownFolder(name);
        deleteUnfinishedClones(own);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            String unusable = unusable(dir, name);
            if (unusable != null) {
                LOG.warn("the working clone of {} is not usable ({}): discarding {} and cloning again", name, unusable, dir);
                discard(name);
            }
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path fresh = own.resolve(UNFINISHED + UUID.randomUUID());
            try {
                // a clone without checkout, as git clone --no-checkout makes it, but configured before its fetch
                try (Git cloned = Git.init().setDirectory(fresh.toFile()).call()) {
                    StoredConfig config = cloned.getRepository().getConfig();
                    noBackgroundGc(config);
                    RemoteConfig origin = new RemoteConfig(config, Constants.DEFAULT_REMOTE_NAME);
                    origin.addURI(new URIish(uri(name)));
                    origin.addFetchRefSpec(new RefSpec("+" + Constants.R_HEADS + "*:" + Constants.R_REMOTES
                            + Constants.DEFAULT_REMOTE_NAME + "/*"));
                    origin.update(config);
                    config.save();
                    long started = System.nanoTime();
                    cloned.fetch().setRemote(Constants.DEFAULT_REMOTE_NAME).setCredentialsProvider(credentials).call();
                    FETCHED.put(dir, started);
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("the git base gives no valid URL for " + name + ": " + e.getMessage(), e);
                }
                Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileSystemUtils.deleteRecursively(fresh);
            }
            return RepositoryCache.open(cacheKey(dir), true);
        }
        removeStaleLocks(name, dir.resolve(Constants.DOT_GIT));
        Repository repo = RepositoryCache.open(cacheKey(dir), true);
        try {
            StoredConfig config = repo.getConfig();
            if (noBackgroundGc(config)) {
                config.save(); // a clone an earlier version made
            }
            Long fetched = FETCHED.get(dir);
            if (fetched == null || fetched - asked < 0) {
                long started = System.nanoTime();
                if (!sameAsLocalRemote(repo, name)) {
                    fetch(Git.wrap(repo));
                }
                FETCHED.put(dir, started);
            }
        } catch (GitAPIException | RuntimeException e) {
            repo.close();
            throw e;
        }
        return repo;
    }

    /**
     * True when the base is local and the clone's remote-tracking branches ({@code refs/remotes/origin/*}) are exactly
     * the bare repository's branches (the same names at the same commits): a fetch would bring nothing, so the clone
     * shows the remote as it is now. The bare repository is read directly, as JGit's local transport opens it for a
     * fetch, without the transport's server thread and pack negotiation: for a local base, most of a call's cost.
     * False, so that the caller fetches, whenever anything differs or cannot be read.
     */
    private boolean sameAsLocalRemote(Repository clone, String name) throws IOException {
        if (!local) {
            return false;
        }
        Path bare = bareRepository(name);
        if (!Files.isDirectory(bare)) {
            return false; // the fetch says what is wrong
        }
        Map<String, ObjectId> branches = new HashMap<>();
        try (Repository remote = new RepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build()) {
            for (Ref ref : remote.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                if (ref.isSymbolic() || ref.getObjectId() == null) {
                    return false;
                }
                branches.put(ref.getName().substring(Constants.R_HEADS.length()), ref.getObjectId());
            }
        } catch (RepositoryNotFoundException e) {
            return false;
        }
        String tracking = Constants.R_REMOTES + Constants.DEFAULT_REMOTE_NAME + "/";
        List<Ref> fetched = clone.getRefDatabase().getRefsByPrefix(tracking);
        if (fetched.size() != branches.size()) {
            return false;
        }
        for (Ref ref : fetched) {
            if (ref.getObjectId() == null || !ref.getObjectId().equals(branches.get(ref.getName().substring(tracking.length())))) {
                return false;
            }
        }
        return true;
    }

    /** The key of the working clone in {@code dir} in JGit's {@link RepositoryCache}. */
    private static RepositoryCache.FileKey cacheKey(Path dir) {
        return RepositoryCache.FileKey.exact(dir.resolve(Constants.DOT_GIT).toFile(), FS.DETECTED);
    }

    /**
     * Makes JGit's automatic garbage collection of a working clone run on the fetching thread ({@code gc.autoDetach=false}),
     * under Paver's lock on the clone. JGit checks after every fetch ({@code fetch.autogc}) whether the clone needs it
     * (more than {@code gc.autoPackLimit}, 50, packs or {@code gc.auto}, 6,700, loose objects: git's own defaults) and
     * then packs objects and refs. Detached, it would run on a thread of its own holding {@code gc.log.lock} after
     * Paver released the clone, which could be moved into place, or its stale locks cleared, under it. Without it a
     * long-lived clone gains a pack at every fetch that brings something (a GitOps repository polled through a burst:
     * hundreds), and each call reads more pack indexes. The packs a collection replaced are deleted at once
     * ({@code gc.prunePackExpire=now}, as {@code git repack -d} does): JGit keeps them an hour for readers of other
     * processes, and the clone has none, so the next fetch would repack every pack again. Earlier versions turned
     * collection off ({@code gc.auto=0}): that is undone.
     *
     * @return true when the config changed (the caller saves it)
     */
    private static boolean noBackgroundGc(StoredConfig config) {
        boolean changed = config.getInt(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTO, -1) == 0
                || config.getBoolean(ConfigConstants.CONFIG_GC_SECTION, ConfigConstants.CONFIG_KEY_AUTODETACH, true);
        changed |= !"now".equals(config.getString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE));
        config.unset(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO);
        config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
        config.setString(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_PRUNEPACKEXPIRE, "now");
        return changed;
    }

    private String unusable(Path dir, String name) {
        Path dotGit = dir.resolve(Constants.DOT_GIT);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
            return "no .git folder";
        }
        for (String part : List.of("objects", "refs")) {
            if (!Files.isDirectory(dotGit.resolve(part))) {
                return "no " + part + " folder";
            }
        }
        try {
            String head = Files.isRegularFile(dotGit.resolve(Constants.HEAD)) ? Files.readString(dotGit.resolve(Constants.HEAD),
                    StandardCharsets.ISO_8859_1).strip() : "";
            if (!head.startsWith("ref: refs/") && !ObjectId.isId(head)) {
                return "HEAD is missing or not a ref";
            }
            FileBasedConfig config = new FileBasedConfig(dotGit.resolve(Constants.CONFIG).toFile(), FS.DETECTED);
            config.load();
            String url = config.getString("remote", "origin", "url");
            if (!uri(name).equals(url)) {
                return "its remote is " + url + ", not " + uri(name);
            }
        } catch (IOException | ConfigInvalidException e) {
            return e.toString();
        }
        return null;
    }

    /**
     * Deletes every file whose name ends in {@code .lock} in {@code dotGit} outside {@code objects}: git takes a lock
     * by creating {@code <file>.lock} and ends it by renaming or deleting it (git's {@code lockfile.c}, JGit's
     * {@code LockFile}), so one that exists while Paver holds the clone alone was left by a process that was killed.
     */
    private static void removeStaleLocks(String name, Path dotGit) throws IOException {
        Files.walkFileTree(dotGit, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                // objects and reflogs are written without .lock files of their own
                return folder.equals(dotGit.resolve("objects")) || folder.equals(dotGit.resolve("logs"))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (file.getFileName().toString().endsWith(".lock")) {
                    LOG.warn("removing {} from the working clone of {}: a process that stopped left it", file, name);
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Paver's own folder for {@code name} in the work folder: the OS lock file and unfinished clones. */
    private Path ownFolder(String name) {
        return workDir.resolve(OWN).resolve(name);
    }

    private static void deleteUnfinishedClones(Path own) throws IOException {
        if (Files.isDirectory(own)) {
            try (Stream<Path> children = Files.list(own)) {
                for (Path child : children.filter(p -> p.getFileName().toString().startsWith(UNFINISHED)).toList()) {
                    FileSystemUtils.deleteRecursively(child);
                }
            }
        }
    }

    /**
     * Deletes the working clone of {@code name}.
     *
     * @throws RepositoryException not permanent, when it cannot be deleted
     */
    private void discard(String name) {
        Path dir = workDir.resolve(name);
        FETCHED.remove(dir);
        RepositoryCache.unregister(cacheKey(dir)); // not used: the caller holds the clone alone, and closed it
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            throw failure("cannot discard the broken working clone of " + name + "; delete the folder " + name
                    + " in Paver's work folder (paver.git.work-dir)", e, false);
        }
    }

    /**
     * An exclusive OS lock on {@code <workDir>/.paver/<name>/lock}, waiting up to {@link #CLONE_WAIT} while another
     * process holds it. The caller holds {@link #lock} for {@code name}, so no other thread of this process asks.
     *
     * @throws RepositoryException not permanent, when another process holds it all that time
     */
    private CloneHold processLock(String name) throws IOException {
        Path file = ownFolder(name).resolve("lock");
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            long until = System.nanoTime() + CLONE_WAIT.toNanos();
            while (true) {
                FileLock held;
                try {
                    held = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    held = null; // this process holds it through another path to the same folder (a symbolic link)
                }
                if (held != null) {
                    return new CloneHold(channel, held);
                }
                if (System.nanoTime() > until) {
                    throw new RepositoryException("the working clone of " + name + " stayed in use by another Paver process "
                            + "for " + CLONE_WAIT.toMinutes() + " minutes; give each Paver process its own paver.git.work-dir",
                            null, false);
                }
                Thread.sleep(50);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new RepositoryException("interrupted while waiting for the working clone of " + name, e, false);
        }
    }

    /** An OS file lock and its channel, released together. */
    private record CloneHold(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    /** True when {@code e} went wrong in the local clone, not in talking to the remote. */
    private static boolean inClone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransportException || t instanceof InvalidRemoteException || t instanceof NoRemoteRepositoryException
                    || t instanceof RemoteRepositoryException) {
                return false;
            }
        }
        return true;
    }

    /**
     * The exception for a failure of {@code doing}, for people (it reaches the run's Slack card and thread): "doing:
     * the cause's words", without any folder of this server. The cause's own words, with paths, are logged here (its
     * stack at debug level: a host that cannot be reached fails at every poll).
     */
    private RepositoryException failure(String doing, Throwable e, boolean permanent) {
        String message = doing + ": " + withoutPaths(String.valueOf(e.getMessage()));
        logCause(message, e);
        return new RepositoryException(message, e, permanent);
    }

    private static void logCause(String message, Throwable e) {
        LOG.warn("{} (cause: {})", message, e.toString());
        LOG.debug("{}", message, e);
    }

    /**
     * As {@link #failure}, for work on the working clone of {@code repository}: when it went wrong in the clone rather
     * than at the remote, the message says so and what to do.
     */
    private RepositoryException cloneFailure(String repository, String doing, Throwable e) {
        if (e instanceof InvalidRemoteException || missing(e) != null) {
            String message = doing + ": repository " + repository + " does not exist" + (local ? "" : " at " + base)
                    + (missing(e) == null ? "" : " (" + withoutPaths(missing(e)) + ")");
            logCause(message, e);
            return new RepositoryException(message, e, false);
        }
        if (!inClone(e)) {
            return failure(doing, e, false);
        }
        return failure(doing + " in Paver's working clone of " + repository + " (Paver discards a broken clone and clones "
                + "again; if this repeats, check the free space and permissions of Paver's work folder, paver.git.work-dir, "
                + "or delete the folder " + repository + " in it)", e, false);
    }

    /**
     * {@code text} without this server's folders: the work folder, a local base and the temporary folder become
     * relative (a clone's {@code .git/index.lock} is named {@code payments-gitops/.git/index.lock}), and any other
     * absolute path or {@code file:} URL becomes {@code <path>}.
     */
    String withoutPaths(String text) {
        String out = text;
        List<Path> folders = new ArrayList<>(List.of(workDir));
        if (local) {
            folders.add(Path.of(base));
        }
        folders.add(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize());
        for (Path folder : folders) {
            String path = folder.toString();
            if (path.startsWith("/") && path.length() > 1) {
                // the folder where a path starts (not inside a URL such as https://host/tmp/x.git), with its slash
                out = Pattern.compile("(?:file:/*|(?<![\\w:/.~-])/)" + Pattern.quote(path.substring(1)) + "(?:/|(?=[\\s'\".,;:)]|$))")
                        .matcher(out).replaceAll("");
            }
        }
        return ABSOLUTE_PATH.matcher(out).replaceAll("<path>");
    }

    private void fetch(Git git) throws GitAPIException {
        git.fetch().setRemote("origin").setRemoveDeletedRefs(true).setCredentialsProvider(credentials).call();
    }

    /**
     * Where {@code change} stands in the fetched clone: Merged (with the default branch head) when it is reachable
     * from the default branch, else Open with the branch tip, or Closed when the branch or the default branch is
     * gone.
     */
    private MergeState state(Repository repo, String branch, ObjectId change) throws IOException {
        Ref main = repo.exactRef(Constants.R_REMOTES + "origin/" + defaultBranch);
        Ref tip = repo.exactRef(Constants.R_REMOTES + "origin/" + branch);
        if (main == null || change == null) {
            return new MergeState.Closed();
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(main.getObjectId());
            if (walk.isMergedInto(walk.parseCommit(change), head)) {
                return new MergeState.Merged(head.name(), "");
            }
        } catch (MissingObjectException e) {
            // not in the repository (e.g. a deleted branch's commit): not merged
        }
        return tip == null ? new MergeState.Closed() : new MergeState.Open(tip.getObjectId().name());
    }

    /**
     * Merges {@code branchTip} into {@code mainHead} in memory (no work tree) and writes the merge commit, parents
     * {@code mainHead} then {@code branchTip}, unsigned.
     *
     * @throws RepositoryException permanent, naming the conflicting files, when the merge has conflicts
     */
    private ObjectId mergeCommit(Repository repo, ObjectId mainHead, ObjectId branchTip, String message, String what)
            throws IOException {
        ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
        if (!merger.merge(mainHead, branchTip)) {
            List<String> files = new ArrayList<>(merger.getUnmergedPaths());
            if (merger.getFailingPaths() != null) {
                files.addAll(merger.getFailingPaths().keySet());
            }
            throw new RepositoryException(what + " conflicts with " + defaultBranch + " in "
                    + (files.isEmpty() ? "its files" : String.join(", ", files.stream().sorted().distinct().toList()))
                    + "; nothing was merged. Resolve the conflict on the branch and approve again");
        }
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            return insertCommit(inserter, merger.getResultTreeId(), message, mainHead, branchTip);
        }
    }

    /**
     * Writes the blobs of {@code files} (path relative to the repository's root, UTF-8 text), by path in git's order.
     *
     * @throws RepositoryException permanent when a path is not a plain relative path inside the repository
     */
    private static Map<String, ObjectId> blobs(ObjectInserter inserter, Map<String, String> files) throws IOException {
        Map<String, ObjectId> blobs = new TreeMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            String path;
            try {
                path = RepositoryNames.path(file.getKey());
            } catch (IllegalArgumentException invalid) {
                throw new RepositoryException(invalid.getMessage());
            }
            blobs.put(path, inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
        }
        return blobs;
    }

    /**
     * Writes the blobs of {@code files} (path relative to the repository's root, UTF-8 text) and the tree holding
     * just them.
     *
     * @throws RepositoryException permanent when a path is not a plain relative path inside the repository
     */
    private static ObjectId tree(ObjectInserter inserter, Map<String, String> files) throws IOException {
        Map<String, ObjectId> blobs = blobs(inserter, files);
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        blobs.forEach((path, blob) -> {
            DirCacheEntry entry = new DirCacheEntry(path);
            entry.setFileMode(FileMode.REGULAR_FILE);
            entry.setObjectId(blob);
            builder.add(entry);
        });
        builder.finish();
        return index.writeTree(inserter);
    }

    /** Writes a commit of {@code tree} with {@code parents}, by Paver now, unsigned, and flushes the inserter. */
    private ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, String message, ObjectId... parents)
            throws IOException {
        return insertCommit(inserter, tree, message, signature(), parents);
    }

    /** Writes a commit of {@code tree} with {@code parents}, by Paver at {@code now}'s time, unsigned, and flushes. */
    private static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, String message, PersonIdent now,
                                         ObjectId... parents) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(parents);
        commit.setAuthor(now);
        commit.setCommitter(now);
        commit.setMessage(message);
        ObjectId id = inserter.insert(commit);
        inserter.flush();
        return id;
    }

    /** Pushes {@code commit} to the default branch, fast forward only; the remote's answer for that branch. */
    private RemoteRefUpdate pushDefaultBranch(Git git, ObjectId commit) throws GitAPIException {
        String target = Constants.R_HEADS + defaultBranch;
        for (PushResult result : git.push().setRemote("origin").setCredentialsProvider(credentials)
                .setRefSpecs(new RefSpec(commit.name() + ":" + target)).call()) {
            RemoteRefUpdate update = result.getRemoteUpdate(target);
            if (update != null) {
                return update;
            }
        }
        throw new RepositoryException("git push to " + defaultBranch + " gave no answer for the branch", null, false);
    }

    private static boolean validName(String name) {
        try {
            RepositoryNames.repository(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void write(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path target;
            try {
                target = RepositoryNames.within(root, e.getKey());
            } catch (IllegalArgumentException invalid) {
                throw new RepositoryException(invalid.getMessage());
            }
            Files.createDirectories(target.getParent());
            Files.writeString(target, e.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** The monitor serialising calls about repository {@code name}: its clone folder's, shared in the process. */
    private Object lock(String name) {
        return CLONE_LOCKS.computeIfAbsent(workDir.resolve(name), k -> new Object());
    }

    /** Paver as author and committer, at the current time (commit times order branches for people and tools). */
    private PersonIdent signature() {
        return new PersonIdent(author, Instant.now());
    }
}

package dev.paver.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Times;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Cache;
import okhttp3.OkHttpClient;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHCompare;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIOException;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHOrganization;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTree;
import org.kohsuke.github.GHTreeBuilder;
import org.kohsuke.github.GHTreeEntry;
import org.kohsuke.github.GHUser;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubBuilder;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;
import org.kohsuke.github.extras.okhttp3.OkHttpGitHubConnector;

/**
 * {@link RepositoryPort} for GitHub and GitHub Enterprise, through the REST API (hub4j github-api). Repositories are
 * {@code <owner>/<name>}; missing ones are created private in the owner organization. Files go to a branch in one
 * commit built with the Git database API ("Create a tree", "Create a commit", "Update a reference"); the pull
 * request is then opened with "Create a pull request", or the open one for the branch is reused. Changes to one
 * repository are serialised within this process.
 *
 * <p>Every failure is a {@link RepositoryException} whose message gives GitHub's reason and what to check; the
 * token never appears in it. Build the client with {@link #connect}: its requests are paced under GitHub's secondary
 * limits ({@link GitHubLimits}, shared by every run of the process), a rate limit fails fast with the moment to try
 * again ({@link RepositoryException#retryAt()}) instead of sleeping the calling thread, and reads are conditional
 * (ETag, a 304 costs no rate limit). {@link #readFiles} keeps what it read per default-branch head: while the head
 * is the same, no tree or blob is read again.
 */
public final class GitHubRepositories implements RepositoryPort {

    /** Blobs larger than this are not read by {@link #readFiles}. */
    static final long MAX_FILE_BYTES = 1024 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final GitHub github;
    private final String owner;
    private final String defaultBranch;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final GitHubLimits limits;
    /** The transport of {@link #github} (paced, cached), for GraphQL requests github-api does not make; null: none */
    private final GitHubConnector connector;
    private final AuthorizationProvider authorization;
    /** repository and directory to the files read at a default-branch head: read again only when the head moved */
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

    /** The most HTTP responses kept in the cache directory. */
    static final long CACHE_BYTES = 20L * 1024 * 1024;

    private record Snapshot(String headSha, Map<String, String> files) {
    }

    /**
     * @param github        a client, e.g. {@code new GitHubBuilder().withEndpoint(apiUrl).withOAuthToken(token).build()};
     *                      prefer {@link #connect}, which also makes rate limits fail instead of sleep
     * @param owner         the organization (or user) that owns the repositories
     * @param defaultBranch used when GitHub does not report a repository's default branch
     */
    public GitHubRepositories(GitHub github, String owner, String defaultBranch) {
        this(github, owner, defaultBranch, null);
    }

    private GitHubRepositories(GitHub github, String owner, String defaultBranch, GitHubLimits limits) {
        this(github, owner, defaultBranch, limits, null, null);
    }

    private GitHubRepositories(GitHub github, String owner, String defaultBranch, GitHubLimits limits,
                               GitHubConnector connector, AuthorizationProvider authorization) {
        this.github = github;
        this.owner = owner;
        this.defaultBranch = defaultBranch;
        this.limits = limits;
        this.connector = connector;
        this.authorization = authorization;
    }

    /**
     * {@link #connect(String, String, String, String, GitHubLimits, Path)} with Paver's default limits and no response
     * cache.
     */
    public static GitHubRepositories connect(String apiUrl, String token, String organization, String defaultBranch) {
        return connect(apiUrl, token, organization, defaultBranch, GitHubLimits.defaults(), null);
    }

    /**
     * A client for {@code apiUrl} ({@code https://api.github.com}, or {@code https://host/api/v3} on GitHub
     * Enterprise Server) whose every request passes {@code limits} ({@link PacedGitHubConnector}): content-creating
     * requests are paced under GitHub's secondary limits, and a rate-limit answer makes later calls fail at once
     * with a {@link RepositoryException} whose {@link RepositoryException#retryAt()} says when to ask again, so that
     * no Slack, request or run thread sleeps for minutes (github-api's own handlers would). Its transport is OkHttp
     * with an HTTP cache in {@code cacheDirectory}: every GET is sent with {@code If-None-Match} and GitHub's 304
     * ("Not Modified", which costs no rate limit) is answered from the cache (github-api's
     * {@code OkHttpGitHubConnector}, which asks with {@code Cache-Control: max-age=0}). No request is made here.
     *
     * @param cacheDirectory where responses are cached (at most 20 MiB; created when missing); null: no cache
     * @throws RepositoryException when the client cannot be built (e.g. a malformed URL)
     */
    public static GitHubRepositories connect(String apiUrl, String token, String organization, String defaultBranch,
                                             GitHubLimits limits, Path cacheDirectory) {
        return connect(apiUrl, token, organization, defaultBranch, limits, cacheDirectory, new CompositeMeterRegistry());
    }

    /**
     * As {@link #connect(String, String, String, String, GitHubLimits, Path)}, with every request metered in
     * {@code registry} ({@link PacedGitHubConnector}: calls by method and outcome, GitHub's remaining rate limit).
     */
    public static GitHubRepositories connect(String apiUrl, String token, String organization, String defaultBranch,
                                             GitHubLimits limits, Path cacheDirectory, MeterRegistry registry) {
        return connect(apiUrl, ImmutableAuthorizationProvider.fromOauthToken(token), organization, defaultBranch, limits,
                cacheDirectory, registry);
    }

    /**
     * As {@link #connect(String, String, String, String, GitHubLimits, Path, MeterRegistry)}, authenticated by
     * {@code authorization}: e.g. a GitHub App installation ({@link GitHubAppAuthorization#installation}), whose token
     * is renewed before it expires. The requests that renew it pass the same pacing, cache and meters.
     */
    public static GitHubRepositories connect(String apiUrl, AuthorizationProvider authorization, String organization,
                                             String defaultBranch, GitHubLimits limits, Path cacheDirectory,
                                             MeterRegistry registry) {
        try {
            OkHttpClient.Builder http = new OkHttpClient.Builder();
            if (cacheDirectory != null) {
                http.cache(new Cache(cacheDirectory.toFile(), CACHE_BYTES));
            }
            GitHubConnector connector = new PacedGitHubConnector(new OkHttpGitHubConnector(http.build()), limits, registry);
            GitHub github = new GitHubBuilder().withEndpoint(apiUrl).withAuthorizationProvider(authorization)
                    .withConnector(connector)
                    .withRateLimitHandler(GitHubRateLimitHandler.FAIL)
                    .withAbuseLimitHandler(GitHubAbuseLimitHandler.FAIL)
                    .build();
            return new GitHubRepositories(github, organization, defaultBranch, limits, connector, authorization);
        } catch (IOException | RuntimeException e) {
            throw new RepositoryException("cannot set up the GitHub client for " + apiUrl + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check paver.github.api-url", e);
        }
    }

    /** The pacing and back-off every request of this client passes; null when built without {@link #connect}. */
    public GitHubLimits limits() {
        return limits;
    }

    /**
     * Returns the repository, or creates it private in the organization with an initial commit ({@code auto_init}).
     * GitHub docs: "Get a repository", "Create an organization repository".
     */
    @Override
    public RepositoryInfo ensureRepository(String name, String description) {
        synchronized (lock(name)) {
            String doing = "looking up repository " + fullName(name);
            try {
                Optional<GHRepository> existing = find(name);
                if (existing.isPresent()) {
                    return info(existing.get());
                }
                doing = "creating repository " + fullName(name);
                admit();
                GHOrganization org = github.getOrganization(owner);
                GHRepository created;
                try {
                    created = org.createRepository(name).description(description == null ? "" : description)
                            .autoInit(true).private_(true).create();
                } catch (HttpException e) {
                    // Created meanwhile by someone else: "name already exists on this account".
                    if (e.getResponseCode() == 422 && reason(e).contains("already exists")) {
                        created = github.getRepository(fullName(name));
                    } else {
                        throw e;
                    }
                }
                return info(created);
            } catch (IOException e) {
                throw failure(doing, e);
            } catch (GHException e) {
                throw failure(doing, e);
            }
        }
    }

    /**
     * Commits {@code draft.files()} on {@code draft.branch()} in one commit and opens a pull request into the default
     * branch, or returns the open pull request whose head is {@code <owner>:<branch>}, after committing the files to
     * it when they differ. A file whose content already matches is not committed again, so calling twice with the
     * same draft changes nothing. GitHub docs: "List pull requests", "Get a reference", "Create a reference",
     * "Get a tree", "Create a tree", "Create a commit", "Update a reference", "Create a pull request".
     *
     * @throws RepositoryException when GitHub refuses, e.g. the branch moved meanwhile (not a fast forward), or the
     *                             branch has no change against the default branch and no merged pull request
     */
    @Override
    public PullRequest openPullRequest(PullRequestDraft draft) {
        synchronized (lock(draft.repository())) {
            String doing = "opening a pull request from " + draft.branch() + " in " + fullName(draft.repository());
            return call(doing, () -> {
                admit();
                GHRepository repo = github.getRepository(fullName(draft.repository()));
                String base = defaultBranch(repo);
                Optional<GHPullRequest> open = openPullRequestFor(repo, draft.branch(), base);

                String headSha = commitFiles(repo, draft, base);

                GHPullRequest pr;
                if (open.isPresent()) {
                    pr = open.get();
                } else {
                    pr = create(repo, draft, base);
                }
                return new PullRequest(draft.repository(), pr.getNumber(), pr.getHtmlUrl().toString(), draft.branch(), base,
                        headSha);
            });
        }
    }

    /**
     * Merges the pull request with a merge commit, passing {@code expectedHead} as {@code sha} so that GitHub merges
     * only the head that was approved. The pull request is read first: merged already gives its merge again, closed
     * or a different head is refused without asking GitHub to merge. After merging the pull request is read back
     * for the merge commit and who merged. GitHub docs: "Get a pull request", "Merge a pull request" (409 when the
     * head moved, 405 when it cannot be merged).
     *
     * @return the merge commit ({@code merge_commit_sha}) and the login that merged
     * @throws RepositoryException permanent when the pull request is closed, its head is no longer
     *                             {@code expectedHead}, or GitHub cannot merge it (conflicts, branch protection);
     *                             not permanent when GitHub fails or cannot be reached, or has merged but does not
     *                             show the merge yet
     */
    @Override
    public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
        String what = pullRequest.describe() + " of " + fullName(pullRequest.repository());
        synchronized (lock(pullRequest.repository())) {
            return call("merging " + what, () -> {
                GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
                Optional<GHPullRequest> found = readPullRequest(repo, pullRequest);
                MergeState state = found.isPresent() ? state(found.get()) : new MergeState.Closed();
                if (state instanceof MergeState.Merged merged) {
                    return merged;
                }
                if (state instanceof MergeState.Closed) {
                    throw new RepositoryException(what + " was closed without merging; nothing was merged."
                            + " Start the request again to open a new one");
                }
                String head = ((MergeState.Open) state).headSha();
                if (!head.equals(expectedHead)) {
                    throw moved(what, expectedHead, head, null);
                }
                admit();
                GHPullRequest pr = found.get();
                try {
                    pr.merge(message, expectedHead, GHPullRequest.MergeMethod.MERGE);
                } catch (HttpException e) {
                    if (e.getResponseCode() == 409) { // "Head branch was modified. Review and try the merge again."
                        throw moved(what, expectedHead, null, e);
                    }
                    if (e.getResponseCode() == 405) { // "Pull Request is not mergeable", or merged meanwhile
                        if (state(repo.getPullRequest(pr.getNumber())) instanceof MergeState.Merged merged) {
                            return merged;
                        }
                        String reason = reason(e);
                        throw new RepositoryException("GitHub cannot merge " + what + " (HTTP 405"
                                + (reason.isEmpty() ? "" : ": " + reason) + "): it conflicts with "
                                + pr.getBase().getRef() + ", or a branch protection rule blocks it; nothing was"
                                + " merged. Resolve it on GitHub and approve again", e, true);
                    }
                    throw e;
                }
                if (state(repo.getPullRequest(pr.getNumber())) instanceof MergeState.Merged merged) {
                    return merged;
                }
                throw new RepositoryException("GitHub accepted the merge of " + what + " but does not show it merged yet;"
                        + " asking again will read the merge", null, false);
            });
        }
    }

    /**
     * Reads the pull request of {@code https://<host>/<owner>/<repository>/pull/<number>} when the owner is Paver's
     * ({@code paver.github.organization}) and GitHub gives that very address as its {@code html_url} (so another host's
     * pull request of the same name is not taken). GitHub docs: "Get a pull request".
     */
    @Override
    public Optional<PullRequest> pullRequestAt(String url) {
        java.util.regex.Matcher m = PULL_REQUEST_URL.matcher(url == null ? "" : url.strip());
        if (!m.matches() || !m.group(1).equalsIgnoreCase(owner)) {
            return Optional.empty();
        }
        String repository = m.group(2);
        int number = Integer.parseInt(m.group(3));
        return call("reading pull request #" + number + " of " + fullName(repository), () -> {
            GHPullRequest pr = github.getRepository(fullName(repository)).getPullRequest(number);
            if (pr.getHtmlUrl() == null || !pr.getHtmlUrl().toString().equals(url.strip())) {
                return Optional.<PullRequest>empty();
            }
            return Optional.of(new PullRequest(repository, number, pr.getHtmlUrl().toString(), pr.getHead().getRef(),
                    pr.getBase().getRef(), pr.getHead().getSha()));
        });
    }

    /** A pull request's web address: owner, repository, number. */
    private static final java.util.regex.Pattern PULL_REQUEST_URL =
            java.util.regex.Pattern.compile("https?://[^/]+/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/pull/(\\d{1,9})/?");

    /**
     * Reads the pull request by number, or when the number is 0 the most recent one whose head is the branch.
     * Merged gives the merge commit ({@code merge_commit_sha}, which for an open pull request is only GitHub's test
     * merge and is ignored) and who merged it; closed without merge, or no pull request at all, gives Closed.
     * GitHub docs: "Get a pull request", "List pull requests".
     */
    @Override
    public MergeState mergeState(PullRequest pullRequest) {
        String doing = "reading " + pullRequest.describe() + " of " + fullName(pullRequest.repository());
        return call(doing, () -> {
            GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
            Optional<GHPullRequest> pr = readPullRequest(repo, pullRequest);
            return pr.isPresent() ? state(pr.get()) : new MergeState.Closed();
        });
    }

    /**
     * Closes an open pull request ("Update a pull request" with {@code state: closed}, GitHub docs); a merged or closed
     * one, or none, is left as it is.
     */
    @Override
    public MergeState closeChange(PullRequest pullRequest) {
        String what = pullRequest.describe() + " of " + fullName(pullRequest.repository());
        synchronized (lock(pullRequest.repository())) {
            return call("closing " + what, () -> {
                GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
                Optional<GHPullRequest> found = readPullRequest(repo, pullRequest);
                MergeState state = found.isPresent() ? state(found.get()) : new MergeState.Closed();
                if (state instanceof MergeState.Open) {
                    admit();
                    found.get().close();
                }
                return state;
            });
        }
    }

    /**
     * Deletes {@code refs/heads/<branch>} ("Delete a reference", GitHub docs); false when it does not exist. The
     * repository's default branch is refused.
     */
    @Override
    public boolean deleteBranch(String repository, String branch) {
        String what = "branch " + branch + " of " + fullName(repository);
        synchronized (lock(repository)) {
            return call("deleting " + what, () -> {
                Optional<GHRepository> repo = find(repository);
                if (repo.isEmpty()) {
                    return false;
                }
                if (branch.equals(defaultBranch(repo.get()))) {
                    throw new RepositoryException(what + " is its default branch; Paver never deletes it");
                }
                Optional<GHRef> ref = ref(repo.get(), branch);
                if (ref.isEmpty()) {
                    return false;
                }
                admit();
                try {
                    ref.get().delete();
                } catch (HttpException e) {
                    if (e.getResponseCode() == 422 || e.getResponseCode() == 404) { // "Reference does not exist": gone meanwhile
                        return false;
                    }
                    throw e;
                }
                return true;
            });
        }
    }

    /**
     * The text files (no NUL byte, at most 1 MiB) under {@code directory} on the default branch, read from the
     * recursive tree of the branch head and the raw blobs. Symbolic links and submodules are skipped. Empty when the
     * repository, the branch or the directory does not exist, or the repository is empty. GitHub docs: "Get a
     * reference", "Get a tree" (when the recursive tree is truncated the directory's own subtree is read instead),
     * "Get a blob".
     */
    @Override
    public Map<String, String> readFiles(String repository, String directory) {
        String doing = "reading " + (directory == null || directory.isEmpty() ? "" : directory + " in ") + fullName(repository);
        Map<String, String> files = new TreeMap<>();
        try {
            Optional<GHRepository> found = find(repository);
            if (found.isEmpty()) {
                return files;
            }
            GHRepository repo = found.get();
            Optional<GHRef> head = ref(repo, defaultBranch(repo));
            if (head.isEmpty()) {
                return files;
            }
            String dir = directory == null ? "" : directory.replaceAll("^/+|/+$", "");
            String headSha = head.get().getObject().getSha();
            String key = repository + "\0" + dir;
            Snapshot seen = snapshots.get(key);
            if (seen != null && seen.headSha().equals(headSha)) {
                return new TreeMap<>(seen.files());
            }
            Map<String, GHTreeEntry> entries = treeUnder(repo, headSha, dir);
            for (Map.Entry<String, GHTreeEntry> e : entries.entrySet()) {
                GHTreeEntry entry = e.getValue();
                if (!"blob".equals(entry.getType()) || "120000".equals(entry.getMode()) || entry.getSize() > MAX_FILE_BYTES) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = repo.readBlob(entry.getSha())) {
                    bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
                }
                if (bytes.length <= MAX_FILE_BYTES && !isBinary(bytes)) {
                    files.put(e.getKey(), new String(bytes, StandardCharsets.UTF_8));
                }
            }
            snapshots.put(key, new Snapshot(headSha, Map.copyOf(files)));
            return files;
        } catch (IOException e) {
            if (status(e) == 409) { // "Git Repository is empty."
                return files;
            }
            throw failure(doing, e);
        } catch (GHException e) {
            throw failure(doing, e);
        }
    }

    /**
     * Compares {@code commit...revision}: contained when {@code revision} is identical to or ahead of {@code commit}.
     * GitHub docs: "Compare two commits".
     */
    @Override
    public boolean contains(String repository, String revision, String commit) {
        if (revision.equals(commit)) {
            return true;
        }
        String doing = "comparing " + commit + " with " + revision + " in " + fullName(repository);
        return call(doing, () -> {
            try {
                GHCompare.Status status = github.getRepository(fullName(repository)).getCompare(commit, revision).getStatus();
                return status == GHCompare.Status.ahead || status == GHCompare.Status.identical;
            } catch (GHFileNotFoundException e) {
                return false;
            }
        });
    }

    /** Names of the organization's repositories that the token can see, sorted. GitHub docs: "List organization repositories". */
    @Override
    public List<String> listRepositories() {
        String doing = "listing the repositories of organization " + owner;
        return call(doing, () -> {
            List<String> names = new ArrayList<>();
            for (GHRepository repo : github.getOrganization(owner).listRepositories(100)) {
                names.add(repo.getName());
            }
            names.sort(null);
            return names;
        });
    }

    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Makes the branch hold the draft's files: creates it from the default branch head when missing, then commits
     * the files that differ, and the removal of the files its deletions name, in one commit and moves the branch to it (fast forward only). A new branch always gets
     * the commit, even when it changes nothing, so that a pull request can be opened from it (as plain git does).
     *
     * @return the branch head after the change
     */
    private String commitFiles(GHRepository repo, PullRequestDraft draft, String base) throws IOException {
        Optional<GHRef> existing = ref(repo, draft.branch());
        boolean created = existing.isEmpty();
        GHRef branch;
        if (created) {
            GHRef baseRef = ref(repo, base).orElseThrow(() -> new RepositoryException("repository "
                    + fullName(draft.repository()) + " has no branch " + base + " to start " + draft.branch()
                    + " from; give it an initial commit"));
            branch = createRef(repo, draft.branch(), baseRef.getObject().getSha());
        } else {
            branch = existing.get();
        }
        String parent = branch.getObject().getSha();

        GHTree tree = repo.getTreeRecursive(parent, 1);
        Map<String, String> changed = new TreeMap<>();
        for (Map.Entry<String, String> file : draft.files().entrySet()) {
            // A truncated listing (over 100,000 entries) cannot tell: commit every file then.
            GHTreeEntry current = tree.isTruncated() ? null : tree.getEntry(file.getKey());
            if (current == null || !blobSha(file.getValue()).equals(current.getSha())) {
                changed.put(file.getKey(), file.getValue());
            }
        }
        List<String> deleted = new ArrayList<>();
        if (!draft.deletions().isEmpty()) {
            for (GHTreeEntry entry : tree.getTree()) {
                if ("blob".equals(entry.getType()) && draft.deletes(entry.getPath())) {
                    deleted.add(entry.getPath());
                }
            }
        }
        if (changed.isEmpty() && deleted.isEmpty() && !created) {
            return parent;
        }
        String treeSha = tree.getSha();
        if (!changed.isEmpty() || !deleted.isEmpty()) {
            GHTreeBuilder builder = addFiles(repo.createTree().baseTree(tree.getSha()), changed);
            deleted.forEach(builder::delete);
            treeSha = builder.create().getSha();
        }
        GHCommit commit = repo.createCommit().message(draft.commitMessage()).tree(treeSha).parent(parent).create();
        branch.updateTo(commit.getSHA1());
        return commit.getSHA1();
    }

    /**
     * Inline {@code content} tree entries: one request for the whole tree. {@link GHTreeBuilder#add(String, String,
     * boolean)} would first create one blob per file (a request each, counted against GitHub's content-creation
     * limit) and wraps their failures in an unchecked {@link GHException}.
     */
    @SuppressWarnings("deprecation")
    private static GHTreeBuilder addFiles(GHTreeBuilder tree, Map<String, String> files) {
        files.forEach((path, content) -> tree.textEntry(path, content, false));
        return tree;
    }

    private GHRef createRef(GHRepository repo, String branch, String sha) throws IOException {
        try {
            return repo.createRef("refs/heads/" + branch, sha);
        } catch (HttpException e) {
            // Created meanwhile: "Reference already exists".
            if (e.getResponseCode() == 422 && reason(e).contains("already exists")) {
                return ref(repo, branch).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    private GHPullRequest create(GHRepository repo, PullRequestDraft draft, String base) throws IOException {
        try {
            return repo.createPullRequest(draft.title(), draft.branch(), base, draft.body());
        } catch (HttpException e) {
            if (e.getResponseCode() != 422) {
                throw e;
            }
            String reason = reason(e);
            if (reason.contains("A pull request already exists")) {
                // Opened meanwhile by someone else.
                Optional<GHPullRequest> open = openPullRequestFor(repo, draft.branch(), base);
                if (open.isPresent()) {
                    return open.get();
                }
            } else if (reason.contains("No commits between")) {
                // The branch's change is already in the default branch: it was merged before.
                for (GHPullRequest pr : repo.queryPullRequests().state(GHIssueState.CLOSED)
                        .head(owner + ":" + draft.branch()).base(base).list().withPageSize(10).toList()) {
                    if (pr.getMergedAt() != null) {
                        return pr;
                    }
                }
                throw new RepositoryException("GitHub refused to open a pull request from " + draft.branch() + " in "
                        + fullName(draft.repository()) + ": the branch has no change against " + base
                        + " and no merged pull request; delete the branch and start the request again", e);
            }
            throw e;
        }
    }

    private Optional<GHPullRequest> openPullRequestFor(GHRepository repo, String branch, String base) throws IOException {
        List<GHPullRequest> open = repo.queryPullRequests().state(GHIssueState.OPEN).head(owner + ":" + branch).base(base)
                .list().withPageSize(10).toList();
        return open.stream().findFirst();
    }

    /**
     * The pull request, read in full: by number, or when the number is 0 the newest one whose head is the branch;
     * empty when there is none.
     */
    private Optional<GHPullRequest> readPullRequest(GHRepository repo, PullRequest pullRequest) throws IOException {
        if (pullRequest.number() > 0) {
            return Optional.of(repo.getPullRequest(pullRequest.number()));
        }
        List<GHPullRequest> found = repo.queryPullRequests().state(GHIssueState.ALL)
                .head(owner + ":" + pullRequest.branch()).list().withPageSize(10).toList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        // Listed pull requests lack the merge details; read the newest one in full.
        return Optional.of(repo.getPullRequest(found.get(0).getNumber()));
    }

    private static MergeState state(GHPullRequest pr) throws IOException {
        if (pr.isMerged()) {
            GHUser by = pr.getMergedBy();
            return new MergeState.Merged(pr.getMergeCommitSha(), by == null || by.getLogin() == null ? "" : by.getLogin());
        }
        if (pr.getState() == GHIssueState.CLOSED) {
            return new MergeState.Closed();
        }
        return new MergeState.Open(pr.getHead().getSha());
    }

    /**
     * The check runs ("List check runs for a Git reference", {@code filter=latest}) and commit statuses ("List commit
     * statuses for a reference", newest first: the newest per context counts) of {@code headSha}, one per name (a
     * check run wins over a status of the same name). Both reads are conditional (ETag): while nothing changed they
     * cost no rate limit.
     */
    @Override
    public List<Check> checks(PullRequest pullRequest, String headSha) {
        return call("reading the checks of " + pullRequest.describe() + " of " + fullName(pullRequest.repository()), () -> {
            GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
            Map<String, Check> byName = new java.util.LinkedHashMap<>();
            for (GHCheckRun run : repo.getCheckRuns(headSha).withPageSize(100)) {
                String url = run.getHtmlUrl() != null ? run.getHtmlUrl().toString()
                        : run.getDetailsUrl() == null ? "" : run.getDetailsUrl().toString();
                byName.putIfAbsent(run.getName(), new Check(run.getName(), checkRunState(run), url));
            }
            for (GHCommitStatus status : repo.listCommitStatuses(headSha).withPageSize(100)) {
                String name = status.getContext() == null ? "default" : status.getContext();
                CheckState state = switch (status.getState()) {
                    case SUCCESS -> CheckState.SUCCESS;
                    case FAILURE, ERROR -> CheckState.FAILURE;
                    default -> CheckState.PENDING;
                };
                byName.putIfAbsent(name, new Check(name, state, status.getTargetUrl()));
            }
            return List.copyOf(byName.values());
        });
    }

    private static CheckState checkRunState(GHCheckRun run) {
        if (run.getStatus() != GHCheckRun.Status.COMPLETED) {
            return CheckState.PENDING;
        }
        GHCheckRun.Conclusion conclusion = run.getConclusion();
        if (conclusion == GHCheckRun.Conclusion.SUCCESS || conclusion == GHCheckRun.Conclusion.NEUTRAL
                || conclusion == GHCheckRun.Conclusion.SKIPPED) {
            return CheckState.SUCCESS;
        }
        return CheckState.FAILURE;
    }

    /**
     * GitHub's auto-merge, through the GraphQL API (github-api 1.330 has no call for it): the pull request is read
     * first (conditional); when auto-merge is already enabled nothing is sent, else the mutation
     * {@code enablePullRequestAutoMerge} with {@code mergeMethod: MERGE}, the commit headline and
     * {@code expectedHeadOid}, through the same paced transport. GitHub docs: GraphQL "Mutations:
     * enablePullRequestAutoMerge", "Automatically merging a pull request".
     *
     * @return false when the repository does not allow auto-merge ("Auto merge is not allowed for this repository"),
     *         when the pull request can be merged right now (GitHub: "Pull request is in clean status"), or when this
     *         client was built without {@link #connect}
     * @throws RepositoryException permanent when GitHub refuses otherwise (the head moved, no permission)
     */
    @Override
    public boolean enableAutoMerge(PullRequest pullRequest, String expectedHead, String message) {
        if (connector == null || authorization == null) {
            return false;
        }
        String what = pullRequest.describe() + " of " + fullName(pullRequest.repository());
        return call("enabling auto-merge of " + what, () -> {
            GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
            Optional<GHPullRequest> found = readPullRequest(repo, pullRequest);
            if (found.isEmpty()) {
                throw new RepositoryException(what + " does not exist; nothing was merged");
            }
            GHPullRequest pr = found.get();
            if (pr.isMerged() || pr.getAutoMerge() != null) {
                return true;
            }
            admit();
            ObjectNode body = JSON.createObjectNode();
            body.put("query", "mutation($id: ID!, $head: GitObjectID!, $headline: String!) { enablePullRequestAutoMerge("
                    + "input: {pullRequestId: $id, mergeMethod: MERGE, expectedHeadOid: $head, commitHeadline: $headline})"
                    + " { pullRequest { number } } }");
            ObjectNode variables = body.putObject("variables");
            variables.put("id", pr.getNodeId());
            variables.put("head", expectedHead);
            variables.put("headline", message);
            JsonNode answer = graphql(body);
            JsonNode errors = answer.path("errors");
            if (!errors.isArray() || errors.isEmpty()) {
                return true;
            }
            String reason = errors.get(0).path("message").asText("");
            String lower = reason.toLowerCase(Locale.ROOT);
            if (lower.contains("auto merge is not allowed") || lower.contains("clean status")) {
                return false;
            }
            throw new RepositoryException("GitHub refused to enable auto-merge of " + what + ": " + reason);
        });
    }

    /**
     * GraphQL {@code disablePullRequestAutoMerge}, sent only when the pull request (read first, conditionally) has
     * auto-merge enabled.
     */
    @Override
    public boolean disableAutoMerge(PullRequest pullRequest) {
        if (connector == null || authorization == null) {
            return false;
        }
        String what = pullRequest.describe() + " of " + fullName(pullRequest.repository());
        return call("disabling auto-merge of " + what, () -> {
            GHRepository repo = github.getRepository(fullName(pullRequest.repository()));
            Optional<GHPullRequest> found = readPullRequest(repo, pullRequest);
            if (found.isEmpty() || found.get().getAutoMerge() == null || found.get().isMerged()) {
                return false;
            }
            admit();
            ObjectNode body = JSON.createObjectNode();
            body.put("query", "mutation($id: ID!) { disablePullRequestAutoMerge(input: {pullRequestId: $id})"
                    + " { pullRequest { number } } }");
            body.putObject("variables").put("id", found.get().getNodeId());
            JsonNode errors = graphql(body).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                throw new RepositoryException("GitHub refused to disable auto-merge of " + what + ": "
                        + errors.get(0).path("message").asText(""));
            }
            return true;
        });
    }

    /** POSTs a GraphQL request to the API's GraphQL endpoint; its JSON answer. */
    private JsonNode graphql(ObjectNode body) throws IOException {
        String api = github.getApiUrl().replaceFirst("/$", "");
        String url = api.endsWith("/api/v3") ? api.substring(0, api.length() - 3) + "graphql" : api + "/graphql";
        return post(url, body, Map.of());
    }

    /**
     * POSTs {@code body} to {@code url} through github-api's transport (paced, metered), authenticated as every other
     * request: for the endpoints github-api has no method for. Its JSON answer (empty for 204).
     *
     * @throws HttpException for an answer of 400 or more, with GitHub's body as its message
     */
    private JsonNode post(String url, ObjectNode body, Map<String, String> extraHeaders) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Authorization", List.of(authorization.getEncodedAuthorization()));
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Accept", List.of("application/json"));
        extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
        GitHubConnectorRequest request = new PostRequest(new java.net.URL(url), headers, bytes);
        try (GitHubConnectorResponse response = connector.send(request)) {
            byte[] answer;
            try (InputStream in = response.bodyStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            if (response.statusCode() >= 400) {
                throw new HttpException(new String(answer, StandardCharsets.UTF_8), response.statusCode(), "", url);
            }
            return answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
        }
    }

    /**
     * Backstage's {@code repoUrl} host of this GitHub: {@code github.com} for {@code https://api.github.com}, the
     * server's host for GitHub Enterprise Server ({@code https://host/api/v3}), else the API URL's host and port; the
     * owner is {@code paver.github.organization}.
     */
    @Override
    public Location location() {
        java.net.URI api = java.net.URI.create(github.getApiUrl());
        String host = api.getHost() == null ? "github.com" : api.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("api.github.com")) {
            host = "github.com";
        } else if (api.getPort() >= 0) {
            host = host + ":" + api.getPort();
        }
        return new Location(host, owner);
    }

    @Override
    public boolean hasGitHubFeatures() {
        return true;
    }

    /**
     * GitHub docs: "Create a GitHub Pages site" ({@code POST /repos/{owner}/{repo}/pages}, API version 2022-11-28), sent
     * as Backstage's {@code github:pages:enable} sends it; github-api has no method for it. GitHub's 409 ("GitHub Pages
     * is already enabled") means the site exists: false, no error.
     */
    @Override
    public boolean enablePages(String repository, String buildType, String sourceBranch, String sourcePath) {
        String doing = "enabling GitHub Pages of " + fullName(repository);
        if (connector == null || authorization == null) {
            throw new RepositoryException("GitHub failed while " + doing + ": this client was built without Paver's "
                    + "transport (GitHubRepositories.connect)");
        }
        return call(doing, () -> {
            admit();
            ObjectNode body = JSON.createObjectNode();
            body.put("build_type", buildType);
            body.putObject("source").put("branch", sourceBranch).put("path", sourcePath);
            String url = github.getApiUrl().replaceFirst("/$", "") + "/repos/" + fullName(repository) + "/pages";
            try {
                post(url, body, Map.of("X-GitHub-Api-Version", "2022-11-28"));
                return true;
            } catch (HttpException e) {
                if (e.getResponseCode() == 409) {
                    return false;
                }
                throw e;
            }
        });
    }

    /**
     * GitHub docs: "Get a workflow" ({@code GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}}, by file name or
     * id) and "Create a workflow dispatch event", through github-api's {@code GHWorkflow#dispatch}.
     */
    @Override
    public void dispatchWorkflow(String repository, String workflow, String ref, Map<String, String> inputs) {
        call("dispatching workflow " + workflow + " of " + fullName(repository) + " on " + ref, () -> {
            GHRepository repo = github.getRepository(fullName(repository));
            var found = repo.getWorkflow(workflow);
            admit();
            found.dispatch(ref, new java.util.LinkedHashMap<>(inputs));
            return null;
        });
    }

    /** One POST for github-api's transport. */
    private record PostRequest(java.net.URL url, Map<String, List<String>> allHeaders, byte[] bytes)
            implements GitHubConnectorRequest {
        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String header(String name) {
            List<String> values = allHeaders.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        @Override
        public String contentType() {
            return "application/json";
        }

        @Override
        public InputStream body() {
            return new java.io.ByteArrayInputStream(bytes);
        }

        @Override
        public boolean hasBody() {
            return true;
        }
    }

    /** The head is no longer the approved one: GitHub merged nothing. {@code now} may be unknown (null). */
    private static RepositoryException moved(String what, String expectedHead, String now, HttpException e) {
        String reason = e == null ? "" : reason(e);
        return new RepositoryException(what + " changed after the approval: its head is no longer " + expectedHead
                + (now == null ? "" : " but " + now) + (e == null ? "" : " (HTTP 409" + (reason.isEmpty() ? "" : ": " + reason) + ")")
                + "; nothing was merged. The new commits need a new approval", e, true);
    }

    /** The entries under {@code dir} (all when empty), keyed by repository-relative path. */
    private Map<String, GHTreeEntry> treeUnder(GHRepository repo, String commitSha, String dir) throws IOException {
        Map<String, GHTreeEntry> entries = new TreeMap<>();
        GHTree tree = repo.getTreeRecursive(commitSha, 1);
        String prefix = "";
        if (tree.isTruncated() && !dir.isEmpty()) {
            // Too large for one answer: walk down to the directory and read only its subtree.
            String sha = commitSha;
            for (String segment : dir.split("/+")) {
                GHTreeEntry next = repo.getTree(sha).getEntry(segment);
                if (next == null || !"tree".equals(next.getType())) {
                    return entries;
                }
                sha = next.getSha();
            }
            tree = repo.getTreeRecursive(sha, 1);
            prefix = dir + "/";
        }
        if (tree.isTruncated()) {
            throw new RepositoryException("GitHub truncated the file list of " + repo.getFullName() + (dir.isEmpty() ? "" : "/" + dir)
                    + " (more than 100,000 entries or 7 MB); read a smaller directory");
        }
        for (GHTreeEntry entry : tree.getTree()) {
            String path = prefix + entry.getPath();
            if (dir.isEmpty() || path.equals(dir) || path.startsWith(dir + "/")) {
                entries.put(path, entry);
            }
        }
        return entries;
    }

    private Optional<GHRepository> find(String name) throws IOException {
        return absentOn404(() -> github.getRepository(fullName(name)));
    }

    /** The branch's reference, empty when the branch does not exist. */
    private static Optional<GHRef> ref(GHRepository repo, String branch) throws IOException {
        return absentOn404(() -> repo.getRef("heads/" + branch));
    }

    /** A GitHub read whose 404 means "there is none": empty then; any other failure is thrown. */
    private static <T> Optional<T> absentOn404(GitHubCall<T> read) throws IOException {
        try {
            return Optional.of(read.run());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        } catch (HttpException e) {
            if (e.getResponseCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private String defaultBranch(GHRepository repo) {
        String branch = repo.getDefaultBranch();
        return branch == null || branch.isBlank() ? defaultBranch : branch;
    }

    /** {@code https://github.com/{organization}/{repository}.git}: the web host of the API endpoint (GitHub Enterprise too). */
    @Override
    public String cloneUrl(String repository) {
        String api = github.getApiUrl();
        String web = api.replaceFirst("://api\\.", "://").replaceFirst("/api/v3/?$", "").replaceFirst("/$", "");
        return web + "/" + fullName(repository) + ".git";
    }

    /** {@code @organization/team}: GitHub resolves CODEOWNERS teams within the organization. */
    @Override
    public String teamHandle(String group) {
        return "@" + owner + "/" + group;
    }

    private RepositoryInfo info(GHRepository repo) {
        return new RepositoryInfo(repo.getName(), repo.getHtmlUrl().toString(), defaultBranch(repo), repo.getDescription());
    }

    private String fullName(String name) {
        return owner + "/" + name;
    }

    /** Fails at once, before any read, when the operation's first content-creating request would have to wait long. */
    private void admit() throws IOException {
        if (limits != null) {
            limits.admit();
        }
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, k -> new Object());
    }

    /** Git's object id of a blob with this content: SHA-1 of {@code "blob <length>\0" + bytes}. */
    static String blobSha(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Git's rule of thumb: a NUL byte in the first 8000 bytes means binary. */
    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }

    // --- failures ------------------------------------------------------------------------------------------------

    /** A github-api call that may fail with an {@link IOException}. */
    private interface GitHubCall<T> {
        T run() throws IOException;
    }

    /** Runs {@code call}, turning github-api's failures into a {@link RepositoryException} that says what was being done. */
    private <T> T call(String doing, GitHubCall<T> call) {
        try {
            return call.run();
        } catch (IOException e) {
            throw failure(doing, e);
        } catch (GHException e) {
            throw failure(doing, e);
        }
    }

    private RepositoryException failure(String doing, GHException e) {
        if (e.getCause() instanceof IOException io) {
            return failure(doing, io);
        }
        return new RepositoryException("GitHub failed while " + doing + ": " + e.getMessage(), e);
    }

    /** Turns a github-api failure into GitHub's reason plus what to check; the token is never part of either. */
    RepositoryException failure(String doing, IOException e) {
        if (e instanceof GitHubLimits.Wait wait) {
            return new RepositoryException(wait.getMessage(), e, wait.until());
        }
        if (e instanceof GitHubAppAuthorization.InstallationUnavailable) {
            return new RepositoryException(e.getMessage() + " (while " + doing + ")", e);
        }
        int status = status(e);
        String reason = reason(e);
        String suffix = reason.isEmpty() ? "" : ": " + reason;
        Map<String, String> headers = headers(e);
        String message;
        if ((status == 403 || status == 429) && "0".equals(headers.get("x-ratelimit-remaining"))) {
            message = "GitHub's API rate limit for the token is used up while " + doing + resetAt(headers.get("x-ratelimit-reset"))
                    + "; wait for the reset or give Paver a token with its own limit (e.g. a GitHub App installation token)";
        } else if (status == 429 || (status == 403 && (headers.containsKey("retry-after") || headers.containsKey("gh-limited-by")))) {
            String after = headers.get("retry-after");
            message = "GitHub's secondary rate limit stopped Paver while " + doing
                    + (after == null ? "; retry in a minute or more" : "; retry after " + Times.retryAfter(after))
                    + " and spread requests out";
        } else if (status == 401) {
            message = "GitHub rejected the credentials while " + doing + " (HTTP 401" + suffix
                    + "); check paver.github.token: it may be missing, mistyped, expired or revoked (with a GitHub App:"
                    + " paver.github.app-id and its private key, and that the App is still installed on " + owner + ")";
        } else if (status == 403) {
            message = "GitHub denied access while " + doing + " (HTTP 403" + suffix + "); check that paver.github.token has"
                    + " the repo scope, or Contents and Pull requests write permission, on organization " + owner
                    + " and is authorized for its SSO (a GitHub App: the permissions of deploy/github-app-manifest.yaml,"
                    + " accepted by the organization)";
        } else if (status == 404) {
            message = "GitHub has no such repository or organization while " + doing + " (HTTP 404); check"
                    + " paver.github.organization and the repository name, and that paver.github.token can see it"
                    + " (GitHub answers 404 for private repositories the token cannot read)";
        } else if (status == 409 || status == 422) {
            message = "GitHub refused " + doing + " (HTTP " + status + suffix + ")";
        } else if (status >= 500) {
            message = "GitHub is failing (HTTP " + status + suffix + ") while " + doing + "; try again later";
        } else if (status > 0) {
            message = "GitHub answered HTTP " + status + " while " + doing + suffix;
        } else {
            message = "cannot reach GitHub at " + github.getApiUrl() + " while " + doing + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); check paver.github.api-url and the network";
        }
        boolean permanent = status == 401 || status == 404 || status == 409 || status == 422
                || (status == 403 && !message.contains("rate limit"));
        return new RepositoryException(message, e, permanent);
    }

    /** The HTTP status of a github-api failure, -1 when there was no answer. */
    static int status(IOException e) {
        if (e instanceof HttpException h) {
            return h.getResponseCode();
        }
        if (e instanceof FileNotFoundException) {
            return 404;
        }
        return -1;
    }

    /**
     * GitHub's error message and its {@code errors[]} details, from the JSON body github-api puts in the exception
     * message; the plain message when it is not GitHub's JSON.
     */
    static String reason(IOException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().trim();
        int json = text.indexOf('{'); // GHFileNotFoundException: "<url> <body>"
        if (json >= 0) {
            try {
                JsonNode body = JSON.readTree(text.substring(json));
                StringBuilder out = new StringBuilder(body.path("message").asText(""));
                for (JsonNode error : body.path("errors")) {
                    String detail = error.isTextual() ? error.asText()
                            : error.path("message").asText(error.path("code").asText("") + " " + error.path("field").asText(""));
                    if (!detail.isBlank()) {
                        out.append(out.length() == 0 ? "" : "; ").append(detail.trim());
                    }
                }
                if (out.length() > 0) {
                    return out.toString();
                }
            } catch (IOException | RuntimeException ignored) {
                // not JSON: fall through
            }
        }
        if (e instanceof FileNotFoundException) {
            return "Not Found";
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static Map<String, String> headers(IOException e) {
        Map<String, String> out = new HashMap<>();
        Map<String, List<String>> fields = null;
        if (e instanceof GHIOException gh) {
            try {
                fields = gh.getResponseHeaderFields();
            } catch (NullPointerException none) {
                // github-api 1.330 wraps a missing map (an error its rate-limit handlers threw) without a null check
            }
        }
        if (fields != null) {
            fields.forEach((k, v) -> {
                if (k != null && v != null && !v.isEmpty()) {
                    out.put(k.toLowerCase(Locale.ROOT), v.get(0));
                }
            });
        }
        return out;
    }

    private static String resetAt(String epochSeconds) {
        try {
            return " (it resets at " + Times.instant(Instant.ofEpochSecond(Long.parseLong(epochSeconds.trim()))) + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }
}

package dev.paver.core.goldenpath;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Port to the git host that holds GitOps and application repositories. Two adapters: GitHub (pull requests) and
 * plain git (a pushed branch is the "pull request"; merged means its commit is reachable from the default
 * branch). Every method is idempotent and throws {@link RepositoryException} with the host's reason when the
 * host refuses or cannot be reached.
 */
public interface RepositoryPort {

    /**
     * Creates the repository when it does not exist, with one initial commit on the default branch.
     *
     * @param name        repository name, already validated (checked by the run package's {@code RepositoryNames})
     * @param description one line for the host
     * @return where it is
     */
    RepositoryInfo ensureRepository(String name, String description);

    /**
     * Whether {@link #ensureRepository} creates a missing repository: true on GitHub and in a local folder of bare
     * repositories; false on a plain git remote ({@code git://}, {@code http(s)://}, {@code ssh://}), where git has
     * no way to create one and a person creates it on the host ({@link #adoptRepository}).
     */
    default boolean createsRepositories() {
        return true;
    }

    /**
     * Makes an existing repository ready for Paver's first pull request, without creating it: what a golden path
     * uses where {@link #createsRepositories()} is false. A repository with no branch yet (just created empty on the
     * host) gets Paver's first commit on the default branch: a {@code README.md} with {@code description}, in a
     * commit whose message ends with {@code description}. The returned {@link RepositoryInfo#description()} is the
     * full message of the first commit of the default branch, so a caller recognises the repository it started.
     * Where the host creates repositories, this is {@link #ensureRepository}.
     *
     * @param name        repository name, already validated (checked by the run package's {@code RepositoryNames})
     * @param description one line, carried by the first commit
     * @return {@link Adoption.Ready}, or {@link Adoption.Missing} when the host has no such repository yet
     * @throws RepositoryException permanent when the repository has commits but not the default branch; not
     *                             permanent when the host cannot be reached
     */
    default Adoption adoptRepository(String name, String description) {
        return new Adoption.Ready(ensureRepository(name, description));
    }

    /** What {@link #adoptRepository} found. */
    sealed interface Adoption {
        /** The repository exists and has its default branch. */
        record Ready(RepositoryInfo info) implements Adoption {
        }

        /**
         * The host has no such repository: a person must create it.
         *
         * @param url           where it must be, as Paver clones it
         * @param defaultBranch the branch Paver pushes its first commit to and merges into, e.g. {@code main}
         * @param hostAnswer    the host's own words, e.g. git daemon's "access denied or repository not exported"
         */
        record Missing(String url, String defaultBranch, String hostAnswer) implements Adoption {
        }
    }

    /**
     * Commits {@code files} and {@code deletions} on {@code draft.branch()} (created from the default branch when absent,
     * reused when present) and opens a pull request, or returns the open one for that branch.
     */
    PullRequest openPullRequest(PullRequestDraft draft);

    /**
     * Merges the pull request into the default branch with a merge commit, only if its head is still
     * {@code expectedHead} (GitHub's {@code sha} parameter of "Merge a pull request"; on plain git the branch tip is
     * compared). Merging a merged pull request returns its merge again.
     *
     * @param message the merge commit's message
     * @return the merged state: the default-branch revision that contains the change, and who merged
     * @throws RepositoryException permanent when the head moved ({@code expectedHead} no longer matches), the pull
     *                             request is closed or cannot be merged (conflicts); otherwise for network failures
     */
    MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message);

    /**
     * Closes the pull request without merging it, what a cancelled run does with the pull requests it opened. A pull
     * request closed already, or merged, is left as it is; so is one that does not exist. On plain git there are no
     * pull requests (a pushed branch is one, {@link #deleteBranch} removes it): nothing to do.
     *
     * @return the state it was in before: {@link MergeState.Open} when this call closed it
     * @throws RepositoryException not permanent when the host fails or cannot be reached (GitHub 5xx); permanent when
     *                             it refuses (no permission to close it)
     */
    default MergeState closeChange(PullRequest pullRequest) {
        throw new RepositoryException("this git host cannot close " + pullRequest.describe() + " of "
                + pullRequest.repository());
    }

    /**
     * Deletes the branch Paver pushed, what a cancelled run does with its branches. A branch that does not exist is
     * left so (deleting twice is fine). Never deletes the default branch.
     *
     * @param branch a branch name already validated ({@code paver/<run id>/<step id>})
     * @return true when this call deleted it, false when it did not exist
     * @throws RepositoryException permanent for the default branch or when the host refuses; not permanent when the
     *                             host fails or cannot be reached
     */
    default boolean deleteBranch(String repository, String branch) {
        throw new RepositoryException("this git host cannot delete branch " + branch + " of " + repository);
    }

    /**
     * The pull request at {@code url} (its web address, as a Backstage task's output links give it, e.g.
     * {@code https://github.com/acme/payments-gitops/pull/12}) when it is one of a repository Paver works in: with its
     * number, head branch, base branch and head commit. Empty when the address is not such a pull request (another
     * host or owner, not a pull request's address), and on hosts without pull requests (the default).
     *
     * @throws RepositoryException when the host cannot be asked
     */
    default java.util.Optional<PullRequest> pullRequestAt(String url) {
        return java.util.Optional.empty();
    }

    /** Whether the pull request is open, merged (with the default-branch revision that contains it) or closed. */
    MergeState mergeState(PullRequest pullRequest);

    /**
     * The checks of {@code headSha}, the pull request's head: on GitHub its check runs ("List check runs for a Git
     * reference") and its commit statuses ("List commit statuses for a reference", the newest per context), each once
     * by name. Plain git has none: empty. Reads are conditional where the host allows it (ETag).
     *
     * @throws RepositoryException not permanent when the host fails or cannot be reached; permanent when it refuses
     *                             (e.g. no permission to read checks)
     */
    default List<Check> checks(PullRequest pullRequest, String headSha) {
        return List.of();
    }

    /**
     * Asks the host to merge the pull request itself, with a merge commit of {@code message}, once its rules allow
     * (GitHub's auto-merge, GraphQL {@code enablePullRequestAutoMerge} with {@code expectedHeadOid}: GitHub merges when
     * the required checks pass and the required reviews are given, and never another head). Enabling it again is
     * harmless.
     *
     * @return true when the host will merge (or has merged) it; false when it has no such feature (plain git), the
     *         repository does not allow auto-merge, or the pull request can be merged right now (GitHub refuses
     *         auto-merge then): the caller merges itself with {@link #merge}
     * @throws RepositoryException permanent when the host refuses (the head moved, the pull request is closed, no
     *                             permission); not permanent when it fails or cannot be reached
     */
    default boolean enableAutoMerge(PullRequest pullRequest, String expectedHead, String message) {
        return false;
    }

    /**
     * Withdraws the host's auto-merge of the pull request, if it is enabled ({@link #enableAutoMerge}): what Paver does
     * when a check fails, since GitHub's auto-merge waits only for the checks branch protection requires. Nothing to
     * do where the host has no auto-merge, or it is not enabled.
     *
     * @return true when this call withdrew it
     * @throws RepositoryException not permanent when the host fails or cannot be reached; permanent when it refuses
     */
    default boolean disableAutoMerge(PullRequest pullRequest) {
        return false;
    }

    /**
     * One check of a pull request's head.
     *
     * @param name  the check run's name or the commit status's context, e.g. {@code validate-conventions}
     * @param state what it says now
     * @param url   where a person reads it (the check run's page, the status's target URL); empty when it has none
     */
    record Check(String name, CheckState state, String url) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            url = url == null ? "" : url;
        }
    }

    /**
     * What a check says. GitHub's check run conclusions {@code success}, {@code neutral} and {@code skipped} and the
     * status {@code success} are {@link #SUCCESS}; {@code failure}, {@code cancelled}, {@code timed_out},
     * {@code action_required}, {@code stale}, {@code startup_failure} and the statuses {@code failure} and
     * {@code error} are {@link #FAILURE}; a check run not completed and the status {@code pending} are
     * {@link #PENDING}.
     */
    enum CheckState {
        PENDING, SUCCESS, FAILURE
    }

    /**
     * The text files under {@code directory} on the default branch, path relative to the repository root.
     * Empty when the repository or the directory does not exist.
     */
    Map<String, String> readFiles(String repository, String directory);

    /**
     * Which of {@code paths} (files or folders, relative to the repository root, already validated) exist on the
     * default branch, in the order given: what a name check asks before a run pushes anything. Empty when the
     * repository does not exist. By default a path that {@link #readFiles} finds a file under, one call per path
     * (a path holding only files too large for it counts as absent); an adapter may answer in one look at the
     * repository, counting any file.
     */
    default List<String> existing(String repository, List<String> paths) {
        List<String> found = new ArrayList<>();
        for (String path : paths) {
            if (!readFiles(repository, path).isEmpty()) {
                found.add(path);
            }
        }
        return found;
    }

    /**
     * True when {@code commit} is {@code revision} or one of its ancestors: the change is part of what was synced.
     *
     * @param revision a commit id on the default branch, e.g. what Argo CD synced
     * @param commit   the commit to look for, e.g. a merge
     */
    boolean contains(String repository, String revision, String commit);

    /**
     * The URL Argo CD and people clone {@code repository} from, whether it exists yet or not (a new domain's
     * ApplicationSet names its own repository before it is created). No I/O.
     */
    String cloneUrl(String repository);

    /**
     * How CODEOWNERS names a team: {@code @org/team} on GitHub (a team of the organization), {@code @team} elsewhere.
     * No I/O.
     */
    default String teamHandle(String group) {
        return "@" + group;
    }

    /** Names of the repositories Paver can see, for finding the domain GitOps repositories. */
    List<String> listRepositories();

    /**
     * Where this host keeps Paver's repositories, as Backstage's {@code repoUrl} names them
     * ({@code host?owner=o&repo=r}): a {@code repoUrl} of another host or owner is refused, since Paver publishes
     * only to its own. No I/O. By default {@link Location#EMBEDDED}.
     */
    default Location location() {
        return Location.EMBEDDED;
    }

    /**
     * The host and owner of Paver's repositories in Backstage's {@code repoUrl} form.
     *
     * @param host  as {@code parseRepoUrl} gives it: lower case, with {@code :port} when one is given, e.g.
     *              {@code github.com}, {@code ghe.acme.com}, {@code localhost}
     * @param owner the organization (or user) that owns the repositories, e.g. {@code acme}
     */
    record Location(String host, String owner) {
        /** The embedded default, a folder of bare repositories: {@code localhost}, owner {@code paver}. */
        public static final Location EMBEDDED = new Location("localhost", "paver");

        public Location {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(owner, "owner");
            host = host.toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code host?owner=<owner>&repo=<repository>}: what a template's {@code repoUrl} says for {@code repository}. */
        public String repoUrl(String repository) {
            return host + "?owner=" + owner + "&repo=" + repository;
        }

        /**
         * The repository {@code repoUrl} names when it is one of this location's; otherwise why not, naming both
         * locations. Backstage's {@code parseRepoUrl} reads it ({@code host?owner=o&repo=r}).
         *
         * @throws IllegalArgumentException when {@code repoUrl} is not such a URL, or names another host or owner:
         *                                  Paver publishes only to its own (its message says which, and what to write)
         */
        public String repository(String repoUrl) {
            Map<String, Object> parsed;
            try {
                parsed = BackstageFilters.parseRepoUrl(repoUrl);
            } catch (TemplateRenderer.TemplateException e) {
                throw new IllegalArgumentException("repoUrl " + e.getMessage().replaceFirst("^parseRepoUrl: ", ""), e);
            }
            String theirHost = String.valueOf(parsed.get("host"));
            String theirOwner = parsed.get("owner") instanceof String o ? o : "";
            String repo = String.valueOf(parsed.get("repo"));
            if (!theirHost.equals(host) || !theirOwner.equals(owner)) {
                throw new IllegalArgumentException("repoUrl " + repoUrl + " names owner " + (theirOwner.isEmpty() ? "(none)"
                        : theirOwner) + " on " + theirHost + ", but Paver publishes only to its own repositories, owner "
                        + owner + " on " + host + " (paver.github.organization and paver.github.api-url, or the git "
                        + "host Paver is given); nothing was changed. Write " + repoUrl(repo) + " instead");
            }
            return repo;
        }
    }

    /**
     * GitHub's "Create a GitHub Pages site" ({@code POST /repos/{owner}/{repo}/pages}) for a repository of this host:
     * what Backstage's {@code github:pages:enable} asks. A site that exists already is no error (GitHub answers 409).
     *
     * @param buildType    {@code workflow} (built by a GitHub Actions workflow) or {@code legacy} (from a branch)
     * @param sourceBranch the branch the site is built from, e.g. {@code main}
     * @param sourcePath   {@code /} or {@code /docs}
     * @return true when this call created the site, false when it existed
     * @throws UnsupportedOperationException where the host has no such feature (plain git): see {@link #hasGitHubFeatures()}
     * @throws RepositoryException           permanent when GitHub refuses (no such repository, no permission, a bad
     *                                       input); not permanent when it fails or cannot be reached
     */
    default boolean enablePages(String repository, String buildType, String sourceBranch, String sourcePath) {
        throw new UnsupportedOperationException("this git host has no GitHub Pages");
    }

    /**
     * GitHub's "Create a workflow dispatch event" ({@code POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches}):
     * runs the workflow (its file name, e.g. {@code pages.yml}, or its id) on {@code ref}, a branch or tag, with
     * {@code inputs}. GitHub answers 204 and gives no run id.
     *
     * @throws UnsupportedOperationException where the host has no such feature (plain git): see {@link #hasGitHubFeatures()}
     * @throws RepositoryException           permanent when GitHub refuses (no such workflow, no
     *                                       {@code workflow_dispatch} trigger, unknown ref, no permission); not
     *                                       permanent when it fails or cannot be reached
     */
    default void dispatchWorkflow(String repository, String workflow, String ref, Map<String, String> inputs) {
        throw new UnsupportedOperationException("this git host has no GitHub Actions");
    }

    /** True when the host is GitHub: {@link #enablePages} and {@link #dispatchWorkflow} act; false on plain git. */
    default boolean hasGitHubFeatures() {
        return false;
    }

    /**
     * A repository and where a person can see it.
     *
     * @param description the host's one-line description ({@code description} file of a bare repository)
     */
    record RepositoryInfo(String name, String url, String defaultBranch, String description) {
        public RepositoryInfo {
            description = description == null ? "" : description;
        }
    }

    /**
     * @param repository    target repository name
     * @param branch        branch to push, deterministic per run and step
     * @param title         pull request title
     * @param body          pull request description
     * @param commitMessage the commit's message
     * @param files         repository-relative path to content; paths already validated
     * @param deletions     repository-relative paths (files or folders, already validated) removed with everything under
     *                      them; a path that does not exist is no error. A path both written and deleted is written
     */
    record PullRequestDraft(String repository, String branch, String title, String body, String commitMessage,
                            Map<String, String> files, List<String> deletions) {
        public PullRequestDraft {
            files = Map.copyOf(files);
            deletions = List.copyOf(deletions);
        }

        /** A draft that only adds or replaces files. */
        public PullRequestDraft(String repository, String branch, String title, String body, String commitMessage,
                                Map<String, String> files) {
            this(repository, branch, title, body, commitMessage, files, List.of());
        }

        /** True when {@code path} is one of {@link #deletions()} or under one, and not written by {@link #files()}. */
        public boolean deletes(String path) {
            if (files.containsKey(path)) {
                return false;
            }
            for (String deleted : deletions) {
                if (path.equals(deleted) || path.startsWith(deleted + "/")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * @param repository repository name
     * @param number     pull request number, 0 on plain git (no pull requests there)
     * @param url        where a person reviews it
     * @param branch     the head branch
     * @param baseBranch the default branch it merges into
     * @param headSha    the head commit
     */
    record PullRequest(String repository, int number, String url, String branch, String baseBranch, String headSha) {
        /** "pull request #3" on GitHub, "branch paver/..." on plain git. */
        public String describe() {
            return number > 0 ? "pull request #" + number : "branch " + branch;
        }
    }

    /** The state of a pull request. */
    sealed interface MergeState {
        record Open(String headSha) implements MergeState {
        }

        /** @param revision the default branch commit that contains the change */
        record Merged(String revision, String mergedBy) implements MergeState {
        }

        record Closed() implements MergeState {
        }
    }

    /**
     * The git host refused or could not be reached. Permanent when repeating cannot help (credentials, a missing
     * repository, a refused change); otherwise (network, rate limits, 5xx) the run tries again for a while.
     */
    class RepositoryException extends RuntimeException {
        private final boolean permanent;
        private final Instant retryAt;

        public RepositoryException(String message, Throwable cause, boolean permanent) {
            super(message, cause);
            this.permanent = permanent;
            this.retryAt = null;
        }

        /**
         * The host asks to wait: nothing was sent, or the host refused for now (a rate limit), and asking before
         * {@code retryAt} is refused again. Not permanent; the message is what a person reads in the run's thread
         * while it waits, e.g. "Waiting for GitHub's rate limit until 2026-11-21 14:05 UTC ...".
         */
        public RepositoryException(String message, Throwable cause, Instant retryAt) {
            super(message, cause);
            this.permanent = false;
            this.retryAt = retryAt;
        }

        /** A failure that may pass: network, rate limit, server error. */
        public RepositoryException(String message, Throwable cause) {
            this(message, cause, false);
        }

        /** A failure that repeating cannot mend. */
        public RepositoryException(String message) {
            this(message, null, true);
        }

        /** True when repeating the call cannot help. */
        public boolean permanent() {
            return permanent;
        }

        /** When the host takes requests again (a rate limit's end); null when the failure gives no such moment. */
        public Instant retryAt() {
            return retryAt;
        }
    }
}

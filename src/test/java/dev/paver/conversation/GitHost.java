package dev.paver.conversation;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The git host of a conversation, as its people use it (merge a pull request, push a change, create a repository) and
 * as its expectations read it (branches, files, refs). Two of them: {@link GitStandIn}, the bare repositories that plain
 * git reaches ({@code git: local} and {@code git: daemon}), and {@link GitHubStandIn}, the GitHub REST API that Paver's
 * GitHub adapter talks to ({@code git: github}). A conversation reads the same on both.
 */
public interface GitHost {

    /** Whether the repository exists (possibly empty). */
    boolean exists(String repository);

    /**
     * Creates an empty repository (no commit, the default branch {@code main}), as a platform team does where Paver
     * cannot create repositories.
     *
     * @throws IllegalStateException when it exists already
     */
    void createEmpty(String repository) throws Exception;

    /** Branches whose name starts with {@code paver/}, newest commit first; empty when the repository does not exist. */
    List<String> paverBranches(String repository) throws Exception;

    /**
     * Every ref of every repository (and, on GitHub, the state of every pull request) one per line, sorted: equal texts
     * mean that nothing was pushed, created, merged or deleted in between.
     */
    String refs() throws Exception;

    /** The commit id at the tip of {@code branch}; "" when there is none. */
    String head(String repository, String branch) throws Exception;

    /** The files on a branch, path to text; empty when the branch does not exist. */
    Map<String, String> files(String repository, String branch) throws Exception;

    /**
     * Commits a change of {@code path} on {@code branch}, as a person's push; a push to {@code main} of a repository
     * that does not exist creates it first.
     *
     * @param change the file's new content from its old one ("" when absent)
     * @return the new head of the branch
     */
    String commit(String repository, String branch, String path, UnaryOperator<String> change, String person) throws Exception;

    /**
     * Merges {@code branch} into {@code main} with a merge commit, as {@code person} pressing "Merge" would (on GitHub:
     * the branch's open pull request, which GitHub merges only when its required checks are green).
     *
     * @return the new head of main
     * @throws IllegalStateException when the host refuses the merge
     */
    String merge(String repository, String branch, String person) throws Exception;

    /**
     * Every text the host holds that Paver may have written: commit messages and files of every commit of every
     * repository, and on GitHub the titles and bodies of pull requests and the descriptions of repositories.
     */
    List<String> everything() throws Exception;
}

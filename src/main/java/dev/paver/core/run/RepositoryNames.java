package dev.paver.core.run;

import dev.paver.core.convention.Names;
import dev.paver.core.goldenpath.RepositoryPort;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Checks for values that become repository names, branch names and file paths, before they reach git.
 * Branches follow {@code git check-ref-format}; paths stay inside the repository.
 */
public final class RepositoryNames {

    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern BRANCH_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private RepositoryNames() {
    }

    /**
     * The repository name from a step input: {@code repository: payments-gitops} (Paver's), or Backstage's
     * {@code repoUrl: github.com?owner=acme&repo=payments-gitops}, whose host and owner must be Paver's own
     * ({@code own}): Paver publishes only there. When both are given, both must name the same repository.
     *
     * @throws IllegalArgumentException when neither is given, the name is not a valid repository name, or
     *                                  {@code repoUrl} names another host or owner (the message names both)
     */
    public static String repository(ActionContext ctx, RepositoryPort.Location own) {
        String name = ctx.text("repository");
        String url = ctx.text("repoUrl");
        try {
            if (!url.isEmpty()) {
                String named = own.repository(url);
                if (!name.isEmpty() && !name.equals(named)) {
                    throw new IllegalArgumentException("repository " + name + " and repoUrl " + url
                            + " name two repositories; give one of them");
                }
                name = named;
            } else if (name.isEmpty()) {
                throw new IllegalArgumentException("input.repoUrl (e.g. " + own.repoUrl("payments-gitops")
                        + ") or input.repository is required");
            }
            return repository(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": " + e.getMessage());
        }
    }

    /**
     * @throws IllegalArgumentException when {@code name} is not a valid repository name: letters, digits, '.', '_',
     *                                  '-', no {@code ..}, no {@code .git} ending
     */
    public static String repository(String name) {
        if (!REPOSITORY.matcher(name).matches() || name.contains("..") || name.endsWith(".git")) {
            throw new IllegalArgumentException("repository " + Names.quote(name)
                    + " is not a valid repository name (letters, digits, '.', '_', '-')");
        }
        return name;
    }

    /**
     * @throws IllegalArgumentException when {@code branch} is not a safe branch name: slash-separated parts of
     *                                  letters, digits, {@code . _ -}, no {@code ..}, no {@code .lock} ending
     */
    public static String branch(String branch) {
        if (branch == null || branch.isEmpty() || branch.length() > 200 || branch.contains("..")
                || branch.endsWith(".lock") || branch.endsWith("/") || branch.startsWith("/")) {
            throw new IllegalArgumentException("branch " + Names.quote(branch) + " is not a valid branch name");
        }
        for (String part : branch.split("/")) {
            if (!BRANCH_PART.matcher(part).matches()) {
                throw new IllegalArgumentException("branch " + Names.quote(branch) + " is not a valid branch name");
            }
        }
        return branch;
    }

    /**
     * A folder as a path prefix: {@code ""} for the root ({@code ""}, {@code .}, {@code ./}), else the validated
     * path with one trailing slash ({@code ./gitops/} and {@code gitops} both give {@code gitops/}).
     *
     * @throws IllegalArgumentException as {@link #path}
     */
    public static String folder(String folder) {
        String f = folder == null ? "" : folder.strip();
        while (f.startsWith("./")) {
            f = f.substring(2);
        }
        f = f.replaceAll("/+$", "");
        return f.isEmpty() || f.equals(".") ? "" : path(f) + "/";
    }

    /**
     * A repository-relative file path: no absolute path, no {@code .} or {@code ..} segment, no backslash or
     * control character, no {@code .git} directory.
     *
     * @throws IllegalArgumentException naming the path when it is unsafe
     */
    public static String path(String path) {
        boolean bad = path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.length() > 400;
        if (!bad) {
            for (String part : path.split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..") || part.equals(".git")) {
                    bad = true;
                }
            }
            for (char c : path.toCharArray()) {
                if (Character.isISOControl(c)) {
                    bad = true;
                }
            }
        }
        if (bad) {
            throw new IllegalArgumentException("path " + Names.quote(path) + " is not a safe repository path");
        }
        return path;
    }

    /**
     * The file {@code relative} inside the folder {@code root}, both compared as normalized absolute paths (a
     * relative root such as the default {@code ./data/git-work} resolves against the working directory first).
     *
     * @throws IllegalArgumentException naming {@code relative} when it is absolute or its normalized form leaves
     *                                  {@code root} (e.g. {@code ../x})
     */
    public static Path within(Path root, String relative) {
        Path base = root.toAbsolutePath().normalize();
        Path target = relative == null || Path.of(relative).isAbsolute() ? null
                : base.resolve(relative).normalize();
        if (target == null || !target.startsWith(base)) {
            throw new IllegalArgumentException("path " + Names.quote(relative) + " leaves the repository");
        }
        return target;
    }

    /**
     * The pull request a step's inputs name, as {@code publish:github:pull-request} output it: {@code repository},
     * {@code branchName}, {@code pullRequestNumber} (0 or empty on plain git), {@code remoteUrl}, {@code headSha}; a
     * {@code repoUrl} instead of {@code repository} as in {@link #repository(ActionContext, RepositoryPort.Location)}.
     *
     * @throws IllegalArgumentException when the repository or branch is missing or unsafe, or the number is not one
     */
    public static RepositoryPort.PullRequest pullRequest(ActionContext ctx, RepositoryPort.Location own) {
        String number = ctx.text("pullRequestNumber");
        if (!number.isEmpty() && !number.matches("\\d{1,9}")) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": input.pullRequestNumber " + number + " is not a number");
        }
        return new RepositoryPort.PullRequest(repository(ctx, own), number.isEmpty() ? 0 : Integer.parseInt(number),
                ctx.text("remoteUrl"), branch(ctx.required("branchName")), "", ctx.text("headSha"));
    }
}

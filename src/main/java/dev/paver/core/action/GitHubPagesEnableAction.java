package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.report.Link;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Backstage's {@code github:pages:enable} ({@code githubPagesEnable} of
 * {@code @backstage/plugin-scaffolder-backend-module-github}): turns GitHub Pages on for a repository of Paver's own
 * ({@link RepositoryPort#enablePages}, GitHub's "Create a GitHub Pages site"). Inputs, with Backstage's defaults:
 * {@code repoUrl} (required; its host and owner must be Paver's own, see {@link RepositoryNames}), {@code buildType}
 * ({@code workflow} or {@code legacy}, default {@code workflow}), {@code sourceBranch} (default {@code main}),
 * {@code sourcePath} ({@code /} or {@code /docs}, default {@code /}); {@code token} is ignored: Paver never takes
 * credentials from a template, its own act. A site that exists already is no error (executing the step again finds
 * it). Output: none, as Backstage's.
 *
 * <p>On a plain git host (the embedded repositories, a {@code git://} or {@code https://} remote) there are no Pages:
 * the step is done without acting and says so in the thread, so that a run of a template made for GitHub still
 * publishes its repository and the platform team knows what to turn on by hand, where they host the site.
 */
public final class GitHubPagesEnableAction implements Action {

    private static final Set<String> BUILD_TYPES = Set.of("workflow", "legacy");
    private static final Set<String> SOURCE_PATHS = Set.of("/", "/docs");

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public GitHubPagesEnableAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "github:pages:enable";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        if (ctx.text("repoUrl").isBlank()) {
            throw new IllegalArgumentException("step " + ctx.stepId() + " (github:pages:enable): input.repoUrl is "
                    + "required, e.g. " + repositories.location().repoUrl("landing-page"));
        }
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String buildType = or(ctx.text("buildType"), "workflow");
        String sourceBranch = RepositoryNames.branch(or(ctx.text("sourceBranch"), "main"));
        String sourcePath = or(ctx.text("sourcePath"), "/");
        if (!BUILD_TYPES.contains(buildType)) {
            throw new IllegalArgumentException("step " + ctx.stepId() + " (github:pages:enable): buildType " + buildType
                    + " is not one of workflow, legacy");
        }
        if (!SOURCE_PATHS.contains(sourcePath)) {
            throw new IllegalArgumentException("step " + ctx.stepId() + " (github:pages:enable): sourcePath " + sourcePath
                    + " is not one of /, /docs (GitHub builds a site from the root or from docs/)");
        }
        if (!repositories.hasGitHubFeatures()) {
            return new ActionResult.Done(Map.of(), "not on GitHub: Pages not enabled", List.of(Milestone.of("no-pages",
                    "GitHub Pages not enabled for " + repository + ": Paver's repositories are on a plain git host, "
                            + "which has no Pages. The run goes on; platform team: publish the site from " + sourceBranch
                            + " (" + sourcePath + ") where you host sites, or run Paver with GitHub.")));
        }
        boolean created = repositories.enablePages(repository, buildType, sourceBranch, sourcePath);
        String url = repositories.cloneUrl(repository).replaceAll("\\.git$", "") + "/settings/pages";
        return new ActionResult.Done(Map.of(), created ? "Pages enabled" : "Pages were enabled already",
                List.of(new Milestone("pages", "GitHub Pages " + (created ? "enabled" : "were enabled already") + " for "
                        + repository + ": built by " + ("workflow".equals(buildType) ? "a GitHub Actions workflow"
                        : "GitHub from " + sourceBranch + " (" + sourcePath + ")") + ".",
                        List.of(new Link("Pages settings", url)))));
    }

    private static String or(String value, String otherwise) {
        return value.isBlank() ? otherwise : value.strip();
    }
}

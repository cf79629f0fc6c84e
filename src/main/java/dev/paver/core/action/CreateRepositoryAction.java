package dev.paver.core.action;

import dev.paver.core.report.Link;
import java.util.List;
import java.util.Map;

/**
 * Backstage's {@code github:repo:create}: creates the repository (empty, with its default branch). As in Backstage,
 * a repository that already exists is an error: another team's repository is never written to. The description
 * Paver gives carries the run id, so that executing the step again for the same run finds its own repository.
 * Inputs: {@code repoUrl} or {@code repository}, {@code description}. Output: {@code remoteUrl}, {@code repository},
 * {@code defaultBranch}.
 */
public final class CreateRepositoryAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public CreateRepositoryAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "github:repo:create";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String name = RepositoryNames.repository(ctx);
        String marker = "(created by Paver run " + ctx.runId() + ")";
        String description = (ctx.text("description") + " " + marker).strip();
        RepositoryPort.RepositoryInfo info = repositories.ensureRepository(name, description);
        if (!info.description().contains(marker)) {
            return new ActionResult.Failed("Repository " + name + " already exists (" + info.url() + "), so Paver did not "
                    + "touch it. Choose another name, or ask its owners.", List.of());
        }
        return new ActionResult.Done(Map.of("remoteUrl", info.url(), "repository", info.name(),
                "defaultBranch", info.defaultBranch()), info.name(),
                List.of(new Milestone("ready", "Repository " + info.name() + " is ready.", List.of(new Link(info.name(), info.url())))));
    }
}

package dev.paver.core.action;

import dev.paver.core.report.Link;
import java.util.List;
import java.util.Map;

/**
 * Backstage's {@code github:repo:create}: makes sure the repository exists (created empty, with its default
 * branch). Inputs: {@code repoUrl} or {@code repository}, {@code description}. Output: {@code remoteUrl},
 * {@code repository}, {@code defaultBranch}.
 */
public final class CreateRepositoryAction implements Action {

    private final RepositoryPort repositories;

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
        RepositoryPort.RepositoryInfo info = repositories.ensureRepository(name, ctx.text("description"));
        return new ActionResult.Done(Map.of("remoteUrl", info.url(), "repository", info.name(),
                "defaultBranch", info.defaultBranch()), info.name(),
                List.of(new Milestone("ready", "Repository " + info.name() + " is ready.", List.of(new Link(info.name(), info.url())))));
    }
}

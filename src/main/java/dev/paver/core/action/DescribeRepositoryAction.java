package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:repository:describe}: how a repository and a team are named on the git host, for files that refer to
 * them (an ApplicationSet's {@code repoURL}, CODEOWNERS), before the repository exists. Reads nothing and changes
 * nothing. Inputs: {@code repository} (a name checked by {@link RepositoryNames}), {@code team} (optional group
 * name). Output: {@code cloneUrl}, {@code teamHandle} ({@code @org/team} on GitHub, {@code @team} elsewhere; empty
 * without {@code team}).
 */
public final class DescribeRepositoryAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public DescribeRepositoryAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:repository:describe";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String name = RepositoryNames.repository(ctx, repositories.location());
        String team = ctx.text("team");
        return new ActionResult.Done(Map.of("cloneUrl", repositories.cloneUrl(name),
                "teamHandle", team.isEmpty() ? "" : repositories.teamHandle(team)), name, List.of());
    }
}

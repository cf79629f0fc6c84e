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

/**
 * Backstage's {@code github:repo:create}: creates the repository (with its default branch). As in Backstage,
 * a repository that already exists is an error: another team's repository is never written to. The description
 * Paver gives carries the run id, so that executing the step again for the same run finds its own repository.
 * Inputs: {@code repoUrl} or {@code repository}, {@code description}. Output: {@code remoteUrl}, {@code repository},
 * {@code defaultBranch}.
 *
 * <p>On a host where Paver cannot create repositories (a plain git remote: {@link RepositoryPort#createsRepositories()}
 * is false), the step asks in the thread, once, for the repository to be created (its name, URL and default branch;
 * empty, or with that default branch) and waits: the engine's polls execute it again, and it goes on by itself once
 * the host has the repository. An empty repository gets Paver's first commit. A repository that exists with commits
 * at the step's first execution, before Paver asked, is taken, as above.
 */
public final class CreateRepositoryAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public CreateRepositoryAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    /** The wake key of a run waiting for a person to create {@code repository} on the git host. */
    public static String waitKey(String repository) {
        return "repository:" + repository;
    }

    @Override
    public String id() {
        return "github:repo:create";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String name = RepositoryNames.repository(ctx, repositories.location());
        String marker = "(created by Paver run " + ctx.runId() + ")";
        String description = (ctx.text("description") + " " + marker).strip();
        RepositoryPort.RepositoryInfo info;
        if (repositories.createsRepositories()) {
            info = repositories.ensureRepository(name, description);
        } else {
            RepositoryPort.Adoption found = repositories.adoptRepository(name, description);
            if (found instanceof RepositoryPort.Adoption.Missing missing) {
                return ask(name, missing);
            }
            info = ((RepositoryPort.Adoption.Ready) found).info();
            if (ctx.checkedBefore()) {
                // created on the host after Paver asked: whatever its first commit, it is this run's repository
                return ready(info);
            }
        }
        if (!info.description().contains(marker)) {
            return new ActionResult.Failed("Repository " + name + " already exists (" + info.url() + "), so Paver did not "
                    + "touch it. Choose another name, or ask its owners.", List.of());
        }
        return ready(info);
    }

    private static ActionResult ready(RepositoryPort.RepositoryInfo info) {
        return new ActionResult.Done(Map.of("remoteUrl", info.url(), "repository", info.name(),
                "defaultBranch", info.defaultBranch()), info.name(),
                List.of(new Milestone("ready", "Repository " + info.name() + " is ready.", List.of(new Link(info.name(), info.url())))));
    }

    /** Waits for the repository, asking for it in the thread (a milestone: posted once per run, restarts included). */
    private static ActionResult ask(String name, RepositoryPort.Adoption.Missing missing) {
        String branch = missing.defaultBranch();
        String text = "Paver cannot create repositories on this git host (plain git has no way to), and repository " + name
                + " does not exist yet" + (missing.hostAnswer().isBlank() ? "" : " (the host says: " + missing.hostAnswer() + ")")
                + ". Platform team: please create repository " + name + " at " + missing.url()
                + ", either empty (no README, no commit; Paver pushes the first commit to " + branch + ") or with "
                + branch + " as its default branch, e.g. git init --bare --initial-branch=" + branch + " " + name
                + ".git. This run goes on by itself once the repository exists.";
        return new ActionResult.Waiting(waitKey(name), "waiting for repository " + name + " to be created at " + missing.url(),
                List.of(Milestone.of("asked", text)));
    }
}

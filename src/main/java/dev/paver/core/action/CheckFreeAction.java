package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Paver's {@code paver:check-free}: checks, before a run pushes anything, that every name it is about to take is free,
 * so that a taken one stops the run with nothing pushed (create-service's first step: the application repository,
 * the catalog Component and the service's folder). Inputs: {@code repositories}, names of repositories that must not
 * exist yet (among {@link RepositoryPort#listRepositories()}); {@code absent}, a list of {@code {repository, paths}}
 * whose paths (files or folders) must not exist on the repository's default branch. Reports every taken name at once.
 * No side effect; the later steps check again as they push ({@code github:repo:create} refuses an existing repository,
 * {@code publish:github:pull-request}'s {@code failIfExists}), since time passes between.
 */
public final class CheckFreeAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host */
    public CheckFreeAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:check-free";
    }

    /**
     * @throws IllegalArgumentException naming the step and the input when a repository name or path is not valid, or
     *                                  {@code absent} is not a list of {@code {repository, paths}}
     */
    @Override
    public ActionResult execute(ActionContext ctx) {
        List<String> names = new ArrayList<>();
        for (Object name : list(ctx, "repositories", ctx.input().get("repositories"))) {
            names.add(valid(ctx, () -> RepositoryNames.repository(String.valueOf(name))));
        }
        Map<String, List<String>> absent = new LinkedHashMap<>();
        for (Object entry : list(ctx, "absent", ctx.input().get("absent"))) {
            if (!(entry instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("step " + ctx.stepId() + ": input.absent is a list of {repository, paths}");
            }
            String repository = valid(ctx, () -> RepositoryNames.repository(String.valueOf(m.get("repository"))));
            for (Object path : list(ctx, "absent.paths", m.get("paths"))) {
                absent.computeIfAbsent(repository, r -> new ArrayList<>())
                        .add(valid(ctx, () -> RepositoryNames.path(String.valueOf(path))));
            }
        }
        List<String> taken = new ArrayList<>();
        if (!names.isEmpty()) {
            List<String> existing = repositories.listRepositories();
            for (String name : names) {
                if (existing.contains(name)) {
                    taken.add("the repository " + name + " exists already");
                }
            }
        }
        absent.forEach((repository, paths) -> {
            for (String path : repositories.existing(repository, paths)) {
                taken.add(repository + " already has " + path + " on its default branch");
            }
        });
        if (!taken.isEmpty()) {
            return new ActionResult.Failed("Nothing was pushed: " + String.join("; ", taken) + ". The name is taken: "
                    + "choose another name" + (names.isEmpty() ? "." : ", or ask the repository's owners."), List.of());
        }
        List<String> free = new ArrayList<>(names);
        absent.values().forEach(free::addAll);
        return new ActionResult.Done(Map.of(), "free: " + String.join(", ", free), List.of());
    }

    private static List<?> list(ActionContext ctx, String key, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": input." + key + " must be a list");
        }
        return l;
    }

    private static String valid(ActionContext ctx, Supplier<String> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("step " + ctx.stepId() + ": " + e.getMessage());
        }
    }
}

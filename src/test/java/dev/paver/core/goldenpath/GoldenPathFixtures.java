package dev.paver.core.goldenpath;

import dev.paver.core.action.Action;
import dev.paver.core.action.ActionContext;
import dev.paver.core.action.ActionRegistry;
import dev.paver.core.action.ActionResult;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.run.InMemoryRunStore;
import dev.paver.core.run.RecordingNotifier;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The project's golden paths and the platform catalog of the seeded {@code payments-gitops} repository
 * (domain payments, system checkout, group team-payments with cost centre cc-4711), and the files that
 * {@code create-service} renders.
 */
public final class GoldenPathFixtures {

    public static final Path TEMPLATES = Path.of("templates");
    public static final Path SEED_CATALOG = Path.of("src", "main", "resources", "seed", "payments-gitops", "catalog");

    private GoldenPathFixtures() {
    }

    public static GoldenPathCatalog templates() {
        return GoldenPathCatalog.load(TEMPLATES);
    }

    public static GoldenPath createService() {
        return templates().find("create-service").orElseThrow();
    }

    /** The catalog of the seeded payments-gitops repository, read as Paver reads it. */
    public static PlatformCatalog paymentsCatalog() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(SEED_CATALOG)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put("payments-gitops/catalog/" + SEED_CATALOG.relativize(file).toString().replace('\\', '/'),
                        Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CatalogReader.read(files);
    }

    /** {@code service: api, system: checkout, owner: team-payments}, everything else by default. */
    public static Map<String, String> apiInCheckout() {
        return Map.of("service", "api", "system", "checkout", "owner", "team-payments");
    }

    /**
     * Every file that a {@code create-service} run renders before it publishes anything ({@code gitops/...} and
     * {@code app/...}), rendered by the real engine and {@code fetch:template}: the run is stopped at its first
     * step with a side effect.
     */
    public static Map<String, String> renderCreateService(Map<String, String> given) {
        GoldenPathCatalog catalog = templates().only(List.of("create-service"));
        GoldenPath path = catalog.find("create-service").orElseThrow();
        RequestCheck.Outcome outcome = new RequestCheck(Conventions.defaults()).check(path, given, paymentsCatalog(), false);
        if (!(outcome instanceof RequestCheck.Accepted accepted)) {
            throw new AssertionError("create-service " + given + " is not accepted: " + outcome);
        }
        Map<String, String> rendered = new TreeMap<>();
        Action capture = new NamedAction("paver:conventions:validate", true, ctx -> {
            rendered.putAll(ctx.workspace());
            return ActionResult.Done.of(Map.of(), "captured");
        });
        List<Action> actions = List.of(new FetchTemplateAction(new TemplateRenderer()), capture,
                stop("github:repo:create"), stop("publish:github:pull-request"), stop("paver:await-merge"),
                stop("argocd:await-sync"));
        InMemoryRunStore store = new InMemoryRunStore();
        RunEngine engine = new RunEngine(catalog, new ActionRegistry(actions), store, new RecordingNotifier(),
                new TemplateRenderer(), Clock.systemUTC(), Runnable::run);
        Run run = engine.start(new RunRequest(path.id(), accepted.parameters(), accepted.platform(), "U0PAVER01",
                RunRequest.Origin.TYPED, "C0PAVER01"));
        if (rendered.isEmpty()) {
            Run stored = store.find(run.id()).orElseThrow();
            throw new AssertionError("create-service rendered nothing: " + stored.state() + " " + stored.outcome());
        }
        return rendered;
    }

    /** The files under {@code prefix/}, with the prefix taken off: the GitOps repository tree of a run. */
    public static Map<String, String> under(String prefix, Map<String, String> files) {
        Map<String, String> out = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.startsWith(prefix + "/")) {
                out.put(path.substring(prefix.length() + 1), text);
            }
        });
        return out;
    }

    private static Action stop(String id) {
        return new NamedAction(id, false, ctx -> new ActionResult.Waiting("test:stop", "stopped by the test", List.of()));
    }

    private record NamedAction(String id, boolean pure, java.util.function.Function<ActionContext, ActionResult> body)
            implements Action {
        @Override
        public ActionResult execute(ActionContext context) {
            return body.apply(context);
        }
    }
}

package dev.paver.core.goldenpath;

import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.run.ActionResult;
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

    /**
     * A catalog of one golden path of a test's own: {@code templateYaml} written to
     * {@code <root>/templates/<name>/template.yaml} and loaded.
     *
     * @throws IllegalStateException when the template has problems (they are named)
     */
    public static GoldenPathCatalog catalogOf(Path root, String name, String templateYaml) throws java.io.IOException {
        Path folder = java.nio.file.Files.createDirectories(root.resolve("templates").resolve(name));
        java.nio.file.Files.writeString(folder.resolve("template.yaml"), templateYaml);
        GoldenPathCatalog catalog = GoldenPathCatalog.load(root.resolve("templates"));
        if (!catalog.problems().isEmpty()) {
            throw new IllegalStateException("template " + name + ": " + catalog.problems());
        }
        return catalog;
    }

    /**
     * The smallest catalog a domain repository needs for create-service: system {@code checkout} of domain
     * {@code payments}, owned by group {@code team-payments} (cost center {@code cc-4711}); path to content.
     */
    public static final Map<String, String> CHECKOUT_CATALOG = Map.of(
            "catalog/systems/checkout.yaml", "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: checkout\n"
                    + "spec:\n  domain: payments\n  owner: group:team-payments\n",
            "catalog/groups/team-payments.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n"
                    + "  name: team-payments\n  annotations:\n    platform/cost-center: cc-4711\nspec:\n  type: team\n");

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
        return render("create-service", given, paymentsCatalog());
    }

    /**
     * The payments catalog with the service {@code api} of system {@code checkout} (what create-service adds), as
     * the paths that work on an existing service (create-resource, create-secret, promote) expect.
     */
    public static PlatformCatalog paymentsCatalogWithApi() {
        PlatformCatalog seed = paymentsCatalog();
        Map<String, PlatformCatalog.ServiceEntry> services = new TreeMap<>(seed.services());
        services.put("api", new PlatformCatalog.ServiceEntry("api", "checkout", "team-payments", "payments"));
        return new PlatformCatalog(seed.systems(), seed.groups(), services, seed.domains(), seed.users());
    }

    /**
     * The payments GitOps repository as {@link #paymentsCatalogWithApi()} describes it: the files create-service
     * renders for api, merged, and a newer build (0.2.0) deployed to the first environment since, so that the next
     * environments have something to be promoted to, and its SealedSecret api-stripe-key in dev (one key, STRIPE_KEY).
     */
    public static Map<String, String> paymentsGitopsWithApi() {
        Map<String, String> files = new TreeMap<>(under("gitops", renderCreateService(apiInCheckout())));
        String dev = "apps/checkout/api/overlays/dev/kustomization.yaml";
        String overlay = files.get(dev);
        if (overlay == null || !overlay.contains("newTag: \"0.1.0\"")) {
            throw new AssertionError("create-service no longer renders " + dev + " with newTag \"0.1.0\": " + overlay);
        }
        files.put(dev, overlay.replace("newTag: \"0.1.0\"", "newTag: \"0.2.0\""));
        // a secret of api in dev, as create-secret writes it, for the paths that change one (rotate-secret)
        files.putAll(under("gitops", render("create-secret", Map.of("service", "api", "environment", "dev",
                "name", "stripe-key", "key", "STRIPE_KEY", "value", "sk_test_first_value"), paymentsCatalogWithApi())));
        return files;
    }

    /**
     * What an example of {@code pathId} renders, against a platform where the catalog and payments-gitops agree:
     * the paths that change an existing service (promote, create-resource, ...) find service api there; create-service,
     * whose examples name new services, finds no api (a taken name is refused before anything is rendered).
     */
    public static Map<String, String> renderExample(String pathId, Map<String, String> example) {
        boolean newService = pathId.equals("create-service");
        return render(pathId, example, newService ? paymentsCatalog() : paymentsCatalogWithApi(),
                newService ? Map.of() : Map.of("payments-gitops", paymentsGitopsWithApi()));
    }

    /**
     * Every file that a run of {@code pathId} renders before it publishes anything, rendered by the real engine and
     * {@code fetch:template}: the workspace as the {@code paver:conventions:validate} step sees it; the run is stopped
     * at its first step with a side effect.
     */
    public static Map<String, String> render(String pathId, Map<String, String> given, PlatformCatalog platformCatalog) {
        return render(pathId, given, platformCatalog, Map.of());
    }

    /**
     * As {@link #render(String, Map, PlatformCatalog)}, with secret values sealed or checked as the intake does
     * ({@link SecretParameters}) with the key of {@code certificates}.
     */
    public static Map<String, String> render(String pathId, Map<String, String> given, PlatformCatalog platformCatalog,
                                             dev.paver.core.secret.CertificateSource certificates) {
        return render(pathId, given, platformCatalog, Map.of(), certificates);
    }

    /**
     * As {@link #render(String, Map, PlatformCatalog)}, with git repositories to read from (the default branch of
     * each, path to text), as {@code paver:promotion:render} reads a service's overlays.
     *
     * @param repositories repository name to its files; a repository not named here is empty
     */
    public static Map<String, String> render(String pathId, Map<String, String> given, PlatformCatalog platformCatalog,
                                             Map<String, Map<String, String>> repositories) {
        return render(pathId, given, platformCatalog, repositories, () -> dev.paver.core.secret.TestKeys.key(4096));
    }

    /**
     * One {@code fetch:template} step of a rendered run: its id, its input as the engine rendered it, and the files it
     * wrote (workspace path to text).
     */
    public record Fetch(String stepId, Map<String, Object> input, Map<String, String> files) {
    }

    /**
     * The {@code fetch:template} steps that an example of {@code pathId} runs ({@link #renderExample}), in order.
     */
    public static List<Fetch> fetchesOfExample(String pathId, Map<String, String> example) {
        boolean newService = pathId.equals("create-service");
        List<Fetch> fetches = new java.util.ArrayList<>();
        render(pathId, example, newService ? paymentsCatalog() : paymentsCatalogWithApi(),
                newService ? Map.of() : Map.of("payments-gitops", paymentsGitopsWithApi()),
                () -> dev.paver.core.secret.TestKeys.key(4096), fetches);
        return fetches;
    }

    private static Map<String, String> render(String pathId, Map<String, String> given, PlatformCatalog platformCatalog,
                                              Map<String, Map<String, String>> repositories,
                                              dev.paver.core.secret.CertificateSource certificates) {
        return render(pathId, given, platformCatalog, repositories, certificates, null);
    }

    /** As above; {@code fetches}, when not null, receives each fetch:template step as it runs. */
    private static Map<String, String> render(String pathId, Map<String, String> given, PlatformCatalog platformCatalog,
                                              Map<String, Map<String, String>> repositories,
                                              dev.paver.core.secret.CertificateSource certificates, List<Fetch> fetches) {
        GoldenPathCatalog catalog = templates().only(List.of(pathId));
        GoldenPath path = catalog.find(pathId).orElseThrow();
        SecretParameters.Split split = SecretParameters.withhold(path, given);
        if (!split.violations().isEmpty()) {
            throw new AssertionError(pathId + " " + split.given() + " is not accepted: " + split.violations());
        }
        RequestCheck.Outcome outcome = new RequestCheck(Conventions.defaults()).check(path, split.given(), platformCatalog, false);
        if (outcome instanceof RequestCheck.Accepted checked) {
            outcome = SecretParameters.seal(path, checked, split.withheld(), certificates);
        }
        if (!(outcome instanceof RequestCheck.Accepted accepted)) {
            throw new AssertionError(pathId + " " + split.given() + " is not accepted: " + outcome);
        }
        Map<String, String> rendered = new TreeMap<>();
        Action capture = new NamedAction("paver:conventions:validate", true, ctx -> {
            rendered.putAll(ctx.workspace());
            return ActionResult.Done.of(Map.of(), "captured");
        });
        java.util.Set<String> ids = new java.util.TreeSet<>();
        catalog.all().forEach(p -> p.steps().forEach(s -> ids.add(s.action())));
        NamesOnly git = new NamesOnly(repositories);
        FetchTemplateAction fetch = new FetchTemplateAction(new TemplateRenderer());
        Action recordedFetch = fetches == null ? fetch : new NamedAction(fetch.id(), true, ctx -> {
            Map<String, String> before = new TreeMap<>(ctx.workspace());
            ActionResult result = fetch.execute(ctx);
            Map<String, String> written = new TreeMap<>();
            ctx.workspace().forEach((file, text) -> {
                if (!text.equals(before.get(file))) {
                    written.put(file, text);
                }
            });
            if (fetches.stream().noneMatch(f -> f.stepId().equals(ctx.stepId()))) { // not again when a run replays it
                fetches.add(new Fetch(ctx.stepId(), ctx.input(), written));
            }
            return result;
        });
        List<Action> actions = new java.util.ArrayList<>(List.of(recordedFetch, capture,
                new dev.paver.core.action.RenderSealedSecretAction(),
                new dev.paver.core.action.DescribeRepositoryAction(git), new dev.paver.core.action.PromotionAction(git),
                new dev.paver.core.action.RotateSealedSecretAction(git), new dev.paver.core.action.DecommissionAction(git),
                new dev.paver.core.action.CheckFreeAction(git)));
        for (String id : ids) {
            if (actions.stream().noneMatch(a -> a.id().equals(id))) {
                actions.add(stop(id));
            }
        }
        InMemoryRunStore store = new InMemoryRunStore();
        RunEngine engine = new RunEngine(catalog, new ActionRegistry(actions), store, new RecordingNotifier(),
                new TemplateRenderer(), Clock.systemUTC(), Runnable::run);
        Run run = engine.start(new RunRequest(path.id(), accepted.parameters(), accepted.platform(), "U0PAVER01",
                RunRequest.Origin.TYPED, "C0PAVER01"));
        if (rendered.isEmpty()) {
            Run stored = store.find(run.id()).orElseThrow();
            throw new AssertionError(pathId + " rendered nothing: " + stored.state() + " " + stored.outcome());
        }
        return rendered;
    }

    /**
     * A git host that names things, as {@code paver:repository:describe} needs, and reads the default branch of
     * given repositories, as {@code paver:promotion:render} does; it refuses every side effect.
     */
    private static final class NamesOnly implements dev.paver.core.goldenpath.RepositoryPort {

        private final Map<String, Map<String, String>> repositories;

        NamesOnly(Map<String, Map<String, String>> repositories) {
            this.repositories = repositories;
        }

        @Override
        public String cloneUrl(String repository) {
            return "https://git.example.com/acme/" + repository + ".git";
        }

        @Override
        public String teamHandle(String group) {
            return "@acme/" + group;
        }

        @Override
        public RepositoryInfo ensureRepository(String name, String description) {
            throw new AssertionError("no side effect while rendering");
        }

        @Override
        public PullRequest openPullRequest(PullRequestDraft draft) {
            throw new AssertionError("no side effect while rendering");
        }

        @Override
        public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
            throw new AssertionError("no side effect while rendering");
        }

        @Override
        public MergeState mergeState(PullRequest pullRequest) {
            throw new AssertionError("no side effect while rendering");
        }

        @Override
        public Map<String, String> readFiles(String repository, String directory) {
            Map<String, String> files = new TreeMap<>();
            repositories.getOrDefault(repository, Map.of()).forEach((path, text) -> {
                if (directory == null || directory.isEmpty() || path.startsWith(directory + "/")) {
                    files.put(path, text);
                }
            });
            return files;
        }

        @Override
        public boolean contains(String repository, String revision, String commit) {
            return false;
        }

        @Override
        public List<String> listRepositories() {
            return List.of();
        }
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

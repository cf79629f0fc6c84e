package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.action.ActionRegistry;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.CatalogReader;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateServiceRunTest {

    @TempDir
    Path tmp;

    @Test
    void opensBothPullRequestsAndWaitsForTheMerge() throws Exception {
        JGitRepositories git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        git.seed("payments-gitops", Map.of(
                "catalog/systems/checkout.yaml", "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: checkout\nspec:\n  domain: payments\n  owner: group:team-payments\n",
                "catalog/groups/team-payments.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-payments\n  annotations:\n    platform/cost-center: cc-4711\nspec:\n  type: team\n"),
                "seed");
        PlatformCatalog platform = CatalogReader.read(git.readFiles("payments-gitops", "catalog"));
        Conventions conventions = Conventions.defaults();
        GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates"));
        TemplateRenderer renderer = new TemplateRenderer();
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new ValidateConventionsAction(new ManifestRules(conventions)), new CreateRepositoryAction(git),
                new PublishPullRequestAction(git), new AwaitMergeAction(git), new AwaitSyncAction(DeploymentPort.disabled())));
        InMemoryRunStore store = new InMemoryRunStore();
        RecordingNotifier notifier = new RecordingNotifier();
        RunEngine engine = new RunEngine(catalog, actions, store, notifier, renderer, Clock.systemUTC(), Runnable::run);

        var outcome = new RequestCheck(conventions).check(catalog.find("create-service").orElseThrow(),
                Map.of("service", "api", "system", "checkout", "owner", "team-payments"), platform, true);
        assertThat(outcome).isInstanceOf(RequestCheck.Accepted.class);
        var accepted = (RequestCheck.Accepted) outcome;
        Run run = engine.start(new RunRequest("create-service", accepted.parameters(), accepted.platform(), "U1",
                RunRequest.Origin.TYPED, "C1"));

        Run stored = store.find(run.id()).orElseThrow();
        System.out.println(stored.state() + " " + stored.outcome() + " " + notifier.replyTexts());
        assertThat(stored.state()).isEqualTo(RunState.WAITING);
        Map<String, String> files = git.readFiles("payments-gitops", "");
        System.out.println(files.keySet());
    }
}

package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.action.CatalogRegisterAction;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PublishGithubAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.access.AccessPolicy;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Message;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unmodified Backstage templates ({@code src/test/resources/backstage-templates/}, from backstage/software-templates)
 * run in Paver's engine, with Backstage's built-in actions, over local git repositories.
 */
class BackstageTemplateRunTest {

    private static final Path TEMPLATES = Path.of("src", "test", "resources", "backstage-templates");

    @TempDir
    Path tmp;

    @Test
    void theDocsTemplateCreatesItsRepositoryWithTheRenderedSkeletonAndRegistersNothing() {
        Run run = run("docs-template", Map.of("name", "payments-docs", "description", "Runbooks for payments",
                "owner", "group:default/team-a", "repoUrl", "paver/payments-docs"));

        Run stored = store.find(run.id()).orElseThrow();
        assertThat(stored.state()).as(stored.outcome()).isEqualTo(RunState.SUCCEEDED);
        assertThat(git.readFiles("payments-docs", "")).containsKeys("catalog-info.yaml", "mkdocs.yml", "docs/index.md");
        assertThat(git.readFiles("payments-docs", "").get("catalog-info.yaml")).contains("name: \"payments-docs\"");
        assertThat(stored.step("register").output()).containsEntry("entityRef", "component:default/payments-docs");
        assertThat(slack.replies).extracting(Message::text).anyMatch(text -> text.startsWith("Nothing to register"));
    }

    @Test
    void anOptionalParameterLeftOutLeavesItsLineOutOfTheSkeleton() {
        Run run = run("springboot-template", Map.of("component_id", "ledger-api", "java_package_name", "com.acme.ledger",
                "owner", "group:default/team-a", "repoUrl", "localhost?owner=paver&repo=ledger-api"));

        Run stored = store.find(run.id()).orElseThrow();
        assertThat(stored.state()).as(stored.outcome()).isEqualTo(RunState.SUCCEEDED);
        assertThat(git.readFiles("ledger-api", "").get("catalog-info.yaml")).contains("name: \"ledger-api\"")
                .doesNotContain("description");
    }

    @Test
    void aRepositoryOfAnotherOwnerOrHostIsRefusedInTheFormNamingBothAndNothingRuns() {
        GoldenPathCatalog catalog = GoldenPathCatalog.load(TEMPLATES,
                java.util.Set.of("fetch:template", "publish:github", "catalog:register")).only(List.of("docs-template"));
        GoldenPath path = catalog.find("docs-template").orElseThrow();
        RequestCheck check = new RequestCheck(Conventions.defaults(), AccessPolicy.defaults(),
                new RepositoryPort.Location("github.com", "acme"));

        for (String typed : List.of("someone/payments-docs", "ghe.other.example?owner=acme&repo=payments-docs")) {
            RequestCheck.Outcome outcome = check.check(path, Map.of("name", "payments-docs", "description", "Runbooks",
                    "owner", "group:default/team-a", "repoUrl", typed), PlatformCatalog.empty(), false);
            assertThat(outcome).as(typed).isInstanceOfSatisfying(RequestCheck.Rejected.class, r -> assertThat(r.violations())
                    .singleElement().satisfies(v -> assertThat(v.message()).contains("but Paver publishes only to its own "
                            + "repositories, owner acme on github.com", "nothing was started", "Write acme/payments-docs")));
        }
        RequestCheck.Outcome own = check.check(path, Map.of("name", "payments-docs", "description", "Runbooks",
                "owner", "group:default/team-a", "repoUrl", "acme/payments-docs"), PlatformCatalog.empty(), false);
        assertThat(own).isInstanceOfSatisfying(RequestCheck.Accepted.class, a -> {
            assertThat(a.parameters()).containsEntry("repoUrl", "github.com?owner=acme&repo=payments-docs");
            assertThat(a.platform()).containsEntry("repoHost", "github.com").containsEntry("repoOwner", "acme");
        });
    }

    private JGitRepositories git;
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final RecordingNotifier slack = new RecordingNotifier();

    private Run run(String id, Map<String, String> given) {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        TemplateRenderer renderer = new TemplateRenderer();
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer),
                new PublishGithubAction(git), new CatalogRegisterAction()));
        GoldenPathCatalog catalog = GoldenPathCatalog.load(TEMPLATES, actions.ids()).only(List.of(id));
        GoldenPath path = catalog.find(id).orElseThrow(() -> new AssertionError(id + ": " + catalog.problems()));
        RequestCheck.Outcome outcome = new RequestCheck(Conventions.defaults()).check(path, given,
                PlatformCatalog.empty(), false);
        assertThat(outcome).isInstanceOf(RequestCheck.Accepted.class);
        RequestCheck.Accepted accepted = (RequestCheck.Accepted) outcome;
        RunEngine engine = new RunEngine(catalog, actions, store, slack, renderer, Clock.systemUTC(), Runnable::run);
        return engine.start(new RunRequest(id, accepted.parameters(), accepted.platform(), "U0DANA",
                RunRequest.Origin.TYPED, "C0DOCS"));
    }
}

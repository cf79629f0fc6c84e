package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.config.InvalidSettingException;
import dev.paver.config.PaverProperties;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.CatalogSource;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.RepositoryPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, point 5: with {@code paver.backstage.url}, the domains, systems, groups and users that pickers offer come
 * from Backstage's catalog API, against a loopback stand-in that pages, fails, stays silent or refuses the token.
 */
class BackstageCatalogTest {

    private static final String TOKEN = "s3cr3t-static-token";

    @TempDir
    Path tmp;

    private BackstageCatalogStandIn backstage;
    private Path tokenFile;
    private final List<LogRecord> logged = new ArrayList<>();
    private Level levelBefore;
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void start() throws IOException {
        backstage = new BackstageCatalogStandIn(TOKEN);
        backstage.add("Domain", "payments", "e1", Map.of("owner", "group:default/team-payments"));
        backstage.add("System", "checkout", "e1", Map.of("owner", "team-payments", "domain", "domain:default/payments"));
        backstage.add("Group", "team-payments", "e1", Map.of("type", "team"));
        backstage.add("User", "alex", "e1", Map.of("memberOf", List.of("group:default/team-payments")));
        backstage.add("Component", "portal-only", "e1", Map.of("system", "checkout", "owner", "team-payments"));
        tokenFile = tmp.resolve("backstage-token");
        Files.writeString(tokenFile, TOKEN + "\n");
        // a Spring Boot started earlier in this JVM may have set the JUL levels from its own logging settings
        Logger logger = Logger.getLogger(CatalogSource.class.getName());
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger logger = Logger.getLogger(CatalogSource.class.getName());
        logger.removeHandler(capture);
        logger.setLevel(levelBefore);
        backstage.close();
    }

    private BackstageCatalog catalog(Duration timeout) {
        return new BackstageCatalog(new BackstageApi(backstage.url(), new TokenFile(tokenFile.toString()), timeout));
    }

    private BackstageCatalog catalog() {
        return catalog(Duration.ofSeconds(10));
    }

    /** The GitOps repository's catalog: a Component (services stay the repositories'), and a Group Backstage lacks. */
    private CatalogSource source(CatalogEntities entities) {
        return new CatalogSource(new CatalogFolder(Map.of(
                "catalog/components/api.yaml", """
                        apiVersion: backstage.io/v1alpha1
                        kind: Component
                        metadata: {name: api}
                        spec: {type: service, system: checkout, owner: team-payments}
                        """,
                "catalog/groups/team-gone.yaml", """
                        apiVersion: backstage.io/v1alpha1
                        kind: Group
                        metadata: {name: team-gone}
                        spec: {type: team, children: []}
                        """)), "-gitops", entities);
    }

    @Test
    void domainsSystemsGroupsAndUsersComeFromBackstageAcrossPagesWithTheToken() {
        CatalogSource source = source(catalog());
        source.refresh();
        PlatformCatalog catalog = source.refreshEntities();

        assertThat(catalog.domains()).containsOnlyKeys("payments").containsEntry("payments", "team-payments");
        assertThat(catalog.systems()).containsOnlyKeys("checkout");
        assertThat(catalog.systems().get("checkout").domain()).isEqualTo("payments");
        assertThat(catalog.groups()).as("the repository's team-gone is not the portal's").containsOnlyKeys("team-payments");
        assertThat(catalog.users()).containsEntry("alex", List.of("team-payments"));
        assertThat(catalog.services()).as("services stay the GitOps repositories' Components").containsOnlyKeys("api");
        assertThat(catalog.services().get("api").domain()).as("through Backstage's system").isEqualTo("payments");
        assertThat(backstage.queries()).as("four entities, two a page").hasSize(2);
        assertThat(backstage.queries().get(0)).contains("filter=kind=domain", "filter=kind=system", "filter=kind=group",
                "filter=kind=user", "limit=");
        assertThat(backstage.queries().get(1)).startsWith("cursor=");
        assertThat(backstage.authorizations()).containsOnly("Bearer " + TOKEN);
    }

    @Test
    void beforeBackstageAnswersTheRepositoriesEntitiesStandIn() {
        backstage.mode(BackstageCatalogStandIn.Mode.ERROR);
        CatalogSource source = source(catalog());
        source.refresh();
        PlatformCatalog catalog = source.refreshEntities();

        assertThat(catalog.groups()).containsOnlyKeys("team-gone");
        assertThat(source.outsideDown()).isTrue();
    }

    @Test
    void anUnchangedCatalogCostsOneSmallQueryAndAChangeIsReadAtTheNextRefresh() {
        CatalogSource source = source(catalog());
        source.refresh();
        source.refreshEntities();
        backstage.clearRecords();

        source.refreshEntities();
        assertThat(backstage.queries()).as("uids and etags of four entities: two pages").hasSize(2)
                .allSatisfy(q -> assertThat(q).contains("fields=metadata.uid,metadata.etag"));

        backstage.add("User", "sam", "e1", Map.of("memberOf", List.of("team-payments")));
        backstage.remove("Domain", "payments");
        backstage.add("Domain", "payments", "e2", Map.of("owner", "group:default/team-platform"));
        PlatformCatalog changed = source.refreshEntities();

        assertThat(changed.users()).containsKeys("alex", "sam");
        assertThat(changed.domains()).containsEntry("payments", "team-platform");
    }

    @Test
    void aBackstageThatFailsKeepsTheLastCatalogAndIsLoggedOnceThenOnceWhenBack() {
        CatalogSource source = source(catalog());
        source.refresh();
        source.refreshEntities();

        backstage.mode(BackstageCatalogStandIn.Mode.ERROR);
        backstage.remove("User", "alex");
        PlatformCatalog during = source.refreshEntities();
        source.refreshEntities();
        source.refreshEntities();

        assertThat(during.users()).containsOnlyKeys("alex");
        assertThat(during.groups()).containsOnlyKeys("team-payments");
        assertThat(logged).hasSize(1);
        assertThat(logged.get(0).getMessage()).contains("Backstage at " + backstage.url(), "HTTP 503", "database is down",
                "keeping the last one read");

        backstage.mode(BackstageCatalogStandIn.Mode.NORMAL);
        PlatformCatalog after = source.refreshEntities();
        assertThat(after.users()).isEmpty();
        assertThat(logged).hasSize(2);
        assertThat(logged.get(1).getMessage()).contains("answers again");
        assertThat(source.outsideDown()).isFalse();
    }

    @Test
    void aSilentBackstageIsGivenUpAfterTheTimeoutAndTheCatalogIsKept() {
        CatalogSource source = source(catalog(Duration.ofMillis(300)));
        source.refresh();
        source.refreshEntities();

        backstage.mode(BackstageCatalogStandIn.Mode.SILENT);
        PlatformCatalog during = source.refreshEntities();

        assertThat(during.domains()).containsOnlyKeys("payments");
        assertThat(logged).singleElement().satisfies(r -> assertThat(r.getMessage())
                .contains("did not answer", "paver.backstage.timeout"));
    }

    @Test
    void aRefusedTokenIsNamedByItsSettingAndNeverShown() {
        backstage.acceptedToken("another-token");
        BackstageCatalog catalog = catalog();

        assertThatThrownBy(catalog::changed).isInstanceOf(CatalogEntities.Unavailable.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("paver.backstage.token-file")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aRotatedTokenFileIsReadAgainWhenBackstageRefusesTheOldToken() throws IOException {
        BackstageCatalog catalog = catalog();
        backstage.acceptedToken("rotated-token");
        Files.writeString(tokenFile, "rotated-token");

        assertThat(catalog.changed()).hasValueSatisfying(entities -> assertThat(entities).hasSize(4));
        assertThat(backstage.authorizations()).contains("Bearer rotated-token");
    }

    @Test
    void anAnswerThatIsNotTheCatalogsSaysToCheckTheUrl() {
        backstage.mode(BackstageCatalogStandIn.Mode.NOT_JSON);

        assertThatThrownBy(catalog()::changed).isInstanceOf(CatalogEntities.Unavailable.class)
                .hasMessageContaining("paver.backstage.url");
    }

    @Test
    void aMissingOrEmptyTokenFileStopsTheStartNamingTheSetting() throws IOException {
        String url = backstage.url().toString();
        assertThatThrownBy(() -> BackstageConfiguration.api(new PaverProperties.Backstage(url,
                tmp.resolve("absent").toString(), Duration.ofSeconds(30), Duration.ofSeconds(10), "paver")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("paver.backstage.token-file")
                .hasMessageContaining("cannot be read");
        Files.writeString(tmp.resolve("empty"), " \n");
        assertThatThrownBy(() -> BackstageConfiguration.api(new PaverProperties.Backstage(url,
                tmp.resolve("empty").toString(), Duration.ofSeconds(30), Duration.ofSeconds(10), "paver")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("paver.backstage.token-file")
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> BackstageConfiguration.api(new PaverProperties.Backstage(url, null,
                Duration.ofSeconds(30), Duration.ofSeconds(10), "paver")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("paver.backstage.token-file");
        assertThatThrownBy(() -> BackstageConfiguration.api(new PaverProperties.Backstage("backstage:7007",
                tokenFile.toString(), Duration.ofSeconds(30), Duration.ofSeconds(10), "paver")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("paver.backstage.url");
    }

    /** A git host with one domain repository whose {@code catalog/} holds {@code files}. */
    private record CatalogFolder(Map<String, String> files) implements RepositoryPort {
        @Override
        public List<String> listRepositories() {
            return List.of("payments-gitops");
        }

        @Override
        public Map<String, String> readFiles(String repository, String directory) {
            return repository.equals("payments-gitops") && directory.equals("catalog") ? files : Map.of();
        }

        @Override
        public RepositoryInfo ensureRepository(String name, String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PullRequest openPullRequest(PullRequestDraft draft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MergeState mergeState(PullRequest pullRequest) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean contains(String repository, String revision, String commit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String cloneUrl(String repository) {
            throw new UnsupportedOperationException();
        }
    }
}

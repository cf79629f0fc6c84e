package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The run store and its Flyway migrations on a real PostgreSQL (embedded binaries, loopback). */
class PostgresRunStoreTest {

    private static EmbeddedPostgres postgres;
    private static JdbcRunStore store;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).load().migrate();
        store = new JdbcRunStore(new JdbcTemplate(postgres.getPostgresDatabase()), "replica-a");
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void aWaitingRunComesBackWithItsStepsThreadAndPostedMilestones() {
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("service", "api");
        parameters.put("system", "checkout");
        parameters.put("port", 8080L);
        RunRequest request = new RunRequest("create-service", parameters, Map.of("domain", "payments"), "U0DANA",
                RunRequest.Origin.MODAL, "C0PAYMENTS");
        Run run = new Run("rpg1", request, created, RunState.RUNNING,
                List.of(StepRun.pending("publish-gitops"), StepRun.pending("await-merge")), null, null, "", created, Set.of());
        store.insert(run);
        assertThat(store.claim("rpg1", created.plusSeconds(60), created)).isTrue();

        Run waiting = new Run("rpg1", request, created, RunState.WAITING,
                List.of(new StepRun("publish-gitops", StepStatus.DONE, Map.of("pullRequestNumber", 7, "branchName", "paver/rpg1/x"),
                                "pull request #7", created, created.plusSeconds(2), null),
                        new StepRun("await-merge", StepStatus.WAITING, Map.of(), "waiting for pull request #7", created.plusSeconds(2), null, null)),
                new ThreadRef("C0PAYMENTS", "1767000001.000100", "1767000001.000100"), "pr:payments-gitops:paver/rpg1/x", "",
                created.plusSeconds(2), Set.of("publish-gitops/opened"));
        store.update(waiting);

        Run back = store.find("rpg1").orElseThrow();
        assertThat(back.state()).isEqualTo(RunState.WAITING);
        assertThat(back.request().parameters()).containsExactly(Map.entry("service", "api"), Map.entry("system", "checkout"),
                Map.entry("port", 8080));
        assertThat(back.request().origin()).isEqualTo(RunRequest.Origin.MODAL);
        assertThat(back.thread()).isEqualTo(new ThreadRef("C0PAYMENTS", "1767000001.000100", "1767000001.000100"));
        assertThat(back.step("publish-gitops").output()).containsEntry("branchName", "paver/rpg1/x");
        assertThat(back.step("await-merge").startedAt()).isEqualTo(created.plusSeconds(2));
        assertThat(back.posted()).containsExactly("publish-gitops/opened");
        assertThat(store.waitingFor("pr:payments-gitops:paver/rpg1/x")).extracting(Run::id).containsExactly("rpg1");
        assertThat(store.waitingFor("pr:payments-gitops:other")).isEmpty();
        assertThat(store.unfinishedIds(List.of())).contains("rpg1");
        assertThat(store.recent(1)).extracting(Run::id).containsExactly("rpg1");
    }
}

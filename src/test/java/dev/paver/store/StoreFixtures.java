package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.access.Grant;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Databases, stored values and races shared by the store tests. Instants are whole milliseconds. */
final class StoreFixtures {

    static final String HEAD = "4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39";
    static final String NEW_HEAD = "9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c";

    private StoreFixtures() {
    }

    /** A fresh in-memory H2 database (one per call), migrated by Flyway; every connection is a new session. */
    static DataSource h2() {
        DataSource dataSource = emptyH2();
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }

    /** A fresh in-memory H2 database with no tables yet. */
    static DataSource emptyH2() {
        return new DriverManagerDataSource("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    }

    /**
     * Stores {@code run} as Paver did before the {@code V2} migration (no timer, no requester column), on a database
     * migrated to {@code V1} only.
     */
    static void insertAsBeforeV2(JdbcTemplate jdbc, Run run) {
        jdbc.update("INSERT INTO runs (id, golden_path, request_json, state, steps_json, channel, outcome, posted_json, "
                        + "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                run.id(), run.request().goldenPath(), Json.write(run.request()), run.state().name(), Json.write(run.steps()),
                run.request().channel(), run.outcome(), Json.write(run.posted()), Sql.time(run.createdAt()),
                Sql.time(run.updatedAt()));
    }

    /** A pending promotion of {@code runId} for {@link #HEAD}, needing {@code required} approvers, expiring in a day. */
    static ApprovalRequest approval(String runId, String key, Instant created, int required) {
        return new ApprovalRequest(ApprovalRequest.id(runId, key), runId, key, "promote", "payments", "payments-prod-api",
                "U0DANA", List.of(new ApprovalRequest.SummaryLine("Reason", "incident 4711"),
                new ApprovalRequest.SummaryLine("Revision", "ghcr.io/payments/api:1.4.2")),
                "https://github.com/acme/payments-gitops/pull/12", HEAD, required, ApprovalState.PENDING, null, null, null,
                created, created.plus(Duration.ofDays(1)), List.of(), List.of());
    }

    static ApprovalRequest.Vote vote(String approver, String head, Instant at) {
        return new ApprovalRequest.Vote(approver, head, at, "BUTTON");
    }

    /** An active elevation of {@code runId} granted at {@code granted} until {@code expires}. */
    static Grant grant(String runId, Instant granted, Instant expires) {
        return new Grant(runId, "payments-prod-api", "operator", "edit", "U0DANA", "dana@acme.example", "U0OMAR",
                "paver-" + runId, granted, expires, Grant.State.ACTIVE, null);
    }

    /** A run of {@code requester}, created at {@code created}, in {@code state}, with the timer {@code wakeAt} or none. */
    static Run run(String id, String requester, Instant created, RunState state, Instant wakeAt) {
        RunRequest request = new RunRequest("elevate", Map.of("role", "operator"), Map.of("domain", "payments"), requester,
                RunRequest.Origin.TYPED, "C0PAYMENTS");
        return new Run(id, request, created, state, List.of(StepRun.pending("approval")), null,
                state == RunState.WAITING ? "approval:" + id : null, "", created, Set.of(), wakeAt);
    }

    /**
     * Calls both at the same moment, from two threads released by one latch, and returns their results in order.
     * Fails the test if either takes longer than ten seconds.
     */
    static List<Boolean> atOnce(Callable<Boolean> first, Callable<Boolean> second) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            Future<Boolean> a = threads.submit(released(ready, go, first));
            Future<Boolean> b = threads.submit(released(ready, go, second));
            assertThat(ready.await(10, TimeUnit.SECONDS)).as("both threads started").isTrue();
            go.countDown();
            return List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }

    private static Callable<Boolean> released(CountDownLatch ready, CountDownLatch go, Callable<Boolean> call) {
        return () -> {
            ready.countDown();
            if (!go.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return call.call();
        };
    }
}

package dev.paver.store;

import static dev.paver.store.StoreFixtures.HEAD;
import static dev.paver.store.StoreFixtures.NEW_HEAD;
import static dev.paver.store.StoreFixtures.approval;
import static dev.paver.store.StoreFixtures.atOnce;
import static dev.paver.store.StoreFixtures.grant;
import static dev.paver.store.StoreFixtures.run;
import static dev.paver.store.StoreFixtures.vote;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.access.Grant;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunState;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code V2} migration and the conditional statements of the approval, grant, audit, run and seen Slack request
 * stores on a real PostgreSQL (embedded binaries, loopback). Tests share one database, so each uses ids of its own.
 */
class PostgresStoresTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        Flyway.configure().dataSource(postgres.getPostgresDatabase()).load().migrate();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void upgradesADatabaseWithRunsFromBeforeTheTimers() {
        jdbc.execute("CREATE DATABASE upgrade");
        DataSource dataSource = postgres.getDatabase("postgres", "upgrade");
        Flyway.configure().dataSource(dataSource).target("1").load().migrate();
        StoreFixtures.insertAsBeforeV2(new JdbcTemplate(dataSource), run("old", "U0DANA", T0, RunState.WAITING, null));

        Flyway flyway = Flyway.configure().dataSource(dataSource).load();
        int pending = flyway.info().pending().length;
        assertThat(pending).as("V2 and every later migration").isGreaterThanOrEqualTo(1);
        assertThat(flyway.migrate().migrationsExecuted).isEqualTo(pending);
        JdbcRunStore runs = new JdbcRunStore(new JdbcTemplate(dataSource), "replica-a");

        assertThat(flyway.info().pending()).isEmpty();
        assertThat(runs.find("old").orElseThrow().wakeAt()).isNull();
        assertThat(runs.recentBy("U0DANA", 10)).isEmpty();
        runs.insert(run("new", "U0DANA", T0.plusSeconds(1), RunState.WAITING, T0.plusSeconds(60)));
        assertThat(runs.recentBy("U0DANA", 10)).extracting(Run::id).containsExactly("new");
        assertThat(runs.due(T0.plusSeconds(60))).extracting(Run::id).containsExactly("new");
    }

    @Test
    void aSignedRequestStoresOneRunAndRunsWithoutASignatureDoNotCollide() {
        JdbcRunStore runs = new JdbcRunStore(jdbc, "replica-sig");
        String signature = "v0=" + "c3".repeat(32);

        assertThat(runs.insert(run("pg-sig-1", "U0SIG", T0, RunState.RECEIVED, null), signature)).isTrue();
        assertThat(runs.insert(run("pg-sig-2", "U0SIG", T0, RunState.RECEIVED, null), signature)).isFalse();
        assertThat(runs.insert(run("pg-sig-3", "U0SIG", T0, RunState.RECEIVED, null), null)).isTrue();
        assertThat(runs.insert(run("pg-sig-4", "U0SIG", T0, RunState.RECEIVED, null), null)).isTrue();

        assertThat(runs.recentBy("U0SIG", 10)).extracting(Run::id).containsExactlyInAnyOrder("pg-sig-1", "pg-sig-3", "pg-sig-4");
    }

    @Test
    void aPostedCardIsStaleUntilItShowsTheRunsLastChange() {
        JdbcRunStore runs = new JdbcRunStore(jdbc, "replica-cards");
        Run run = run("pg-card-1", "U0CARD", T0, RunState.WAITING, null);
        runs.insert(run);
        assertThat(runs.claim(run.id(), T0.plusSeconds(60), T0)).isTrue();
        Run posted = new Run(run.id(), run.request(), run.createdAt(), run.state(), run.steps(),
                new ThreadRef("C0PAYMENTS", "1741079700.000100", "1741079700.000100"), run.waitingFor(), "",
                T0.plusSeconds(5), run.posted(), run.wakeAt());

        runs.update(posted);
        assertThat(runs.staleCards(100)).extracting(Run::id).contains("pg-card-1");
        runs.cardShown(run.id(), T0.plusSeconds(4));
        assertThat(runs.staleCards(100)).as("shown an older state").extracting(Run::id).contains("pg-card-1");
        runs.cardShown(run.id(), posted.updatedAt());
        assertThat(runs.staleCards(100)).extracting(Run::id).doesNotContain("pg-card-1");
    }

    @Test
    void approvalsTakeOneVotePerApproverAndHeadAndOneDecision() throws Exception {
        JdbcApprovalStore approvals = new JdbcApprovalStore(jdbc);
        ApprovalRequest request = approvals.insertIfAbsent(approval("pg-a1", "approve-prod", T0, 2));
        assertThat(approvals.insertIfAbsent(approval("pg-a1", "approve-prod", T0.plusSeconds(9), 1)).required()).isEqualTo(2);

        assertThat(approvals.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(1)))).isTrue();
        assertThat(approvals.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(2)))).isFalse();
        assertThat(approvals.addVote(request.id(), vote("U0LENA", NEW_HEAD, T0.plusSeconds(3)))).isFalse();
        assertThat(approvals.rebase(request.id(), HEAD, NEW_HEAD)).isTrue();
        assertThat(approvals.rebase(request.id(), HEAD, NEW_HEAD)).isFalse();
        assertThat(approvals.addVote(request.id(), vote("U0LENA", NEW_HEAD, T0.plusSeconds(4)))).isTrue();
        approvals.prompts(request.id(), List.of(new ApprovalRequest.Prompt("C0PAYMENTS", "1767000001.000100")));

        List<Boolean> won = atOnce(
                () -> approvals.decide(request.id(), ApprovalState.APPROVED, "U0LENA", T0.plusSeconds(5), null),
                () -> approvals.decide(request.id(), ApprovalState.DENIED, "U0OMAR", T0.plusSeconds(5), "not now"));

        assertThat(won).containsExactlyInAnyOrder(true, false);
        ApprovalRequest decided = approvals.find(request.id()).orElseThrow();
        assertThat(decided.state()).isEqualTo(won.get(0) ? ApprovalState.APPROVED : ApprovalState.DENIED);
        assertThat(decided.decidedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(decided.headSha()).isEqualTo(NEW_HEAD);
        assertThat(decided.votes()).containsExactly(vote("U0LENA", NEW_HEAD, T0.plusSeconds(4)));
        assertThat(decided.prompts()).containsExactly(new ApprovalRequest.Prompt("C0PAYMENTS", "1767000001.000100"));
        assertThat(approvals.addVote(request.id(), vote("U0KIM", NEW_HEAD, T0.plusSeconds(6)))).isFalse();
        assertThat(approvals.pending()).extracting(ApprovalRequest::id).doesNotContain(request.id());
    }

    @Test
    void grantsAreExtendedAndRevokedOnce() throws Exception {
        JdbcGrantStore grants = new JdbcGrantStore(jdbc);
        Instant end = T0.plus(Duration.ofHours(2));
        Instant later = end.plus(Duration.ofHours(1));
        Grant grant = grant("pg-g1", T0, end);
        assertThat(grants.insertIfAbsent(grant)).isEqualTo(grant);
        assertThat(grants.insertIfAbsent(grant("pg-g1", T0, later))).isEqualTo(grant);

        assertThat(atOnce(() -> grants.extend("pg-g1", end, later, "U0LENA"), () -> grants.extend("pg-g1", end, later, "U0OMAR")))
                .containsExactlyInAnyOrder(true, false);
        assertThat(grants.active()).extracting(Grant::runId).contains("pg-g1");
        assertThat(atOnce(() -> grants.revoked("pg-g1", later), () -> grants.revoked("pg-g1", later)))
                .containsExactlyInAnyOrder(true, false);

        Grant revoked = grants.find("pg-g1").orElseThrow();
        assertThat(revoked.expiresAt()).isEqualTo(later);
        assertThat(revoked.state()).isEqualTo(Grant.State.REVOKED);
        assertThat(revoked.revokedAt()).isEqualTo(later);
        assertThat(grants.active()).extracting(Grant::runId).doesNotContain("pg-g1");
    }

    @Test
    void theAuditLogReadsNewestFirstAndExportsOldestFirst() {
        JdbcAuditLog audit = new JdbcAuditLog(jdbc);
        AuditEntry request = new AuditEntry(T0, "U0DANA", "request", "pg-prod-api", "pg-r1", "TYPED", "elevate operator 2h");
        AuditEntry approve = new AuditEntry(T0.plusSeconds(1), "U0OMAR", "approve", "pg-prod-api", "pg-r1", "BUTTON", "");
        AuditEntry grant = new AuditEntry(T0.plusSeconds(1), "paver", "grant", "pg-prod-api", "pg-r1", "PAVER", "until 11:15");
        audit.append(request);
        audit.append(approve);
        audit.append(grant);
        audit.append(new AuditEntry(T0.plusSeconds(2), "U0DANA", "request", "pg-other", null, "TYPED", null));
        List<AuditEntry> exported = new ArrayList<>();

        audit.export(T0.plusSeconds(1), e -> {
            if (e.subject().equals("pg-prod-api")) {
                exported.add(e);
            }
        });

        assertThat(audit.recent(List.of("pg-prod-api"), 2)).containsExactly(grant, approve);
        assertThat(exported).containsExactly(approve, grant);
    }

    @Test
    void runsAreDueByTheirTimerAndListedByRequester() {
        JdbcRunStore runs = new JdbcRunStore(jdbc, "replica-a");
        runs.insert(run("pg-r-late", "U0PGDANA", T0, RunState.WAITING, T0.plusSeconds(20)));
        runs.insert(run("pg-r-soon", "U0PGDANA", T0.plusSeconds(1), RunState.WAITING, T0.plusSeconds(10)));
        runs.insert(run("pg-r-none", "U0PGOMAR", T0.plusSeconds(2), RunState.WAITING, null));

        assertThat(runs.due(T0.plusSeconds(20))).extracting(Run::id).containsExactly("pg-r-soon", "pg-r-late");
        assertThat(runs.claim("pg-r-soon", T0.plusSeconds(60), T0)).isTrue();
        runs.update(run("pg-r-soon", "U0PGDANA", T0.plusSeconds(1), RunState.RUNNING, null));
        assertThat(runs.due(T0.plusSeconds(20))).extracting(Run::id).containsExactly("pg-r-late");
        assertThat(runs.recentBy("U0PGDANA", 10)).extracting(Run::id).containsExactly("pg-r-soon", "pg-r-late");
    }

    @Test
    void aSlackRequestIsSeenOnceWhicheverReplicaGetsItFirst() throws Exception {
        JdbcSeenRequests replicaA = new JdbcSeenRequests(jdbc, Duration.ofMinutes(1));
        JdbcSeenRequests replicaB = new JdbcSeenRequests(new JdbcTemplate(postgres.getPostgresDatabase()), Duration.ofMinutes(1));
        String signature = "v0=" + "9f".repeat(32);

        assertThat(atOnce(() -> replicaA.firstTime(signature, T0, T0.plusSeconds(360)),
                () -> replicaB.firstTime(signature, T0, T0.plusSeconds(360)))).containsExactlyInAnyOrder(true, false);
        assertThat(replicaA.firstTime(signature, T0.plusSeconds(1), T0.plusSeconds(361))).isFalse();

        assertThat(replicaB.sweep(T0.plusSeconds(361))).isGreaterThanOrEqualTo(1);
        assertThat(replicaA.firstTime(signature, T0.plusSeconds(362), T0.plusSeconds(722))).as("forgotten after its time")
                .isTrue();
    }
}

package dev.paver.store;

import static dev.paver.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.report.Link;
import dev.paver.core.report.ThreadRef;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Runs survive a restart: what the engine stores is what it finds again, on the Flyway schema. */
class JdbcRunStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-04T09:15:00.123Z");

    private JdbcRunStore store;

    @BeforeEach
    void migrateAFreshDatabase() {
        store = new JdbcRunStore(new JdbcTemplate(StoreFixtures.h2()), "replica-a");
    }

    private static RunRequest request() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("service", "ledger-worker");
        parameters.put("system", "checkout");
        parameters.put("owner", "team-payments");
        parameters.put("profile", "large");
        parameters.put("port", 9090L);
        parameters.put("description", "Books every payment");
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("environments", List.of("dev", "staging", "prod"));
        platform.put("firstEnvironment", "dev");
        platform.put("domain", "payments");
        platform.put("gitopsRepository", "payments-gitops");
        platform.put("costCenter", "cc-4711");
        platform.put("profile", Map.of("name", "large", "limitsCpu", "2", "limitsMemory", "2Gi"));
        return new RunRequest("create-service", parameters, platform, "U0DANA", RunRequest.Origin.MODAL, "C0PAYMENTS");
    }

    private static Run newRun(String id, Instant created, RunState state, String waitingFor) {
        List<StepRun> steps = List.of(StepRun.pending("render-base"), StepRun.pending("publish-gitops"), StepRun.pending("await-merge"));
        return new Run(id, request(), created, state, steps, null, waitingFor, "", created, Set.of());
    }

    /** The run as the engine leaves it once the GitOps pull request is open and it waits for the merge. */
    private static Run waitingForMerge(Run run) {
        Instant later = run.createdAt().plusSeconds(75);
        List<StepRun> steps = List.of(
                new StepRun("render-base", StepStatus.DONE, Map.of("files", List.of("gitops/apps/checkout/ledger-worker/base/deployment.yaml")),
                        "3 files", run.createdAt(), run.createdAt().plusMillis(40), null),
                new StepRun("publish-gitops", StepStatus.DONE, Map.of("pullRequestNumber", 7, "remoteUrl",
                        "https://github.com/acme/payments-gitops/pull/7", "branchName", "paver/" + run.id() + "/create-service-ledger-worker"),
                        "pull request #7 in payments-gitops", run.createdAt().plusSeconds(2), run.createdAt().plusSeconds(3), null),
                new StepRun("await-merge", StepStatus.WAITING, Map.of(), "waiting for pull request #7 to be merged",
                        run.createdAt().plusSeconds(3), null, run.createdAt().plusSeconds(40)));
        return new Run(run.id(), run.request(), run.createdAt(), RunState.WAITING, steps,
                new ThreadRef("C0PAYMENTS", "1741079700.000100", "1741079700.000100"), "pr:payments-gitops#7", "", later,
                Set.of("publish-gitops/opened", "render-base/rendered"));
    }

    @Test
    void findsARunAsItWasInserted() {
        Run run = newRun("r1", T0, RunState.RUNNING, null);
        store.insert(run);

        Run found = store.find("r1").orElseThrow();

        assertThat(found.id()).isEqualTo("r1");
        assertThat(found.state()).isEqualTo(RunState.RUNNING);
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.updatedAt()).isEqualTo(T0);
        assertThat(found.thread()).isNull();
        assertThat(found.waitingFor()).isNull();
        assertThat(found.outcome()).isEmpty();
        assertThat(found.posted()).isEmpty();
        assertThat(found.steps()).isEqualTo(run.steps());
        assertThat(found.request().goldenPath()).isEqualTo("create-service");
        assertThat(found.request().requester()).isEqualTo("U0DANA");
        assertThat(found.request().origin()).isEqualTo(RunRequest.Origin.MODAL);
        assertThat(found.request().channel()).isEqualTo("C0PAYMENTS");
        assertThat(found.request().platform()).isEqualTo(run.request().platform());
    }

    @Test
    void storesOneRunPerSignedRequestAndAnyNumberWithoutOne() {
        String signature = "v0=" + "a1".repeat(32);

        assertThat(store.insert(newRun("r1", T0, RunState.RECEIVED, null), signature)).isTrue();
        assertThat(store.insert(newRun("r2", T0, RunState.RECEIVED, null), signature)).as("the replay").isFalse();
        assertThat(store.insert(newRun("r3", T0, RunState.RECEIVED, null), "v0=" + "b2".repeat(32))).isTrue();
        assertThat(store.insert(newRun("r4", T0, RunState.RECEIVED, null), null)).isTrue();
        assertThat(store.insert(newRun("r5", T0, RunState.RECEIVED, null), null)).isTrue();

        assertThat(store.find("r2")).as("nothing written for the replay").isEmpty();
        assertThat(store.find("r1")).isPresent();
        assertThat(store.find("r5")).isPresent();
    }

    /** {@code run} as written again {@code seconds} after its creation (a step finished, a state changed). */
    private static Run changed(Run run, long seconds) {
        return new Run(run.id(), run.request(), run.createdAt(), run.state(), run.steps(), run.thread(), run.waitingFor(),
                run.outcome(), run.createdAt().plusSeconds(seconds), run.posted());
    }

    @Test
    void aCardIsStaleFromEachChangeOfItsRunUntilItShowsThatChange() {
        store.insert(newRun("r1", T0, RunState.RUNNING, null));
        store.insert(newRun("r2", T0, RunState.RUNNING, null));
        claim("r1", "r2");
        assertThat(store.staleCards(10)).as("no card posted yet").isEmpty();

        Run r1 = waitingForMerge(store.find("r1").orElseThrow());
        store.update(r1);
        store.update(changed(waitingForMerge(store.find("r2").orElseThrow()), 30));
        assertThat(store.staleCards(10)).as("least recently changed first").extracting(Run::id).containsExactly("r2", "r1");
        assertThat(store.staleCards(1)).extracting(Run::id).containsExactly("r2");

        store.cardShown("r1", r1.updatedAt());
        assertThat(store.staleCards(10)).extracting(Run::id).containsExactly("r2");

        Run later = changed(r1, 120);
        store.update(later);
        assertThat(store.staleCards(10)).as("changed after its card was edited").extracting(Run::id).contains("r1");

        store.cardShown("r1", r1.updatedAt());
        assertThat(store.staleCards(10)).as("an edit built from an older state").extracting(Run::id).contains("r1");

        store.cardShown("r1", later.updatedAt());
        store.cardShown("r2", store.find("r2").orElseThrow().updatedAt());
        assertThat(store.staleCards(10)).isEmpty();
    }

    @Test
    void staleCardsAreFoundThroughTheirIndexNotAScanOfEveryRun() {
        JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
        String plan = jdbc.queryForObject("EXPLAIN SELECT * FROM runs WHERE card_stale_since >= ? ORDER BY card_stale_since "
                + "LIMIT ?", String.class, java.sql.Timestamp.from(Instant.EPOCH), 10);

        assertThat(plan).containsIgnoringCase("RUNS_CARD_STALE_SINCE").doesNotContainIgnoringCase("tableScan");
    }

    @Test
    void findsTheRunsWaitingForAnyKeyWithAPrefixTakingItsCharactersLiterally() {
        store.insert(newRun("r1", T0, RunState.WAITING, "argocd:payments-dev-api"));
        store.insert(newRun("r2", T0.plusSeconds(1), RunState.WAITING, "argocd:payments-prod-api"));
        store.insert(newRun("r3", T0.plusSeconds(2), RunState.WAITING, "pr:payments-gitops:paver/r3"));
        store.insert(newRun("r4", T0.plusSeconds(3), RunState.SUCCEEDED, "argocd:payments-dev-old"));
        store.insert(newRun("r5", T0.plusSeconds(4), RunState.WAITING, "argocdXpayments"));
        store.insert(newRun("r6", T0.plusSeconds(5), RunState.WAITING, "a_b%c:x"));

        assertThat(store.waitingOn("argocd:")).containsExactly("r1", "r2");
        store.insert(newRun("r7", T0.plusSeconds(6), RunState.RUNNING, null));
        assertThat(store.unfinishedIds(List.of("argocd:", "a_b"))).containsExactly("r3", "r5", "r7");
        assertThat(store.unfinishedIds(List.of())).containsExactly("r1", "r2", "r3", "r5", "r6", "r7");
        assertThat(store.waitingOn("a_b%c:")).containsExactly("r6");
        assertThat(store.waitingOn("a%")).isEmpty();
    }

    @Test
    void keepsTheOrderOfTheParameters() {
        store.insert(newRun("r1", T0, RunState.RUNNING, null));

        Map<String, Object> parameters = store.find("r1").orElseThrow().request().parameters();

        assertThat(parameters.keySet()).containsExactly("service", "system", "owner", "profile", "port", "description");
        assertThat(String.valueOf(parameters.get("port"))).isEqualTo("9090");
        assertThat(parameters.get("description")).isEqualTo("Books every payment");
    }

    @Test
    void findsStepsOutputsThreadAndPostedMilestonesAsUpdated() {
        Run run = newRun("r1", T0, RunState.RUNNING, null);
        store.insert(run);
        claim("r1");
        Run waiting = waitingForMerge(run);

        store.update(waiting);
        Run found = store.find("r1").orElseThrow();

        assertThat(found.state()).isEqualTo(RunState.WAITING);
        assertThat(found.waitingFor()).isEqualTo("pr:payments-gitops#7");
        assertThat(found.thread()).isEqualTo(new ThreadRef("C0PAYMENTS", "1741079700.000100", "1741079700.000100"));
        assertThat(found.posted()).containsExactlyInAnyOrder("publish-gitops/opened", "render-base/rendered");
        assertThat(found.updatedAt()).isEqualTo(T0.plusSeconds(75));
        assertThat(found.steps()).isEqualTo(waiting.steps());
        assertThat(found.step("publish-gitops").output()).containsEntry("pullRequestNumber", 7)
                .containsEntry("branchName", "paver/r1/create-service-ledger-worker");
        assertThat(found.step("await-merge").finishedAt()).isNull();
    }

    @Test
    void keepsTheRepliesADoneStepHasStillToPostAndReadsStepsStoredBeforeThereWereAny() {
        Run run = newRun("r1", T0, RunState.RUNNING, null);
        store.insert(run);
        claim("r1");
        StepRun published = new StepRun("publish-gitops", StepStatus.DONE, Map.of("pullRequestNumber", 7), "pull request #7",
                T0, T0.plusSeconds(2), null, List.of(new Milestone("opened", "Pull request #7 opened",
                        List.of(new Link("payments-gitops #7", "https://github.com/acme/payments-gitops/pull/7")))));
        store.update(new Run("r1", run.request(), T0, RunState.RUNNING, List.of(StepRun.pending("render-base"), published,
                StepRun.pending("await-merge")), null, null, "", T0.plusSeconds(2), Set.of()));

        assertThat(store.find("r1").orElseThrow().step("publish-gitops").milestones()).isEqualTo(published.milestones());

        // a run stored by an earlier version: its steps have no "milestones" member
        JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
        JdbcRunStore older = new JdbcRunStore(jdbc, "replica-a");
        older.insert(newRun("r2", T0, RunState.RUNNING, null));
        jdbc.update("UPDATE runs SET steps_json = ? WHERE id = 'r2'", "[{\"stepId\":\"render-base\",\"status\":\"DONE\","
                + "\"output\":{},\"detail\":\"3 files\",\"startedAt\":\"2026-12-05T10:00:00Z\",\"finishedAt\":null,"
                + "\"retryingSince\":null}]");
        StepRun old = older.find("r2").orElseThrow().step("render-base");
        assertThat(old.status()).isEqualTo(StepStatus.DONE);
        assertThat(old.milestones()).isEmpty();
    }

    @Test
    void keepsTheFinalWordsOfAFailedRun() {
        Run run = newRun("r1", T0, RunState.RUNNING, null);
        store.insert(run);
        claim("r1");
        String reason = "The rendered files break the platform conventions, so nothing was pushed (1 violation):\n"
                + "apps/checkout/api/base/deployment.yaml:1: image-tag: Deployment/api container 'api' uses image 'ghcr.io/payments/api:latest' in prod";

        store.update(new Run("r1", run.request(), T0, RunState.FAILED, run.steps(), null, null, reason, T0.plusSeconds(1), Set.of("validate/failed")));

        Run found = store.find("r1").orElseThrow();
        assertThat(found.state()).isEqualTo(RunState.FAILED);
        assertThat(found.outcome()).isEqualTo(reason);
        assertThat(found.waitingFor()).isNull();
    }

    @Test
    void listsUnfinishedRunsOldestFirst() {
        store.insert(newRun("done", T0, RunState.SUCCEEDED, null));
        store.insert(newRun("newest", T0.plusSeconds(30), RunState.RUNNING, null));
        store.insert(newRun("oldest", T0.plusSeconds(10), RunState.WAITING, "pr:payments-gitops#7"));
        store.insert(newRun("failed", T0.plusSeconds(20), RunState.FAILED, null));

        assertThat(store.unfinishedIds(List.of())).containsExactly("oldest", "newest");
    }

    @Test
    void findsTheRunsWaitingForOneKeyOnly() {
        store.insert(newRun("merge-7", T0, RunState.WAITING, "pr:payments-gitops#7"));
        store.insert(newRun("merge-8", T0.plusSeconds(1), RunState.WAITING, "pr:payments-gitops#8"));
        store.insert(newRun("sync", T0.plusSeconds(2), RunState.WAITING, "argocd:payments-dev-api"));
        store.insert(newRun("also-merge-7", T0.plusSeconds(3), RunState.WAITING, "pr:payments-gitops#7"));
        store.insert(newRun("was-merge-7", T0.plusSeconds(4), RunState.SUCCEEDED, "pr:payments-gitops#7"));

        assertThat(store.waitingFor("pr:payments-gitops#7")).extracting(Run::id).containsExactly("merge-7", "also-merge-7");
        assertThat(store.waitingFor("argocd:payments-dev-api")).extracting(Run::id).containsExactly("sync");
        assertThat(store.waitingFor("argocd:payments-prod-api")).isEmpty();
    }

    @Test
    void stopsWaitingOnceTheRunMovesOn() {
        Run run = newRun("r1", T0, RunState.RUNNING, null);
        store.insert(run);
        claim("r1");
        Run waiting = waitingForMerge(run);
        store.update(waiting);
        assertThat(store.waitingFor("pr:payments-gitops#7")).extracting(Run::id).containsExactly("r1");

        store.update(new Run("r1", run.request(), T0, RunState.RUNNING, waiting.steps(), waiting.thread(), null, "",
                T0.plusSeconds(100), waiting.posted()));

        assertThat(store.waitingFor("pr:payments-gitops#7")).isEmpty();
        assertThat(store.unfinishedIds(List.of())).containsExactly("r1");
    }

    @Test
    void listsRecentRunsNewestFirst() {
        store.insert(newRun("a", T0, RunState.SUCCEEDED, null));
        store.insert(newRun("b", T0.plusSeconds(1), RunState.FAILED, null));
        store.insert(newRun("c", T0.plusSeconds(2), RunState.RUNNING, null));

        assertThat(store.recent(2)).extracting(Run::id).containsExactly("c", "b");
    }

    /** Takes the runs' leases as the engine does before a pass. */
    private void claim(String... runIds) {
        for (String id : runIds) {
            assertThat(store.claim(id, T0.plusSeconds(60), T0)).isTrue();
        }
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(store.find("r-unknown")).isEmpty();
    }

    @Test
    void refusesToUpdateARunThatWasNeverStored() {
        assertThatThrownBy(() -> store.update(newRun("r-unknown", T0, RunState.RUNNING, null)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("r-unknown");
    }

    @Test
    void keepsTheTimerOfAWaitingRunUntilItMovesOn() {
        Run waiting = run("r1", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(3600));
        store.insert(waiting);
        assertThat(store.find("r1").orElseThrow().wakeAt()).isEqualTo(T0.plusSeconds(3600));
        claim("r1");

        store.update(run("r1", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(7200)));
        assertThat(store.find("r1").orElseThrow().wakeAt()).isEqualTo(T0.plusSeconds(7200));

        store.update(run("r1", "U0DANA", T0, RunState.RUNNING, null));
        assertThat(store.find("r1").orElseThrow().wakeAt()).isNull();
    }

    @Test
    void listsWaitingRunsWhoseTimerIsDueSoonestFirst() {
        store.insert(run("later", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(20)));
        store.insert(run("sooner", "U0DANA", T0.plusSeconds(1), RunState.WAITING, T0.plusSeconds(10)));
        store.insert(run("future", "U0DANA", T0.plusSeconds(2), RunState.WAITING, T0.plusSeconds(21)));
        store.insert(run("no-timer", "U0DANA", T0.plusSeconds(3), RunState.WAITING, null));
        store.insert(run("running", "U0DANA", T0.plusSeconds(4), RunState.RUNNING, T0.plusSeconds(5)));

        assertThat(store.due(T0.plusSeconds(20))).extracting(Run::id).containsExactly("sooner", "later");
        assertThat(store.due(T0.plusSeconds(20).minusMillis(1))).extracting(Run::id).containsExactly("sooner");
        assertThat(store.due(T0)).isEmpty();
    }

    @Test
    void aRunIsNoLongerDueOnceItMovesOnOrLosesItsTimer() {
        store.insert(run("woken", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(10)));
        store.insert(run("rearmed", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(10)));
        store.insert(run("cleared", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(10)));
        claim("woken", "rearmed", "cleared");

        store.update(run("woken", "U0DANA", T0, RunState.EXPIRED, T0.plusSeconds(10)));
        store.update(run("rearmed", "U0DANA", T0, RunState.WAITING, T0.plusSeconds(3600)));
        store.update(run("cleared", "U0DANA", T0, RunState.WAITING, null));

        assertThat(store.due(T0.plusSeconds(60))).isEmpty();
        assertThat(store.due(T0.plusSeconds(3600))).extracting(Run::id).containsExactly("rearmed");
    }

    @Test
    void listsTheRecentRunsOfOneRequesterNewestFirst() {
        store.insert(run("dana-1", "U0DANA", T0, RunState.SUCCEEDED, null));
        store.insert(run("omar-1", "U0OMAR", T0.plusSeconds(1), RunState.RUNNING, null));
        store.insert(run("dana-2", "U0DANA", T0.plusSeconds(2), RunState.FAILED, null));
        store.insert(run("dana-3", "U0DANA", T0.plusSeconds(3), RunState.WAITING, T0.plusSeconds(60)));

        assertThat(store.recentBy("U0DANA", 2)).extracting(Run::id).containsExactly("dana-3", "dana-2");
        assertThat(store.recentBy("U0OMAR", 10)).extracting(Run::id).containsExactly("omar-1");
        assertThat(store.recentBy("U0NOBODY", 10)).isEmpty();
    }

    @Test
    void aRunStoredBeforeTheUpgradeIsStillFoundButNotListedByRequester() {
        DataSource dataSource = StoreFixtures.emptyH2();
        Flyway.configure().dataSource(dataSource).target("1").load().migrate();
        StoreFixtures.insertAsBeforeV2(new JdbcTemplate(dataSource), run("old", "U0DANA", T0, RunState.WAITING, null));

        Flyway.configure().dataSource(dataSource).load().migrate();
        JdbcRunStore upgraded = new JdbcRunStore(new JdbcTemplate(dataSource), "replica-a");

        Run old = upgraded.find("old").orElseThrow();
        assertThat(old.request().requester()).isEqualTo("U0DANA");
        assertThat(old.wakeAt()).isNull();
        assertThat(upgraded.unfinishedIds(List.of())).containsExactly("old");
        assertThat(upgraded.due(T0.plusSeconds(86_400))).isEmpty();
        assertThat(upgraded.recentBy("U0DANA", 10)).as("older rows have no requester column value").isEmpty();
    }
}

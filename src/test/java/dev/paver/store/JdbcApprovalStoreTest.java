package dev.paver.store;

import static dev.paver.store.StoreFixtures.HEAD;
import static dev.paver.store.StoreFixtures.NEW_HEAD;
import static dev.paver.store.StoreFixtures.approval;
import static dev.paver.store.StoreFixtures.atOnce;
import static dev.paver.store.StoreFixtures.vote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalRequest.Prompt;
import dev.paver.core.approval.ApprovalRequest.Vote;
import dev.paver.core.approval.ApprovalState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Approval requests on H2: one decision however many approvers click, and votes only for the head they saw. */
class JdbcApprovalStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-04T09:15:00.123Z");

    private JdbcTemplate jdbc;
    private JdbcApprovalStore store;

    @BeforeEach
    void migrateAFreshDatabase() {
        jdbc = new JdbcTemplate(StoreFixtures.h2());
        store = new JdbcApprovalStore(jdbc);
    }

    private ApprovalRequest opened(String runId) {
        return store.insertIfAbsent(approval(runId, "approve-prod", T0, 2));
    }

    @Test
    void findsARequestAsItWasOpened() {
        ApprovalRequest request = approval("r1", "approve-prod", T0, 2);

        ApprovalRequest stored = store.insertIfAbsent(request);

        assertThat(stored).isEqualTo(request);
        assertThat(store.find("r1.approve-prod")).contains(request);
        ApprovalRequest found = store.find("r1.approve-prod").orElseThrow();
        assertThat(found.summary()).extracting(ApprovalRequest.SummaryLine::value)
                .containsExactly("incident 4711", "ghcr.io/payments/api:1.4.2");
        assertThat(found.state()).isEqualTo(ApprovalState.PENDING);
        assertThat(found.decidedBy()).isEmpty();
        assertThat(found.decidedAt()).isNull();
        assertThat(found.expiresAt()).isEqualTo(T0.plusSeconds(86_400));
        assertThat(store.find("r1.unknown")).isEmpty();
    }

    @Test
    void aSecondRequestWithTheSameIdGetsTheFirstOneBackUnchanged() {
        ApprovalRequest first = opened("r1");
        store.addVote(first.id(), vote("U0OMAR", HEAD, T0.plusSeconds(5)));
        ApprovalRequest other = approval("r1", "approve-prod", T0.plusSeconds(60), 1);

        ApprovalRequest stored = store.insertIfAbsent(other);

        assertThat(stored.required()).isEqualTo(2);
        assertThat(stored.createdAt()).isEqualTo(T0);
        assertThat(stored.votes()).extracting(Vote::approver).containsExactly("U0OMAR");
        assertThat(store.forRun("r1")).hasSize(1);
    }

    @Test
    void countsOneVotePerApproverForTheCurrentHeadOldestFirst() {
        ApprovalRequest request = opened("r1");

        assertThat(store.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(20)))).isTrue();
        assertThat(store.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(30)))).as("second click").isFalse();
        assertThat(store.addVote(request.id(), vote("U0LENA", HEAD, T0.plusSeconds(10)))).isTrue();

        assertThat(store.find(request.id()).orElseThrow().votes()).containsExactly(
                vote("U0LENA", HEAD, T0.plusSeconds(10)), vote("U0OMAR", HEAD, T0.plusSeconds(20)));
    }

    @Test
    void refusesAVoteForAHeadThePullRequestIsNoLongerAt() {
        ApprovalRequest request = opened("r1");

        assertThat(store.addVote(request.id(), vote("U0OMAR", NEW_HEAD, T0.plusSeconds(20)))).isFalse();
        assertThat(store.addVote("r-unknown.approve-prod", vote("U0OMAR", HEAD, T0.plusSeconds(20)))).isFalse();

        assertThat(store.find(request.id()).orElseThrow().votes()).isEmpty();
    }

    @Test
    void aDecidedRequestTakesNoMoreVotes() {
        ApprovalRequest request = opened("r1");
        store.decide(request.id(), ApprovalState.DENIED, "U0LENA", T0.plusSeconds(40), "not during the freeze");

        assertThat(store.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(50)))).isFalse();
        assertThat(store.find(request.id()).orElseThrow().votes()).isEmpty();
    }

    @Test
    void decidesOnceAndKeepsWhoDecidedWhenAndWhy() {
        ApprovalRequest request = opened("r1");

        assertThat(store.decide(request.id(), ApprovalState.DENIED, "U0LENA", T0.plusSeconds(40), "not during the freeze"))
                .isTrue();
        assertThat(store.decide(request.id(), ApprovalState.APPROVED, "U0OMAR", T0.plusSeconds(41), null)).isFalse();

        ApprovalRequest found = store.find(request.id()).orElseThrow();
        assertThat(found.state()).isEqualTo(ApprovalState.DENIED);
        assertThat(found.decidedBy()).isEqualTo("U0LENA");
        assertThat(found.decidedAt()).isEqualTo(T0.plusSeconds(40));
        assertThat(found.reason()).isEqualTo("not during the freeze");
        assertThat(store.pending()).isEmpty();
    }

    @Test
    void twoApproversDecidingAtOnceMakeExactlyOneDecision() throws Exception {
        for (int round = 0; round < 20; round++) {
            ApprovalRequest request = opened("race" + round);

            List<Boolean> won = atOnce(
                    () -> store.decide(request.id(), ApprovalState.APPROVED, "U0OMAR", T0.plusSeconds(60), null),
                    () -> store.decide(request.id(), ApprovalState.DENIED, "U0LENA", T0.plusSeconds(61), "too risky"));

            assertThat(won).as("round " + round).containsExactlyInAnyOrder(true, false);
            ApprovalRequest decided = store.find(request.id()).orElseThrow();
            assertThat(decided.state()).isEqualTo(won.get(0) ? ApprovalState.APPROVED : ApprovalState.DENIED);
            assertThat(decided.decidedBy()).isEqualTo(won.get(0) ? "U0OMAR" : "U0LENA");
        }
    }

    @Test
    void refusesToDecideBackToPending() {
        ApprovalRequest request = opened("r1");

        assertThatThrownBy(() -> store.decide(request.id(), ApprovalState.PENDING, "U0OMAR", T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.find(request.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    }

    @Test
    void aNewHeadVoidsTheVotesAndReopensAnApprovedRequest() {
        ApprovalRequest request = opened("r1");
        store.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(10)));
        store.addVote(request.id(), vote("U0LENA", HEAD, T0.plusSeconds(20)));
        store.decide(request.id(), ApprovalState.APPROVED, "U0LENA", T0.plusSeconds(20), null);

        assertThat(store.rebase(request.id(), HEAD, NEW_HEAD)).isTrue();

        ApprovalRequest moved = store.find(request.id()).orElseThrow();
        assertThat(moved.headSha()).isEqualTo(NEW_HEAD);
        assertThat(moved.state()).isEqualTo(ApprovalState.PENDING);
        assertThat(moved.decidedBy()).isEmpty();
        assertThat(moved.decidedAt()).isNull();
        assertThat(moved.votes()).isEmpty();
        assertThat(store.pending()).extracting(ApprovalRequest::id).containsExactly(request.id());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM approval_votes WHERE approval_id = ?", Integer.class,
                request.id())).as("earlier votes are kept, not counted").isEqualTo(2);

        assertThat(store.addVote(request.id(), vote("U0OMAR", HEAD, T0.plusSeconds(30)))).as("old head").isFalse();
        assertThat(store.addVote(request.id(), vote("U0OMAR", NEW_HEAD, T0.plusSeconds(31)))).as("new head").isTrue();
        assertThat(store.find(request.id()).orElseThrow().votes()).containsExactly(vote("U0OMAR", NEW_HEAD, T0.plusSeconds(31)));
    }

    @Test
    void movesOnlyFromTheHeadItIsAtAndNeverADeniedRequest() {
        ApprovalRequest request = opened("r1");

        assertThat(store.rebase(request.id(), NEW_HEAD, "0000000000000000000000000000000000000001")).as("stale head").isFalse();
        assertThat(store.rebase(request.id(), HEAD, HEAD)).as("same head").isFalse();
        assertThat(store.rebase(request.id(), HEAD, NEW_HEAD)).isTrue();
        assertThat(store.rebase(request.id(), HEAD, NEW_HEAD)).as("second caller").isFalse();

        ApprovalRequest denied = opened("r2");
        store.decide(denied.id(), ApprovalState.DENIED, "U0LENA", T0.plusSeconds(5), "no");
        assertThat(store.rebase(denied.id(), HEAD, NEW_HEAD)).isFalse();
        ApprovalRequest stillDenied = store.find(denied.id()).orElseThrow();
        assertThat(stillDenied.state()).isEqualTo(ApprovalState.DENIED);
        assertThat(stillDenied.headSha()).isEqualTo(HEAD);
    }

    @Test
    void replacesWhereThePromptsWerePosted() {
        ApprovalRequest request = opened("r1");

        store.prompts(request.id(), List.of(new Prompt("C0PAYMENTS", "1741079700.000100"), new Prompt("D0OMAR", "1741079701.000200")));
        store.prompts(request.id(), List.of(new Prompt("C0PAYMENTS", "1741079700.000100")));

        assertThat(store.find(request.id()).orElseThrow().prompts()).containsExactly(new Prompt("C0PAYMENTS", "1741079700.000100"));
        assertThatThrownBy(() -> store.prompts("r-unknown.approve-prod", List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("r-unknown.approve-prod");
    }

    @Test
    void listsPendingRequestsAndARunsRequestsOldestFirst() {
        store.insertIfAbsent(approval("r1", "approve-prod", T0.plusSeconds(30), 1));
        store.insertIfAbsent(approval("r2", "approve-prod", T0.plusSeconds(10), 1));
        store.insertIfAbsent(approval("r1", "extend-1", T0.plusSeconds(20), 1));
        store.insertIfAbsent(approval("r3", "approve-prod", T0, 1));
        store.decide("r3.approve-prod", ApprovalState.EXPIRED, null, T0.plusSeconds(40), null);

        assertThat(store.pending()).extracting(ApprovalRequest::id)
                .containsExactly("r2.approve-prod", "r1.extend-1", "r1.approve-prod");
        assertThat(store.forRun("r1")).extracting(ApprovalRequest::id).containsExactly("r1.extend-1", "r1.approve-prod");
        assertThat(store.forRun("r3")).extracting(ApprovalRequest::state).containsExactly(ApprovalState.EXPIRED);
        assertThat(store.forRun("r-unknown")).isEmpty();
    }

    @Test
    void listsEachRequestWithItsOwnVotes() {
        store.insertIfAbsent(approval("r1", "approve-prod", T0, 2));
        store.insertIfAbsent(approval("r2", "approve-prod", T0.plusSeconds(1), 2));
        store.addVote("r1.approve-prod", vote("U0OMAR", HEAD, T0.plusSeconds(5)));
        store.addVote("r2.approve-prod", vote("U0LENA", HEAD, T0.plusSeconds(6)));
        store.addVote("r2.approve-prod", vote("U0OMAR", HEAD, T0.plusSeconds(7)));

        assertThat(store.pending()).extracting(r -> r.votes().stream().map(Vote::approver).toList())
                .containsExactly(List.of("U0OMAR"), List.of("U0LENA", "U0OMAR"));
    }
}

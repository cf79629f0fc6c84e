package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.report.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which thread replies a channel gets at each level of its noise budget. */
class NoiseBudgetTest {

    private static final Milestone SYNCING = Milestone.of("syncing", "Argo CD is syncing payments-dev-api.");
    private static final Milestone OPENED = Milestone.of("opened", "GitOps pull request opened in payments-gitops");
    private static final Milestone FAILED = Milestone.of("failed", "Failed: the conventions gate refused the change");
    private static final Milestone REMIND = Milestone.of("remind", "your pull request has waited 2d for a merge");
    private static final Milestone PREVIEW = new Milestone("shown-ab12", "Preview", List.of(),
            List.of(new Message.Button("Open PR", "preview-open", "r1 ab12", "primary")));

    private static NoiseBudget busy(NoiseLevel level) {
        return new NoiseBudget(Map.of("C0BUSY", level));
    }

    @Test
    void aChannelNotNamedGetsEveryReply() {
        NoiseBudget budget = busy(NoiseLevel.CARD_ONLY);
        assertThat(List.of(SYNCING, OPENED, FAILED, REMIND)).allMatch(m -> budget.shows("C0PAYMENTS", m));
        assertThat(budget.quietChannels()).containsExactly("C0BUSY");
        assertThat(busy(NoiseLevel.ALL).quietChannels()).isEmpty();
    }

    @Test
    void milestonesHoldsBackOnlyTheChattyProgressReplies() {
        NoiseBudget budget = busy(NoiseLevel.MILESTONES);
        assertThat(budget.shows("C0BUSY", SYNCING)).isFalse();
        assertThat(budget.shows("C0BUSY", Milestone.of("0/creating", "Crossplane is creating the database"))).isFalse();
        assertThat(List.of(OPENED, FAILED, REMIND)).allMatch(m -> budget.shows("C0BUSY", m));
    }

    @Test
    void failuresPostsOnlyFailuresAndRequestsForAction() {
        NoiseBudget budget = busy(NoiseLevel.FAILURES);
        assertThat(budget.shows("C0BUSY", SYNCING)).isFalse();
        assertThat(budget.shows("C0BUSY", OPENED)).isFalse();
        assertThat(budget.shows("C0BUSY", Milestone.of("deployed", "Deployed to dev"))).isFalse();
        assertThat(List.of(FAILED, REMIND, Milestone.of("error:Instance/db:1a2b", "Crossplane cannot reconcile"),
                Milestone.of("abandoned", "Abandoned: nobody merged"))).allMatch(m -> budget.shows("C0BUSY", m));
    }

    @Test
    void cardOnlyPostsNothingButAReplyWhoseButtonTheRunWaitsFor() {
        NoiseBudget budget = busy(NoiseLevel.CARD_ONLY);
        assertThat(List.of(SYNCING, OPENED, FAILED, REMIND)).noneMatch(m -> budget.shows("C0BUSY", m));
        assertThat(budget.shows("C0BUSY", PREVIEW)).isTrue();
    }

    @Test
    void anUnknownLevelIsRefusedNamingTheKeyAndTheLevels() {
        assertThatThrownBy(() -> NoiseLevel.parse("paver.notifications.channels.C0BUSY", "quiet"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("paver.notifications.channels.C0BUSY is 'quiet', which is not a notification level; use one of "
                        + "all, milestones, failures, card-only");
        assertThat(NoiseLevel.parse("k", " Card-Only ")).isEqualTo(NoiseLevel.CARD_ONLY);
    }
}

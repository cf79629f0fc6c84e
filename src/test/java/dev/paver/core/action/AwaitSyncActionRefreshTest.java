package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code argocd:await-sync} asks Argo CD to refresh right after the merge, once, and a refusal never fails the run. */
class AwaitSyncActionRefreshTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final String MERGED = "9f2c1e7a4b6d8c0e2f4a6b8d0c2e4f6a8b0d2c4e";
    private static final String EARLIER = "1a3c5e7f9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a";

    /** A cluster whose Application runs {@code applied}; counts refreshes, refuses them when asked to. */
    private static final class Cluster implements DeploymentPort {
        final List<String> refreshed = new ArrayList<>();
        RuntimeException refusal;
        String applied = EARLIER;

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<ApplicationStatus> application(String name) {
            return Optional.of(new ApplicationStatus(name, "Synced", applied, "Healthy", "", "Succeeded", "", applied));
        }

        @Override
        public boolean sync(String name, String revision, String initiatedBy, Map<String, String> info) {
            return false;
        }

        @Override
        public boolean refresh(String name) {
            refreshed.add(name);
            if (refusal != null) {
                throw refusal;
            }
            return true;
        }
    }

    private final Cluster cluster = new Cluster();
    private final AwaitSyncAction action = new AwaitSyncAction(cluster, null);

    private ActionResult check(boolean checkedBefore) {
        Map<String, Object> input = new LinkedHashMap<>(Map.of("application", "payments-dev-api", "revision", MERGED,
                "environment", "dev"));
        return action.execute(new ActionContext("r1", "await-sync", T0, T0, null, null, input, new LinkedHashMap<>(),
                Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC), null, Set.of(), checkedBefore));
    }

    @Test
    void theFirstCheckAfterTheMergeAsksArgoCdToRefreshTheApplicationAndLaterChecksDoNot() {
        assertThat(check(false)).isInstanceOf(ActionResult.Waiting.class);
        assertThat(cluster.refreshed).containsExactly("payments-dev-api");

        assertThat(check(true)).isInstanceOf(ActionResult.Waiting.class);
        cluster.applied = MERGED;
        assertThat(check(true)).isInstanceOf(ActionResult.Done.class);
        assertThat(cluster.refreshed).as("once: a refresh on every wake would make Argo CD compare again and again").hasSize(1);
    }

    @Test
    void aRefusedRefreshIsSaidOnceAndTheStepGoesOnWaitingUntilDeployed() {
        cluster.refusal = new RuntimeException("the API server refused to refresh Application payments-dev-api in argocd: forbidden");

        ActionResult first = check(false);

        assertThat(first).isInstanceOf(ActionResult.Waiting.class);
        assertThat(first.milestones()).extracting(Milestone::key).containsExactly("refresh-refused");
        assertThat(first.milestones().get(0).text()).contains("payments-dev-api", "forbidden",
                "Argo CD will notice at its next poll, usually within 3 minutes; give Paver's ServiceAccount patch on "
                        + "applications to make this immediate");
        assertThat(check(true).milestones()).isEmpty();
        cluster.applied = MERGED;
        ActionResult deployed = check(true);
        assertThat(deployed).isInstanceOf(ActionResult.Done.class);
        assertThat(deployed.milestones()).extracting(Milestone::key).containsExactly("deployed");
    }
}

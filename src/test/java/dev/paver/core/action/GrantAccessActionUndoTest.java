package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.access.AccessBinding;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.InMemoryAuditLog;
import dev.paver.core.run.Compensation;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.StepRun;
import dev.paver.core.run.StepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** An elevation cancelled while its access runs: the grant is revoked as {@code /platform revoke} revokes it. */
class GrantAccessActionUndoTest {

    private static final Instant GRANTED = Instant.parse("2026-03-04T10:00:00Z");
    private static final Instant CANCELLED = GRANTED.plusSeconds(600);

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final List<String> bindings = new ArrayList<>(List.of("payments-prod-api/paver-r1"));
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final List<AuditEntry> audited = audit.entries();
    private boolean clusterDown;

    private final GrantAccessAction action = new GrantAccessAction(new Cluster(), new Grants(), audit);
    private final Compensation.Cancel cancel = new Compensation.Cancel("r1", new RunRequest("elevate", Map.of(), Map.of(),
            "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS"), "U0ALEX", CANCELLED);
    private final StepRun granted = new StepRun("grant", StepStatus.DONE, Map.of("binding", "paver-r1"), "operator",
            GRANTED, GRANTED, null);

    GrantAccessActionUndoTest() {
        grants.put("r1", new Grant("r1", "payments-prod-api", "operator", "edit", "U0DANA", "dana@acme.com", "U0SAM",
                "paver-r1", GRANTED, GRANTED.plusSeconds(3600), Grant.State.ACTIVE, null));
    }

    @Test
    void anActiveGrantIsRevokedItsRoleBindingDeletedAndTheRevocationAuditedWithWhoCancelled() {
        List<Compensation> undo = action.undo(cancel, granted);

        assertThat(undo).singleElement().satisfies(c -> assertThat(c.todo()).isEqualTo("delete RoleBinding paver-r1 in payments-prod-api"));
        assertThat(undo.get(0).undo().get()).contains("revoked operator of", "U0DANA", "RoleBinding paver-r1 deleted");
        assertThat(bindings).isEmpty();
        assertThat(grants.get("r1").state()).isEqualTo(Grant.State.REVOKED);
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("U0ALEX");
            assertThat(e.action()).isEqualTo(Revocations.ACTION);
            assertThat(e.detail()).contains("as the run was cancelled");
        });

        assertThat(action.undo(cancel, granted)).as("nothing left to undo once revoked").isEmpty();
    }

    @Test
    void aClusterThatCannotBeReachedLeavesTheGrantActiveForTheExpiryOrAnotherTry() {
        clusterDown = true;
        Compensation revoke = action.undo(cancel, granted).get(0);

        assertThatThrownBy(() -> revoke.undo().get()).hasMessageContaining("connection refused");
        assertThat(grants.get("r1").state()).isEqualTo(Grant.State.ACTIVE);
        assertThat(audited).isEmpty();
    }

    @Test
    void aStepNotDoneGrantedNothingToUndo() {
        StepRun waiting = new StepRun("grant", StepStatus.WAITING, Map.of(), "", GRANTED, null, null);

        assertThat(action.undo(cancel, waiting)).isEmpty();
    }

    private final class Cluster implements AccessPort {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void bind(String namespace, String name, String clusterRole, String identity, Map<String, String> annotations) {
            bindings.add(namespace + "/" + name);
        }

        @Override
        public boolean unbind(String namespace, String name) {
            if (clusterDown) {
                throw new IllegalStateException("connection refused");
            }
            return bindings.remove(namespace + "/" + name);
        }

        @Override
        public boolean namespaceExists(String namespace) {
            return true;
        }

        @Override
        public List<AccessBinding> bindings() {
            return List.of();
        }
    }

    private final class Grants implements GrantStore {
        @Override
        public Grant insertIfAbsent(Grant grant) {
            return grants.computeIfAbsent(grant.runId(), k -> grant);
        }

        @Override
        public Optional<Grant> find(String runId) {
            return Optional.ofNullable(grants.get(runId));
        }

        @Override
        public List<Grant> active() {
            return grants.values().stream().filter(g -> g.state() == Grant.State.ACTIVE).toList();
        }

        @Override
        public boolean extend(String runId, Instant from, Instant to, String approver) {
            return false;
        }

        @Override
        public boolean revoked(String runId, Instant at) {
            Grant g = grants.get(runId);
            if (g == null || g.state() != Grant.State.ACTIVE) {
                return false;
            }
            grants.put(runId, new Grant(g.runId(), g.namespace(), g.role(), g.clusterRole(), g.user(), g.identity(), g.approver(),
                    g.binding(), g.grantedAt(), g.expiresAt(), Grant.State.REVOKED, at));
            return true;
        }
    }

}

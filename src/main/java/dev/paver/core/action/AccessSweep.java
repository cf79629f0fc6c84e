package dev.paver.core.action;

import dev.paver.core.access.AccessBinding;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.SemanticKey;
import dev.paver.core.report.Times;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes production access that no active grant backs: lists Paver's own RoleBindings in the cluster
 * ({@link AccessPort#bindings()}, by label) and deletes each one whose grant has ended (expired or revoked) or that the
 * database does not know (a lost or restored database, a binding someone labelled as Paver's, a revocation that kept
 * failing). Runs at start-up and every {@code paver.access.sweep-interval}; the one place, beside
 * {@link RevokeAccessAction}'s revocation at expiry, where Paver deletes access.
 *
 * <p>A binding belongs to the grant of the run its {@code paver.dev/run} annotation names (else the run its name
 * {@code paver-<run id>} names) when the grant's namespace and binding name are the binding's; it is kept while that
 * grant is ACTIVE, not past its expiry, and the binding still binds the grant's ClusterRole to the grant's one User
 * (a binding someone changed is deleted, not repaired). Each deletion is audited (actor {@code paver}, action {@code sweep}, origin
 * {@code PAVER}, with the reason); an expired grant still ACTIVE in the database is marked REVOKED, so its run reports
 * the end at its next pass. Safe on several replicas at once: a binding already gone is neither audited nor counted.
 *
 * <p>Only bindings in production namespaces ({@code {domain}-{prod}-{service}}, the last of the conventions'
 * environments) are Paver's: Paver grants nowhere else, and the admission policy of {@code deploy/} lets it delete
 * nowhere else. A binding labelled as Paver's in any other namespace is left alone and reported as ignored.
 */
public final class AccessSweep {

    private final AccessPort access;
    private final GrantStore grants;
    private final AuditLog audit;
    private final Clock clock;
    private final Conventions conventions;

    /**
     * What one sweep did.
     *
     * @param kept     bindings an active grant backs
     * @param deleted  bindings deleted, each described with the reason
     * @param failures bindings that could not be deleted, each with the API server's reason; tried again next sweep
     * @param ignored  bindings labelled as Paver's outside production namespaces, described: not Paver's to delete
     */
    public record Outcome(int kept, List<String> deleted, List<String> failures, List<String> ignored) {
        public Outcome {
            deleted = List.copyOf(deleted);
            failures = List.copyOf(failures);
            ignored = List.copyOf(ignored);
        }
    }

    /**
     * @param access      the cluster's RBAC
     * @param grants      the stored grants
     * @param audit       where each deletion is recorded
     * @param clock       what "now" is, against the grants' expiry
     * @param conventions which namespaces are production's
     */
    public AccessSweep(AccessPort access, GrantStore grants, AuditLog audit, Clock clock, Conventions conventions) {
        this.access = access;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
        this.conventions = conventions;
    }

    /**
     * One sweep over every cluster Paver writes elevations to.
     *
     * @return what was kept, deleted and could not be deleted; nothing when no cluster is configured
     * @throws RuntimeException when the bindings cannot be listed (the cluster refuses or cannot be reached) or the
     *                          database cannot be read: nothing is deleted then
     */
    public Outcome sweep() {
        if (!access.enabled()) {
            return new Outcome(0, List.of(), List.of(), List.of());
        }
        int kept = 0;
        List<String> deleted = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (AccessBinding binding : access.bindings()) {
            if (!production(binding.namespace())) {
                ignored.add(binding.describe());
                continue;
            }
            Instant now = clock.instant();
            Optional<Grant> grant = grantOf(binding);
            Optional<String> reason = reasonToDelete(binding, grant, now);
            if (reason.isEmpty()) {
                kept++;
                continue;
            }
            try {
                if (!access.unbind(binding.namespace(), binding.name())) {
                    continue; // deleted meanwhile, by the revocation at expiry or another replica's sweep
                }
            } catch (RuntimeException e) {
                failures.add(binding.describe() + ": " + e.getMessage());
                continue;
            }
            String runId = grant.map(Grant::runId).orElse("");
            if (grant.isPresent() && grant.get().state() == Grant.State.ACTIVE) {
                grants.revoked(runId, now);
            }
            String detail = binding.describe() + " deleted: " + reason.get();
            audit.append(new AuditEntry(now, "paver", "sweep", binding.namespace(), runId, "PAVER", detail));
            deleted.add(detail);
        }
        return new Outcome(kept, deleted, failures, ignored);
    }

    private boolean production(String namespace) {
        return namespace != null && conventions.parseKey(namespace).map(SemanticKey::env)
                .filter(env -> env.equals(conventions.productionEnvironment())).isPresent();
    }

    /** The stored grant whose binding this is: the run of its annotation, else of its name; same namespace and name. */
    private Optional<Grant> grantOf(AccessBinding binding) {
        String runId = binding.annotations().get(GrantAccessAction.ANNOTATION_PREFIX + "run");
        String prefix = GrantAccessAction.bindingName("");
        if ((runId == null || runId.isBlank()) && binding.name().startsWith(prefix)) {
            runId = binding.name().substring(prefix.length());
        }
        if (runId == null || runId.isBlank()) {
            return Optional.empty();
        }
        return grants.find(runId).filter(g -> g.namespace().equals(binding.namespace()) && g.binding().equals(binding.name()));
    }

    private static Optional<String> reasonToDelete(AccessBinding binding, Optional<Grant> grant, Instant now) {
        if (grant.isEmpty()) {
            return Optional.of("no grant of Paver's database has this binding");
        }
        Grant g = grant.get();
        if (g.state() == Grant.State.REVOKED) {
            return Optional.of("its grant (run " + g.runId() + ") was revoked"
                    + (g.revokedAt() == null ? "" : " at " + Times.instant(g.revokedAt())));
        }
        if (!now.isBefore(g.expiresAt())) {
            return Optional.of("its grant (run " + g.runId() + ") ended at " + Times.instant(g.expiresAt()));
        }
        List<String> granted = List.of("User/" + g.identity());
        if (!"ClusterRole".equals(binding.roleKind()) || !g.clusterRole().equals(binding.role())
                || !granted.equals(binding.subjects())) {
            return Optional.of("it no longer binds what its grant (run " + g.runId() + ") approved: ClusterRole "
                    + g.clusterRole() + " for " + granted.get(0));
        }
        return Optional.empty();
    }
}

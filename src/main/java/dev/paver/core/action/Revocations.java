package dev.paver.core.action;

import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.access.GrantStore;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.SemanticKey;
import dev.paver.core.report.Message;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code /platform revoke <key>}: ends an elevation before its time. The holder ends their own access to the namespace
 * {@code <key>}; an approver of the key's domain ends everyone's there. Each grant is revoked as its expiry revokes it
 * (the RoleBinding deleted, then a conditional update of the stored grant, so that it happens once however many people
 * or replicas try), the audit log records who did it, and the elevation's run is woken: its
 * {@code kubernetes:revoke-access} step says in the thread who ended the access, and ends.
 */
public final class Revocations {

    /** The audit log's action for a revocation, by the expiry or by a person. */
    public static final String ACTION = "revoke";

    private final GrantStore grants;
    private final AccessPort access;
    private final ApprovalPolicy policy;
    private final AuditLog audit;
    private final Conventions conventions;
    private final Clock clock;
    private final Consumer<String> wake;

    /**
     * @param wake wakes the runs waiting for a wait key ({@code access:<run id>}: the elevation's revoke step)
     */
    public Revocations(GrantStore grants, AccessPort access, ApprovalPolicy policy, AuditLog audit, Conventions conventions,
                       Clock clock, Consumer<String> wake) {
        this.grants = grants;
        this.access = access;
        this.policy = policy;
        this.audit = audit;
        this.conventions = conventions;
        this.clock = clock;
        this.wake = wake;
    }

    /**
     * Revokes the active grants of {@code key} that {@code userId} may end.
     *
     * @param key    the namespace, a semantic key {@code {domain}-{env}-{service}}
     * @param userId who asked, from the signed request
     * @return what to tell them, privately
     * @throws IllegalArgumentException when {@code key} is not a semantic key (the message says what to type)
     * @throws RuntimeException         when the RoleBinding cannot be deleted (the cluster): the grant stays active
     */
    public String revoke(String key, String userId) {
        String typed = key == null ? "" : key.strip();
        Optional<SemanticKey> parsed = typed.matches("[a-z0-9-]{1,63}") ? conventions.parseKey(typed) : Optional.empty();
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(Names.quote(typed) + " is not a key {domain}-{env}-{service}; type the namespace "
                    + "of the access, e.g. `revoke payments-prod-api`.");
        }
        List<Grant> here = grants.active().stream().filter(g -> g.namespace().equals(typed)).toList();
        if (here.isEmpty()) {
            return "Nobody has access to " + typed + " through Paver now. Nothing changed.";
        }
        boolean approver = policy.approversOf(parsed.get().domain()).contains(userId);
        List<Grant> mine = here.stream().filter(g -> approver || g.user().equals(userId)).toList();
        if (mine.isEmpty()) {
            return ":no_entry: Only the person who holds an access, or an approver of " + parsed.get().domain()
                    + ", can revoke it. Nothing changed.";
        }
        Instant now = clock.instant();
        List<String> ended = new ArrayList<>();
        for (Grant grant : mine) {
            access.unbind(grant.namespace(), grant.binding());
            if (grants.revoked(grant.runId(), now)) {
                audit.append(new AuditEntry(now, userId, ACTION, grant.namespace(), grant.runId(), "TYPED",
                        grant.role() + " of " + grant.user() + " revoked before its end at " + grant.expiresAt()
                                + "; RoleBinding " + grant.binding() + " deleted"));
                ended.add(grant.role() + " of " + Message.mention(grant.user()));
            }
            wake.accept(RevokeAccessAction.waitKey(grant.runId()));
        }
        if (ended.isEmpty()) {
            return "That access has just ended. Nothing more to revoke.";
        }
        return "Revoked: " + String.join(", ", ended) + " in " + typed + ". The RoleBinding is deleted; the thread of the "
                + "elevation says so.";
    }

    /** Who revoked a grant before its end ({@link #revoke}), from the audit log; empty when its expiry did. */
    public static Optional<String> revokedBy(AuditLog audit, Grant grant) {
        return audit.recent(List.of(grant.namespace()), 50).stream()
                .filter(e -> ACTION.equals(e.action()) && grant.runId().equals(e.runId()) && !"paver".equals(e.actor()))
                .map(AuditEntry::actor).findFirst();
    }
}

package dev.paver.core.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * Port to the append-only audit log: entries are added, read and exported, never changed. Implementations throw
 * unchecked exceptions when the store is unreachable.
 */
public interface AuditLog {

    void append(AuditEntry entry);

    /** The newest entries first, at most {@code limit}, whose subject is one of {@code subjects}. */
    List<AuditEntry> recent(Collection<String> subjects, int limit);

    /** The newest entries first, at most {@code limit}, made by {@code actor} (a chat user id, or {@code paver}). */
    List<AuditEntry> recentBy(String actor, int limit);

    /**
     * The newest entries first, at most {@code limit}, about a domain: whose subject is {@code domain} itself or starts
     * with {@code domain-} (a key of it) or {@code domain/} (a service of it).
     */
    List<AuditEntry> recentIn(String domain, int limit);

    /** Every entry at or after {@code since}, oldest first, streamed to {@code sink}. */
    void export(Instant since, Consumer<AuditEntry> sink);
}

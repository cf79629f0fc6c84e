package dev.paver.core.audit;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An {@link AuditLog} in memory for tests: keeps every appended entry, in order ({@link #entries()}), and answers the
 * queries as the database does (newest first, at most {@code limit}). Safe to append from several threads.
 */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

    /** Every entry appended so far, oldest first; a live view. */
    public List<AuditEntry> entries() {
        return entries;
    }

    @Override
    public void append(AuditEntry entry) {
        entries.add(entry);
    }

    private List<AuditEntry> newest(Predicate<AuditEntry> which, int limit) {
        return entries.stream().filter(which).sorted(Comparator.comparing(AuditEntry::at).reversed()).limit(limit).toList();
    }

    @Override
    public List<AuditEntry> recent(Collection<String> subjects, int limit) {
        return newest(e -> subjects.contains(e.subject()), limit);
    }

    @Override
    public List<AuditEntry> recentBy(String actor, int limit) {
        return newest(e -> e.actor().equals(actor), limit);
    }

    @Override
    public List<AuditEntry> recentIn(String domain, int limit) {
        return newest(e -> e.subject().equals(domain) || e.subject().startsWith(domain + "-")
                || e.subject().startsWith(domain + "/"), limit);
    }

    @Override
    public void export(Instant since, Consumer<AuditEntry> sink) {
        entries.stream().filter(e -> !e.at().isBefore(since)).forEach(sink);
    }
}

package dev.paver.core.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RunStore} in a map, for unit tests of the engine; the real one is {@code JdbcRunStore}. Like it, it keeps
 * the instants of its columns to {@link RunStore#PRECISION}, and it guards updates with the lease as it does (one
 * replica: its claims succeed unless a test leaves a lease of another owner with {@link #leaseTo}).
 */
public final class InMemoryRunStore implements RunStore {
    private static final String OWNER = "in-memory";

    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> shown = new ConcurrentHashMap<>();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final java.util.Set<String> signatures = ConcurrentHashMap.newKeySet();

    private record Lease(String owner, Instant until) {
    }

    /** Leaves the run leased to another replica until {@code until}, as if that replica passed over it now. */
    public void leaseTo(String runId, String owner, Instant until) {
        leases.put(runId, new Lease(owner, until));
    }

    /** Who holds the run's lease now, or null. */
    public String leaseOwner(String runId) {
        Lease lease = leases.get(runId);
        return lease == null ? null : lease.owner();
    }

    @Override
    public synchronized boolean claim(String runId, Instant until, Instant now) {
        Lease lease = leases.get(runId);
        if (!runs.containsKey(runId)
                || lease != null && !lease.owner().equals(OWNER) && lease.until().isAfter(now)) {
            return false;
        }
        leases.put(runId, new Lease(OWNER, until));
        return true;
    }

    @Override
    public synchronized boolean renew(String runId, Instant until) {
        Lease lease = leases.get(runId);
        if (lease == null || !lease.owner().equals(OWNER)) {
            return false;
        }
        leases.put(runId, new Lease(OWNER, until));
        return true;
    }

    @Override
    public synchronized void release(String runId) {
        leases.computeIfPresent(runId, (id, lease) -> lease.owner().equals(OWNER) ? null : lease);
    }

    @Override
    public List<String> unfinishedIds(java.util.Collection<String> unlessWaitingOn) {
        return runs.values().stream()
                .filter(r -> r.state() == RunState.RUNNING || r.state() == RunState.WAITING && (r.waitingFor() == null
                        || unlessWaitingOn.stream().noneMatch(r.waitingFor()::startsWith)))
                .sorted(Comparator.comparing(Run::createdAt)).map(Run::id).toList();
    }

    @Override
    public List<String> waitingOn(String keyPrefix) {
        return runs.values().stream()
                .filter(r -> r.state() == RunState.WAITING && r.waitingFor() != null && r.waitingFor().startsWith(keyPrefix))
                .sorted(Comparator.comparing(Run::createdAt)).map(Run::id).toList();
    }

    @Override
    public synchronized boolean insert(Run run, String requestSignature) {
        if (requestSignature != null && !signatures.add(requestSignature)) {
            return false;
        }
        runs.put(run.id(), copy(run));
        return true;
    }

    @Override
    public synchronized void update(Run run) {
        if (!runs.containsKey(run.id())) {
            throw new IllegalStateException("run " + run.id() + " is not stored");
        }
        Lease lease = leases.get(run.id());
        if (lease == null || !lease.owner().equals(OWNER)) {
            throw new LeaseLost("run " + run.id() + " is not leased to " + OWNER);
        }
        runs.put(run.id(), copy(run));
    }

    @Override
    public Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id)).map(InMemoryRunStore::copy);
    }

    @Override
    public List<Run> waitingFor(String waitKey) {
        return runs.values().stream().filter(r -> r.state() == RunState.WAITING && waitKey.equals(r.waitingFor()))
                .map(InMemoryRunStore::copy).toList();
    }

    @Override
    public List<Run> recent(int limit) {
        return new ArrayList<>(runs.values()).stream().sorted(Comparator.comparing(Run::createdAt).reversed()).limit(limit)
                .map(InMemoryRunStore::copy).toList();
    }

    @Override
    public List<Run> due(Instant now) {
        return runs.values().stream().filter(r -> r.state() == RunState.WAITING && r.wakeAt() != null && !r.wakeAt().isAfter(now))
                .sorted(Comparator.comparing(Run::wakeAt)).map(InMemoryRunStore::copy).toList();
    }

    @Override
    public List<Run> recentBy(String requester, int limit) {
        return recent(Integer.MAX_VALUE).stream().filter(r -> r.request().requester().equals(requester)).limit(limit).toList();
    }

    @Override
    public List<Run> received(java.time.Instant before) {
        return runs.values().stream().filter(r -> r.state() == RunState.RECEIVED && !r.createdAt().isAfter(before))
                .sorted(Comparator.comparing(Run::createdAt)).map(InMemoryRunStore::copy).toList();
    }

    @Override
    public synchronized boolean leaveReceived(String id, RunRequest request, RunState state, String outcome, java.time.Instant now) {
        Run r = runs.get(id);
        if (r == null || r.state() != RunState.RECEIVED) {
            return false;
        }
        runs.put(id, copy(new Run(r.id(), request, r.createdAt(), state, r.steps(), r.thread(), null, outcome, now, r.posted(), null)));
        return true;
    }

    @Override
    public List<Run> staleCards(int limit) {
        return runs.values().stream().filter(r -> r.thread() != null
                        && (shown.get(r.id()) == null || shown.get(r.id()).isBefore(r.updatedAt())))
                .sorted(Comparator.comparing(Run::updatedAt)).limit(limit).map(InMemoryRunStore::copy).toList();
    }

    @Override
    public void cardShown(String id, java.time.Instant updatedAt) {
        shown.put(id, RunStore.kept(updatedAt));
    }

    private static Run copy(Run r) {
        return new Run(r.id(), r.request(), RunStore.kept(r.createdAt()), r.state(), r.steps(), r.thread(), r.waitingFor(),
                r.outcome(), RunStore.kept(r.updatedAt()), r.posted(), RunStore.kept(r.wakeAt()));
    }
}

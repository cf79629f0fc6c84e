package dev.paver.core.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link RunStore} in a map, for unit tests of the engine; the real one is {@code JdbcRunStore}. Like it, it keeps
 * the instants of its columns to {@link RunStore#PRECISION}.
 */
public final class InMemoryRunStore implements RunStore {
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final Map<String, java.time.Instant> shown = new ConcurrentHashMap<>();

    @Override
    public void insert(Run run) {
        runs.put(run.id(), copy(run));
    }

    @Override
    public void update(Run run) {
        runs.put(run.id(), copy(run));
    }

    @Override
    public Optional<Run> find(String id) {
        return Optional.ofNullable(runs.get(id)).map(InMemoryRunStore::copy);
    }

    @Override
    public List<Run> unfinished() {
        return runs.values().stream().filter(r -> !r.state().finished() && r.state() != RunState.RECEIVED).sorted(Comparator.comparing(Run::createdAt))
                .map(InMemoryRunStore::copy).toList();
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
    public List<Run> due(java.time.Instant now) {
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

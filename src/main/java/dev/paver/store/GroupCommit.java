package dev.paver.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit: writes that callers make at the same moment share one transaction, so that a burst of them pays for
 * one commit, not one each. A commit is the costly part of a small write: H2 with {@code WRITE_DELAY=0} writes a new
 * chunk of every B-tree page the transaction touched, PostgreSQL flushes its write-ahead log. Each caller still returns
 * only once its own write is committed, so "stored before the ack" holds for each.
 *
 * <p>No thread of its own: the first caller to find no commit under way commits every write queued at that moment
 * (its own among them); the callers that arrive meanwhile queue, and the next of them commits them all. A lone
 * caller writes at once, in its own transaction, as without this class.
 *
 * <p>When a write in a shared transaction throws (a duplicate key; in PostgreSQL any error aborts the whole
 * transaction), the transaction is rolled back and each of its writes is made again on its own, so that each caller
 * gets its own result or its own exception, as if it had been alone.
 *
 * @param <T> what one write takes
 */
final class GroupCommit<T> {

    private record Pending<T>(T item, CompletableFuture<Void> result) {
    }

    private final ConcurrentLinkedQueue<Pending<T>> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committing = new ReentrantLock();
    private final TransactionTemplate transactions;
    private final Consumer<T> write;

    /**
     * @param transactions the transactions of the database that {@code write} writes to
     * @param write        one write, through a {@code JdbcTemplate} on the same data source (so that it joins the
     *                     transaction that is open); it must throw when its statement fails, never swallow the
     *                     failure (PostgreSQL would then roll back the whole transaction at its commit)
     */
    GroupCommit(TransactionTemplate transactions, Consumer<T> write) {
        this.transactions = transactions;
        this.write = write;
    }

    /**
     * Writes {@code item} and returns once it is committed, alone or with the writes queued beside it.
     *
     * @throws RuntimeException what {@code write} threw for this item when it was written on its own
     */
    void write(T item) {
        Pending<T> mine = new Pending<>(item, new CompletableFuture<>());
        queued.add(mine);
        committing.lock();
        try {
            if (!mine.result().isDone()) {
                commitQueued();
            }
        } finally {
            committing.unlock();
        }
        try {
            mine.result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }

    /** How many writes wait for the commit under way to end (for tests). */
    int queued() {
        return queued.size();
    }

    /** Commits every queued write; runs under {@link #committing}. */
    private void commitQueued() {
        List<Pending<T>> batch = new ArrayList<>();
        for (Pending<T> next = queued.poll(); next != null; next = queued.poll()) {
            batch.add(next);
        }
        try {
            if (batch.size() > 1 && together(batch)) {
                return;
            }
            for (Pending<T> pending : batch) {
                try {
                    write.accept(pending.item());
                    pending.result().complete(null);
                } catch (RuntimeException failure) {
                    pending.result().completeExceptionally(failure);
                }
            }
        } finally {
            // an Error on the way: no caller waits for ever
            batch.forEach(p -> p.result().completeExceptionally(new IllegalStateException("the write was not committed")));
        }
    }

    /** Writes {@code batch} in one transaction; false when it was rolled back (one of its writes threw). */
    private boolean together(List<Pending<T>> batch) {
        try {
            transactions.executeWithoutResult(status -> batch.forEach(p -> write.accept(p.item())));
        } catch (RuntimeException rolledBack) {
            return false;
        }
        batch.forEach(p -> p.result().complete(null));
        return true;
    }
}

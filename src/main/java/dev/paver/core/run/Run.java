package dev.paver.core.run;

import dev.paver.core.report.ThreadRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One walk of a golden path for one {@link RunRequest}: its steps, where it waits, where it is reported and
 * which milestones were already posted (so a restart never posts one twice). Mutated only by the
 * {@link RunEngine}, under the run's lock, and saved through {@link RunStore} after each change.
 */
public final class Run {
    private final String id;
    private final RunRequest request;
    private final Instant createdAt;
    private RunState state;
    private final List<StepRun> steps;
    private ThreadRef thread;
    private String waitingFor;
    private String outcome;
    private Instant updatedAt;
    private final Set<String> posted;
    private Instant wakeAt;

    /** A restored or new run with no timer; {@code steps} are in template order. */
    public Run(String id, RunRequest request, Instant createdAt, RunState state, List<StepRun> steps, ThreadRef thread,
               String waitingFor, String outcome, Instant updatedAt, Set<String> posted) {
        this(id, request, createdAt, state, steps, thread, waitingFor, outcome, updatedAt, posted, null);
    }

    /**
     * A restored or new run; {@code steps} are in template order.
     *
     * @param wakeAt when a waiting run is woken even if nothing else wakes it (a durable timer), or null
     */
    public Run(String id, RunRequest request, Instant createdAt, RunState state, List<StepRun> steps, ThreadRef thread,
               String waitingFor, String outcome, Instant updatedAt, Set<String> posted, Instant wakeAt) {
        this.wakeAt = wakeAt;
        this.id = id;
        this.request = request;
        this.createdAt = createdAt;
        this.state = state;
        this.steps = new ArrayList<>(steps);
        this.thread = thread;
        this.waitingFor = waitingFor;
        this.outcome = outcome == null ? "" : outcome;
        this.updatedAt = updatedAt;
        this.posted = new LinkedHashSet<>(posted);
    }

    /** The run id, e.g. {@code rmwqtuoir4a55}: stable, part of branch names. */
    public String id() {
        return id;
    }

    /** What was asked. */
    public RunRequest request() {
        return request;
    }

    /** When it was asked. */
    public Instant createdAt() {
        return createdAt;
    }

    /** Where the run is. */
    public RunState state() {
        return state;
    }

    /** The steps, in template order (unmodifiable view). */
    public List<StepRun> steps() {
        return List.copyOf(steps);
    }

    /** The step with this id, or null. */
    public StepRun step(String stepId) {
        return steps.stream().filter(s -> s.stepId().equals(stepId)).findFirst().orElse(null);
    }

    /** Where the run is reported, or null before its card is posted. */
    public ThreadRef thread() {
        return thread;
    }

    /** The wake key the run waits for ({@code pr:payments-gitops#1}, {@code argocd:payments-dev-api}), or null. */
    public String waitingFor() {
        return waitingFor;
    }

    /** When the waiting run is woken by its timer, or null: an approval's expiry, an elevation's reminder or end. */
    public Instant wakeAt() {
        return wakeAt;
    }

    /** The final words: why it failed, or what it achieved; empty while going. */
    public String outcome() {
        return outcome;
    }

    /**
     * When the run last changed; a timer moved on alone ({@link #retimed}) is no change here, since no card or
     * message shows it.
     */
    public Instant updatedAt() {
        return updatedAt;
    }

    /** Keys of the milestones already posted in the thread. */
    public Set<String> posted() {
        return Set.copyOf(posted);
    }

    void thread(ThreadRef ref) {
        this.thread = ref;
    }

    void step(StepRun updated, Instant now) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).stepId().equals(updated.stepId())) {
                steps.set(i, updated);
            }
        }
        touched(now);
    }

    /**
     * Moves a waiting run's timer and nothing else: {@link #updatedAt()} stays, so the stored run's card is not
     * stale for it ({@link RunStore#staleCards}).
     */
    void retimed(Instant newWakeAt) {
        this.wakeAt = newWakeAt;
    }

    void state(RunState newState, String newWaitingFor, String newOutcome, Instant now) {
        state(newState, newWaitingFor, newOutcome, now, null);
    }

    void state(RunState newState, String newWaitingFor, String newOutcome, Instant now, Instant newWakeAt) {
        this.state = newState;
        this.waitingFor = newWaitingFor;
        this.wakeAt = newWakeAt;
        if (newOutcome != null) {
            this.outcome = newOutcome;
        }
        touched(now);
    }

    /**
     * Sets {@link #updatedAt()} to {@code now}, or just after its last value when the clock has not moved on at the
     * store's precision: every change is later than the one before, which is how a stale card is told
     * ({@link RunStore#staleCards}).
     */
    private void touched(Instant now) {
        Instant next = updatedAt == null ? now : RunStore.kept(updatedAt).plus(1, RunStore.PRECISION);
        updatedAt = now.isBefore(next) ? next : now;
    }

    /** Whether the milestone {@code key} was posted; {@link #posted()} without its copy, for every pass. */
    boolean hasPosted(String key) {
        return posted.contains(key);
    }

    boolean markPosted(String key) {
        return posted.add(key);
    }

    /** Forgets the milestones posted under {@code prefix} (a retried step's), so that they are said again. */
    void forgetPosted(String prefix) {
        posted.removeIf(key -> key.startsWith(prefix));
    }
}

package dev.paver.core.run;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.Parameter;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Card;
import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.Times;
import dev.paver.core.goldenpath.RepositoryPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Walks runs through their template's steps. Durable and level-triggered: a run's state lives in the
 * {@link RunStore}; a waiting step records a wake key and is executed again when something wakes it (a webhook,
 * an informer event, a poll, a restart), so a lost event only delays a run. Side-effecting steps that are done
 * are never repeated; pure steps are repeated on resume to rebuild the in-memory workspace. Every milestone is
 * posted once per run (or, where the channel's {@link NoiseLevel} holds it back, recorded once for the digest): its
 * key is stored with the run. A step is stored done, with its milestones, before they are
 * posted, so a process killed in between posts them after the restart and does not do the step again.
 *
 * <p>Runs are advanced on the given executor, one pass at a time per run; a wake during a pass schedules one
 * more pass.
 */
public final class RunEngine {

    private static final Logger LOG = Logger.getLogger(RunEngine.class.getName());

    /** How long a step failing on broken infrastructure is tried again before its run fails. */
    public static final Duration RETRY_FOR = Duration.ofMinutes(30);

    /** The wake key of a run that waits to try a step again (the periodic poll wakes it). */
    public static final String RETRY_KEY = "retry";

    private final GoldenPathCatalog catalog;
    private final ActionRegistry actions;
    private volatile Supplier<Collection<String>> wokenByEvents = List::of;
    private final RunStore store;
    private final Notifier notifier;
    private final TemplateRenderer renderer;
    private final Clock clock;
    private final Executor executor;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Consumer<Run>> firstPass = new ConcurrentHashMap<>();
    private final Set<String> turnedOffWarned = ConcurrentHashMap.newKeySet();
    private volatile Duration cardEditInterval = Duration.ZERO;
    private volatile Executor cardExecutor;
    private volatile RunTrace trace = RunTrace.NONE;
    private volatile Foreground foreground;
    private volatile NoiseBudget budget = NoiseBudget.ALL;
    private volatile HeldBack heldBack;
    private final List<RunListener> listeners = new CopyOnWriteArrayList<>();
    /** run id to System.nanoTime() of its card's last edit */
    private final Map<String, Long> lastCardEdit = new ConcurrentHashMap<>();
    /** run id to System.nanoTime() before which its failed card edit is not tried again */
    private final Map<String, Long> cardRetryAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> cardFailures = new ConcurrentHashMap<>();
    private final Set<String> editing = ConcurrentHashMap.newKeySet();
    /**
     * run id to how many holders of this replica (a pass, a click's change, a card edit) share its lease; a holder
     * locks the array to count; -1 once retired (see {@link #hold})
     */
    private final Map<String, int[]> holds = new ConcurrentHashMap<>();

    /** How many stale cards {@link #editStaleCards()} looks at in one call. */
    static final int STALE_CARDS_PER_SWEEP = 200;
    /** The longest wait between two tries of a card edit that keeps failing. */
    static final Duration CARD_RETRY_MAX = Duration.ofMinutes(5);
    private final Duration lease;
    private final ScheduledExecutorService heartbeats;

    /** The lease time of an engine built without one ({@code paver.runs.lease}'s default). */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

    /**
     * An engine alone on its store: leases of {@link #DEFAULT_LEASE}, no heartbeat (nobody else claims its runs).
     *
     * @throws IllegalStateException when a template's step uses an action that is not registered (a start-up failure)
     */
    public RunEngine(GoldenPathCatalog catalog, ActionRegistry actions, RunStore store, Notifier notifier,
                     TemplateRenderer renderer, Clock clock, Executor executor) {
        this(catalog, actions, store, notifier, renderer, clock, executor, DEFAULT_LEASE, null);
    }

    /**
     * An engine that may share its store with other replicas: it claims a run's lease ({@link RunStore#claim}) for
     * {@code lease} before each pass, renews it every third of that on {@code heartbeats} while the pass goes on, and
     * releases it after.
     *
     * @param lease      how long a replica that stops (killed, frozen) keeps its runs from the others; at least 1 s
     * @param heartbeats where the lease is renewed during passes; null: never (a replica alone)
     * @throws IllegalStateException    when a template's step uses an action that is not registered (a start-up failure)
     * @throws IllegalArgumentException when the lease is shorter than a second
     */
    public RunEngine(GoldenPathCatalog catalog, ActionRegistry actions, RunStore store, Notifier notifier,
                     TemplateRenderer renderer, Clock clock, Executor executor, Duration lease,
                     ScheduledExecutorService heartbeats) {
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the run lease (paver.runs.lease) must be at least 1s, got " + lease);
        }
        this.lease = lease;
        this.heartbeats = heartbeats;
        this.catalog = catalog;
        this.actions = actions;
        this.store = store;
        this.notifier = notifier;
        this.renderer = renderer;
        this.clock = clock;
        this.executor = executor;
        for (GoldenPath path : catalog.all()) {
            for (StepSpec step : path.steps()) {
                if (actions.find(step.action()).isEmpty()) {
                    throw new IllegalStateException("templates/" + path.id() + "/template.yaml: step " + step.id()
                            + " uses action " + step.action() + ", which is not registered; known actions: " + actions.ids());
                }
            }
        }
    }

    /**
     * Stores a new run for a checked request and schedules its first pass; returns at once.
     *
     * @throws IllegalArgumentException when the golden path is unknown
     */
    public Run start(RunRequest request) {
        Run run = prepare(request, RunState.RUNNING);
        schedule(run.id());
        return run;
    }

    /**
     * Coalesces card edits: every card edit is sent by {@link #editStaleCards()} on {@code cards}, never by a pass,
     * at most one edit of a card per {@code interval}, with the card as it is then (the latest state wins); a card edit
     * that waits for Slack (its rate limit, a slow answer) then holds no run back. A card shows a change within about
     * a second of its being stored. Without this (the default), a pass edits the card at every change.
     *
     * @return this engine
     */
    public RunEngine cardEdits(Duration interval, Executor cards) {
        this.cardEditInterval = interval;
        this.cardExecutor = cards;
        return this;
    }

    /**
     * Lets the requests people wait on go first: before each step's action, a pass waits until {@code requests}
     * are quiet ({@link Foreground#awaitQuiet}). Without this (the default), actions run at once.
     *
     * @return this engine
     */
    public RunEngine yieldingTo(Foreground requests) {
        this.foreground = requests;
        return this;
    }

    /**
     * Tells {@code listener} too when a run is stored, when it ends and when a step is done ({@link RunListener}), after
     * the listeners added before it. Without any (the default), nobody is told.
     *
     * @return this engine
     */
    public RunEngine observedBy(RunListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Holds back the thread replies a channel's {@link NoiseLevel} does not want ({@link NoiseBudget#shows}), recording
     * each in {@code held} for the channel's daily digest instead of posting it. Without this (the default), every
     * reply is posted.
     *
     * @return this engine
     */
    public RunEngine quietedBy(NoiseBudget budget, HeldBack held) {
        this.heldBack = held;
        this.budget = budget;
        return this;
    }

    /**
     * Tells {@code trace} when a pass over a run (and the actions it executes) or a card edit starts and ends, on the
     * thread that does it ({@link RunTrace}). Without this (the default), nobody is told.
     *
     * @return this engine
     */
    public RunEngine tracedBy(RunTrace trace) {
        this.trace = trace;
        return this;
    }

    /** Tells the listener; a listener that throws is logged, never lets a run fail. */
    private void tell(Consumer<RunListener> event) {
        for (RunListener listener : listeners) {
            try {
                event.accept(listener);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a run listener failed: " + e.getMessage(), e);
            }
        }
    }

    /** Waits until the requests people wait on are quiet, when the engine {@link #yieldingTo yields} to them. */
    void awaitQuiet() {
        if (foreground != null) {
            foreground.awaitQuiet();
        }
    }

    /**
     * Stores a checked request as a {@link RunState#RECEIVED} run before it is acknowledged, so that a crash after the
     * acknowledgement loses nothing: {@link #begin} starts it once its intake is done, or a restart finds it with
     * {@link RunStore#received}. Does not schedule it.
     *
     * @param requestSignature the signed Slack request that asked for it ({@link RunStore#insert(Run, String)}), or null
     * @return the stored run; empty when a run of the same request is stored already (a replay): nothing was stored
     * @throws IllegalArgumentException when the golden path is unknown
     */
    public Optional<Run> accept(RunRequest request, String requestSignature) {
        return prepare(request, RunState.RECEIVED, requestSignature);
    }

    /**
     * Starts a {@link RunState#RECEIVED} run with {@code request} (as its intake finished it: a secret value sealed)
     * and schedules its first pass; {@code afterFirstPass} (may be null) is called as in {@link #start(RunRequest, Consumer)}.
     *
     * @return false when the run was not RECEIVED any more (another thread or replica started or refused it); then
     *         nothing changed
     */
    public boolean begin(String runId, RunRequest request, Consumer<Run> afterFirstPass) {
        if (afterFirstPass != null) {
            firstPass.put(runId, afterFirstPass);
        }
        if (!store.leaveReceived(runId, request, RunState.RUNNING, "", clock.instant())) {
            firstPass.remove(runId);
            return false;
        }
        schedule(runId);
        return true;
    }

    /**
     * Ends a {@link RunState#RECEIVED} run without starting it ({@code ending}: DENIED when the requester may not run
     * it, FAILED when its intake failed); {@code outcome} says why. Posts nothing: the caller tells the requester.
     *
     * @return false when the run was not RECEIVED any more; then nothing changed
     */
    public boolean refuse(String runId, RunRequest request, RunState ending, String outcome) {
        Instant at = clock.instant();
        if (!store.leaveReceived(runId, request, ending, outcome, at)) {
            return false;
        }
        tell(l -> l.finished(request, ending));
        tell(l -> l.ended(runId, request, ending, outcome, at));
        return true;
    }

    /** Runs acknowledged but not started, RECEIVED at or before {@code before}, oldest first. */
    public List<Run> received(Instant before) {
        return store.received(before);
    }

    /**
     * Tells {@code userId} privately in {@code channel}, once per {@code key} (a refused request found after a
     * restart, when nobody waits for the answer any more); a failure is logged, never thrown.
     */
    public void tellPrivately(String channel, String userId, String text, String key) {
        try {
            notifier.postPrivate(channel, userId, new Message(text, List.of(), List.of(), List.of()), key);
        } catch (RuntimeException e) {
            LOG.warning("could not tell " + userId + ": " + e.getMessage());
        }
    }

    private Run prepare(RunRequest request, RunState state) {
        return prepare(request, state, null).orElseThrow();
    }

    private Optional<Run> prepare(RunRequest request, RunState state, String requestSignature) {
        GoldenPath path = catalog.find(request.goldenPath())
                .orElseThrow(() -> new IllegalArgumentException("unknown golden path " + request.goldenPath()));
        Instant now = clock.instant();
        List<StepRun> steps = path.steps().stream().map(s -> StepRun.pending(s.id())).toList();
        Run run = new Run(newId(now), request, now, state, steps, null, null, "", now, Set.of());
        if (!store.insert(run, requestSignature)) {
            return Optional.empty();
        }
        tell(l -> l.started(request));
        return Optional.of(run);
    }

    /**
     * As {@link #start(RunRequest)}, and calls {@code afterFirstPass} with the run as stored once its first pass
     * ended (on a worker thread): the caller learns whether the card could be posted.
     */
    public Run start(RunRequest request, Consumer<Run> afterFirstPass) {
        Run run = prepare(request, RunState.RUNNING);
        firstPass.put(run.id(), afterFirstPass);
        schedule(run.id());
        return run;
    }

    /** The prefix of the posted-set entries that record signals: a signal is stored once, like a milestone. */
    private static final String SIGNAL = "signal:";

    private static Set<String> signals(Run run) {
        Set<String> out = new HashSet<>();
        run.posted().stream().filter(k -> k.startsWith(SIGNAL)).forEach(k -> out.add(k.substring(SIGNAL.length())));
        return out;
    }

    /** What {@link #retry} did. */
    public enum RetryOutcome {
        /** the failed steps run again, from the first of them; the thread says who asked */
        ACCEPTED,
        /** the run is not failed (unknown, waiting, done, denied or expired, or retried already) */
        NOT_FAILED,
        /** only the requester may retry it */
        NOT_REQUESTER,
        /** another replica passed over the run for longer than the lease time: nothing changed, the person tries again */
        BUSY
    }

    /** The key of a retry in {@link Run#posted()}: {@code retry/<n>}, one per retry, which makes its milestones new. */
    static final String RETRY_MARK = "retry/";

    /**
     * Runs a failed run again from its failed step: the steps done before keep their outputs and are not done again
     * (nothing is pushed twice), the failed step and those after it run as on the first pass, in the same thread,
     * and their milestones (a second failure included) are said again. Only the requester may retry; the thread says
     * who did. The run is written under its lease, as a pass writes it.
     *
     * @param userId who clicked Retry, from the signed payload
     */
    public RetryOutcome retry(String runId, String userId) {
        RetryOutcome outcome = changeUnderLease(runId, run -> retryRefusal(run, userId), RetryOutcome.BUSY, run -> {
            long attempt = retries(run) + 1;
            for (StepRun step : run.steps()) {
                if (step.status() == StepStatus.FAILED) {
                    run.step(StepRun.pending(step.stepId()), clock.instant());
                    run.forgetPosted(step.stepId() + "/");
                }
            }
            run.markPosted(RETRY_MARK + attempt);
            run.state(RunState.RUNNING, null, "", clock.instant());
            store.update(run);
            post(run, "retried-" + attempt, List.of(Milestone.of("asked", "Retried by " + Message.mention(userId)
                    + ": the failed step runs again; the steps done before are not done again.")));
            return RetryOutcome.ACCEPTED;
        });
        if (outcome == RetryOutcome.ACCEPTED) {
            schedule(runId);
        }
        return outcome;
    }

    /** How many times the run was retried: its {@code retry/<n>} marks. */
    private static long retries(Run run) {
        return run.posted().stream().filter(k -> k.startsWith(RETRY_MARK) && k.indexOf('/', RETRY_MARK.length()) < 0).count();
    }

    private static RetryOutcome retryRefusal(Run run, String userId) {
        if (run == null || run.state() != RunState.FAILED || run.thread() == null) {
            return RetryOutcome.NOT_FAILED;
        }
        if (!run.request().requester().equals(userId)) {
            return RetryOutcome.NOT_REQUESTER;
        }
        return null;
    }

    /** What {@link #cancel} did. */
    public enum CancelOutcome {
        /** undone what could be, stored as {@link RunState#CANCELLED}; the thread says who and what is left to do by hand */
        CANCELLED,
        /** the run is not waiting: unknown, finished (cancelled already included) or not yet reported */
        NOT_WAITING,
        /** only the requester or an approver of the run's domain may cancel it */
        NOT_ALLOWED,
        /** another replica passed over the run for longer than the lease time: nothing changed, the person tries again */
        BUSY
    }

    /**
     * Cancels a run that waits (for a merge, an approval, a sync, a claim, a person): every step that is done or
     * waiting, the last first, undoes what it did ({@link Action#undo}: its pull request closed and branch deleted, its
     * grant revoked), then the thread says once who cancelled it, what was undone and what is left to clean up by hand
     * (an undo that failed, with the host's reason), and the run is stored as {@link RunState#CANCELLED} in one write,
     * whatever failed. The run is changed under its lease, as a pass changes it, so a second click finds it cancelled.
     * When the thread cannot be told (Slack down), the run is left waiting, unchanged but for what was undone, and
     * another click does it again (undoing is idempotent).
     *
     * @param userId who clicked Cancel, from the signed payload
     * @param admin  whether that person may cancel the runs of others, asked with the run's request when they are not
     *               its requester (an approver of its domain)
     */
    public CancelOutcome cancel(String runId, String userId, Predicate<RunRequest> admin) {
        return changeUnderLease(runId, run -> cancelRefusal(run, userId, admin), CancelOutcome.BUSY, run -> {
            cancelNow(run, userId);
            return CancelOutcome.CANCELLED;
        });
    }

    private static CancelOutcome cancelRefusal(Run run, String userId, Predicate<RunRequest> admin) {
        if (run == null || run.state().finished() || run.state() == RunState.RECEIVED || run.thread() == null) {
            return CancelOutcome.NOT_WAITING;
        }
        if (!run.request().requester().equals(userId) && !admin.test(run.request())) {
            return CancelOutcome.NOT_ALLOWED;
        }
        return null;
    }

    private void cancelNow(Run run, String userId) {
        Instant now = clock.instant();
        GoldenPath path = catalog.find(run.request().goldenPath()).orElse(null);
        Compensation.Cancel cancel = new Compensation.Cancel(run.id(), run.request(), userId, now);
        List<String> undone = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<StepSpec> specs = new ArrayList<>(path == null ? List.of() : path.steps());
        Collections.reverse(specs);
        for (StepSpec spec : specs) {
            StepRun step = run.step(spec.id());
            if (step == null || step.status() != StepStatus.DONE && step.status() != StepStatus.WAITING) {
                continue;
            }
            for (Compensation compensation : actions.find(spec.action()).map(a -> a.undo(cancel, step)).orElse(List.of())) {
                try {
                    undone.add(compensation.undo().get());
                } catch (RuntimeException e) {
                    LOG.warning("run " + run.id() + ": cancelling, could not " + compensation.todo() + ": " + e.getMessage());
                    left.add(compensation.todo() + " (" + e.getMessage() + ")");
                }
            }
        }
        String by = "Cancelled by " + Message.mention(userId) + ".";
        String byHand = left.isEmpty() ? "" : " Left to clean up by hand: " + String.join("; ", left) + ".";
        post(run, "cancelled", List.of(Milestone.of("by", by + (undone.isEmpty() ? " Nothing had to be undone." : " Undone: "
                + String.join("; ", undone) + ".") + byHand)));
        Instant at = clock.instant();
        for (StepRun step : run.steps()) {
            if (step.status() == StepStatus.WAITING) {
                run.step(step.with(StepStatus.FAILED, Map.of(), "cancelled", at, at), at);
            }
        }
        run.state(RunState.CANCELLED, null, by + byHand, at);
        store.update(run);
        tell(l -> l.finished(run.request(), RunState.CANCELLED));
        tell(l -> l.ended(run.id(), run.request(), RunState.CANCELLED, run.outcome(), run.updatedAt()));
        tell(l -> l.cancelled(run, userId, run.updatedAt()));
        if (path != null) {
            updateCard(run, path, context(run, null));
        }
    }

    /** What {@link #signal} did. */
    public enum SignalOutcome {
        /** stored; the run goes on */
        ACCEPTED,
        /** the run had it already (a second click) */
        ALREADY,
        /** the run is not waiting for it: unknown, finished, or at another step */
        NOT_WAITING,
        /** only the requester may give it */
        NOT_REQUESTER,
        /** another replica passed over the run for longer than the lease time: nothing stored, the person tries again */
        BUSY
    }

    /**
     * A person's answer to a waiting run, such as Open PR after a preview: stored with the run (once), then the run
     * is scheduled. Only the run's requester may signal it, and only while it waits for {@code waitKey}. The run is
     * written under its lease, as a pass writes it: while another replica passes over the run, this waits for it.
     *
     * @param signal  a name such as {@code preview-open}; steps read it from {@link ActionContext#signals()}
     * @param waitKey the wait key the run must be waiting for, e.g. {@code preview:<run id>}
     * @param userId  who clicked, from the signed payload
     */
    public SignalOutcome signal(String runId, String signal, String waitKey, String userId) {
        SignalOutcome outcome = changeUnderLease(runId, run -> refusal(run, signal, waitKey, userId), SignalOutcome.BUSY, run -> {
            run.markPosted(SIGNAL + signal);
            store.update(run);
            return SignalOutcome.ACCEPTED;
        });
        if (outcome == SignalOutcome.ACCEPTED) {
            schedule(runId);
        }
        return outcome;
    }

    /**
     * Changes a stored run for a person's click, under the run's lock and its lease, as a pass holds them: a pass on
     * another replica would otherwise write the run over. {@code refusal} is asked before the lease is taken and again
     * with it (null: go on); then {@code change} changes and stores the run.
     *
     * @return the refusal, {@code busy} when another replica keeps the lease, or what {@code change} returned
     */
    private <O> O changeUnderLease(String runId, Function<Run, O> refusal, O busy, Function<Run, O> change) {
        synchronized (locks.computeIfAbsent(runId, k -> new Object())) {
            O refused = refusal.apply(store.find(runId).orElse(null));
            if (refused != null) {
                return refused;
            }
            if (!awaitLease(runId)) {
                return busy;
            }
            try {
                Run run = store.find(runId).orElse(null);
                refused = refusal.apply(run);
                return refused != null ? refused : change.apply(run);
            } finally {
                unhold(runId);
            }
        }
    }

    private static SignalOutcome refusal(Run run, String signal, String waitKey, String userId) {
        if (run == null || run.state().finished()) {
            return SignalOutcome.NOT_WAITING;
        }
        if (!run.request().requester().equals(userId)) {
            return SignalOutcome.NOT_REQUESTER;
        }
        if (run.posted().contains(SIGNAL + signal)) {
            return SignalOutcome.ALREADY;
        }
        if (!waitKey.equals(run.waitingFor())) {
            return SignalOutcome.NOT_WAITING;
        }
        return null;
    }

    /**
     * Holds the run's lease ({@link #hold}), waiting while another replica passes over the run: at most the lease time
     * and five seconds (then a replica that stopped has lost it). False when it stays taken, or the thread is
     * interrupted.
     */
    private boolean awaitLease(String runId) {
        long deadline = System.nanoTime() + lease.plusSeconds(5).toNanos();
        while (true) {
            if (hold(runId)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Schedules a pass over every run waiting for {@code waitKey}. */
    public void wake(String waitKey) {
        for (Run run : store.waitingFor(waitKey)) {
            schedule(run.id());
        }
    }

    /**
     * Schedules a pass over every run waiting for a key that starts with {@code keyPrefix} (e.g. every run waiting for
     * an Argo CD Application, after its watch was down).
     */
    public void wakeAllWaitingOn(String keyPrefix) {
        for (String runId : store.waitingOn(keyPrefix)) {
            schedule(runId);
        }
    }

    /** Schedules a pass over every waiting run whose timer is due: called every few seconds. */
    public void wakeDue() {
        for (Run run : store.due(clock.instant())) {
            schedule(run.id());
        }
    }

    /**
     * Schedules a pass over every unfinished run: at start-up, and periodically as the poll for pollers; but for the
     * runs waiting for an event that wakes them ({@link #wokenByEvents}).
     */
    public void resumeAll() {
        for (String runId : store.unfinishedIds(wokenByEvents.get())) {
            schedule(runId);
        }
    }

    /**
     * Says which waits need no poll now: the prefixes of the wait keys whose events reach the engine ({@link #wake}),
     * e.g. {@code argocd:} while Paver watches the Applications. {@link #resumeAll} leaves the runs waiting on them to
     * their events and timers; asked at every poll, so a wait is polled again as soon as its events stop.
     *
     * @return this engine
     */
    public RunEngine wokenByEvents(Supplier<Collection<String>> prefixes) {
        this.wokenByEvents = prefixes;
        return this;
    }

    /** Schedules one pass over the run; a pass already queued absorbs this one. */
    public void schedule(String runId) {
        if (queued.add(runId)) {
            try {
                executor.execute(() -> {
                    queued.remove(runId);
                    advance(runId);
                });
            } catch (RejectedExecutionException e) {
                // shutting down: the run is stored, and the next start resumes it
                queued.remove(runId);
                firstPass.remove(runId);
                LOG.info("run " + runId + " goes on at the next start");
            }
        }
    }

    /**
     * One pass over a run, now, on the calling thread, under the run's lease: when another replica holds it, the pass
     * is skipped (the holder, or the next wake or poll, goes on with the run). Unknown or finished runs are left alone.
     */
    public void advance(String runId) {
        awaitQuiet(); // before the lease: a pass starts with database writes and the card's post
        synchronized (locks.computeIfAbsent(runId, k -> new Object())) {
            try {
                if (!hold(runId)) {
                    handOver(runId);
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run " + runId + ": not claimed (the store: " + e.getMessage()
                        + "), will retry on the next wake");
                return;
            }
            ScheduledFuture<?> heartbeat = heartbeat(runId);
            Run run = null;
            RunTrace.Scope traced = null;
            try {
                run = store.find(runId).orElse(null);
                if (run != null) {
                    traced = trace.enter(runId, run.request());
                    pass(run);
                }
            } catch (RunStore.LeaseLost e) {
                // paused longer than the lease while another replica took the run over: it goes on, this pass stops
                LOG.info("run " + runId + ": another replica took the run over; this pass stopped (" + e.getMessage() + ")");
                run = null;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run " + runId + ": pass failed, will retry on the next wake", e);
            } finally {
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
                unhold(runId); // a card edit under way keeps the lease until its edit is sent
                if (traced != null) {
                    traced.close();
                }
            }
            if (run != null && run.state().finished()) {
                locks.remove(runId);
            }
            Consumer<Run> listener = run == null ? null : firstPass.remove(runId);
            if (listener != null) {
                try {
                    listener.accept(run);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "run " + runId + ": first-pass listener failed", e);
                }
            }
        }
    }

    /**
     * Another replica passes over the run. A caller waiting for the run's first pass learns its outcome as soon as
     * that replica posted the card or ended the run; until then the listener stays for this replica's next pass.
     */
    private void handOver(String runId) {
        Consumer<Run> listener = firstPass.get(runId);
        if (listener == null) {
            return;
        }
        Run run = store.find(runId).orElse(null);
        if ((run == null || run.thread() != null || run.state().finished()) && firstPass.remove(runId, listener)
                && run != null) {
            try {
                listener.accept(run);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "run " + runId + ": first-pass listener failed", e);
            }
        }
    }

    /** Renews the run's lease every third of the lease time while a pass goes on; null without heartbeats. */
    private ScheduledFuture<?> heartbeat(String runId) {
        if (heartbeats == null) {
            return null;
        }
        long every = Math.max(1, lease.toMillis() / 3);
        try {
            return heartbeats.scheduleAtFixedRate(() -> {
                try {
                    if (!store.renew(runId, clock.instant().plus(lease))) {
                        LOG.warning("run " + runId + ": the lease is not this replica's any more; its next write stops the pass");
                    }
                } catch (RuntimeException e) {
                    LOG.warning("run " + runId + ": lease not renewed: " + e.getMessage());
                }
            }, every, every, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null; // shutting down: the pass ends within the lease, or another replica takes the run over
        }
    }

    /**
     * Takes a hold on the run's lease for this replica: every holder claims it in the store (which also extends it),
     * holders of this replica share it (a card edit during a pass, a pass during a card edit), and the last one to
     * {@link #unhold} releases it. So a card edit needs neither the run's lock nor a pause of the pass, and no holder
     * frees the lease under another.
     *
     * @return false when another replica keeps the lease
     * @throws RuntimeException when the store cannot be asked; nothing is held then
     */
    private boolean hold(String runId) {
        while (true) {
            int[] count = holds.computeIfAbsent(runId, k -> new int[1]);
            synchronized (count) {
                if (count[0] < 0) {
                    continue; // retired by the last holder, who removed it before letting go: take the next one
                }
                boolean claimed = false;
                try {
                    Instant now = clock.instant();
                    claimed = store.claim(runId, now.plus(lease), now);
                } finally {
                    if (claimed) {
                        count[0]++;
                    } else if (count[0] == 0) {
                        retire(runId, count);
                    }
                }
                return claimed;
            }
        }
    }

    /** Drops a hold count that no holder has any more; called with the count locked. */
    private void retire(String runId, int[] count) {
        count[0] = -1;
        holds.remove(runId, count);
    }

    /** Lets go of a {@link #hold}: the last holder of this replica releases the lease. */
    private void unhold(String runId) {
        int[] count = holds.get(runId);
        if (count == null) {
            return;
        }
        synchronized (count) {
            if (count[0] > 0 && --count[0] == 0) {
                retire(runId, count);
                release(runId);
            }
        }
    }

    private void release(String runId) {
        try {
            store.release(runId);
        } catch (RuntimeException e) {
            // the lease expires by itself; until then no other replica advances the run
            LOG.warning("run " + runId + ": lease not released, it expires within " + Times.duration(lease) + ": " + e.getMessage());
        }
    }

    private void pass(Run run) {
        if (run.state().finished() || run.state() == RunState.RECEIVED) {
            return;
        }
        GoldenPath path = catalog.find(run.request().goldenPath()).orElse(null);
        if (path == null && catalog.turnedOff().contains(run.request().goldenPath())) {
            // its template does not load now (an edit gone wrong): the run waits, unchanged, for a start that loads it
            if (turnedOffWarned.add(run.id())) {
                LOG.warning("run " + run.id() + " waits: golden path " + run.request().goldenPath()
                        + " is turned off because its template does not load (see the start-up warnings)");
            }
            return;
        }
        if (path == null && catalog.awaitingSources()) {
            // perhaps a Backstage Template, not read yet (Backstage did not answer at the start): waits until it is
            if (turnedOffWarned.add(run.id())) {
                LOG.warning("run " + run.id() + " waits: golden path " + run.request().goldenPath()
                        + " is not known until every source of golden paths was read (Backstage did not answer yet)");
            }
            return;
        }
        if (path == null) {
            finish(run, RunState.FAILED, "The golden path " + run.request().goldenPath()
                    + " no longer exists in templates/; nothing more can happen for this run.");
            return;
        }
        if (run.thread() == null) {
            try {
                run.thread(notifier.postCard(run.request().channel(), CardBuilder.card(run, path, List.of()), run.id() + "/card"));
            } catch (Notifier.NotifierException e) {
                if (!e.permanent()) {
                    throw e;
                }
                finish(run, RunState.FAILED, "Paver could not post its status card: " + e.getMessage()
                        + ". Nothing was changed.");
                return;
            }
            store.update(run);
            store.cardShown(run.id(), run.updatedAt());
        }
        Map<String, String> workspace = new LinkedHashMap<>();
        Map<String, Object> stepsContext = new LinkedHashMap<>();
        Map<String, Object> context = context(run, stepsContext);

        List<StepSpec> replay = new ArrayList<>();
        boolean changed = false;
        for (StepSpec spec : path.steps()) {
            StepRun step = run.step(spec.id());
            Action action = actions.find(spec.action()).orElseThrow(); // checked when the engine was built
            if (step.status() == StepStatus.DONE || step.status() == StepStatus.SKIPPED) {
                post(run, spec.id(), step.milestones()); // those a killed process stored and did not post
                stepsContext.put(spec.id(), Map.of("output", step.output()));
                if (action.pure() && step.status() == StepStatus.DONE) {
                    replay.add(spec);
                }
                continue;
            }
            ActionResult result;
            awaitQuiet();
            Instant began = clock.instant();
            try {
                if (action.usesWorkspace() && !replay.isEmpty()) {
                    String problem = rebuildWorkspace(run, path, replay, context, workspace);
                    if (problem != null) {
                        failStep(run, path, step, problem, context);
                        return;
                    }
                }
                if (!renderer.condition("steps[" + spec.id() + "].if", spec.condition(), context)) {
                    run.step(step.with(StepStatus.SKIPPED, Map.of(), "skipped", began, clock.instant()), clock.instant());
                    store.update(run);
                    changed = true;
                    stepsContext.put(spec.id(), Map.of("output", Map.of()));
                    continue;
                }
                result = execute(run, path, spec, action, context, workspace);
            } catch (TemplateRenderer.TemplateException | IllegalArgumentException e) {
                failStep(run, path, step, e.getMessage(), context);
                return;
            } catch (RuntimeException e) {
                retryOrFail(run, path, spec, step, e, context);
                return;
            }
            if (!(result instanceof ActionResult.Done)) {
                post(run, spec.id(), result.milestones()); // a step not done is executed again: nothing to keep
            }
            if (result instanceof ActionResult.Done done) {
                // stored before its milestones are posted: a kill while posting (paced, so seconds) must not make
                // the step run again, since a step that changed something (a pushed branch, a merged change)
                // would then find its own change and fail
                Instant doneAt = clock.instant();
                run.step(step.done(done.output(), done.detail(), done.milestones(), began, doneAt), doneAt);
                store.update(run);
                tell(l -> l.stepDone(run, spec.action(), doneAt));
                changed = true;
                post(run, spec.id(), done.milestones());
                stepsContext.put(spec.id(), Map.of("output", done.output()));
                if (!action.pure()) {
                    updateCard(run, path, context);
                }
            } else if (result instanceof ActionResult.Waiting waiting) {
                // the timer at the store's precision: one computed from nanoseconds (the clock, a step's start) would
                // otherwise differ from its stored self at every poll
                Instant wakeAt = RunStore.kept(waiting.wakeAt());
                boolean same = step.status() == StepStatus.WAITING && step.retryingSince() == null
                        && step.detail().equals(waiting.detail()) && run.state() == RunState.WAITING
                        && waiting.waitKey().equals(run.waitingFor()) && waiting.state().equals(step.output());
                Map<String, Object> kept = new LinkedHashMap<>(waiting.state());
                if (same && !changed && !Objects.equals(wakeAt, run.wakeAt())) {
                    // only the timer moved (a step that looks again every check interval): stored, but no card
                    // edit, which would spend Slack's chat.update allowance on a card that looks the same
                    run.retimed(wakeAt);
                    store.update(run);
                } else if (!same || changed) {
                    // store and edit the card only when something changed: a waiting run is checked on every poll;
                    // what the action keeps for its next pass is the waiting step's output, stored with the run
                    run.step(step.with(StepStatus.WAITING, kept, waiting.detail(), began, clock.instant()),
                            clock.instant());
                    run.state(RunState.WAITING, waiting.waitKey(), null, clock.instant(), wakeAt);
                    store.update(run);
                    updateCard(run, path, context);
                }
                return;
            } else if (result instanceof ActionResult.Failed failed) {
                failStep(run, path, step, failed.reason(), context, failed.ending());
                return;
            }
        }
        finish(run, RunState.SUCCEEDED, renderText(path, context));
        updateCard(run, path, context);
    }

    /**
     * Executes again the pure steps that were done in an earlier pass (rendering), so that a step reading the
     * workspace sees the files; returns a problem, or null.
     */
    private String rebuildWorkspace(Run run, GoldenPath path, List<StepSpec> replay, Map<String, Object> context,
                                    Map<String, String> workspace) {
        for (StepSpec pure : replay) {
            ActionResult again = execute(run, path, pure, actions.find(pure.action()).orElseThrow(), context, workspace);
            if (!(again instanceof ActionResult.Done)) {
                return "step " + pure.name() + " gave another result when repeated to rebuild the workspace";
            }
        }
        replay.clear();
        return null;
    }

    /** Runs the action once, or once per item of {@code each}; results combine: first failure, else first wait, else done. */
    @SuppressWarnings("unchecked")
    private ActionResult execute(Run run, GoldenPath path, StepSpec spec, Action action, Map<String, Object> context,
                                 Map<String, String> workspace) {
        String where = "steps[" + spec.id() + "]";
        if (spec.each() == null) {
            Map<String, Object> input = (Map<String, Object>) renderer.renderValue(where + ".input", spec.input(), context);
            return action.execute(new ActionContext(run.id(), spec.id(), run.createdAt(), stepStarted(run, spec), run.request(), path, input,
                    workspace, clock, run.thread(), signals(run), checkedBefore(run, spec), kept(run, spec)));
        }
        Object items = renderer.renderValue(where + ".each", spec.each(), context);
        if (!(items instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ".each must be a list, got " + items);
        }
        List<Object> outputs = new ArrayList<>();
        List<Milestone> milestones = new ArrayList<>();
        ActionResult.Waiting firstWait = null;
        Map<String, String> kept = kept(run, spec);
        Map<String, String> keep = new LinkedHashMap<>(); // each item's state, its keys prefixed with the item's index
        try {
            for (int i = 0; i < list.size(); i++) {
                context.put("each", Map.of("key", i, "value", list.get(i)));
                Map<String, Object> input = (Map<String, Object>) renderer.renderValue(where + ".input", spec.input(), context);
                String prefix = i + "/";
                Map<String, String> itemKept = new LinkedHashMap<>();
                kept.forEach((key, value) -> {
                    if (key.startsWith(prefix)) {
                        itemKept.put(key.substring(prefix.length()), value);
                    }
                });
                ActionResult r = action.execute(new ActionContext(run.id(), spec.id(), run.createdAt(), stepStarted(run, spec), run.request(), path,
                        input, workspace, clock, run.thread(), signals(run), checkedBefore(run, spec), itemKept));
                if (r instanceof ActionResult.Waiting w) {
                    w.state().forEach((key, value) -> keep.put(prefix + key, value));
                }
                for (Milestone m : r.milestones()) {
                    milestones.add(new Milestone(i + "/" + m.key(), m.text(), m.links(), m.buttons()));
                }
                if (r instanceof ActionResult.Failed f) {
                    return new ActionResult.Failed(f.reason(), milestones);
                } else if (r instanceof ActionResult.Waiting w && firstWait == null) {
                    firstWait = w;
                } else if (r instanceof ActionResult.Done d) {
                    outputs.add(d.output());
                }
            }
        } finally {
            context.remove("each");
        }
        if (firstWait != null) {
            return new ActionResult.Waiting(firstWait.waitKey(), firstWait.detail(), milestones, firstWait.wakeAt(), keep);
        }
        String detail = list.stream().map(RunEngine::label).reduce((a, b) -> a + ", " + b).orElse("nothing to do");
        return new ActionResult.Done(Map.of("results", outputs), detail, milestones);
    }

    /**
     * A step's action failed on broken infrastructure (git, Slack, the cluster). A permanent failure fails the run;
     * otherwise the step is tried again at every poll for {@link #RETRY_FOR}, the thread says so once, and then the
     * run fails with the last reason.
     */
    private void retryOrFail(Run run, GoldenPath path, StepSpec spec, StepRun step, RuntimeException e, Map<String, Object> context) {
        if (e instanceof RepositoryPort.RepositoryException r && r.retryAt() != null) {
            holdForHost(run, path, spec, step, r, context);
            return;
        }
        boolean permanent = e instanceof RepositoryPort.RepositoryException r && r.permanent()
                || e instanceof Notifier.NotifierException n && n.permanent();
        Instant now = clock.instant();
        String reason = "step " + spec.name() + " failed: " + e.getMessage();
        if (permanent || step.retryingSince() != null && Duration.between(step.retryingSince(), now).compareTo(RETRY_FOR) > 0) {
            LOG.log(Level.WARNING, "run " + run.id() + " step " + spec.id() + " failed", e);
            failStep(run, path, step, step.retryingSince() == null ? reason
                    : reason + " (tried again for " + Times.duration(RETRY_FOR) + ")", context);
            return;
        }
        String detail = "trying again: " + e.getMessage();
        if (step.retryingSince() != null && detail.equals(step.detail())) {
            // the same failure as at the last try: said and stored already; not a warning, a card edit and a write per poll
            LOG.fine("run " + run.id() + " step " + spec.id() + " failed again: " + e.getMessage());
            return;
        }
        LOG.log(Level.WARNING, "run " + run.id() + " step " + spec.id() + " failed, will try again: " + e.getMessage());
        run.step(step.retrying(detail, now), now);
        run.state(RunState.WAITING, run.waitingFor() == null ? RETRY_KEY : run.waitingFor(), null, now);
        store.update(run);
        post(run, spec.id(), List.of(Milestone.of("retrying", "Step " + spec.name() + " failed: " + e.getMessage()
                + ". Paver tries again at every poll for up to " + Times.duration(RETRY_FOR) + ".")));
        updateCard(run, path, context);
    }

    /**
     * The git host asked to wait until {@link RepositoryPort.RepositoryException#retryAt()} (its rate limit): the run
     * waits, durably, with a timer at that moment; it is not a failure, so {@link #RETRY_FOR} does not count it.
     * The thread says so once per step (the exception's message, e.g. "Waiting for GitHub's rate limit until
     * 14:05 UTC ..."), unless the step was already waiting (a poll of a pull request: it is only checked later, which
     * nobody notices); a later pass before then, told the same, changes nothing.
     */
    private void holdForHost(Run run, GoldenPath path, StepSpec spec, StepRun step, RepositoryPort.RepositoryException e,
                             Map<String, Object> context) {
        Instant now = clock.instant();
        Instant wakeAt = RunStore.kept(e.retryAt());
        String detail = e.getMessage();
        if (detail.equals(step.detail()) && wakeAt.equals(run.wakeAt()) && run.state() == RunState.WAITING) {
            return;
        }
        LOG.info("run " + run.id() + " step " + spec.id() + " waits until " + Times.logged(wakeAt) + ": " + detail);
        run.step(step.holding(detail, now), now);
        run.state(RunState.WAITING, run.waitingFor() == null ? RETRY_KEY : run.waitingFor(), null, now, wakeAt);
        store.update(run);
        if (step.status() != StepStatus.WAITING) {
            // a step held in the middle of its work; one that polls (a pull request's merge) is only checked later
            post(run, spec.id(), List.of(Milestone.of("host-wait", detail)));
        }
        updateCard(run, path, context);
    }

    /** True when the step waited in an earlier pass (a retry after a failed check keeps it so). */
    private static boolean checkedBefore(Run run, StepSpec spec) {
        StepRun step = run.step(spec.id());
        return step != null && step.status() == StepStatus.WAITING;
    }

    /** What the step's action kept when it last waited ({@link ActionResult.Waiting#state()}), or nothing. */
    private static Map<String, String> kept(Run run, StepSpec spec) {
        StepRun step = run.step(spec.id());
        Map<String, String> kept = new LinkedHashMap<>();
        if (step != null && step.status() == StepStatus.WAITING) {
            step.output().forEach((key, value) -> kept.put(key, String.valueOf(value)));
        }
        return kept;
    }

    private Instant stepStarted(Run run, StepSpec spec) {
        StepRun step = run.step(spec.id());
        return step == null || step.startedAt() == null ? clock.instant() : step.startedAt();
    }

    /**
     * Ends the run as failed. The reason is posted before the run is stored as failed: if Slack cannot take it now,
     * the run stays unfinished and the next pass tries again, so a failure is never recorded without being said.
     */
    private void failStep(Run run, GoldenPath path, StepRun step, String reason, Map<String, Object> context) {
        failStep(run, path, step, reason, context, RunState.FAILED);
    }

    private void failStep(Run run, GoldenPath path, StepRun step, String reason, Map<String, Object> context, RunState ending) {
        String word = switch (ending) {
            case DENIED -> "Denied";
            case EXPIRED -> "Expired";
            case ABANDONED -> "Abandoned";
            default -> "Failed";
        };
        post(run, step.stepId(), List.of(Milestone.of(ending == RunState.FAILED ? "failed" : ending.name().toLowerCase(),
                word + ": " + reason)));
        run.step(step.with(StepStatus.FAILED, Map.of(), word.toLowerCase(), clock.instant(), clock.instant()), clock.instant());
        finish(run, ending, reason);
        updateCard(run, path, context);
    }

    private void finish(Run run, RunState state, String outcome) {
        run.state(state, null, outcome, clock.instant());
        store.update(run);
        tell(l -> l.finished(run.request(), state));
        tell(l -> l.ended(run.id(), run.request(), state, run.outcome(), run.updatedAt()));
    }

    private String renderText(GoldenPath path, Map<String, Object> context) {
        Object text = path.output().get("text");
        if (text == null) {
            return "";
        }
        try {
            Object rendered = renderer.renderValue("output.text", text, context);
            if (rendered instanceof List<?> entries) {
                // Backstage's shape: [{title, content}], each shown as a titled paragraph (Backstage shows Markdown)
                List<String> paragraphs = new ArrayList<>();
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> m) {
                        String title = m.get("title") == null ? "" : String.valueOf(m.get("title")).strip();
                        String content = m.get("content") == null ? "" : String.valueOf(m.get("content")).strip();
                        paragraphs.add(title.isEmpty() ? content : content.isEmpty() ? "*" + title + "*" : "*" + title + "*\n" + content);
                    } else if (entry != null) {
                        paragraphs.add(String.valueOf(entry).strip());
                    }
                }
                return String.join("\n\n", paragraphs.stream().filter(p -> !p.isEmpty()).toList());
            }
            return String.valueOf(rendered);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * An item of an {@code each} step as a person reads it on the card: text as it is; a map (a link of another engine's
     * output, an entity) by its {@code title}, else {@code name}, else {@code url}, else its values.
     */
    static String label(Object item) {
        if (item instanceof Map<?, ?> m) {
            for (String key : List.of("title", "name", "url")) {
                if (m.get(key) != null && !String.valueOf(m.get(key)).isBlank()) {
                    return String.valueOf(m.get(key));
                }
            }
            return m.values().stream().map(String::valueOf).reduce((a, b) -> a + " " + b).orElse("");
        }
        return String.valueOf(item);
    }

    private void post(Run run, String stepId, List<Milestone> milestones) {
        for (Milestone m : milestones) {
            String key = stepId + "/" + m.key();
            if (run.hasPosted(key)) {
                continue;
            }
            // after a retry, the same milestone of a step run again is a new message: the retry's number in its key
            long retries = retries(run);
            String replyKey = key + (retries == 0 ? "" : "@" + retries);
            String channel = run.request().channel();
            if (heldBack != null && !budget.shows(channel, m)) {
                heldBack.hold(channel, run.id(), service(run.request()), replyKey, clock.instant());
            } else {
                notifier.reply(run.thread(), new Message(m.text(), List.of(), m.links(), m.buttons()),
                        run.id() + "/" + replyKey);
            }
            run.markPosted(key);
            store.update(run);
        }
    }

    /** The request's {@code service} parameter, else its golden path's id: how a digest names the run. */
    private static String service(RunRequest request) {
        Object service = request.parameters().get("service");
        return service == null || String.valueOf(service).isBlank() ? request.goldenPath() : String.valueOf(service);
    }

    /**
     * Edits the card to show the run as stored, now, unless card edits are coalesced ({@link #cardEdits}) or its last
     * edit failed recently: then {@link #editStaleCards()} sends it later, as it is then.
     */
    private void updateCard(Run run, GoldenPath path, Map<String, Object> context) {
        if (run.thread() == null || cardExecutor != null || cardRetryAt.containsKey(run.id())) {
            return;
        }
        sendCard(run, CardBuilder.card(run, path, links(path, context)));
    }

    /**
     * The status card of {@code run} as its thread shows it now (title, state, steps and the template's output links
     * rendered from the steps done), for a private answer about the run.
     *
     * @return empty when the run's golden path is no longer in the catalog
     */
    public Optional<Card> card(Run run) {
        return catalog.find(run.request().goldenPath()).map(path -> CardBuilder.card(run, path, links(path, context(run, null))));
    }

    /**
     * Sends the edits that cards still lack: every posted card whose run changed after what the card last showed
     * (a coalesced edit, one that failed, one a crash cut off), built from the run as stored now, on the engine's
     * executor. Called every second or so. A card is edited at most once per {@link #cardEdits} interval; a failing
     * edit is tried again after a growing pause (up to {@link #CARD_RETRY_MAX}); a permanent failure (the message
     * or channel is gone) gives the card up with a warning.
     */
    public void editStaleCards() {
        long now = System.nanoTime();
        for (Run stale : store.staleCards(STALE_CARDS_PER_SWEEP)) {
            String id = stale.id();
            Long last = lastCardEdit.get(id);
            Long retry = cardRetryAt.get(id);
            if (last != null && now - last < cardEditInterval.toNanos() || retry != null && now < retry || !editing.add(id)) {
                continue;
            }
            try {
                (cardExecutor == null ? executor : cardExecutor).execute(() -> {
                    try {
                        editUnderLease(id);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "run " + id + ": card edit failed: " + e.getMessage());
                    } finally {
                        editing.remove(id);
                    }
                });
            } catch (RejectedExecutionException e) {
                editing.remove(id);
                return;
            }
        }
    }

    /**
     * Edits the card of a stale run as it is stored, under a {@linkplain #hold hold} on the run's lease (one replica
     * edits it; another replica passing over the run meanwhile finds it taken and leaves it to its next poll), but not
     * the run's lock: a pass of this replica goes on while the edit waits for Slack, and a long pass (a step that takes
     * minutes) has its card show each step done as it is stored.
     */
    private void editUnderLease(String id) {
        if (!hold(id)) {
            return;
        }
        try {
            Run run = store.find(id).orElse(null);
            if (run != null) {
                try (RunTrace.Scope traced = trace.enter(id, run.request())) {
                    card(run).ifPresentOrElse(card -> sendCard(run, card), () -> store.cardShown(id, run.updatedAt()));
                }
            }
        } finally {
            unhold(id);
        }
    }

    private void sendCard(Run run, Card card) {
        String id = run.id();
        try {
            lastCardEdit.put(id, System.nanoTime());
            notifier.updateCard(run.thread(), card);
            store.cardShown(id, run.updatedAt());
            cardRetryAt.remove(id);
            cardFailures.remove(id);
            if (run.state().finished()) {
                lastCardEdit.remove(id);
            }
        } catch (Notifier.NotifierException e) {
            if (e.permanent()) {
                LOG.warning("run " + id + ": its card cannot be edited any more, so it is left as it is: " + e.getMessage());
                store.cardShown(id, run.updatedAt());
                cardRetryAt.remove(id);
                cardFailures.remove(id);
                return;
            }
            int failures = cardFailures.merge(id, 1, Integer::sum);
            Duration pause = Duration.ofSeconds(1L << Math.min(failures, 8));
            pause = pause.compareTo(CARD_RETRY_MAX) > 0 ? CARD_RETRY_MAX : pause;
            cardRetryAt.put(id, System.nanoTime() + pause.toNanos());
            LOG.warning("run " + id + ": card edit failed, tried again in " + Times.duration(pause) + ": " + e.getMessage());
        }
    }

    /**
     * What templates see for a run ({@link #templateContext}), the golden path looked up in the catalog: {@code steps}
     * is {@code stepsContext}, or the outputs of the run's done and skipped steps when null.
     */
    private Map<String, Object> context(Run run, Map<String, Object> stepsContext) {
        Map<String, Object> steps = stepsContext;
        if (steps == null) {
            steps = new LinkedHashMap<>();
            for (StepRun step : run.steps()) {
                if (step.status() == StepStatus.DONE || step.status() == StepStatus.SKIPPED) {
                    steps.put(step.stepId(), Map.of("output", step.output()));
                }
            }
        }
        return templateContext(catalog.find(run.request().goldenPath()).orElse(null), run.request(), run.id(), steps);
    }

    /** The {@code platform} key of a request that holds the requester's Backstage identity ({@link #templateContext}). */
    public static final String USER = "user";

    /**
     * What a template's steps and output see for a run, as Backstage's Scaffolder gives them (its
     * {@code NunjucksWorkflowRunner}), plus Paver's own:
     * <ul>
     *   <li>{@code parameters}: the request's values, and each declared parameter not given as
     *       {@link TemplateRenderer#UNDEFINED} (Nunjucks' undefined);</li>
     *   <li>{@code steps}: {@code <step id>.output} of the steps done so far;</li>
     *   <li>{@code user}: {@code ref} ({@code user:default/<name>}) and {@code entity} (the catalog's User entity) of the
     *       requester, as the intake found them ({@code platform.user}); each undefined when it found none;</li>
     *   <li>{@code secrets}: empty, every key undefined: Backstage gives the secrets its caller passed, and a request
     *       from Slack passes none (Paver's own credentials are never given to templates);</li>
     *   <li>{@code context.task.id}: the run's id, as Backstage's task id;</li>
     *   <li>Paver's {@code platform} (values derived from the catalog and conventions) and {@code run} ({@code id},
     *       {@code requester}, the Slack user id).</li>
     * </ul>
     *
     * @param path  the golden path, for its declared parameters; null when it is no longer loaded
     * @param steps step id to {@code {output: ...}}
     */
    public static Map<String, Object> templateContext(GoldenPath path, RunRequest request, String runId,
                                                      Map<String, Object> steps) {
        Map<String, Object> context = new HashMap<>();
        context.put("parameters", path == null ? request.parameters() : TemplateRenderer.parameters(request.parameters(),
                path.parameters().parameters().stream().map(Parameter::name).toList()));
        context.put("platform", request.platform());
        context.put("steps", steps);
        context.put("run", Map.of("id", runId, "requester", request.requester()));
        Map<String, Object> user = new LinkedHashMap<>();
        Map<?, ?> known = request.platform().get(USER) instanceof Map<?, ?> m ? m : Map.of();
        user.put("ref", known.get("ref") == null ? TemplateRenderer.UNDEFINED : known.get("ref"));
        user.put("entity", known.get("entity") == null ? TemplateRenderer.UNDEFINED : known.get("entity"));
        context.put("user", user);
        context.put("secrets", TemplateRenderer.allUndefined());
        context.put("context", Map.of("task", Map.of("id", runId)));
        return context;
    }

    @SuppressWarnings("unchecked")
    private List<Link> links(GoldenPath path, Map<String, Object> context) {
        List<Link> out = new ArrayList<>();
        if (!(path.output().get("links") instanceof List<?> links)) {
            return out;
        }
        for (Object l : links) {
            if (!(l instanceof Map<?, ?> link)) {
                continue;
            }
            try {
                Map<String, Object> rendered = (Map<String, Object>) renderer.renderValue("output.links", link, context);
                String url = String.valueOf(rendered.getOrDefault("url", ""));
                if (!url.isBlank() && !url.equals("null")) {
                    out.add(new Link(String.valueOf(rendered.getOrDefault("title", url)), url));
                }
            } catch (RuntimeException e) {
                // a link whose step has not run yet: not shown yet
            }
        }
        return out;
    }

    /**
     * {@code r}, the time in milliseconds in base 36, and 32 random bits in hex: unique across replicas (a clash needs
     * two runs in the same millisecond with the same 32 bits), readable in a branch name, in creation order. Not a
     * secret (it is shown in Slack and in branch names), so the random bits come from {@link ThreadLocalRandom}: the
     * shared {@code java.security.SecureRandom} reads the OS source under one lock, and the threads acknowledging
     * requests queued on it for tens of milliseconds.
     */
    private static String newId(Instant now) {
        return "r" + Long.toString(now.toEpochMilli(), 36) + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}

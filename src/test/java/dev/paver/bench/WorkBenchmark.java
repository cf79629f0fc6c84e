package dev.paver.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.paver.conversation.Testbed;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import dev.paver.core.run.StepRun;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Paver's own work per create-service on a warm JVM: {@code -Dbench.warmup} (default 10) and then {@code -Dbench.runs}
 * (default 40) signed {@code /platform create-service svc-N ...} commands, one at a time, on embedded defaults (local
 * git, H2, Slack stand-in, no cluster). Each run is followed until it waits for its pull request to be merged; its
 * own work is the time of its steps before that (rendering, the conventions gate, the name check, the two pull
 * requests and the application repository, as the steps recorded them), without the wait; and the CPU time the run
 * workers spent on it, which leaves out the in-process git server of the embedded repositories and all waiting. Prints
 * p50 and p99 of the whole, of the CPU time (the run workers', and the whole process's from the command to the wait for
 * the merge) and of each step, in milliseconds. Waiting runs are not polled meanwhile.
 * The gate builds overlays with the configured kustomize: by default a real one when installed
 * ({@code -Dbench.kustomize=builtin} for Paver's built-in view). Run:
 * {@code mvn -q test-compile exec:java@work}.
 */
public final class WorkBenchmark {

    static final int WARMUP = Integer.getInteger("bench.warmup", 10);
    static final int RUNS = Integer.getInteger("bench.runs", 40);
    private static final Set<String> WAITING = Set.of("await-merge", "await-sync", "await-ready");

    private WorkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("paver-work-bench-");
        try (Testbed testbed = new Testbed(work, false)) {
            String kustomize = System.getProperty("bench.kustomize");
            if (kustomize != null) {
                testbed.property("paver.conventions.kustomize-command", kustomize);
            }
            testbed.property("logging.level.dev.paver", "WARN");
            // no poll of the runs left waiting for their merge: its passes would run on the workers measured
            testbed.property("paver.git.poll-interval", "1h");
            testbed.startPaver();
            RunStore store = testbed.paver().bean(RunStore.class);
            List<Long> own = new ArrayList<>();
            List<Long> cpu = new ArrayList<>();
            List<Long> process = new ArrayList<>();
            Map<String, List<Long>> bySteps = new LinkedHashMap<>();
            for (int i = 0; i < WARMUP + RUNS; i++) {
                String service = "work-" + i;
                long cpuBefore = runWorkersCpuNanos();
                long processBefore = processCpuNanos();
                var answer = testbed.slashCommand("C0WORK", "U0BENCH", "bench", "/platform create-service " + service
                        + " --system checkout --owner team-payments", "work-" + i, "valid");
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("create-service " + service + ": HTTP " + answer.statusCode());
                }
                Run run = awaitMerge(store, service);
                long cpuUsed = runWorkersCpuNanos() - cpuBefore;
                long processUsed = processCpuNanos() - processBefore;
                if (i < WARMUP) {
                    continue;
                }
                long total = 0;
                for (StepRun step : run.steps()) {
                    if (WAITING.contains(step.stepId()) || step.startedAt() == null || step.finishedAt() == null) {
                        continue;
                    }
                    long micros = Duration.between(step.startedAt(), step.finishedAt()).toNanos() / 1000;
                    total += micros;
                    bySteps.computeIfAbsent(step.stepId(), k -> new ArrayList<>()).add(micros);
                }
                own.add(total);
                cpu.add(cpuUsed / 1000);
                process.add(processUsed / 1000);
            }
            System.out.printf("Paver's own work per create-service, warm JVM, %d runs one at a time (after %d to warm up), "
                    + "kustomize: %s%n", RUNS, WARMUP, kustomize == null ? "as configured (a real one when installed)" : kustomize);
            print("whole (every step before the merge)", own);
            print("CPU of the run workers (Paver's own)", cpu);
            print("CPU of the whole process", process);
            bySteps.forEach((step, micros) -> print("  " + step, micros));
        }
    }

    /**
     * The run of {@code service}, once it waits for its pull request to be merged; fails after 60 s. Looks every
     * 100 ms: the steps' times come from the run's record, so a later look changes no figure, while looking every
     * 10 ms took as much processor time as the run workers themselves (JFR) and slowed the steps measured.
     */
    private static Run awaitMerge(RunStore store, String service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (Run run : store.recentBy("U0BENCH", 3)) {
                if (service.equals(run.request().parameters().get("service"))) {
                    if (run.state().finished()) {
                        throw new IllegalStateException(service + " ended " + run.state() + ": " + run.outcome());
                    }
                    if (run.state() == RunState.WAITING) {
                        return run;
                    }
                }
            }
            // seldom: each look reads runs from the database, on the two cores the measured run works on
            Thread.sleep(100);
        }
        throw new IllegalStateException(service + " did not reach its merge in 60 s");
    }

    /**
     * CPU time, in nanoseconds, of Paver's run workers ({@code paver-run-*} threads) so far: the run's own computing
     * (rendering, the gate, commits, its git client, its database writes), without the in-process git server's
     * threads of the embedded repositories, the Slack stand-in, or time spent waiting.
     */
    private static long runWorkersCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("paver-run-")) {
                long nanos = threads.getThreadCpuTime(thread.getId());
                sum += Math.max(0, nanos);
            }
        }
        return sum;
    }

    /**
     * CPU time, in nanoseconds, of the whole JVM so far: the run workers and everything else the run made busy (the
     * in-process git server of the embedded repositories, the Slack stand-in, the garbage collector and the JIT), and
     * this benchmark's own look every 100 ms. On a machine shared with other work, the wall-clock times of the steps
     * grow with the machine's load; this grows much less, so it compares builds measured at different moments.
     */
    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void print(String label, List<Long> micros) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        System.out.printf("  %-40s p50 %7.1f ms   p99 %7.1f ms%n", label, pct(sorted, 50), pct(sorted, 99));
    }

    private static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}

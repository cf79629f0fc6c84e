package dev.paver.bench;

import dev.paver.conversation.ClusterStandIn;
import dev.paver.conversation.SlackStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import dev.paver.kubernetes.ArgoCdApplications;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Argo CD at scale, on fabric8's mock API server (CRUD mode) and the Slack stand-in, in one JVM:
 * <ol>
 *   <li>{@code -Dbench.applications} Applications (default 10,000), each a copy of the real Application of the shared
 *       fixtures with a status; then Paver's informer alone ({@link ArgoCdApplications}): the time of its first
 *       list;</li>
 *   <li>Paver started on them, and {@code -Dbench.runs} runs (default 1,000) of a one-step golden path that waits with
 *       {@code argocd:await-sync} for one Application each, every run in its own channel (Slack's pace is one message a
 *       second per channel); heap after GC and resident memory once they all wait;</li>
 *   <li>{@code -Dbench.changes} times (default 200), one after the other: an Application of a waiting run is set
 *       deployed (Synced, Healthy, operation Succeeded at the run's revision) and the clock runs until the run's
 *       thread gets its reply in the Slack stand-in (polled every 2 ms). Prints p50, p90, p99 and max.</li>
 * </ol>
 * Paver runs with its own poll intervals (15 s). Its heap is the whole JVM's after GC less what the stand-ins held
 * before Paver started (the mock API server with its Applications, the Slack and git stand-ins). Run: {@code mvn -q test-compile exec:java@argocd-scale}.
 */
public final class ArgoCdScaleBenchmark {

    static final int APPLICATIONS = Integer.getInteger("bench.applications", 10_000);
    static final int RUNS = Integer.getInteger("bench.runs", 1_000);
    static final int CHANGES = Integer.getInteger("bench.changes", 200);
    static final String REVISION = "4f6e1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f";
    static final String TEMPLATE = """
            apiVersion: scaffolder.backstage.io/v1beta3
            kind: Template
            metadata:
              name: watch-bench
              title: Follow one Argo CD Application
              description: Waits until an Argo CD Application is deployed at a revision (the Argo CD scale benchmark).
            spec:
              owner: group:platform-team
              type: service
              parameters:
                - title: The Application
                  required: [application, revision]
                  properties:
                    application:
                      title: Application
                      type: string
                      pattern: "^[a-z0-9-]{1,63}$"
                    revision:
                      title: Revision
                      type: string
                      pattern: "^[0-9a-f]{40}$"
              steps:
                - id: await-sync
                  name: Wait for Argo CD to deploy
                  action: argocd:await-sync
                  input:
                    application: ${{ parameters.application }}
                    revision: ${{ parameters.revision }}
            """;

    private ArgoCdScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Files.createTempDirectory("paver-argocd-bench-");
        Path templates = work.resolve("templates");
        copy(Path.of("templates"), templates);
        Files.createDirectories(templates.resolve("watch-bench"));
        Files.writeString(templates.resolve("watch-bench/template.yaml"), TEMPLATE);
        try (Testbed testbed = new Testbed(work.resolve("bed"), true)) {
            testbed.property("paver.templates.dir", templates.toString());
            testbed.property("logging.level.dev.paver", "WARN");
            // Paver's own intervals, not the testbed's quick ones (a poll every 200 ms passes over every run)
            testbed.property("paver.git.poll-interval", "15s");
            testbed.property("paver.runs.timer-tick", "5s");
            testbed.property("paver.runs.catalog-refresh", "60s");
            ClusterStandIn cluster = testbed.cluster();

            long t0 = System.nanoTime();
            inParallel(APPLICATIONS, i -> cluster.setStatus(app(i), "OutOfSync", "Progressing", null, REVISION, null));
            System.out.printf("Argo CD scale benchmark: %,d Applications, %,d waiting runs, %d status changes%n",
                    APPLICATIONS, RUNS, CHANGES);
            System.out.printf("  %,d Applications created in the mock API server in %.1f s%n", APPLICATIONS, seconds(t0));

            ArgoCdApplications informer = new ArgoCdApplications(cluster.client(), "argocd");
            CountDownLatch listed = new CountDownLatch(1);
            informer.onList(listed::countDown);
            long t1 = System.nanoTime();
            informer.start();
            if (!listed.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the informer did not list the Applications in 5 minutes");
            }
            System.out.printf("  Paver's informer alone: first list of the %,d Applications in %.2f s%n", APPLICATIONS, seconds(t1));
            informer.close();

            long standIns = heapAfterGc();
            testbed.startPaver();
            RunEngine engine = testbed.paver().bean(RunEngine.class);
            RunStore store = testbed.paver().bean(RunStore.class);
            List<String> ids = new ArrayList<>();
            long t2 = System.nanoTime();
            for (int i = 0; i < RUNS; i++) {
                ids.add(engine.start(new RunRequest("watch-bench", Map.of("application", app(i), "revision", REVISION),
                        Map.of("deploymentTracking", "on"), "U0BENCH", RunRequest.Origin.TYPED, String.format("C%07d", i))).id());
            }
            List<Run> waiting = awaitWaiting(store, ids);
            System.out.printf("  %,d runs started and waiting for their Application in %.1f s%n", RUNS, seconds(t2));
            long all = heapAfterGc();
            System.out.printf("  heap after GC: %.0f MiB for Paver (following the Applications, its runs waiting), the whole JVM "
                    + "%.0f MiB less the stand-ins' %.0f MiB (mock API server with its Applications, Slack, git); resident %.0f MiB%n",
                    mib(all - standIns), mib(all), mib(standIns), mib(residentBytes()));

            SlackStandIn slack = testbed.slack();
            List<Long> micros = new ArrayList<>();
            int step = Math.max(1, RUNS / CHANGES);
            for (int k = 0; k < CHANGES && k * step < waiting.size(); k++) {
                Run run = waiting.get(k * step);
                String thread = run.thread().threadTs();
                int replies = replies(slack, thread);
                String application = String.valueOf(run.request().parameters().get("application"));
                long start = System.nanoTime();
                cluster.setStatus(application, "Synced", "Healthy", "Succeeded", REVISION, "successfully synced (all tasks run)");
                long deadline = start + TimeUnit.SECONDS.toNanos(60);
                while (replies(slack, thread) <= replies) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("run " + run.id() + ": no reply in its thread 60 s after "
                                + application + " was deployed");
                    }
                    Thread.sleep(2);
                }
                micros.add((System.nanoTime() - start) / 1000);
                Thread.sleep(50);
            }
            Collections.sort(micros);
            System.out.printf("  Argo CD status change to thread reply, %d changes with %,d runs waiting: p50 %.0f ms   p90 %.0f ms   "
                    + "p99 %.0f ms   max %.0f ms%n", micros.size(), RUNS, pct(micros, 50), pct(micros, 90), pct(micros, 99),
                    micros.get(micros.size() - 1) / 1000.0);
            System.out.printf("  runs deployed: %d%n", store.recent(RUNS + 10).stream()
                    .filter(r -> r.state() == RunState.SUCCEEDED).count());
        }
    }

    private static String app(int i) {
        return String.format("bench-dev-app%05d", i);
    }

    private interface Work {
        void run(int i) throws Exception;
    }

    private static void inParallel(int count, Work work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> {
                work.run(n);
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
    }

    private static List<Run> awaitWaiting(RunStore store, List<String> ids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (true) {
            List<Run> runs = ids.stream().map(id -> store.find(id).orElseThrow()).toList();
            if (runs.stream().allMatch(r -> r.state() == RunState.WAITING && r.thread() != null)) {
                return runs;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runs not all waiting after 20 minutes");
            }
            Thread.sleep(1000);
        }
    }

    private static int replies(SlackStandIn slack, String threadTs) {
        return (int) slack.calls("chat.postMessage").stream().filter(c -> c.param("thread_ts").equals(threadTs)).count();
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** This process's resident set (VmRSS of /proc/self/status), in bytes; 0 where there is no such file. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return 0;
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double pct(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1000.0;
    }
}

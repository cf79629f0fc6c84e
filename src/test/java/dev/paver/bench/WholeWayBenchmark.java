package dev.paver.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.ArgoCdController;
import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import dev.paver.core.run.StepRun;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.util.FileSystemUtils;

/**
 * The whole way of a create-service, from the slash command to "running in dev", in real time, with the stand-ins of
 * the demo around a real Paver: a GitHub stand-in whose GitOps repository has a required check run that turns green
 * {@code whole.checks} (30 s) after each commit, and fabric8's mock API server with an Argo CD ({@link ArgoCdController})
 * that looks at the repository every {@code whole.poll} (3 min, Argo CD's default) counted from the slash command,
 * or at once when asked to refresh, and takes {@code whole.sync} (10 s) from noticing a revision to Synced and Healthy.
 * Paver learns of a merge at its poll of the stand-in every 200 ms (the testbed's setting, standing in for GitHub's
 * {@code pull_request} webhook, which wakes the run at once).
 *
 * <p>Variants ({@code whole.variants}, default all four, each {@code whole.runs} times, one run at a time, each with
 * fresh stand-ins and a fresh Paver):
 * <ul>
 *   <li>{@code person}: no merge policy and no refresh. A person merges the GitOps pull request the moment its checks
 *       are green (this benchmark asks GitHub for the check runs every 250 ms, then merges); Paver's patches of Argo CD
 *       objects are forbidden (as before the refresh), so Argo CD notices at its poll.</li>
 *   <li>{@code refresh}: the same person, and Paver asks Argo CD to refresh.</li>
 *   <li>{@code policy}: {@code paver.merge.policies} lets Paver merge create-service in dev and staging (GitHub's
 *       auto-merge, allowed on the repository); no refresh.</li>
 *   <li>{@code policy+refresh}: both.</li>
 * </ul>
 * Prints, per run, the seconds from the slash command to the merge, to Argo CD noticing it (and how), and to the
 * run's "Deployed to dev"; then the median per variant and its ratio to {@code person}.
 * Run: {@code mvn -q test-compile exec:java@whole-way} ({@code -Dwhole.checks=30s -Dwhole.sync=10s -Dwhole.poll=3m
 * -Dwhole.variants=person,refresh,policy,policy+refresh -Dwhole.runs=1}).
 */
public final class WholeWayBenchmark {

    static final Duration CHECKS = duration("whole.checks", "30s");
    static final Duration SYNC = duration("whole.sync", "10s");
    static final Duration POLL = duration("whole.poll", "3m");
    static final int RUNS = Integer.getInteger("whole.runs", 1);
    static final List<String> VARIANTS = List.of(System.getProperty("whole.variants", "person,refresh,policy,policy+refresh")
            .split(","));
    private static final String ORG = "acme";
    private static final String GITOPS = "payments-gitops";
    private static final String APPLICATION = "payments-dev-api";
    private static final String TOKEN = "ghp_benchmarkTokenNotARealOne0001";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WholeWayBenchmark() {
    }

    /** One run's times, in seconds from the slash command; who merged, and how Argo CD came to notice. */
    record Times(String variant, double merged, String mergedBy, double noticed, String noticedBy, double deployed) {
    }

    public static void main(String[] args) throws Exception {
        for (String variant : VARIANTS) {
            if (!List.of("person", "refresh", "policy", "policy+refresh").contains(variant)) {
                throw new IllegalArgumentException("whole.variants: person, refresh, policy or policy+refresh, not " + variant);
            }
        }
        System.out.printf("The whole way of a create-service: checks %s, Argo CD poll %s, sync %s; real time%n",
                text(CHECKS), text(POLL), text(SYNC));
        List<Times> all = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            for (String variant : VARIANTS) {
                Times times = run(variant);
                all.add(times);
                System.out.printf("  %-15s merged %6.1f s (%s)   Argo CD noticed %6.1f s (%s)   running in dev %6.1f s%n",
                        variant, times.merged(), times.mergedBy(), times.noticed(), times.noticedBy(), times.deployed());
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        for (String variant : VARIANTS) {
            medians.put(variant, median(all.stream().filter(t -> t.variant().equals(variant)).map(Times::deployed).toList()));
        }
        System.out.println("Median seconds from the slash command to running in dev (ratio to person):");
        Double person = medians.get("person");
        medians.forEach((variant, median) -> System.out.printf("  %-15s %6.1f s%s%n", variant, median,
                person == null ? "" : String.format("   %.2f", median / person)));
        System.exit(0);
    }

    private static Times run(String variant) throws Exception {
        boolean policy = variant.startsWith("policy");
        boolean refresh = variant.endsWith("refresh");
        Path work = Files.createTempDirectory("paver-whole-way-");
        try (Testbed testbed = new Testbed(work, true);
             GitHubStandIn github = new GitHubStandIn(ORG, testbed.clock())) {
            github.seed(GITOPS, GoldenPathFixtures.CHECKOUT_CATALOG);
            github.check(GITOPS, "validate-conventions", GitHubStandIn.CheckKind.CHECK_RUN, true, CHECKS);
            if (policy) {
                github.allowAutoMerge(GITOPS, true);
                testbed.property("paver.merge.policies[0].golden-path", "create-service");
                testbed.property("paver.merge.policies[0].environments", "dev,staging");
            }
            testbed.property("paver.github.token", TOKEN);
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", ORG);
            testbed.property("paver.github.cache-dir", work.resolve("github-cache").toString());
            testbed.property("logging.level.dev.paver", "WARN");
            if (!refresh) {
                testbed.cluster().forbidPatches();
            }
            testbed.startPaver();
            RunStore store = testbed.paver().bean(RunStore.class);
            AtomicReference<Map<String, String>> seen = new AtomicReference<>(Map.of());
            AtomicReference<String> head = new AtomicReference<>();
            long start = System.nanoTime();
            try (ArgoCdController argoCd = testbed.cluster().argoCd(app -> revision(github, seen, head), POLL, SYNC)
                    .follow(APPLICATION, "payments")) {
                var answer = testbed.slashCommand("C0BENCH", "U0BENCH", "bench",
                        "/platform create-service api --system checkout --owner team-payments", "whole-" + variant, "valid");
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(variant + ": HTTP " + answer.statusCode() + " for the slash command");
                }
                Duration limit = POLL.plus(CHECKS).plus(SYNC).plus(Duration.ofMinutes(2));
                long deadline = start + limit.toNanos();
                double merged = -1;
                while (System.nanoTime() < deadline) {
                    Optional<Run> run = store.recentBy("U0BENCH", 1).stream().findFirst();
                    if (run.isPresent() && run.get().state().finished()) {
                        if (run.get().state() != RunState.SUCCEEDED) {
                            throw new IllegalStateException(variant + ": the run ended " + run.get().state() + ": " + run.get().outcome());
                        }
                        break;
                    }
                    if (merged < 0 && run.isPresent() && mergedOn(github, run.get())) {
                        merged = seconds(start);
                    }
                    if (!policy && merged < 0 && run.isPresent()) {
                        personMerges(github, run.get());
                    }
                    Thread.sleep(250);
                }
                double deployed = seconds(start);
                Run run = store.recentBy("U0BENCH", 1).get(0);
                if (!run.state().finished()) {
                    throw new IllegalStateException(variant + ": not running in dev after " + text(limit) + ": " + run.waitingFor());
                }
                String mergedBy = policy ? "by policy, GitHub's auto-merge" : "by the person";
                ArgoCdController.Noticed noticed = argoCd.noticed(APPLICATION).orElseThrow();
                return new Times(variant, merged, mergedBy, (noticed.atNanos() - start) / 1e9, noticed.by(), deployed);
            }
        } finally {
            FileSystemUtils.deleteRecursively(work);
        }
    }

    /** The head of main of the GitOps repository once it has the service's dev overlay; asked of GitHub when main changed. */
    private static Optional<String> revision(GitHubStandIn github, AtomicReference<Map<String, String>> seen,
                                             AtomicReference<String> head) {
        Map<String, String> files = github.files(GITOPS, "main");
        if (!files.containsKey("apps/checkout/api/overlays/dev/kustomization.yaml")) {
            return Optional.empty();
        }
        if (!files.equals(seen.get()) || head.get() == null) {
            try {
                head.set(get(github, "/repos/" + ORG + "/" + GITOPS + "/git/refs/heads/main").path("object").path("sha").asText());
                seen.set(files);
            } catch (IOException | InterruptedException e) {
                return Optional.empty();
            }
        }
        return Optional.of(head.get());
    }

    /** Whether the run's GitOps pull request is merged on GitHub. */
    private static boolean mergedOn(GitHubStandIn github, Run run) {
        int number = pullRequestNumber(run);
        JsonNode pr = number < 0 ? null : github.pullRequest(GITOPS, number);
        return pr != null && pr.path("merged").asBoolean();
    }

    /** A person at the pull request: merges it the moment every check run of its head is green. */
    private static void personMerges(GitHubStandIn github, Run run) throws IOException, InterruptedException {
        int number = pullRequestNumber(run);
        JsonNode pr = number < 0 ? null : github.pullRequest(GITOPS, number);
        if (pr == null || !pr.path("state").asText().equals("open")) {
            return;
        }
        String sha = pr.path("head").path("sha").asText();
        JsonNode runs = get(github, "/repos/" + ORG + "/" + GITOPS + "/commits/" + sha + "/check-runs").path("check_runs");
        if (runs.isEmpty()) {
            return;
        }
        for (JsonNode check : runs) {
            if (!"success".equals(check.path("conclusion").asText())) {
                return;
            }
        }
        HttpResponse<String> merge = HTTP.send(request(github, "/repos/" + ORG + "/" + GITOPS + "/pulls/" + number + "/merge")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"sha\":\"" + sha + "\",\"merge_method\":\"merge\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (merge.statusCode() != 200) {
            throw new IllegalStateException("the person's merge was refused: HTTP " + merge.statusCode() + " " + merge.body());
        }
    }

    private static int pullRequestNumber(Run run) {
        StepRun publish = run.step("publish-gitops");
        Object number = publish == null ? null : publish.output().get("pullRequestNumber");
        return number == null ? -1 : Integer.parseInt(String.valueOf(number));
    }

    private static JsonNode get(GitHubStandIn github, String path) throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(request(github, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + answer.statusCode());
        }
        return JSON.readTree(answer.body());
    }

    private static HttpRequest.Builder request(GitHubStandIn github, String path) {
        return HttpRequest.newBuilder(URI.create(github.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "token " + TOKEN).header("Accept", "application/vnd.github+json");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Duration duration(String key, String fallback) {
        return Duration.parse("PT" + System.getProperty(key, fallback).toUpperCase(java.util.Locale.ROOT));
    }

    private static String text(Duration d) {
        return d.toSeconds() % 60 == 0 && d.toSeconds() >= 60 ? d.toMinutes() + " min" : d.toMillis() / 1000.0 + " s";
    }
}

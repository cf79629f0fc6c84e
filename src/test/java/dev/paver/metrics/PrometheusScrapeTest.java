package dev.paver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Paver started with its management endpoints on a port of their own, against the stand-ins (Slack, a GitHub that
 * keeps GitHub's limits, a cluster with Argo CD): after one create-service by slash command, {@code /actuator/prometheus}
 * on the management port has every series that the Grafana dashboard and the Prometheus alert rules in {@code deploy/}
 * query, and the run's own series count it.
 */
class PrometheusScrapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path DASHBOARD = Path.of("deploy", "grafana", "paver-dashboard.json");
    static final Path ALERTS = Path.of("deploy", "prometheus", "paver-alerts.yaml");

    @TempDir
    Path tmp;

    @Test
    void theScrapeAfterACreateServiceHasEverySeriesTheDashboardAndTheAlertsQuery() throws Exception {
        Set<String> queried = new TreeSet<>();
        dashboardExpressions().forEach(e -> queried.addAll(PromQl.metricNames(e)));
        Set<String> alerting = new TreeSet<>();
        alertExpressions().forEach(e -> alerting.addAll(PromQl.metricNames(e)));
        assertThat(queried).as("series the dashboard queries").hasSizeGreaterThan(10);
        assertThat(alerting).as("series the alert rules query").hasSizeGreaterThan(5);

        try (Testbed testbed = new Testbed(tmp, true);
             GitHubStandIn github = new GitHubStandIn("acme", testbed.clock())) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            testbed.property("paver.github.token", "ghp_testbedTokenNotARealOne00000001");
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", "acme");
            testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
            testbed.property("management.server.port", "0");
            testbed.property("management.server.address", "127.0.0.1");
            testbed.startPaver();
            assertThat(testbed.paver().managementPort()).as("a management port of its own").isNotEqualTo(testbed.paver().port());

            HttpResponse<String> ack = testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana",
                    "/platform create-service api --system checkout --owner team-payments --profile small", "T1", "valid");
            assertThat(ack.statusCode()).isEqualTo(200);
            assertThat(Testbed.eventually(() -> github.openPullRequests() == 2, Duration.ofSeconds(30))).as("both pull requests open").isTrue();

            String scrape = scrape(testbed);
            Map<String, List<Sample>> series = Sample.parse(scrape);
            Set<String> missing = new TreeSet<>(queried);
            missing.addAll(alerting);
            missing.removeAll(series.keySet());
            assertThat(missing).as("series queried by %s or %s but not on /actuator/prometheus", DASHBOARD, ALERTS).isEmpty();

            assertThat(value(series, "paver_runs_started_total", "golden_path=\"create-service\"", "origin=\"slash_command\""))
                    .isEqualTo(1.0);
            assertThat(Testbed.eventually(() -> value(seriesOf(testbed), "paver_runs_time_to_pull_request_seconds_count",
                    "golden_path=\"create-service\"") == 2.0, Duration.ofSeconds(30))).as("both pull requests timed from the request").isTrue();
            assertThat(value(series, "paver_slack_calls_total", "method=\"auth.test\"", "outcome=\"ok\"")).isPositive();
            assertThat(value(series, "paver_slack_events_ack_seconds_count", "outcome=\"acknowledged\""))
                    .as("the warm-up and the command").isGreaterThanOrEqualTo(2.0);
            assertThat(value(series, "paver_github_calls_total", "method=\"POST\"", "outcome=\"ok\"")).isPositive();
            assertThat(value(series, "paver_github_rate_limit_remaining")).as("from GitHub's headers")
                    .isBetween(0.0, (double) GitHubStandIn.PRIMARY_PER_HOUR - 1);
            assertThat(value(series, "paver_argocd_event_age_seconds")).as("the informer listed").isBetween(0.0, 600.0);
            assertThat(value(series, "paver_runs_stuck")).isZero();
        }
    }

    /** Every {@code expr} of the dashboard's panels and the golden path variable's query. */
    static List<String> dashboardExpressions() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
        List<String> out = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("query").has("query")) {
                out.add(variable.path("query").path("query").asText());
            }
        }
        return out;
    }

    /** Every {@code expr} of the alert rules. */
    @SuppressWarnings("unchecked")
    static List<String> alertExpressions() throws Exception {
        Map<String, Object> rules = new Yaml().load(Files.readString(ALERTS));
        List<String> out = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                out.add(String.valueOf(rule.get("expr")));
            }
        }
        return out;
    }

    private static Map<String, List<Sample>> seriesOf(Testbed testbed) {
        try {
            return Sample.parse(scrape(testbed));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String scrape(Testbed testbed) throws Exception {
        HttpResponse<String> response = testbed.http().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + testbed.paver().managementPort() + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The value of the one sample of {@code name} whose labels contain all of {@code labels}. */
    static double value(Map<String, List<Sample>> series, String name, String... labels) {
        List<Sample> matching = series.getOrDefault(name, List.of()).stream()
                .filter(s -> List.of(labels).stream().allMatch(s.labels()::contains)).toList();
        assertThat(matching).as("samples of %s with %s", name, List.of(labels)).hasSize(1);
        return matching.get(0).value();
    }

    /** One line of Prometheus' text format: {@code name{labels} value}. */
    record Sample(String name, String labels, double value) {
        private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

        static Map<String, List<Sample>> parse(String text) {
            Map<String, List<Sample>> out = new HashMap<>();
            for (String line : text.split("\n")) {
                Matcher m = LINE.matcher(line);
                if (!line.startsWith("#") && m.find()) {
                    double value = switch (m.group(3)) {
                        case "NaN" -> Double.NaN;
                        case "+Inf" -> Double.POSITIVE_INFINITY;
                        case "-Inf" -> Double.NEGATIVE_INFINITY;
                        default -> Double.parseDouble(m.group(3));
                    };
                    out.computeIfAbsent(m.group(1), k -> new ArrayList<>())
                            .add(new Sample(m.group(1), m.group(2) == null ? "" : m.group(2), value));
                }
            }
            return out;
        }
    }

}

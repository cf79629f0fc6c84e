package dev.paver.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheBucketSeriesInsideAQuantileOfARate() {
        assertThat(PromQl.metricNames("histogram_quantile(0.99, sum by (le, purpose) (rate(paver_x_seconds_bucket"
                + "{golden_path=~\"$golden_path\",outcome=\"a(b)\"}[$__rate_interval])))")).containsExactly("paver_x_seconds_bucket");
    }

    @Test
    void findsBothSidesOfABinaryOperationAndNotTheNumber() {
        assertThat(PromQl.metricNames("min(paver_a / on (job) paver_b) < 0.1 and bool 1e3"))
                .containsExactly("paver_a", "paver_b");
    }

    @Test
    void findsTheMetricOfGrafanasLabelValuesAndNotTheLabel() {
        assertThat(PromQl.metricNames("label_values(paver_runs_started_total, golden_path)"))
                .containsExactly("paver_runs_started_total");
    }

    @Test
    void readsAMetricWithoutFunction() {
        assertThat(PromQl.metricNames("paver_runs_stuck offset 5m > 0")).containsExactly("paver_runs_stuck");
    }
}

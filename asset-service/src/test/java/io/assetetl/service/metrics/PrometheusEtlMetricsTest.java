package io.assetetl.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusEtlMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusEtlMetrics metrics = new PrometheusEtlMetrics(registry);

    private String text() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void countsAndTimesTheLibrarysMetricsWithTheirLabels() throws IOException {
        metrics.count("etl_runs", Map.of("source", "csv", "status", "succeeded"), 1);
        metrics.count("etl_runs", Map.of("status", "succeeded", "source", "csv"), 2);
        metrics.count("etl_records", Map.of("source", "csv", "outcome", "loaded"), 25);
        metrics.count("upstream_http_requests", Map.of("source", "coingecko", "status", "429"), 1);
        metrics.count("upstream_retries", Map.of("source", "coingecko"), 1);
        metrics.count("rate_limiter_waits", Map.of("source", "coingecko"), 1);
        metrics.time("etl_run_duration", Map.of("source", "csv"), Duration.ofMillis(1500));
        metrics.time("rate_limiter_wait", Map.of("source", "coingecko"), Duration.ofMillis(20));

        String text = text();

        assertThat(text).contains(
                "etl_runs_total{source=\"csv\",status=\"succeeded\"} 3.0",
                "etl_records_total{outcome=\"loaded\",source=\"csv\"} 25.0",
                "upstream_http_requests_total{source=\"coingecko\",status=\"429\"} 1.0",
                "upstream_retries_total{source=\"coingecko\"} 1.0",
                "rate_limiter_waits_total{source=\"coingecko\"} 1.0",
                "etl_run_duration_seconds_bucket{source=\"csv\",le=\"2.5\"} 1",
                "etl_run_duration_seconds_sum{source=\"csv\"} 1.5",
                "rate_limiter_wait_seconds_count{source=\"coingecko\"} 1");
    }

    @Test
    void aKnownSourcesSeriesAreScrapedAtZeroBeforeItsFirstRun() throws IOException {
        metrics.knownSource("csv", false);
        metrics.knownSource("coingecko", true);

        String text = text();

        assertThat(text).contains(
                "etl_runs_total{source=\"csv\",status=\"succeeded\"} 0.0",
                "etl_runs_total{source=\"csv\",status=\"failed\"} 0.0",
                "etl_runs_total{source=\"csv\",status=\"abandoned\"} 0.0",
                "etl_records_total{outcome=\"rejected\",source=\"csv\"} 0.0",
                "etl_run_duration_seconds_count{source=\"csv\"} 0",
                "upstream_http_requests_total{source=\"coingecko\",status=\"200\"} 0.0",
                "upstream_retries_total{source=\"coingecko\"} 0.0",
                "rate_limiter_waits_total{source=\"coingecko\"} 0.0",
                "rate_limiter_wait_seconds_count{source=\"coingecko\"} 0");
        assertThat(text).as("no upstream series for a file source")
                .doesNotContain("upstream_retries_total{source=\"csv\"}");
    }

    @Test
    void aPluggedInSourcesOwnMetricIsRegisteredOnFirstUse() throws IOException {
        metrics.count("feed_files_skipped", Map.of("source", "desk"), 2);

        assertThat(text()).contains("feed_files_skipped_total{source=\"desk\"} 2.0");
    }

    @Test
    void callsThatDoNotFitAreDroppedInsteadOfFailingTheRun() throws IOException {
        metrics.count("etl_runs", Map.of("source", "csv"), 1);
        metrics.count("bad name!", Map.of(), 1);
        metrics.count("etl_records", Map.of("source", "csv", "outcome", "loaded"), -1);

        assertThat(text()).doesNotContain("bad name").doesNotContain("etl_runs_total{");
    }
}

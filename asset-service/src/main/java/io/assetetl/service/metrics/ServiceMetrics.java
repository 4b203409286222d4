package io.assetetl.service.metrics;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * Everything {@code GET /metrics} shows: the Dropwizard metric registry (JVM, Jetty, Jersey, connection pool)
 * translated to Prometheus, the ETL metrics, and the latency of the API's requests.
 */
public final class ServiceMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusEtlMetrics etl = new PrometheusEtlMetrics(registry);
    private final Histogram requests = Histogram.builder()
            .name("http_request_duration_seconds")
            .unit(Unit.SECONDS)
            .help("Latency of HTTP requests to the API, by method, route template and status")
            .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .labelNames("method", "path", "status")
            .register(registry);

    public ServiceMetrics(MetricRegistry dropwizardMetrics) {
        registry.register(new DropwizardExports(dropwizardMetrics));
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public PrometheusEtlMetrics etl() {
        return etl;
    }

    /** Records one answered request; {@code route} is the matched template, never the raw path. */
    public void request(String method, String route, int status, Duration latency) {
        requests.labelValues(method, route, Integer.toString(status)).observe(latency.toNanos() / 1e9);
    }
}

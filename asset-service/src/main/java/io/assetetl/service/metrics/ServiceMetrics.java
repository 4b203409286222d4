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
    private final Histogram requests = requestLatency().register(registry);
    /** The same for the service's own warm-up requests, which it records apart and {@code /metrics} does not show. */
    private final Histogram warmUpRequests = requestLatency().build();

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
        record(requests, method, route, status, latency);
    }

    /**
     * Records one answered warm-up request apart from clients' requests, in a histogram that is not shown: the
     * warm-up thereby runs the same code as a client's request, and leaves the figures alone.
     */
    public void warmUpRequest(String method, String route, int status, Duration latency) {
        record(warmUpRequests, method, route, status, latency);
    }

    private static void record(Histogram histogram, String method, String route, int status, Duration latency) {
        histogram.labelValues(method, route, Integer.toString(status)).observe(latency.toNanos() / 1e9);
    }

    private static Histogram.Builder requestLatency() {
        return Histogram.builder()
                .name("http_request_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Latency of HTTP requests to the API, by method, route template and status")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("method", "path", "status");
    }
}

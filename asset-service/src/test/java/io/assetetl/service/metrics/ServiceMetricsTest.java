package io.assetetl.service.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    @Test
    void warmUpRequestsAreRecordedApartFromClientsAndNotShown() {
        ServiceMetrics metrics = new ServiceMetrics(new MetricRegistry());

        metrics.warmUpRequest("GET", "/data", 200, Duration.ofMillis(3));
        metrics.warmUpRequest("GET", "/assets/{symbol}", 200, Duration.ofMillis(3));
        metrics.request("GET", "/assets/{symbol}", 200, Duration.ofMillis(2));

        assertThat(requestCountsByPath(metrics)).containsExactly(Map.entry("/assets/{symbol}", 1L));
    }

    private static Map<String, Long> requestCountsByPath(ServiceMetrics metrics) {
        HistogramSnapshot requests = null;
        for (MetricSnapshot snapshot : metrics.registry().scrape()) {
            if (snapshot.getMetadata().getName().equals("http_request_duration_seconds")) {
                requests = (HistogramSnapshot) snapshot;
            }
        }
        assertThat(requests).as("the request latency histogram").isNotNull();
        return requests.getDataPoints().stream().collect(Collectors.toMap(
                point -> point.getLabels().get("path"), HistogramSnapshot.HistogramDataPointSnapshot::getCount));
    }
}

package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.RunRequest;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.DropwizardTestSupport;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code warmUp.requests} set, the server answers that many of the read path's requests it sends itself before
 * it takes its first connection, and counts none of them as clients' traffic.
 */
class WarmUpIT {

    private static final Map<String, String> FILES = Map.of(
            "CSV_SOURCE_PATH", TestApps.CSV.toString(), "CSV_WEIRD_SOURCE_PATH", TestApps.CSV_WEIRD.toString());

    @Test
    void everyWarmUpRequestIsAnsweredBeforeTheServerTakesConnectionsAndNoneCountsAsTraffic() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (AssetEtl etl = new AssetServiceConfiguration().buildEtl(db.dataSource(), EtlMetrics.NOOP, FILES)) {
            assertThat(etl.run(RunRequest.of("csv")).succeeded()).isTrue();
            assertThat(etl.run(RunRequest.of("csv_weird")).succeeded()).isTrue();
        }
        DropwizardTestSupport<AssetServiceConfiguration> app = TestApps.support(FILES, db.jdbcUrl(), db.user(),
                "warmUp.requests=300");
        app.before();
        try {
            // before() returns once the server takes connections
            assertThat(gauge(app, "warm-up.requests")).isEqualTo(300);
            assertThat(gauge(app, "warm-up.failures")).isZero();
            assertThat(gauge(app, "read-cache.hits")).as("the first page, read once and then kept")
                    .isGreaterThanOrEqualTo(200);

            Http http = new Http(app.getLocalPort());
            assertThat(http.get("/metrics").body()).doesNotContain("path=\"/data\"")
                    .doesNotContain("path=\"/assets/{symbol}\"");
            assertThat(http.get("/data?limit=50").status()).isEqualTo(200);
            assertThat(http.get("/metrics").body())
                    .contains("http_request_duration_seconds_count{method=\"GET\",path=\"/data\",status=\"200\"} 1");
        } finally {
            app.after();
        }
    }

    @Test
    void aServerWithNothingToServeYetWarmsUpOnItsEmptyPages() throws Exception {
        TestDatabase db = TestDatabase.create();
        DropwizardTestSupport<AssetServiceConfiguration> app = TestApps.support(FILES, db.jdbcUrl(), db.user(),
                "warmUp.requests=50");
        app.before();
        try {
            assertThat(gauge(app, "warm-up.requests")).isEqualTo(50);
            assertThat(gauge(app, "warm-up.failures")).isZero();
        } finally {
            app.after();
        }
    }

    @Test
    void noRequestIsSentUnlessSomeAreAskedFor() throws Exception {
        TestDatabase db = TestDatabase.create();
        DropwizardTestSupport<AssetServiceConfiguration> app = TestApps.support(FILES, db.jdbcUrl(), db.user());
        app.before();
        try {
            assertThat(gauge(app, "warm-up.requests")).isZero();
            assertThat(gauge(app, "read-cache.misses")).isZero();
        } finally {
            app.after();
        }
    }

    private static long gauge(DropwizardTestSupport<AssetServiceConfiguration> app, String name) {
        Gauge<?> gauge = app.getEnvironment().metrics().getGauges().get(name);
        return ((Number) gauge.getValue()).longValue();
    }
}

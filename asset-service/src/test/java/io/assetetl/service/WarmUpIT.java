package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.RunRequest;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.DropwizardTestSupport;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code warmUp.requests} set, the server answers that many of the read path's requests it sends itself before
 * it takes its first connection, through the same handlers as clients' requests, and counts none of them as clients'
 * traffic. ({@code warmUp.stopWhenCompiled} is off here: whether the JIT compilers are idle is up to the machine.)
 */
class WarmUpIT {

    private static final Map<String, String> FILES = Map.of(
            "CSV_SOURCE_PATH", TestApps.CSV.toString(), "CSV_WEIRD_SOURCE_PATH", TestApps.CSV_WEIRD.toString());

    private DropwizardTestSupport<AssetServiceConfiguration> app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.after();
        }
    }

    @Test
    void everyWarmUpRequestIsAnsweredBeforeTheServerTakesConnectionsAndNoneCountsAsTraffic() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (AssetEtl etl = new AssetServiceConfiguration().buildEtl(db.dataSource(), EtlMetrics.NOOP, FILES)) {
            assertThat(etl.run(RunRequest.of("csv")).succeeded()).isTrue();
            assertThat(etl.run(RunRequest.of("csv_weird")).succeeded()).isTrue();
        }
        start(db, "warmUp.requests=300", "warmUp.stopWhenCompiled=false");

        // start() returns once the server takes connections
        assertThat(gauge("warm-up.requests")).isEqualTo(300);
        assertThat(gauge("warm-up.failures")).isZero();
        assertThat(gauge("read-cache.hits")).as("the first page, read once and then kept")
                .isGreaterThanOrEqualTo(200);
        assertThat(app.getEnvironment().metrics().getTimers())
                .as("Dropwizard's own request timer, on the server's handlers ahead of the application's context")
                .hasEntrySatisfying("io.dropwizard.jetty.MutableServletContextHandler.requests",
                        timer -> assertThat(timer.getCount()).isEqualTo(300));

        Http http = new Http(app.getLocalPort());
        assertThat(http.get("/metrics").body()).doesNotContain("path=\"/data\"")
                .doesNotContain("path=\"/assets/{symbol}\"");
        assertThat(http.get("/data?limit=50").status()).isEqualTo(200);
        assertThat(http.get("/metrics").body())
                .contains("http_request_duration_seconds_count{method=\"GET\",path=\"/data\",status=\"200\"} 1");
    }

    @Test
    void aServerWithNothingToServeYetWarmsUpOnItsEmptyPages() throws Exception {
        start(TestDatabase.create(), "warmUp.requests=50", "warmUp.stopWhenCompiled=false");

        assertThat(gauge("warm-up.requests")).isEqualTo(50);
        assertThat(gauge("warm-up.failures")).isZero();
    }

    @Test
    void noRequestIsSentUnlessSomeAreAskedFor() throws Exception {
        start(TestDatabase.create());

        assertThat(gauge("warm-up.requests")).isZero();
        assertThat(gauge("read-cache.misses")).isZero();
    }

    private void start(TestDatabase db, String... overrides) throws Exception {
        app = TestApps.support(FILES, db.jdbcUrl(), db.user(), overrides);
        app.before();
    }

    private long gauge(String name) {
        Gauge<?> gauge = app.getEnvironment().metrics().getGauges().get(name);
        return ((Number) gauge.getValue()).longValue();
    }
}

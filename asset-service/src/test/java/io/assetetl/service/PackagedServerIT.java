package io.assetetl.service;

import static io.assetetl.service.PackagedJar.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar as a user runs it from a fresh clone: {@code java -jar asset-service.jar server} with no
 * configuration file and no {@code DATABASE_URL}, so on the embedded PostgreSQL, with the first scheduled runs
 * loading the sample files (CoinGecko answered by a local fake).
 */
class PackagedServerIT {

    @TempDir
    Path home;

    @Test
    void serverWithNoConfigurationServesTheSampleDataOnTheEmbeddedDatabase() throws Exception {
        assertThat(PackagedJar.JAR).as("the fat jar is built in the package phase").exists();
        int port = freePort();
        try (FakeCoinGeckoServer coingecko = FakeCoinGeckoServer.start()
                .withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json")) {
            ProcessBuilder builder = PackagedJar.command(home.resolve("server.log"), List.of("DATABASE_URL",
                    "DATABASE_USER", "DATABASE_PASSWORD", "CSV_SOURCE_PATH", "CSV_WEIRD_SOURCE_PATH", "ETL_INTERVAL",
                    "ETL_FAIL_AFTER_RECORDS", "LOG_FORMAT", "ADMIN_TOKEN"), "server");
            Map<String, String> env = builder.environment();
            env.put("ASSET_ETL_HOME", home.toString());
            env.put("PORT", Integer.toString(port));
            env.put("ADMIN_PORT", Integer.toString(freePort()));
            env.put("COINGECKO_BASE_URL", coingecko.baseUrl());
            env.put("COINGECKO_PAGES", "1");
            env.put("COINGECKO_PER_PAGE", "100");
            Process server = builder.start();
            try {
                Http http = new Http(port);
                JsonNode health = awaitAllSourcesSucceeded(http, server);

                assertThat(health.get("database").asText()).isEqualTo("connected");
                String log = Files.readString(home.resolve("server.log"));
                assertThat(log).as("the bundled warm-up, all answered 200")
                        .containsPattern("Warmed up with [1-9][0-9]* requests in [0-9]+ ms \\(0 not answered 200\\)");
                assertThat(log).as("warm-up requests are not in the request log").doesNotContain("\"GET /data");
                assertThat(Files.isDirectory(home.resolve("postgres"))).as("embedded data folder").isTrue();
                JsonNode btc = http.get("/assets/BTC").json();
                List<String> sources = new ArrayList<>();
                btc.get("sources").forEach(s -> sources.add(s.get("source").asText()));
                assertThat(sources).containsExactlyInAnyOrder("csv", "csv_weird", "coingecko");
                assertThat(http.get("/data?limit=5").json().get("data")).hasSize(5);
                assertThat(http.get("/metrics").body()).contains("etl_runs_total{source=\"csv\",status=\"succeeded\"}");
            } finally {
                server.destroy();
                assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("graceful shutdown").isTrue();
            }
        }
    }

    private static JsonNode awaitAllSourcesSucceeded(Http http, Process server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                Http.Reply reply = http.get("/health");
                last = reply.json();
                if (reply.status() == 200 && succeeded(last, "csv") && succeeded(last, "csv_weird")
                        && succeeded(last, "coingecko")) {
                    return last;
                }
            } catch (RuntimeException notUpYet) {
                // the server is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the first scheduled runs did not all succeed: " + last);
    }

    private static boolean succeeded(JsonNode health, String source) {
        return "succeeded".equals(health.path("etl").path(source).path("last_status").asText());
    }
}

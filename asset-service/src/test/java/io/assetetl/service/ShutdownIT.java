package io.assetetl.service;

import static io.assetetl.service.PackagedJar.awaitTrue;
import static io.assetetl.service.PackagedJar.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.store.EmbeddedDatabase;
import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar asked to end (SIGTERM) while a run is in progress: the run is interrupted and recorded
 * {@code failed} before the process ends, also when the database is the embedded one, which stops after it. The run
 * in progress is a CoinGecko run waiting out a rate limit ({@code 429} with a long {@code Retry-After}).
 */
class ShutdownIT {

    private static final Reply SLOW_DOWN = Reply.rateLimited("50");

    @TempDir
    Path home;

    @Test
    void aServerOnTheEmbeddedDatabaseRecordsTheRunItInterruptsBeforeTheDatabaseStops() throws Exception {
        int port = freePort();
        try (FakeCoinGeckoServer coingecko = rateLimitedCoinGecko()) {
            ProcessBuilder builder = command(coingecko, "server");
            builder.environment().remove("DATABASE_URL");
            builder.environment().put("ASSET_ETL_HOME", home.toString());
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("ADMIN_PORT", Integer.toString(freePort()));
            builder.environment().put("WARM_UP_REQUESTS", "0");
            Process server = builder.start();
            try {
                Http http = new Http(port);
                awaitTrue(server, () -> "running".equals(
                        http.get("/health").json().path("etl").path("coingecko").path("last_status").asText()));
            } finally {
                server.destroy();
                assertThat(server.waitFor(90, TimeUnit.SECONDS)).as("graceful shutdown").isTrue();
            }
            assertThat(home.resolve("postgres").resolve("postmaster.pid")).as("the embedded server stopped")
                    .doesNotExist();
            try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"))) {
                assertInterruptedRunFailed(Jdbi.create(database.dataSource()));
            }
        }
    }

    @Test
    void aCommandRecordsTheRunItInterrupts() throws Exception {
        TestDatabase db = TestDatabase.create();
        try (FakeCoinGeckoServer coingecko = rateLimitedCoinGecko()) {
            ProcessBuilder builder = command(coingecko, "ingest", "coingecko");
            builder.environment().put("DATABASE_URL", db.jdbcUrl());
            builder.environment().put("DATABASE_USER", db.user());
            Process command = builder.start();
            try {
                awaitTrue(command, () -> !coingecko.marketRequests().isEmpty() && db.jdbi().withHandle(h -> h
                        .createQuery("SELECT count(*) FROM etl_runs WHERE status = 'running'")
                        .mapTo(Long.class).one()) == 1);
            } finally {
                command.destroy();
                assertThat(command.waitFor(90, TimeUnit.SECONDS)).as("the command ends").isTrue();
            }
            assertInterruptedRunFailed(db.jdbi());
        }
    }

    /** A fake CoinGecko whose first pages all answer 429, asking the client to wait a minute. */
    private static FakeCoinGeckoServer rateLimitedCoinGecko() {
        return FakeCoinGeckoServer.start().withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json")
                .scriptPage(1, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN, SLOW_DOWN);
    }

    private ProcessBuilder command(FakeCoinGeckoServer coingecko, String... arguments) throws IOException {
        ProcessBuilder builder = PackagedJar.command(Files.createTempFile(home.getParent(), "shutdown", ".log"),
                List.of("DATABASE_USER", "DATABASE_PASSWORD", "CSV_SOURCE_PATH", "CSV_WEIRD_SOURCE_PATH",
                        "ETL_INTERVAL", "ETL_FAIL_AFTER_RECORDS", "LOG_FORMAT", "ADMIN_TOKEN"), arguments);
        Map<String, String> env = builder.environment();
        env.put("COINGECKO_BASE_URL", coingecko.baseUrl());
        env.put("COINGECKO_PAGES", "1");
        env.put("COINGECKO_PER_PAGE", "100");
        return builder;
    }

    private static void assertInterruptedRunFailed(Jdbi jdbi) {
        Optional<Map<String, Object>> run = jdbi.withHandle(h -> h.createQuery(
                "SELECT status, error, finished_at FROM etl_runs WHERE source = 'coingecko'").mapToMap().findOne());
        assertThat(run).as("one coingecko run").isPresent();
        assertThat(run.get().get("status")).isEqualTo("failed");
        assertThat(run.get().get("finished_at")).isNotNull();
        assertThat((String) run.get().get("error"))
                .startsWith("interrupted: the process running it was shutting down, or its library was closed (");
    }
}

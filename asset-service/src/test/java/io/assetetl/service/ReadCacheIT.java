package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.AssetEtl;
import io.assetetl.run.EtlMetrics;
import io.assetetl.run.RunRequest;
import io.assetetl.service.cache.SummaryChangesListening;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /data} keeps the pages it read until the summaries change, and shows a change as soon as it is
 * committed, whichever process made it, and also after the connection it hears changes on was lost.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ReadCacheIT {

    private static final TestDatabase DB = TestDatabase.create();
    private static final Path CSV = temporaryFile();

    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(Map.of("CSV_SOURCE_PATH", CSV.toString()), DB.jdbcUrl(), DB.user(),
                    "adminToken=" + TestApps.ADMIN_TOKEN));

    private static Http http;

    @BeforeAll
    static void loadOnePrice() {
        http = new Http(APP.getLocalPort());
        append("symbol,name,price_usd,market_cap_usd,volume_24h_usd,timestamp\n"
                + "BTC,Bitcoin,100,1000,10,2025-01-01T00:00:00Z\n");
        http.runToEnd("csv");
        awaitListening();
    }

    @Test
    void aPageIsReadOnceAndServedAgainUntilTheSummariesChange() {
        long hits = gauge("read-cache.hits");
        JsonNode first = http.get("/data?limit=7").json();
        JsonNode second = http.get("/data?limit=7").json();

        assertThat(second.get("data")).isEqualTo(first.get("data"));
        assertThat(second.get("meta").get("request_id").asText())
                .isNotEqualTo(first.get("meta").get("request_id").asText());
        assertThat(gauge("read-cache.hits")).isGreaterThan(hits);
    }

    @Test
    void aRunOfTheServiceShowsOnPagesReadBeforeIt() {
        awaitPrice("ETH", p -> true, "ETH is loaded by this test", () -> {
            append("ETH,Ethereum,10,1000,10,2025-01-01T00:00:00Z\n");
            http.runToEnd("csv");
        });
    }

    @Test
    void aRunOfAnotherProcessShowsOnPagesReadBeforeIt() {
        awaitPrice("SOL", p -> p.equals("2"), "SOL at 2, loaded by another process", () -> {
            append("SOL,Solana,2,1000,10,2025-01-01T00:00:00Z\n");
            try (AssetEtl other = APP.getConfiguration().buildEtl(DB.dataSource(), EtlMetrics.NOOP,
                    Map.of("CSV_SOURCE_PATH", CSV.toString()))) {
                assertThat(other.run(RunRequest.of("csv")).succeeded()).isTrue();
            }
        });
    }

    @Test
    void afterTheListeningConnectionIsLostPagesStillShowEveryChange() {
        int terminated = DB.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                WHERE application_name = :name AND datname = current_database()""")
                .bind("name", SummaryChangesListening.APPLICATION_NAME).mapTo(Integer.class).one());
        assertThat(terminated).isEqualTo(1);

        awaitPrice("ADA", p -> true, "ADA, loaded while the service may not be listening", () -> {
            append("ADA,Cardano,1,1000,10,2025-01-01T00:00:00Z\n");
            http.runToEnd("csv");
        });
        awaitListening();
        awaitPrice("XRP", p -> true, "XRP, loaded once it listens again", () -> {
            append("XRP,XRP,3,1000,10,2025-01-01T00:00:00Z\n");
            http.runToEnd("csv");
        });
    }

    /** Reads the page {@code symbol} is on before {@code change}, then until it shows {@code symbol}. */
    private static void awaitPrice(String symbol, Predicate<String> price, String description, Runnable change) {
        String page = "/data?limit=500";
        assertThat(symbols(http.get(page).json())).doesNotContain(symbol);
        change.run();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode body = http.get(page).json();
        while (!shows(body, symbol, price) && System.nanoTime() < deadline) {
            body = http.get(page).json();
        }
        assertThat(shows(body, symbol, price)).as(description).isTrue();
    }

    private static boolean shows(JsonNode body, String symbol, Predicate<String> price) {
        for (JsonNode asset : body.get("data")) {
            if (asset.get("canonical_symbol").asText().equals(symbol)) {
                return price.test(asset.get("price_usd").asText());
            }
        }
        return false;
    }

    private static List<String> symbols(JsonNode body) {
        List<String> symbols = new ArrayList<>();
        body.get("data").forEach(a -> symbols.add(a.get("canonical_symbol").asText()));
        return symbols;
    }

    private static void awaitListening() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (gauge("read-cache.listening") != 1 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertThat(gauge("read-cache.listening")).as("listening for summary changes").isEqualTo(1);
    }

    private static long gauge(String name) {
        Gauge<?> gauge = APP.getEnvironment().metrics().getGauges().get(name);
        return ((Number) gauge.getValue()).longValue();
    }

    private static void append(String lines) {
        try {
            Files.writeString(CSV, lines, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("read-cache-", ".csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

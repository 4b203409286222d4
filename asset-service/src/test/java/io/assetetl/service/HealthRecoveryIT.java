package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.store.EmbeddedDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /health} and the reads follow the database: 503 while it is down, 200 again once it is back, with no
 * restart.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class HealthRecoveryIT {

    private static final Path DATA = temporaryDirectory().resolve("postgres");
    private static EmbeddedDatabase database = EmbeddedDatabase.start(DATA);
    private static final int PORT = database.port();

    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment("http://127.0.0.1:9/api/v3"), database.jdbcUrl(),
                    database.user()));

    @AfterAll
    static void stopDatabase() {
        database.close();
    }

    @Test
    void healthAndEveryReadAre503WhileTheDatabaseIsDownAndRecoverByThemselves() {
        Http http = new Http(APP.getLocalPort());
        assertThat(http.get("/health").status()).isEqualTo(200);

        database.close();
        Http.Reply down = awaitStatus(http, 503, Duration.ofSeconds(30));
        JsonNode body = down.json();
        assertThat(body.get("status").asText()).isEqualTo("error");
        assertThat(body.get("database").asText()).isEqualTo("disconnected");
        assertThat(down.header("Retry-After")).isEqualTo("5");
        assertThat(down.body()).doesNotContain("Exception", "jdbc:", "Connection refused");
        for (String path : List.of("/data?limit=3&source=csv", "/assets/BTC", "/assets/BTC/history", "/stats",
                "/runs", "/compare-runs", "/sources")) {
            Http.Reply reply = http.get(path);
            assertThat(reply.status()).as(path + ": " + reply.body()).isEqualTo(503);
            assertThat(reply.json().get("message").asText()).isEqualTo("database unavailable; try again later");
            assertThat(reply.header("Retry-After")).isEqualTo("5");
        }

        database = EmbeddedDatabase.start(DATA, PORT);
        Http.Reply up = awaitStatus(http, 200, Duration.ofSeconds(60));
        assertThat(up.json().get("status").asText()).isEqualTo("ok");
        assertThat(up.json().get("database").asText()).isEqualTo("connected");
        assertThat(http.get("/data?limit=1").status()).isEqualTo(200);
    }

    @Test
    void statsListsEveryConfiguredSourceBeforeItsFirstRun() {
        JsonNode sources = new Http(APP.getLocalPort()).get("/stats").json().get("sources");

        assertThat(sources.fieldNames()).toIterable().containsExactly("csv", "csv_weird", "coingecko");
        for (JsonNode source : sources) {
            assertThat(source.get("runs").asLong()).isZero();
            assertThat(source.get("records_processed_total").asLong()).isZero();
            assertThat(source.get("last_run_id").isNull()).isTrue();
            assertThat(source.get("last_success_at").isNull()).isTrue();
            assertThat(source.get("last_run_metadata").isNull()).isTrue();
        }
    }

    private static Http.Reply awaitStatus(Http http, int status, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Http.Reply last = http.get("/health");
        while (last.status() != status && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = http.get("/health");
        }
        assertThat(last.status()).as("health within %s: %s", within, last.body()).isEqualTo(status);
        return last;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("asset-service-health");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.AssetEtl;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.spi.SourceConfig;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /runs} while a run of the same source is in progress answers 409, and the scheduler of a second
 * replica skips that source; without an admin token the endpoint is disabled (403).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RunConflictIT {

    private static final TestDatabase DB = TestDatabase.create();
    private static final FakeCoinGeckoServer COINGECKO = FakeCoinGeckoServer.start()
            .withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json");

    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment(COINGECKO.baseUrl()), DB.jdbcUrl(), DB.user(),
                    "adminToken=" + TestApps.ADMIN_TOKEN));

    /** A second replica on the same database, with no admin token. */
    static final DropwizardAppExtension<AssetServiceConfiguration> REPLICA = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment(COINGECKO.baseUrl()), DB.jdbcUrl(), DB.user(), "adminToken="));

    @AfterAll
    static void stopFake() {
        COINGECKO.close();
    }

    @Test
    void secondRunOfARunningSourceIs409AndTheScheduledOneIsSkipped() {
        // the first answer is held back, so the run is certainly in progress while we ask again
        COINGECKO.scriptPage(1, Reply.json(200, "[]").delayedBy(Duration.ofSeconds(3)));
        Http http = new Http(APP.getLocalPort());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TestApps.ADMIN_TOKEN,
                "Content-Type", "application/json");

        Http.Reply first = http.post("/runs", "{\"source\":\"coingecko\"}", auth);
        Http.Reply second = http.post("/runs", "{\"source\":\"coingecko\"}", auth);
        try (AssetEtl replica = AssetEtl.builder().dataSource(DB.dataSource())
                .source(SourceDefinition.of("coingecko", "coingecko",
                        SourceConfig.of(Map.of("base_url", COINGECKO.baseUrl()))))
                .build()) {
            new EtlScheduler(replica, EtlInterval.OFF).runAll();
        }

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.header("Location")).endsWith("/runs/" + first.json().get("run_id").asText());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("code").asInt()).isEqualTo(409);
        JsonNode finished = http.awaitFinished(first.json().get("run_id").asText());
        assertThat(finished.get("status").asText()).isEqualTo("succeeded");
        long coingeckoRuns = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM etl_runs WHERE source = 'coingecko'").mapTo(Long.class).one());
        assertThat(coingeckoRuns).as("the replica's scheduled coingecko run was skipped").isEqualTo(1);
    }

    @Test
    void postRunsReadsTheSourceInAnyCaseAsTheSourceFiltersDo() {
        Http http = new Http(APP.getLocalPort());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TestApps.ADMIN_TOKEN,
                "Content-Type", "application/json");

        Http.Reply reply = http.post("/runs", "{\"source\":\"CSV_Weird\"}", auth);

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(reply.json().get("source").asText()).isEqualTo("csv_weird");
        JsonNode finished = http.awaitFinished(reply.json().get("run_id").asText());
        assertThat(finished.get("source").asText()).isEqualTo("csv_weird");
        assertThat(http.post("/runs", "{\"source\":\"csv-weird\"}", auth).status()).isEqualTo(404);
    }

    @Test
    void postRunsIsForbiddenWhenNoTokenIsConfigured() {
        Http http = new Http(REPLICA.getLocalPort());

        Http.Reply reply = http.post("/runs", "{\"source\":\"csv\"}", Map.of(
                "Authorization", "Bearer anything", "Content-Type", "application/json"));

        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.json().get("message").asText()).contains("ADMIN_TOKEN");
        Http.Reply text = http.post("/runs", "source=csv", Map.of("Content-Type", "text/plain"));
        assertThat(text.status()).as("before the content type is looked at: " + text.body()).isEqualTo(403);
    }
}

package io.assetetl.sources.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CoinGecko misbehaving the ways it does in the field — 429 with and without {@code Retry-After}, Cloudflare's
 * plain-text 429, HTML 5xx, truncated bodies, answers slower than the timeout — in a seeded random mix: the run
 * ends with the same tables as a clean fetch. When the retry budget runs out the run fails cleanly, keeps its
 * checkpoint, and the next run continues from there.
 */
class UpstreamChaosIT {

    private static final long SEED = 7_2026L;
    private static final int ROUNDS = Boolean.getBoolean("stress") ? 20 : 3;
    private static final String FIXTURE = "coingecko/coins_markets_usd_per_page100_2026-04-30.json";

    private static Map<String, String> settings(FakeCoinGeckoServer server) {
        Map<String, String> settings = new HashMap<>();
        settings.put("base_url", server.baseUrl());
        settings.put("pages", "4");
        settings.put("per_page", "25");
        settings.put("rate_limit_per_minute", "60000");
        settings.put("initial_backoff", "PT0.01S");
        settings.put("max_wait", "PT0.2S");
        settings.put("timeout", "PT0.3S");
        settings.put("max_attempts", "6");
        return settings;
    }

    private static AssetEtl etl(TestDatabase db, FakeCoinGeckoServer server) {
        return AssetEtl.builder().dataSource(db.dataSource())
                .source(SourceDefinition.of("coingecko", "coingecko", SourceConfig.of(settings(server))))
                .build();
    }

    private static Map<String, String> cleanTables() {
        TestDatabase clean = TestDatabase.create();
        try (FakeCoinGeckoServer server = FakeCoinGeckoServer.start().withFixture(FIXTURE)) {
            RunResult result = etl(clean, server).run(RunRequest.of("coingecko"));
            assertThat(result.status()).as("clean run: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        }
        return TableDigests.of(clean);
    }

    @Test
    void aSeededMixOfUpstreamFaultsEndsWithTheSameTablesAsACleanFetch() {
        Map<String, String> expected = cleanTables();
        Random random = new Random(SEED);
        int faults = 0;
        for (int round = 0; round < ROUNDS; round++) {
            TestDatabase db = TestDatabase.create();
            try (FakeCoinGeckoServer server = FakeCoinGeckoServer.start().withFixture(FIXTURE)) {
                for (int page = 1; page <= 4; page++) {
                    // at most max_attempts - 1 faults per page, so the budget holds
                    Reply[] script = randomFaults(random, random.nextInt(6), server.items());
                    faults += script.length;
                    server.scriptPage(page, script);
                }

                RunResult result = etl(db, server).run(RunRequest.of("coingecko"));

                assertThat(result.status()).as("round %d: %s", round, result.error()).isEqualTo(RunStatus.SUCCEEDED);
                assertThat(TableDigests.of(db)).as("round %d", round).isEqualTo(expected);
            }
        }
        System.out.printf("upstream-chaos: %d rounds, %d injected faults (429 with/without Retry-After, Cloudflare"
                + " 429, HTML 5xx, truncated JSON, timeouts), 0 differences from a clean fetch (seed %d)%n",
                ROUNDS, faults, SEED);
    }

    @Test
    void anExhaustedRetryBudgetFailsTheRunCleanlyAndTheNextRunContinuesFromItsCheckpoint() {
        Map<String, String> expected = cleanTables();
        TestDatabase db = TestDatabase.create();
        try (FakeCoinGeckoServer server = FakeCoinGeckoServer.start().withFixture(FIXTURE)) {
            Reply[] outage = new Reply[6];
            java.util.Arrays.fill(outage, Reply.html(503));
            server.scriptPage(3, outage);
            AssetEtl etl = etl(db, server);

            RunResult failed = etl.run(RunRequest.of("coingecko"));

            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.error()).contains("503");
            assertThat(failed.processed()).isEqualTo(50);
            assertThat(etl.checkpoints("coingecko")).singleElement()
                    .satisfies(c -> assertThat(c.position()).contains("\"next_page\": 3"));
            server.clearRequests();

            RunResult resumed = etl.run(RunRequest.of("coingecko"));

            assertThat(resumed.status()).as("error: %s", resumed.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(server.marketRequests()).extracting(FakeCoinGeckoServer.RecordedRequest::page)
                    .startsWith(3, 4);
            assertThat(TableDigests.of(db)).isEqualTo(expected);
            System.out.printf("upstream-budget: run failed after 6 attempts at page 3 (\"%s\"), checkpoint kept,"
                    + " next run resumed at page 3, tables equal to a clean fetch%n", failed.error());
        }
    }

    private static Reply[] randomFaults(Random random, int count, List<String> items) {
        String page = "[" + String.join(",", items.subList(0, 25)) + "]";
        List<Reply> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            faults.add(switch (random.nextInt(8)) {
                case 0 -> Reply.rateLimited();
                case 1 -> Reply.rateLimited("0");
                case 2 -> Reply.rateLimited(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(5)));
                case 3 -> Reply.cloudflareRateLimited();
                case 4 -> Reply.html(500 + random.nextInt(5));
                case 5 -> Reply.truncated(page);
                case 6 -> Reply.json(200, page).delayedBy(Duration.ofSeconds(1));
                default -> Reply.html(502);
            });
        }
        return faults.toArray(Reply[]::new);
    }
}

package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.model.Consensus;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole service on a real PostgreSQL: the three built-in sources are ingested over {@code POST /runs} (the
 * CSV samples, CoinGecko through a local fake), then every read endpoint is checked, error cases included.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ServiceApiIT {

    private static final String FIXTURE = "coingecko/coins_markets_usd_per_page100_2026-04-30.json";
    private static final TestDatabase DB = TestDatabase.create();
    private static final FakeCoinGeckoServer COINGECKO = FakeCoinGeckoServer.start().withFixture(FIXTURE);

    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment(COINGECKO.baseUrl()), DB.jdbcUrl(), DB.user(),
                    "adminToken=" + TestApps.ADMIN_TOKEN));

    private static Http http;
    private static final Map<String, JsonNode> RUNS = new LinkedHashMap<>();

    @BeforeAll
    static void ingestEverySource() {
        http = new Http(APP.getLocalPort());
        for (String source : List.of("csv", "csv_weird", "coingecko")) {
            RUNS.put(source, http.runToEnd(source));
        }
    }

    @AfterAll
    static void stopFake() {
        COINGECKO.close();
    }

    @Test
    void everySourceIngestsSuccessfully() {
        RUNS.forEach((source, run) -> {
            assertThat(run.get("status").asText()).as(source + ": " + run).isEqualTo("succeeded");
            assertThat(run.get("records_loaded").asLong()).as(source).isPositive();
            assertThat(run.get("records_processed").asLong()).isEqualTo(run.get("records_loaded").asLong()
                    + run.get("records_unchanged").asLong() + run.get("records_rejected").asLong());
        });
    }

    @Test
    void healthReportsTheDatabaseAndEachSourcesLastRun() {
        Http.Reply reply = http.get("/health");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("database").asText()).isEqualTo("connected");
        for (String source : RUNS.keySet()) {
            JsonNode etl = body.get("etl").get(source);
            assertThat(etl.get("last_status").asText()).isEqualTo("succeeded");
            assertThat(Instant.parse(etl.get("last_success_at").asText())).isBeforeOrEqualTo(Instant.now());
            assertThat(etl.get("last_failure_at").isNull()).isTrue();
        }
    }

    @Test
    void dataPageCarriesPaginationAndRequestMeta() {
        Http.Reply reply = http.get("/data");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("data")).hasSize(50);
        assertThat(body.get("pagination").get("limit").asInt()).isEqualTo(50);
        assertThat(body.get("pagination").get("next_cursor").asText()).isNotBlank();
        assertThat(body.get("meta").get("request_id").asText()).isEqualTo(reply.header("X-Request-Id"));
        assertThat(body.get("meta").get("api_latency_ms").asLong()).isNotNegative();
        JsonNode first = body.get("data").get(0);
        assertThat(first.fieldNames()).toIterable()
                .contains("symbol", "canonical_symbol", "name", "price_usd", "observed_at", "sources", "divergent_sources");
    }

    @Test
    void pagesUpTo64KiBAreSentWithTheirLengthNotChunked() {
        for (String query : List.of("/data?limit=50", "/data?limit=500")) {
            Http.Reply page = http.get(query);
            int bytes = page.body().getBytes(StandardCharsets.UTF_8).length;

            assertThat(bytes).as(query).isBetween(8 * 1024, 64 * 1024); // above Jersey's default buffer of 8 KiB
            assertThat(page.header("Content-Length")).as(query).isEqualTo(Integer.toString(bytes));
            assertThat(page.header("Transfer-Encoding")).as(query).isNull();
        }
    }

    @Test
    void callersRequestIdIsEchoed() {
        Http.Reply reply = http.get("/data?limit=1", Map.of("X-Request-Id", "trace-42"));

        assertThat(reply.header("X-Request-Id")).isEqualTo("trace-42");
        assertThat(reply.json().get("meta").get("request_id").asText()).isEqualTo("trace-42");
    }

    @Test
    void cursorWalkReturnsEveryAssetExactlyOnceInSymbolOrder() {
        List<String> walked = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode body = http.get("/data?limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            body.get("data").forEach(asset -> walked.add(asset.get("symbol").asText()));
            JsonNode next = body.get("pagination").get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null && pages < 1000);

        List<String> expected = DB.jdbi().withHandle(h -> h.createQuery("""
                SELECT canonical_symbol FROM assets a
                WHERE EXISTS (SELECT 1 FROM asset_sources s WHERE s.asset_id = a.id)
                ORDER BY canonical_symbol""").mapTo(String.class).list());
        assertThat(expected).hasSizeGreaterThanOrEqualTo(100);
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(new HashSet<>(walked)).hasSameSizeAs(walked);
    }

    @Test
    void aCursorCarriesItsListingsFiltersSoThatFollowingItAloneListsWhatRepeatingThemDoes() {
        String filters = "&source=csv&min_price=0.5&max_price=100000";
        List<String> repeated = walk("/data?limit=3" + filters, filters);
        List<String> followed = walk("/data?limit=3" + filters, "");

        assertThat(repeated).hasSizeGreaterThan(6)
                .containsExactlyElementsOf(allAssets(filters).stream().map(a -> a.get("symbol").asText()).toList());
        assertThat(followed).containsExactlyElementsOf(repeated);
    }

    @Test
    void aCursorGivenWithOtherFiltersThanItsListingsIs400AndWithTheSameOnesWrittenOtherwiseGoesOn() {
        JsonNode first = http.get("/data?limit=2&source=csv&min_price=1").json();
        String cursor = first.get("pagination").get("next_cursor").asText();

        assertError(http.get("/data?limit=2&source=coingecko&cursor=" + cursor), 400);
        assertError(http.get("/data?limit=2&source=csv&cursor=" + cursor), 400);
        String removedSource = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "a2:\nretired\n\n\nBTC".getBytes(StandardCharsets.UTF_8));
        Http.Reply stale = http.get("/data?limit=2&cursor=" + removedSource);
        assertError(stale, 400);
        assertThat(stale.json().get("message").asText()).startsWith("cursor carries a filter")
                .contains("source must be one of the known sources");
        assertThat(http.get("/data?limit=2&source=CSV&min_price=1.00&cursor=" + cursor).json().get("data"))
                .as("the same filters, another case and scale")
                .isEqualTo(http.get("/data?limit=2&cursor=" + cursor).json().get("data"));
    }

    @Test
    void aCursorAnEarlierVersionReturnedGoesOnWithTheFiltersGiven() {
        String earlier = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "a1:B".getBytes(StandardCharsets.UTF_8));

        JsonNode page = http.get("/data?limit=500&source=csv&cursor=" + earlier).json();

        List<String> expected = allAssets("&source=csv").stream().map(a -> a.get("symbol").asText())
                .filter(symbol -> symbol.compareTo("B") > 0).toList();
        List<String> listed = new ArrayList<>();
        page.get("data").forEach(asset -> listed.add(asset.get("symbol").asText()));
        assertThat(listed).isNotEmpty().containsExactlyElementsOf(expected.subList(0, listed.size()));
    }

    /** Follows a listing's cursors from {@code first}, giving {@code query} with each cursor; the symbols listed. */
    private static List<String> walk(String first, String query) {
        List<String> walked = new ArrayList<>();
        String page = first;
        for (int pages = 0; page != null && pages < 1000; pages++) {
            JsonNode body = http.get(page).json();
            body.get("data").forEach(asset -> walked.add(asset.get("symbol").asText()));
            JsonNode next = body.get("pagination").get("next_cursor");
            page = next.isNull() ? null : "/data?limit=3" + query + "&cursor=" + next.asText();
        }
        return walked;
    }

    @Test
    void filtersCombine() {
        List<JsonNode> all = allAssets("");
        List<String> expected = all.stream()
                .filter(a -> sources(a).contains("csv"))
                .filter(a -> a.get("price_usd").decimalValue().compareTo(new BigDecimal("1")) >= 0)
                .filter(a -> a.get("price_usd").decimalValue().compareTo(new BigDecimal("5000")) <= 0)
                .map(a -> a.get("symbol").asText())
                .toList();

        List<String> filtered = allAssets("&source=csv&min_price=1&max_price=5000").stream()
                .map(a -> a.get("symbol").asText()).toList();

        assertThat(expected).isNotEmpty().hasSizeLessThan(all.size());
        assertThat(filtered).containsExactlyElementsOf(expected);
    }

    @Test
    void symbolFilterTakesAnyCaseAndAliases() {
        for (String symbol : List.of("btc", "BTC", "%20Btc%20", "xbt")) {
            JsonNode data = http.get("/data?symbol=" + symbol).json().get("data");
            assertThat(data).as(symbol).hasSize(1);
            assertThat(data.get(0).get("symbol").asText()).isEqualTo("BTC");
        }
    }

    @Test
    void sqlLookingInputIsJustAValue() {
        String injection = URLEncoder.encode("' OR 1=1; DROP TABLE assets; --", StandardCharsets.UTF_8);

        Http.Reply data = http.get("/data?symbol=" + injection);
        Http.Reply asset = http.get("/assets/" + injection.replace("+", "%20"));
        Http.Reply source = http.get("/data?source=" + injection);

        assertThat(data.status()).isEqualTo(200);
        assertThat(data.json().get("data")).isEmpty();
        assertThat(asset.status()).isEqualTo(404);
        assertError(source, 400);
        assertThat(DB.count("assets")).isPositive();
    }

    @Test
    void badDataParametersAre400NamingTheParameter() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("limit=0", "limit");
        cases.put("limit=501", "limit");
        cases.put("limit=ten", "limit");
        cases.put("min_price=cheap", "min_price");
        cases.put("max_price=-1", "max_price");
        cases.put("min_price=10&max_price=5", "min_price");
        cases.put("cursor=not-a-cursor", "cursor");
        cases.put("cursor=" + java.util.Base64.getUrlEncoder().encodeToString("BTC".getBytes()), "cursor");
        cases.forEach((query, parameter) -> {
            Http.Reply reply = http.get("/data?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertError(reply, 400);
            assertThat(reply.json().get("message").asText()).as(query).contains(parameter);
        });
    }

    @Test
    void aQueryParameterGivenTwiceIs400RatherThanReadOnce() {
        for (String path : List.of("/data?limit=10&limit=20", "/data?source=csv&source=coingecko",
                "/runs?status=failed&status=succeeded", "/assets/BTC/history?limit=1&limit=1")) {
            Http.Reply reply = http.get(path);
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertError(reply, 400);
            assertThat(reply.json().get("message").asText()).as(path).matches("query parameter '\\w+' is given 2"
                    + " times; give it once");
        }
        assertThat(http.get("/data?limit=10").status()).isEqualTo(200);
        assertThat(http.get("/nowhere?limit=1&limit=2").status()).as("still unknown").isEqualTo(404);
    }

    @Test
    void anUnknownSourceIs400NamingTheParameterAndListingTheKnownSources() {
        for (String path : List.of("/data?source=nope", "/runs?source=nope", "/compare-runs?source=coingeko",
                "/assets/BTC/history?source=nope", "/data?source=cs")) {
            Http.Reply reply = http.get(path);

            assertError(reply, 400);
            assertThat(reply.json().get("message").asText()).as(path)
                    .startsWith("source ").contains("coingecko", "csv", "csv_weird");
        }
    }

    @Test
    void aSourceTakesAnyCaseWhenItMatchesOneKnownSource() {
        assertThat(http.get("/data?limit=500&source=CSV").json().get("data"))
                .isEqualTo(http.get("/data?limit=500&source=csv").json().get("data")).isNotEmpty();
        assertThat(http.get("/runs?source=CSV_Weird").json().get("data")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("source").asText()).isEqualTo("csv_weird"));
        assertThat(http.get("/assets/BTC/history?source=CoinGecko").json().get("data")).singleElement()
                .satisfies(q -> assertThat(q.get("source").asText()).isEqualTo("coingecko"));
        assertThat(http.get("/compare-runs?source=CSV").status()).isEqualTo(200);
    }

    @Test
    void aSourceNoLongerConfiguredStaysQueryableThroughItsHistory() {
        String runId = "7e0c1b6a-0000-4000-8000-000000000001";
        DB.jdbi().useHandle(h -> h.execute("""
                INSERT INTO etl_runs (run_id, source, status, started_at, finished_at, duration_ms)
                VALUES (?::uuid, 'retired', 'succeeded', '2020-01-01T00:00:00Z', '2020-01-01T00:00:01Z', 1000)
                ON CONFLICT DO NOTHING""", runId));

        for (String query : List.of("/runs?source=retired", "/runs?source=RETIRED")) {
            assertThat(http.get(query).json().get("data")).as(query).singleElement()
                    .satisfies(r -> assertThat(r.get("run_id").asText()).isEqualTo(runId));
        }
        assertThat(http.get("/compare-runs?source=retired").json().get("data")).isEmpty();
        assertThat(http.get("/data?source=retired").json().get("data")).isEmpty();
        assertThat(http.get("/runs?source=nope").json().get("message").asText()).contains("retired");
    }

    @Test
    void assetShowsEverySourcesLatestRecordAndConsensus() {
        JsonNode btc = http.get("/assets/btc").json();

        assertThat(btc.get("symbol").asText()).isEqualTo("BTC");
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        btc.get("sources").forEach(s -> {
            prices.put(s.get("source").asText(), s.get("price_usd").decimalValue());
            assertThat(s.get("symbol").asText()).isNotBlank();
            assertThat(s.get("run_id").asText()).isEqualTo(RUNS.get(s.get("source").asText()).get("run_id").asText());
            assertThat(Instant.parse(s.get("observed_at").asText())).isNotNull();
        });
        assertThat(prices.keySet()).containsExactlyInAnyOrder("csv", "csv_weird", "coingecko");
        Consensus expected = Consensus.of(prices, new BigDecimal("0.05"));
        JsonNode consensus = btc.get("consensus");
        assertThat(consensus.get("price_usd").decimalValue()).isEqualByComparingTo(expected.medianPriceUsd());
        assertThat(names(consensus.get("divergent_sources"))).containsExactlyElementsOf(expected.divergent());
        btc.get("sources").forEach(s -> assertThat(s.get("divergent").asBoolean())
                .isEqualTo(expected.divergent().contains(s.get("source").asText())));
    }

    @Test
    void weirdCsvKeepsTheSymbolAsWritten() {
        assertThat(weirdSymbol("BTC")).isEqualTo("btc");
        assertThat(weirdSymbol("SHIB")).as("the file's $SHIB").isEqualTo("$SHIB");
        assertThat(weirdSymbol("TON")).as("the file's Toncoin (TON)").isEqualTo("TON");
    }

    /** The symbol as written of the {@code csv_weird} source's latest record of an asset. */
    private static String weirdSymbol(String asset) {
        JsonNode sources = http.get("/assets/" + asset).json().get("sources");
        return StreamSupport.stream(sources.spliterator(), false)
                .filter(s -> s.get("source").asText().equals("csv_weird")).findFirst().orElseThrow()
                .get("symbol").asText();
    }

    @Test
    void unknownAssetIs404() {
        Http.Reply reply = http.get("/assets/NOPE-COIN");

        assertError(reply, 404);
        assertThat(http.get("/assets/NOPE-COIN/history").status()).isEqualTo(404);
    }

    @Test
    void historyListsQuotesNewestFirstAndFilters() {
        JsonNode all = http.get("/assets/BTC/history").json();
        assertThat(all.get("symbol").asText()).isEqualTo("BTC");
        assertThat(all.get("data")).hasSize(3);
        List<Instant> times = new ArrayList<>();
        all.get("data").forEach(q -> times.add(Instant.parse(q.get("observed_at").asText())));
        assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        JsonNode csvOnly = http.get("/assets/BTC/history?source=csv").json().get("data");
        assertThat(csvOnly).hasSize(1);
        assertThat(csvOnly.get(0).get("source").asText()).isEqualTo("csv");

        Instant newest = times.get(0);
        JsonNode before = http.get("/assets/BTC/history?to=" + newest).json().get("data");
        JsonNode from = http.get("/assets/BTC/history?from=" + newest + "&limit=1").json().get("data");
        assertThat(before).allSatisfy(q -> assertThat(Instant.parse(q.get("observed_at").asText())).isBefore(newest));
        assertThat(from).hasSize(1);
    }

    @Test
    void historyBoundsFinerThanAMicrosecondSelectExactly() {
        JsonNode newestQuote = http.get("/assets/BTC/history?limit=1").json().get("data").get(0);
        Instant newest = Instant.parse(newestQuote.get("observed_at").asText());
        String justAfter = newest.plusNanos(100).toString();
        String source = newestQuote.get("source").asText();

        JsonNode before = http.get("/assets/BTC/history?source=" + source + "&to=" + justAfter).json().get("data");
        JsonNode from = http.get("/assets/BTC/history?source=" + source + "&from=" + justAfter).json().get("data");

        assertThat(before).as("to is exclusive: a quote 100 ns before it is listed").isNotEmpty();
        assertThat(before.get(0).get("observed_at").asText()).isEqualTo(newestQuote.get("observed_at").asText());
        assertThat(from).as("from is inclusive: a quote 100 ns before it is not").isEmpty();
    }

    @Test
    void badHistoryParametersAre400() {
        for (String query : List.of("from=yesterday", "to=2024-13-01T00:00:00Z", "limit=0",
                "from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z")) {
            Http.Reply reply = http.get("/assets/BTC/history?" + query);
            assertError(reply, 400);
            assertThat(reply.json().get("message").asText()).as(query).containsAnyOf("from", "to", "limit");
        }
    }

    @Test
    void statsShowsEachSourcesLastAndTotalRecords() {
        JsonNode sources = http.get("/stats").json().get("sources");

        for (String source : RUNS.keySet()) {
            JsonNode stats = sources.get(source);
            assertThat(stats.get("records_processed_last_run").asLong()).isPositive();
            assertThat(stats.get("records_processed_total").asLong())
                    .isGreaterThanOrEqualTo(stats.get("records_processed_last_run").asLong());
            assertThat(stats.get("last_duration_ms").asLong()).isNotNegative();
            assertThat(stats.get("last_success_at").isNull()).isFalse();
            assertThat(stats.get("last_run_metadata").isObject()).isTrue();
        }
    }

    @Test
    void runsAreNewestFirstAndFilterable() {
        JsonNode runs = http.get("/runs").json().get("data");
        List<Instant> started = new ArrayList<>();
        runs.forEach(r -> started.add(Instant.parse(r.get("started_at").asText())));
        assertThat(started).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        assertThat(http.get("/runs?limit=1").json().get("data")).hasSize(1);
        assertThat(http.get("/runs?source=csv_weird").json().get("data"))
                .allSatisfy(r -> assertThat(r.get("source").asText()).isEqualTo("csv_weird")).isNotEmpty();
        assertThat(http.get("/runs?status=failed&source=csv").json().get("data")).isEmpty();
        assertError(http.get("/runs?status=exploded"), 400);
        assertError(http.get("/runs?limit=-3"), 400);
    }

    @Test
    void runDetailAddsRejectsByReasonAndDriftEvents() {
        JsonNode weird = RUNS.get("csv_weird");

        JsonNode detail = http.get("/runs/" + weird.get("run_id").asText()).json();

        assertThat(detail.get("records_rejected").asLong()).isPositive();
        long rejects = 0;
        for (var it = detail.get("rejects_by_reason").fields(); it.hasNext(); ) {
            rejects += it.next().getValue().asLong();
        }
        assertThat(rejects).isEqualTo(detail.get("records_rejected").asLong());
        assertThat(detail.get("drift_events")).isNotEmpty();
        assertThat(detail.get("drift_events").get(0).fieldNames()).toIterable()
                .contains("kind", "expected", "actual", "confidence", "action");
        assertError(http.get("/runs/not-a-uuid"), 400);
        assertError(http.get("/runs/00000000-0000-0000-0000-000000000000"), 404);
    }

    @Test
    void compareRunsPairsConsecutiveRuns() {
        JsonNode second = http.runToEnd("csv");
        assertThat(second.get("records_loaded").asLong()).isZero();

        JsonNode pairs = http.get("/compare-runs?source=csv&limit=5").json().get("data");

        assertThat(pairs).isNotEmpty();
        JsonNode newest = pairs.get(0);
        assertThat(newest.get("current").get("run_id").asText()).isEqualTo(second.get("run_id").asText());
        assertThat(newest.get("previous").get("source").asText()).isEqualTo("csv");
        assertThat(newest.get("anomalies").isArray()).isTrue();
        assertThat(http.get("/compare-runs").json().get("data")).isNotEmpty();
        assertError(http.get("/compare-runs?limit=1000"), 400);
    }

    @Test
    void theNewestIngestIsComparedWithTheIngestBeforeItHoweverManyReprocessesCameBetween() {
        DB.jdbi().useHandle(h -> h.execute("""
                INSERT INTO etl_runs (run_id, source, kind, status, started_at, finished_at, duration_ms,
                    records_processed, records_loaded)
                SELECT gen_random_uuid(), 'replayed', CASE WHEN n IN (0, 11) THEN 'ingest' ELSE 'reprocess' END,
                       CASE WHEN n = 11 THEN 'failed' ELSE 'succeeded' END,
                       timestamptz '2020-01-01T00:00:00Z' + n * interval '1 hour',
                       timestamptz '2020-01-01T00:00:01Z' + n * interval '1 hour', 1000,
                       CASE WHEN n = 11 THEN 0 ELSE 100 END, CASE WHEN n = 11 THEN 0 ELSE 100 END
                FROM generate_series(0, 11) AS n"""));

        for (int limit : List.of(1, 5)) {
            JsonNode pairs = http.get("/compare-runs?source=replayed&limit=" + limit).json().get("data");

            assertThat(pairs).as("limit %d", limit).hasSize(limit);
            JsonNode newest = pairs.get(0);
            assertThat(newest.get("current").get("kind").asText()).isEqualTo("ingest");
            assertThat(newest.get("current").get("status").asText()).isEqualTo("failed");
            assertThat(newest.get("previous").get("kind").asText()).isEqualTo("ingest");
            assertThat(newest.get("previous").get("started_at").asText()).isEqualTo("2020-01-01T00:00:00Z");
            assertThat(newest.get("anomalies")).extracting(JsonNode::asText)
                    .contains("succeeded_to_failed", "zero_records");
        }
    }

    @Test
    void sourcesShowCheckpointLastRunAndFreshnessButNoSettings() {
        Http.Reply reply = http.get("/sources");
        JsonNode data = reply.json().get("data");

        assertThat(names(data, "name")).containsExactlyInAnyOrder("csv", "csv_weird", "coingecko");
        data.forEach(s -> {
            assertThat(s.get("enabled").asBoolean()).isTrue();
            assertThat(s.get("checkpoints")).isNotEmpty();
            assertThat(s.get("checkpoints").get(0).get("position").isObject()).isTrue();
            assertThat(s.get("last_run").get("status").asText()).isEqualTo("succeeded");
            assertThat(s.get("freshness").get("assets").asLong()).isPositive();
            assertThat(s.get("freshness").get("age_seconds").asLong()).isNotNegative();
        });
        assertThat(reply.body()).doesNotContain("base_url", "api_key", COINGECKO.baseUrl());
    }

    @Test
    void postRunsNeedsTheBearerToken() {
        Map<String, String> json = Map.of("Content-Type", "application/json");
        String body = "{\"source\":\"csv\"}";

        Http.Reply missing = http.post("/runs", body, json);
        Http.Reply wrong = http.post("/runs", body, with(json, "Authorization", "Bearer nope"));
        Http.Reply basic = http.post("/runs", body, with(json, "Authorization", "Basic " + TestApps.ADMIN_TOKEN));

        for (Http.Reply reply : List.of(missing, wrong, basic)) {
            assertError(reply, 401);
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        assertThat(missing.body()).doesNotContain(TestApps.ADMIN_TOKEN);
    }

    @Test
    void postRunsRejectsUnknownSourcesAndBadBodies() {
        Map<String, String> auth = Map.of("Content-Type", "application/json",
                "Authorization", "Bearer " + TestApps.ADMIN_TOKEN);

        assertError(http.post("/runs", "{\"source\":\"nope\"}", auth), 404);
        assertError(http.post("/runs", "{}", auth), 400);
        assertError(http.post("/runs", "{\"source\":", auth), 400);
        assertError(http.post("/runs", "[1,2]", auth), 400);
        assertError(http.post("/runs", "{\"source\":\"csv\",\"path\":\"/etc/passwd\"}", auth), 400);
        assertError(http.post("/runs", "{\"source\":42}", auth), 400);
        assertError(http.post("/runs", "{\"source\":\"csv\"}", with(auth, "Content-Type", "text/plain")), 415);
        Http.PlainReply tooLarge = http.postExpectingContinue("/runs", "{\"source\":\"" + "x".repeat(70_000) + "\"}",
                auth);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().path("code").asInt()).isEqualTo(413);
        assertThat(tooLarge.json().path("message").asText()).contains("larger than");
    }

    @Test
    void unknownPathsAndMethodsAnswerJsonErrors() {
        assertError(http.get("/no/such/path"), 404);
        Http.Reply delete = http.method("DELETE", "/data");
        assertError(delete, 405);
        for (String method : List.of("TRACE", "BREW")) {
            Http.Reply reply = http.method(method, "/health");
            assertThat(reply.header("Content-Type")).as(method).startsWith("application/json");
            assertThat(reply.header("X-Request-Id")).as(method).isNotBlank();
            assertError(reply, 405);
        }
        Http.Reply trace = http.method("TRACE", "/data", Map.of("X-Request-Id", "mine-1"));
        assertThat(trace.header("X-Request-Id")).as("the caller's").isEqualTo("mine-1");
        assertThat(delete.header("Allow")).as("Jersey's own 405, as OPTIONS and the server's own 405s name them")
                .isEqualTo("GET, HEAD, OPTIONS");
        assertThat(http.method("DELETE", "/runs").header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
        Http.Reply undecodable = http.get("/assets/%2500");
        assertThat(undecodable.header("Content-Type")).startsWith("application/json");
        assertError(undecodable, undecodable.status());
        assertThat(undecodable.status()).isIn(400, 404);
        // answered by the web server before it reads the request's headers: an id of its own
        Http.Reply illegal = http.get("/assets/BTC%00", Map.of("X-Request-Id", "mine-2"));
        assertError(illegal, 400);
        assertThat(illegal.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void aMethodTheServerAllowsNowhereIsRefusedNamingTheRoutesOwnMethods() {
        Map<String, String> allow = new LinkedHashMap<>();
        for (String path : List.of("/health", "/runs", "/assets/BTC/history", "/assets/E%2FACC", "/metrics",
                "/no/such/path")) {
            Http.Reply reply = http.method("TRACE", path);
            assertError(reply, 405);
            allow.put(path, reply.header("Allow"));
        }

        assertThat(allow).containsExactly(
                Map.entry("/health", "GET, HEAD, OPTIONS"),
                Map.entry("/runs", "GET, HEAD, OPTIONS, POST"),
                Map.entry("/assets/BTC/history", "GET, HEAD, OPTIONS"),
                Map.entry("/assets/E%2FACC", "GET, HEAD, OPTIONS"),
                Map.entry("/metrics", "GET, HEAD, OPTIONS"),
                Map.entry("/no/such/path", ""));
        assertThat(http.method("BREW", "/runs").header("Allow")).isEqualTo("GET, HEAD, OPTIONS, POST");
    }

    @Test
    void anAcceptHeaderThatGivesJsonQualityZeroIsRefusedWith406() {
        for (String accept : List.of("application/json;q=0", "application/*;q=0", "*/*;q=0",
                "application/json;q=0, */*")) {
            Http.Reply refused = http.get("/data?limit=1", Map.of("Accept", accept));
            assertError(refused, 406);
            assertThat(refused.json().get("message").asText()).as(accept)
                    .isEqualTo("the Accept header gives quality 0 to every type this endpoint answers with"
                            + " (application/json)");
        }
        assertError(http.get("/openapi.json", Map.of("Accept", "application/json;q=0")), 406);
        assertThat(http.method("HEAD", "/data", Map.of("Accept", "application/json;q=0")).status()).isEqualTo(406);
        // the most specific range decides; a quality above 0 is acceptance
        for (String accept : List.of("*/*;q=0, application/json", "application/json;q=0.1", "text/html, */*;q=0.5")) {
            assertThat(http.get("/data?limit=1", Map.of("Accept", accept)).status()).as(accept).isEqualTo(200);
        }
        assertThat(http.get("/no-such-path", Map.of("Accept", "application/json;q=0")).status()).isEqualTo(404);
    }

    @Test
    void refusalsOnARealRouteAreRecordedUnderItsRoute() {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + TestApps.ADMIN_TOKEN,
                "Content-Type", "text/plain");
        assertThat(http.get("/data?limit=1", Map.of("Accept", "text/plain")).status()).isEqualTo(406);
        assertThat(http.get("/runs", Map.of("Accept", "application/json;q=0")).status()).isEqualTo(406);
        assertThat(http.method("DELETE", "/runs").status()).isEqualTo(405);
        assertThat(http.get("/assets/BTC/no-such-thing").status()).isEqualTo(404);
        assertThat(http.post("/runs", "{\"source\":\"csv\"}", auth).status()).isEqualTo(415);
        assertThat(http.postExpectingContinue("/runs", "{\"source\":\"" + "x".repeat(70_000) + "\"}",
                with(auth, "Content-Type", "application/json")).status()).isEqualTo(413);

        String metrics = http.get("/metrics").body();

        assertThat(metrics).contains(
                "http_request_duration_seconds_count{method=\"GET\",path=\"/data\",status=\"406\"}",
                "http_request_duration_seconds_count{method=\"GET\",path=\"/runs\",status=\"406\"}",
                "http_request_duration_seconds_count{method=\"POST\",path=\"/runs\",status=\"415\"}",
                "http_request_duration_seconds_count{method=\"POST\",path=\"/runs\",status=\"413\"}",
                "http_request_duration_seconds_count{method=\"DELETE\",path=\"/runs\",status=\"405\"}",
                "http_request_duration_seconds_count{method=\"GET\",path=\"unmatched\",status=\"404\"}");
    }

    @Test
    void metricsAreValidPrometheusTextWithEtlAndRequestSeries() {
        http.get("/data?limit=1");

        Http.Reply reply = http.get("/metrics");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/plain");
        Pattern sample = Pattern.compile(
                "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*})? "
                        + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
        List<String> lines = reply.body().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                || sample.matcher(line).matches()).as(line).isTrue());
        assertThat(reply.body()).contains(
                "etl_runs_total{source=\"csv\",status=\"succeeded\"}",
                "etl_records_total{outcome=\"loaded\",source=\"coingecko\"}",
                "etl_run_duration_seconds_bucket{source=\"csv_weird\"",
                "upstream_http_requests_total{source=\"coingecko\",status=\"200\"}",
                "http_request_duration_seconds_bucket{method=\"GET\",path=\"/data\",status=\"200\"",
                "io_dropwizard_jetty_MutableServletContextHandler",
                "io_dropwizard_db_ManagedPooledDataSource_postgresql");
    }

    @Test
    void metricsAnswersWithARequestIdAndIsCountedLikeEveryOtherRoute() {
        Http.Reply scrape = http.get("/metrics", Map.of("X-Request-Id", "scrape-7"));
        Http.Reply refused = http.method("POST", "/metrics");
        Http.Reply invented = http.method("BREW-" + "X".repeat(200), "/metrics");

        assertThat(scrape.header("X-Request-Id")).as("the caller's").isEqualTo("scrape-7");
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.header("X-Request-Id")).isNotBlank();
        assertThat(invented.status()).isEqualTo(405);
        String metrics = http.get("/metrics").body();
        assertThat(metrics).contains(
                "http_request_duration_seconds_count{method=\"GET\",path=\"/metrics\",status=\"200\"}",
                "http_request_duration_seconds_count{method=\"POST\",path=\"/metrics\",status=\"405\"}",
                "http_request_duration_seconds_count{method=\"OTHER\",path=\"/metrics\",status=\"405\"}");
        assertThat(metrics).as("a method the server allows nowhere is no label of its own").doesNotContain("BREW");
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        JsonNode api = http.get("/openapi.json").json();

        assertThat(api.get("openapi").asText()).startsWith("3.");
        assertThat(names(api.get("paths"))).contains("/health", "/data", "/assets/{symbol}",
                "/assets/{symbol}/history", "/stats", "/runs", "/runs/{run_id}", "/compare-runs", "/sources",
                "/metrics", "/openapi.json");
        JsonNode post = api.get("paths").get("/runs").get("post");
        assertThat(post.get("requestBody").get("required").asBoolean()).as("as the server refuses none").isTrue();
        JsonNode trigger = api.get("components").get("schemas").get("RunTrigger");
        assertThat(trigger.get("required")).extracting(JsonNode::asText).containsExactly("source");
        assertThat(trigger.get("additionalProperties").asBoolean(true)).as("as the server refuses others").isFalse();
        assertThat(api.get("components").get("schemas").get("Pagination").get("properties").has("next_cursor"))
                .isTrue();
        assertThat(api.get("components").get("schemas").get("RunSummary").get("properties").has("records_loaded"))
                .isTrue();
    }

    @Test
    void openApiGivesEveryResponseADescriptionAndEveryEndpointItsSuccess() throws IOException {
        OpenAPI api = openApi();

        assertThat(api.getOpenapi()).startsWith("3.0.");
        api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                operation.getResponses().forEach((code, response) -> assertThat(response.getDescription())
                        .as("%s %s %s", method, path, code).isNotBlank())));
        Map<String, List<PathItem.HttpMethod>> contract = Map.ofEntries(
                Map.entry("/health", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/data", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/assets/{symbol}", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/assets/{symbol}/history", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/stats", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/runs", List.of(PathItem.HttpMethod.GET, PathItem.HttpMethod.POST)),
                Map.entry("/runs/{run_id}", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/compare-runs", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/sources", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/metrics", List.of(PathItem.HttpMethod.GET)),
                Map.entry("/openapi.json", List.of(PathItem.HttpMethod.GET)));
        contract.forEach((path, methods) -> methods.forEach(method -> {
            Operation operation = api.getPaths().get(path).readOperationsMap().get(method);
            assertThat(operation).as("%s %s", method, path).isNotNull();
            assertThat(operation.getResponses().keySet()).as("%s %s", method, path)
                    .anyMatch(code -> code.matches("2\\d\\d"));
            if (!path.equals("/metrics") && !path.equals("/openapi.json")) {
                assertThat(operation.getResponses()).as("%s %s without its database", method, path)
                        .containsKey("503");
            }
        }));
    }

    @Test
    void openApiTypesEveryQueryParameter() throws IOException {
        OpenAPI api = openApi();

        for (String[] limit : new String[][] {{"/data", "500", "50"}, {"/runs", "500", "50"},
                {"/compare-runs", "100", "10"}, {"/assets/{symbol}/history", "1000", "100"}}) {
            Schema<?> schema = queryParameter(api, limit[0], "limit");
            assertThat(schema.getType()).as(limit[0]).isEqualTo("integer");
            assertThat(schema.getMinimum()).as(limit[0]).isEqualByComparingTo("1");
            assertThat(schema.getMaximum()).as(limit[0]).isEqualByComparingTo(limit[1]);
            assertThat(String.valueOf(schema.getDefault())).as(limit[0]).isEqualTo(limit[2]);
        }
        for (String price : List.of("min_price", "max_price")) {
            Schema<?> schema = queryParameter(api, "/data", price);
            assertThat(schema.getType()).as(price).isEqualTo("number");
            assertThat(schema.getMinimum()).as(price).isEqualByComparingTo("0");
        }
        for (String time : List.of("from", "to")) {
            Schema<?> schema = queryParameter(api, "/assets/{symbol}/history", time);
            assertThat(schema.getType()).as(time).isEqualTo("string");
            assertThat(schema.getFormat()).as(time).isEqualTo("date-time");
        }
        Schema<?> status = queryParameter(api, "/runs", "status");
        assertThat(status.getType()).isEqualTo("string");
        assertThat(status.getEnum()).map(String::valueOf)
                .containsExactly("running", "succeeded", "failed", "abandoned");
        assertThat(queryParameter(api, "/data", "cursor").getType()).isEqualTo("string");
        assertThat(queryParameter(api, "/data", "source").getType()).isEqualTo("string");
        assertThat(api.getPaths().get("/runs").getPost().getRequestBody().getContent().keySet())
                .containsExactly("application/json");
    }

    @Test
    void headOfTheDescriptionAnnouncesTheLengthItsGetSends() {
        Http.Reply get = http.get("/openapi.json");
        Http.Reply head = http.method("HEAD", "/openapi.json");

        String length = Integer.toString(get.body().getBytes(StandardCharsets.UTF_8).length);
        assertThat(get.header("Content-Length")).isEqualTo(length);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("Content-Length")).isEqualTo(length);
    }

    @Test
    void openApiSchemasMatchTheBodies() throws IOException {
        OpenAPI api = openApi();

        assertThat(property(api, "CheckpointView", "position").getType()).isEqualTo("object");
        assertThat(property(api, "SourceStats", "last_run_metadata").getType()).isEqualTo("object");
        Map<String, List<String>> nullable = Map.of(
                "RunSummary", List.of("finished_at", "duration_ms", "error", "resumed_from"),
                "RunDetail", List.of("finished_at", "duration_ms", "error", "resumed_from"),
                "SourceHealth", List.of("last_status", "last_success_at", "last_failure_at"),
                "SourceStats", List.of("last_duration_ms", "last_success_at", "last_failure_at"),
                "SourceStatus", List.of("last_run"),
                "Freshness", List.of("latest_observed_at", "latest_updated_at", "last_success_at", "age_seconds"),
                "Pagination", List.of("next_cursor"),
                "Pair", List.of("record_count_change", "duration_ratio"));
        nullable.forEach((schema, properties) -> properties.forEach(name ->
                assertThat(property(api, schema, name).getNullable()).as(schema + "." + name).isTrue()));
        assertThat(api.getComponents().getSchemas().get("RunSummary").getNullable()).isNotEqualTo(Boolean.TRUE);

        String lastPage = "/data?limit=500";
        for (JsonNode page = http.get(lastPage).json(); !page.get("pagination").get("next_cursor").isNull();
                page = http.get(lastPage).json()) {
            lastPage = "/data?limit=500&cursor=" + page.get("pagination").get("next_cursor").asText();
        }
        String runId = RUNS.get("csv").get("run_id").asText();
        Map<String, String> requests = new LinkedHashMap<>();
        for (String path : List.of("/health", "/data?limit=5", "/assets/BTC", "/assets/BTC/history?limit=20",
                "/stats", "/runs", "/runs/" + runId, "/compare-runs", "/sources", "/assets/NOPE-COIN",
                "/runs/not-a-uuid", "/runs?limit=0", "/compare-runs?limit=0", "/assets/BTC/history?limit=0")) {
            requests.put(path, path.replaceFirst("\\?.*", "").replace("/BTC", "/{symbol}")
                    .replace("/NOPE-COIN", "/{symbol}").replace(runId, "{run_id}").replace("not-a-uuid", "{run_id}"));
        }
        requests.put(lastPage, "/data");
        List<String> mismatches = new ArrayList<>();
        requests.forEach((request, path) -> {
            Http.Reply reply = http.get(request);
            ApiResponse documented = api.getPaths().get(path).getGet().getResponses()
                    .get(Integer.toString(reply.status()));
            assertThat(documented).as("GET %s answered %d", request, reply.status()).isNotNull();
            Schema<?> schema = documented.getContent().get("application/json").getSchema();
            conform(api, reply.json(), schema, "GET " + request + " ", mismatches);
        });
        assertThat(mismatches).isEmpty();
    }

    private static OpenAPI openApi() throws IOException {
        Http.Reply reply = http.get("/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        return Json.mapper().readValue(reply.body(), OpenAPI.class);
    }

    private static Schema<?> queryParameter(OpenAPI api, String path, String name) {
        List<io.swagger.v3.oas.models.parameters.Parameter> parameters =
                api.getPaths().get(path).getGet().getParameters();
        return parameters.stream().filter(p -> p.getName().equals(name) && p.getIn().equals("query")).findFirst()
                .orElseThrow(() -> new AssertionError(path + " has no query parameter " + name)).getSchema();
    }

    private static Schema<?> property(OpenAPI api, String schema, String name) {
        Schema<?> model = api.getComponents().getSchemas().get(schema);
        assertThat(model).as(schema).isNotNull();
        Schema<?> property = model.getProperties().get(name);
        assertThat(property).as(schema + "." + name).isNotNull();
        return property;
    }

    /** Records in {@code mismatches} each place where {@code value} is not what {@code schema} describes. */
    private static void conform(OpenAPI api, JsonNode value, Schema<?> schema, String where, List<String> mismatches) {
        if (schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            conform(api, value, api.getComponents().getSchemas().get(name), where, mismatches);
            return;
        }
        if (value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                mismatches.add(where + "is null but not nullable");
            }
            return;
        }
        if (schema.getAllOf() != null) {
            schema.getAllOf().forEach(part -> conform(api, value, part, where, mismatches));
            return;
        }
        String type = schema.getType();
        boolean fits = type == null
                || type.equals("object") && value.isObject()
                || type.equals("array") && value.isArray()
                || type.equals("string") && value.isTextual()
                || type.equals("integer") && value.isIntegralNumber()
                || type.equals("number") && value.isNumber()
                || type.equals("boolean") && value.isBoolean();
        if (!fits) {
            mismatches.add(where + "is " + value.getNodeType() + ", documented as " + type);
        } else if (value.isArray()) {
            value.forEach(item -> conform(api, item, schema.getItems(), where + "[] ", mismatches));
        } else if (value.isObject()) {
            Map<String, Schema> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
            value.fields().forEachRemaining(field -> {
                Schema<?> property = properties.get(field.getKey());
                if (property == null && schema.getAdditionalProperties() instanceof Schema<?> values) {
                    property = values;
                }
                if (property != null) {
                    conform(api, field.getValue(), property, where + field.getKey() + " ", mismatches);
                } else if (!properties.isEmpty()) {
                    mismatches.add(where + field.getKey() + " is not documented");
                }
            });
        }
    }

    private static void assertError(Http.Reply reply, int status) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        JsonNode body = reply.json();
        assertThat(names(body)).containsExactlyInAnyOrder("code", "message");
        assertThat(body.get("code").asInt()).isEqualTo(status);
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "org.postgresql", "SELECT");
    }

    private static List<JsonNode> allAssets(String query) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode body = http.get("/data?limit=500" + query + (cursor == null ? "" : "&cursor=" + cursor)).json();
            body.get("data").forEach(all::add);
            JsonNode next = body.get("pagination").get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        return all;
    }

    private static Set<String> sources(JsonNode asset) {
        Set<String> names = new HashSet<>();
        asset.get("sources").forEach(s -> names.add(s.get("source").asText()));
        return names;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> names.add(n.asText()));
        } else {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }

    private static List<String> names(JsonNode array, String field) {
        List<String> names = new ArrayList<>();
        array.forEach(n -> names.add(n.get(field).asText()));
        return names;
    }

    private static Map<String, String> with(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }
}

package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An asset's price history, newest first over all its sources, read without sorting the asset's whole history. */
class HistoryQueryIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final TestDatabase DB = TestDatabase.create();
    private static AssetQueries queries;

    @BeforeAll
    static void load() {
        DB.jdbi().useHandle(h -> {
            h.execute("INSERT INTO assets (canonical_symbol) VALUES ('BTC'), ('ETH'), ('NEW')");
            // BTC: source a at hours 1-5, b at 3, 4 and 6, c at 4; ETH's quotes interleave with BTC's
            h.execute("""
                    INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, run_id)
                    SELECT a.id, v.source, timestamptz '2025-01-01 00:00+00' + v.hour * interval '1 hour',
                           v.hour, gen_random_uuid()
                    FROM assets a CROSS JOIN (VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 4), ('a', 5), ('b', 3),
                                                     ('b', 4), ('b', 6), ('c', 4)) AS v (source, hour)
                    WHERE a.canonical_symbol IN ('BTC', 'ETH')""");
        });
        queries = new AssetQueries(DB.jdbi(), new BigDecimal("0.05"));
    }

    private static HistoryFilter filter(String source, Integer fromHour, Integer toHour, int limit) {
        return new HistoryFilter(Optional.ofNullable(source), Optional.ofNullable(fromHour).map(HistoryQueryIT::hour),
                Optional.ofNullable(toHour).map(HistoryQueryIT::hour), limit);
    }

    private static Instant hour(int h) {
        return T0.plusSeconds(3600L * h);
    }

    private static List<String> history(String symbol, HistoryFilter filter) {
        return queries.history(symbol, filter).stream()
                .map(q -> q.source() + "@" + (q.observedAt().getEpochSecond() - T0.getEpochSecond()) / 3600).toList();
    }

    @Test
    void listsEverySourcesQuotesNewestFirstAndQuotesOfOneInstantBySource() {
        assertThat(history("BTC", filter(null, null, null, 100)))
                .containsExactly("b@6", "a@5", "a@4", "b@4", "c@4", "a@3", "b@3", "a@2", "a@1");
        assertThat(history("BTC", filter(null, null, null, 4))).containsExactly("b@6", "a@5", "a@4", "b@4");
    }

    @Test
    void keepsToTheSourceAndTheTimesAskedFor() {
        assertThat(history("BTC", filter("b", null, null, 100))).containsExactly("b@6", "b@4", "b@3");
        assertThat(history("BTC", filter(null, 3, 5, 100))).containsExactly("a@4", "b@4", "c@4", "a@3", "b@3");
        assertThat(history("BTC", filter("a", 2, null, 2))).containsExactly("a@5", "a@4");
        assertThat(history("BTC", filter("z", null, null, 100))).isEmpty();
    }

    @Test
    void boundsBeyondTheStoredYearsAndTheLargestLimitAreAnsweredNotRefused() {
        List<String> all = List.of("b@6", "a@5", "a@4", "b@4", "c@4", "a@3", "b@3", "a@2", "a@1");
        assertThat(history("BTC", new HistoryFilter(Optional.empty(), Optional.of(Instant.MIN),
                Optional.of(Instant.MAX), Integer.MAX_VALUE))).containsExactlyElementsOf(all);
        assertThat(history("BTC", new HistoryFilter(Optional.empty(), Optional.of(Instant.MAX), Optional.empty(), 10)))
                .isEmpty();
        assertThat(history("BTC", new HistoryFilter(Optional.of("a"), Optional.empty(), Optional.of(Instant.MIN), 10)))
                .isEmpty();
        Instant afterYear9999 = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(history("BTC", new HistoryFilter(Optional.empty(), Optional.of(afterYear9999), Optional.empty(),
                10))).isEmpty();
    }

    @Test
    void anAssetWithoutQuotesAndAnUnknownSymbolHaveNoHistory() {
        assertThat(history("NEW", filter(null, null, null, 100))).isEmpty();
        assertThat(history("NOPE", filter(null, null, null, 100))).isEmpty();
    }

    @Test
    void eachSourceIsReadNewestFirstThroughTheKeyUpToTheLimitRatherThanSortedWhole() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO assets (canonical_symbol) SELECT 'S' || n FROM generate_series(1, 50) n");
            h.execute("""
                    INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, run_id)
                    SELECT a.id, s, timestamptz '2025-01-01 00:00+00' + m * interval '1 minute', 1, gen_random_uuid()
                    FROM assets a CROSS JOIN generate_series(1, 400) m CROSS JOIN unnest(ARRAY['a', 'b', 'c']) s""");
            h.execute("ANALYZE assets, asset_quotes");
        });

        List<String> lines = db.jdbi().withHandle(h -> h.createQuery(
                        "EXPLAIN " + AssetQueries.historySql(filter(null, null, null, 100)))
                .bind("symbol", "S7").bind("limit", 100).mapTo(String.class).list());

        // each source: a backward scan of the key, bounded by the asset and the source, that stops at the limit
        String plan = String.join("\n", lines);
        assertThat(plan).contains("Index Scan Backward using asset_quotes_pkey on asset_quotes q")
                .containsPattern("Index Cond: \\(\\(asset_id = .+\\) AND \\(source = s\\.source\\)\\)");
    }
}

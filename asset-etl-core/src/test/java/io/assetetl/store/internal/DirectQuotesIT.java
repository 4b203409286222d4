package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a chunk's price history is copied straight into {@code asset_quotes} and when it is upserted from staging.
 * Both give the same tables; copying is the fast one, and it is only safe while none of the chunk's quotes is
 * stored. A file lists each instant's assets one after the other, so a chunk's first instant is often one the
 * chunk before it also holds, for other assets.
 */
class DirectQuotesIT {

    private static final String SOURCE = "csv";
    private static final Instant T0 = Instant.parse("2025-01-15T12:00:00Z");
    private static final Instant T1 = T0.plusSeconds(3600);
    private static final Instant T2 = T1.plusSeconds(3600);

    private final ChunkWriter writer = new ChunkWriter(IdentityRules.defaults());
    private final UUID runId = UUID.randomUUID();
    private TestDatabase db;
    private Handle handle;
    private long line;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        handle = db.jdbi().open();
        writer.prepare(handle);
        // the chunk before: AAA and BBB at 12:00
        write(chunk(quote("AAA", T0, "1"), quote("BBB", T0, "2")));
    }

    @AfterEach
    void tearDown() {
        handle.close();
    }

    @Test
    void aChunkThatStartsPartWayThroughAnInstantOthersOfWhoseAssetsAreStoredIsCopiedStraight() {
        ChunkWriter.CheckedChunk next = chunk(quote("CCC", T0, "3"), quote("AAA", T1, "4"), quote("BBB", T1, "5"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, next, new RunCache())).isTrue();
        write(next);
        assertThat(history()).containsExactly("AAA 2025-01-15T12:00:00Z 1", "AAA 2025-01-15T13:00:00Z 4",
                "BBB 2025-01-15T12:00:00Z 2", "BBB 2025-01-15T13:00:00Z 5", "CCC 2025-01-15T12:00:00Z 3");
    }

    @Test
    void aChunkHoldingAQuoteStoredAlreadyIsUpserted() {
        ChunkWriter.CheckedChunk again = chunk(quote("CCC", T1, "3"), quote("BBB", T0, "2.5"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, again, new RunCache())).isFalse();
        write(again);
        assertThat(history()).containsExactly("AAA 2025-01-15T12:00:00Z 1", "BBB 2025-01-15T12:00:00Z 2.5",
                "CCC 2025-01-15T13:00:00Z 3");
    }

    @Test
    void aChunkWhoseTimesForAnAssetSpanOneOfItsStoredQuotesIsUpserted() {
        ChunkWriter.CheckedChunk around = chunk(quote("AAA", T0.minusSeconds(3600), "0.5"), quote("AAA", T2, "6"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, around, new RunCache())).isFalse();
        write(around);
        assertThat(history()).containsExactly("AAA 2025-01-15T11:00:00Z 0.5", "AAA 2025-01-15T12:00:00Z 1",
                "AAA 2025-01-15T14:00:00Z 6", "BBB 2025-01-15T12:00:00Z 2");
    }

    @Test
    void aChunkCopiedStraightNamesANewAssetAfterItsFirstNamedLineWhenItsLatestLineNamesNone() {
        // only each symbol's latest line was staged: CCC and EEE were created without a name, which chunks of one
        // line each, or a reprocess replaying the lines in pages of one, gave them
        ChunkWriter.CheckedChunk chunk = chunk(named("CCC", T1, "3", "Ccc Coin"), named("CCC", T2, "4", null),
                named("DDD", T1, "5", null), named("DDD", T2, "6", "Ddd Coin"),
                named("EEE", T0, "7", null), named("EEE", T1, "8", "Eee Coin"), named("EEE", T2, "9", null));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk, new RunCache())).isTrue();
        write(chunk);
        assertThat(names()).containsExactly("AAA AAA", "BBB BBB", "CCC Ccc Coin", "DDD Ddd Coin", "EEE Eee Coin");
        assertThat(latestNames()).as("the latest values keep their latest line's name")
                .containsExactly("AAA AAA", "BBB BBB", "CCC null", "DDD Ddd Coin", "EEE null");
        assertThat(history()).hasSize(2 + 7);
    }

    @Test
    void aChunkCopiedStraightNamesANewAssetAfterItsFirstNamedLineWhenItsLatestLineGivesAnotherName() {
        ChunkWriter.CheckedChunk chunk = chunk(named("CCC", T1, "3", "Ccc Coin"), named("CCC", T2, "4", "Ccc Token"),
                named("DDD", T0, "5", null), named("DDD", T1, "6", "Ddd Coin"), named("DDD", T2, "7", "Ddd Coin"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk, new RunCache())).isTrue();
        write(chunk);
        assertThat(names()).as("as chunks of one line each name them")
                .containsExactly("AAA AAA", "BBB BBB", "CCC Ccc Coin", "DDD Ddd Coin");
        assertThat(latestNames()).containsExactly("AAA AAA", "BBB BBB", "CCC Ccc Token", "DDD Ddd Coin");
        assertThat(history()).hasSize(2 + 5);
    }

    @Test
    void aChunkUpsertedFromStagingNamesANewAssetAfterItsFirstNamedLineAndWritesEachOfItsQuotesOnce() {
        ChunkWriter.CheckedChunk chunk = chunk(quote("AAA", T0, "1.5"), named("CCC", T1, "3", "Ccc Coin"),
                named("CCC", T2, "4", null));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk, new RunCache())).isFalse();
        write(chunk);
        assertThat(names()).containsExactly("AAA AAA", "BBB BBB", "CCC Ccc Coin");
        assertThat(history()).containsExactly("AAA 2025-01-15T12:00:00Z 1.5", "BBB 2025-01-15T12:00:00Z 2",
                "CCC 2025-01-15T13:00:00Z 3", "CCC 2025-01-15T14:00:00Z 4");
    }

    @Test
    void anotherSourcesQuotesOfTheSameAssetsAndInstantsDoNotStopTheCopy() {
        ChunkWriter.CheckedChunk sameTimes = chunk(quote("AAA", T0, "7"), quote("BBB", T0, "8"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, "csv_weird", sameTimes, new RunCache())).isTrue();
    }

    @Test
    void theCheckProbesEachAssetsHistoryWithinTheAssetsTimesInsteadOfReadingAllOfIt() {
        storeHistoriesOf200Assets();

        List<String> plan = handle.createQuery("EXPLAIN " + ChunkWriter.QUOTES_OVERLAP)
                .bind("symbols", new String[] {"H1", "H2"})
                .bind("firsts", new String[] {"2025-02-01T00:00:00Z", "2025-02-01T00:00:00Z"})
                .bind("lasts", new String[] {"2025-02-02T00:00:00Z", "2025-02-02T00:00:00Z"})
                .bind("source", SOURCE).mapTo(String.class).list();

        assertThat(String.join("\n", plan))
                .containsPattern("Index Cond: \\(.*asset_id = a\\.id.*observed_at >= c\\.first_at.*observed_at <= c\\.last_at");
    }

    @Test
    void aRunLooksUpEachAssetsLatestQuoteWithOneProbeOfTheHistorysKey() {
        storeHistoriesOf200Assets();

        List<String> plan = handle.createQuery("EXPLAIN " + RunCache.LATEST_QUOTES)
                .bind("symbols", new String[] {"H1", "H2"}).bind("source", SOURCE).mapTo(String.class).list();

        assertThat(String.join("\n", plan)).contains("Limit")
                .containsPattern("Index Only Scan Backward using asset_quotes_pkey|Index Scan Backward using"
                        + " asset_quotes_pkey")
                .containsPattern("Index Cond: \\(\\(asset_id = a\\.id\\) AND \\(source = ");
    }

    /** 200 assets with 100 hourly quotes each, of this source and of another. */
    private void storeHistoriesOf200Assets() {
        handle.execute("""
                INSERT INTO assets (canonical_symbol) SELECT 'H' || n FROM generate_series(1, 200) n""");
        handle.execute("""
                INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, run_id)
                SELECT a.id, s, timestamptz '2025-01-01 00:00+00' + h * interval '1 hour', 1, gen_random_uuid()
                FROM assets a CROSS JOIN generate_series(1, 100) h CROSS JOIN unnest(ARRAY['csv', 'other']) s
                WHERE a.canonical_symbol LIKE 'H%'""");
        handle.execute("ANALYZE assets, asset_quotes");
    }

    private Observation quote(String symbol, Instant at, String price) {
        return named(symbol, at, price, symbol);
    }

    /** A line of the file that gives {@code name}, or no name when it is null. */
    private Observation named(String symbol, Instant at, String price, String name) {
        line++;
        return new Observation(symbol, null, name, new BigDecimal(price), null, null, at,
                new RawRecord.FileLine("f", line, "{\"line\": " + line + "}"));
    }

    private List<String> names() {
        return handle.createQuery("SELECT canonical_symbol || ' ' || coalesce(name, 'null') FROM assets ORDER BY 1")
                .mapTo(String.class).list();
    }

    private List<String> latestNames() {
        return handle.createQuery("""
                SELECT source_key || ' ' || coalesce(name, 'null') FROM asset_sources WHERE source = :source
                ORDER BY 1""").bind("source", SOURCE).mapTo(String.class).list();
    }

    private ChunkWriter.CheckedChunk chunk(Observation... quotes) {
        return writer.check(new ArrayList<Interpretation>(List.of(quotes)), true);
    }

    private void write(ChunkWriter.CheckedChunk chunk) {
        handle.useTransaction(h -> writer.write(h, runId, SOURCE, chunk, List.of(), Optional.empty()));
    }

    private List<String> history() {
        return handle.createQuery("""
                SELECT a.canonical_symbol || ' ' || to_char(q.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                       || ' ' || q.price_usd
                FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE q.source = :source ORDER BY 1""").bind("source", SOURCE).mapTo(String.class).list();
    }
}

package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An observation's symbol as the source wrote it ({@link Observation#writtenSymbol()}) is what
 * {@code asset_sources.source_symbol} stores, whichever way the chunk is written, while its asset comes from the
 * symbol the adapter resolved ({@link Observation#sourceSymbol()}).
 */
class WrittenSymbolIT {

    private static final String SOURCE = "feed";
    private static final Instant T0 = Instant.parse("2025-01-15T12:00:00Z");
    private static final Instant T1 = T0.plusSeconds(3600);

    private final ChunkWriter writer = new ChunkWriter(IdentityRules.defaults());
    private TestDatabase db;
    private Handle handle;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        handle = db.jdbi().open();
        writer.prepare(handle);
    }

    @AfterEach
    void tearDown() {
        handle.close();
    }

    @Test
    void aChunkOfFileLinesCopiedStraightStoresEachSymbolAsWrittenUnderTheAssetOfTheResolvedOne() {
        ChunkWriter.CheckedChunk chunk = writer.check(List.of(line(2, "SHIB", "$SHIB", T0, "0.00002"),
                line(3, "xbt", "xbt", T0, "96000"), line(4, "TON", "TON", T0, "5.33"),
                line(5, "eth", null, T0, "3300"), line(6, "SOL", " Sol\t", T0, "190"),
                line(7, "SHIB", "$SHIB", T1, "0.00003")), true);

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk, new RunCache())).isTrue();
        ChunkOutcome outcome = write(chunk);

        assertThat(outcome).isEqualTo(new ChunkOutcome(6, 6, 0, 0));
        assertThat(sources()).containsExactly("BTC BTC xbt", "ETH ETH eth", "SHIB SHIB $SHIB", "SOL SOL Sol",
                "TON TON TON");
        assertThat(assets()).containsExactly("BTC", "ETH", "SHIB", "SOL", "TON");
        assertThat(summarySymbols()).containsExactly("BTC xbt", "ETH eth", "SHIB $SHIB", "SOL Sol", "TON TON");
    }

    @Test
    void aChunkOfApiItemsUpsertedFromStagingStoresEachSymbolAsWrittenUnderTheAssetOfTheResolvedOne() {
        ChunkOutcome outcome = write(List.of(item("bitcoin", "btc", "$BTC", T0, "96000"),
                item("the-open-network", "TON", "Toncoin (TON)", T0, "5.33"), item("tether", "usdt", null, T0, "1")));

        assertThat(outcome).isEqualTo(new ChunkOutcome(3, 3, 0, 0));
        assertThat(sources()).containsExactly("BTC bitcoin $BTC", "TON the-open-network Toncoin (TON)",
                "USDT tether usdt");
        assertThat(assets()).containsExactly("BTC", "TON", "USDT");
    }

    @Test
    void writingTheSameRecordsAgainLoadsNothingAndChangesNoRow() {
        List<Interpretation> lines = List.of(line(2, "SHIB", "$SHIB", T0, "0.00002"),
                line(3, "BTC", " btc ", T0, "96000"));
        List<Interpretation> items = List.of(item("the-open-network", "TON", "Toncoin (TON)", T1, "5.33"));
        write(lines);
        write(items);
        Map<String, String> before = TableDigests.canonical(db);

        ChunkOutcome linesAgain = write(lines);
        ChunkOutcome itemsAgain = write(items);

        assertThat(linesAgain).isEqualTo(new ChunkOutcome(2, 0, 2, 0));
        assertThat(itemsAgain).isEqualTo(new ChunkOutcome(1, 0, 1, 0));
        assertThat(TableDigests.canonical(db)).isEqualTo(before);
    }

    @Test
    void aStoredSymbolOtherThanTheWrittenOneIsReplacedWhenItsRecordIsWrittenAgain() {
        // as a database written before adapters could tell the two apart holds it: the cleaned symbol
        write(List.of(line(2, "SHIB", null, T0, "0.00002")));

        ChunkOutcome again = write(List.of(line(2, "SHIB", "$SHIB", T0, "0.00002")));

        assertThat(again).as("the latest values changed, the price history did not")
                .isEqualTo(new ChunkOutcome(1, 1, 0, 0));
        assertThat(sources()).containsExactly("SHIB SHIB $SHIB");
        assertThat(summarySymbols()).containsExactly("SHIB $SHIB");
    }

    @Test
    void aWrittenSymbolThatNoTextCanHoldOrNoTickerIsThatLongIsRejectedAsTheResolvedOneWouldBe() {
        ChunkOutcome outcome = write(List.of(line(2, "SHIB", "SH\u0000IB", T0, "1"),
                line(3, "SHIB", "$SH\u0007IB", T0, "1"), line(4, "SHIB", "SH\uD800IB", T0, "1"),
                line(5, "SHIB", "S".repeat(65), T0, "1"), line(6, "SHIB", " \t", T0, "1"),
                line(7, "SHIB", "S".repeat(64), T0, "2")));

        assertThat(outcome).isEqualTo(new ChunkOutcome(6, 1, 0, 5));
        assertThat(rejects()).containsExactly(
                "line 2 invalid_symbol: symbol as written holds a control character (U+0000)",
                "line 3 invalid_symbol: symbol as written holds a control character (U+0007)",
                "line 4 invalid_symbol: symbol as written holds half of a surrogate pair (U+D800), which no text"
                        + " can store",
                "line 5 invalid_symbol: symbol as written is 65 characters long, longer than any ticker (64 at most)",
                "line 6 missing_symbol: symbol as written is empty");
        assertThat(sources()).containsExactly("SHIB SHIB " + "S".repeat(64));
    }

    private static Observation line(long lineNo, String symbol, String written, Instant at, String price) {
        String payload = "{\"symbol\": \"" + symbol + "\", \"at\": \"" + at + "\", \"price\": \"" + price + "\"}";
        return new Observation(symbol, null, null, new BigDecimal(price), null, null, at,
                new RawRecord.FileLine("f1", lineNo, payload), written);
    }

    private static Observation item(String id, String symbol, String written, Instant at, String price) {
        String payload = "{\"id\": \"" + id + "\", \"symbol\": \"" + symbol + "\", \"current_price\": " + price
                + ", \"last_updated\": \"" + at + "\"}";
        return new Observation(symbol, id, null, new BigDecimal(price), null, null, at,
                new RawRecord.ApiItem(id + "@" + at, 1, 0, T1, payload), written);
    }

    /** Writes a chunk as a run of its own. */
    private ChunkOutcome write(List<Interpretation> records) {
        return write(writer.check(records, true));
    }

    private ChunkOutcome write(ChunkWriter.CheckedChunk chunk) {
        UUID runId = UUID.randomUUID();
        return handle.inTransaction(h -> writer.write(h, runId, SOURCE, chunk, List.of(), Optional.empty()));
    }

    /** Each source row as its asset's canonical symbol, its key and its symbol as written. */
    private List<String> sources() {
        return handle.createQuery("""
                SELECT a.canonical_symbol || ' ' || s.source_key || ' ' || s.source_symbol
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id ORDER BY 1""").mapTo(String.class).list();
    }

    private List<String> assets() {
        return handle.createQuery("SELECT canonical_symbol FROM assets ORDER BY 1").mapTo(String.class).list();
    }

    /** Each asset's summary (what the API answers from) as its canonical symbol and its sources' symbols. */
    private List<String> summarySymbols() {
        handle.useTransaction(h -> AssetSummaries.refreshPending(h, new BigDecimal("0.05")));
        return handle.createQuery("""
                SELECT canonical_symbol || ' ' || string_agg(e ->> 'source_symbol', ' ')
                FROM asset_summaries, jsonb_array_elements(latest) e GROUP BY canonical_symbol ORDER BY 1""")
                .mapTo(String.class).list();
    }

    private List<String> rejects() {
        return handle.createQuery("SELECT position || ' ' || reason || ': ' || detail FROM etl_rejects ORDER BY id")
                .mapTo(String.class).list();
    }
}

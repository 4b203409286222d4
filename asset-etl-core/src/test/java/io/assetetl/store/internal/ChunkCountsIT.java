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
 * How a chunk counts its records as loaded or unchanged: loaded when it changed stored canonical data (its price
 * history row, or its source's latest values), unchanged when it wrote nothing, whichever way the chunk's price
 * history is written ({@link DirectQuotesIT}).
 */
class ChunkCountsIT {

    private static final String SOURCE = "csv";
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
    void rewritingAChunkWhoseRecordsReplaceEachOtherAtOneInstantCountsThemAllAsUnchanged() {
        List<Interpretation> lines = List.of(line("f1", 2, "AAA", T0, "1", "Triple A"),
                line("f1", 3, "AAA", T0, "2", "Triple A"), line("f1", 4, "BBB", T0, "3", "Double B"));
        ChunkOutcome first = write(lines);
        Map<String, String> before = TableDigests.canonical(db);

        ChunkOutcome again = write(lines);

        assertThat(first).as("as if each record had been a chunk of its own").isEqualTo(new ChunkOutcome(3, 3, 0, 0));
        assertThat(again).isEqualTo(new ChunkOutcome(3, 0, 3, 0));
        assertThat(TableDigests.canonical(db)).isEqualTo(before);
    }

    @Test
    void aRecordReplacedWithinItsChunkCountsAsLoadedWhenTheChunkUpdatesItsRowAndUnchangedWhenTheChunkLeavesIt() {
        write(List.of(line("f1", 2, "AAA", T0, "1", "Triple A")));

        ChunkOutcome updated = write(List.of(line("f2", 2, "AAA", T0, "5", "Triple A"),
                line("f2", 3, "AAA", T0, "6", "Triple A")));
        ChunkOutcome leftAsStored = write(List.of(line("f3", 2, "AAA", T0, "9", "Triple A"),
                line("f3", 3, "AAA", T0, "6", "Triple A")));

        assertThat(updated).as("stored 1, then 5, then 6").isEqualTo(new ChunkOutcome(2, 2, 0, 0));
        assertThat(leftAsStored).as("6 stored, and 6 the chunk's last word").isEqualTo(new ChunkOutcome(2, 0, 2, 0));
        assertThat(prices()).containsExactly("AAA 6");
    }

    @Test
    void aRecordRepeatingTheValuesOfTheRecordThatReplacesItCountsAsUnchanged() {
        ChunkOutcome copied = write(List.of(line("f1", 2, "AAA", T0, "1", "Triple A"),
                line("f1", 3, "AAA", T0, "1.0", "Triple A"), line("f1", 4, "AAA", T1, "2", "Triple A")));
        ChunkOutcome upserted = write(List.of(line("f2", 2, "AAA", T0, "3", "Triple A"),
                line("f2", 3, "AAA", T0, "3.00", "Triple A"), line("f2", 4, "AAA", T1, "2", "Triple A")));

        assertThat(copied).isEqualTo(new ChunkOutcome(3, 2, 1, 0));
        assertThat(upserted).as("12:00 updated once; 13:00 as stored").isEqualTo(new ChunkOutcome(3, 1, 2, 0));
    }

    @Test
    void aLineThatChangesOnlyItsSourcesLatestValuesCountsAsLoaded() {
        write(List.of(line("f1", 2, "AAA", T0, "1", "Triple A"), line("f1", 3, "BBB", T0, "2", "Double B")));

        ChunkOutcome renamed = write(List.of(line("f2", 2, "AAA", T0, "1", "Triple A Coin"),
                line("f2", 3, "BBB", T0, "2", "Double B")));

        assertThat(renamed).isEqualTo(new ChunkOutcome(2, 1, 1, 0));
        assertThat(sourceNames()).containsExactly("AAA Triple A Coin", "BBB Double B");
        assertThat(prices()).containsExactly("AAA 1", "BBB 2");
    }

    @Test
    void aRecordThatChangesBothItsRowAndItsSourcesLatestValuesCountsOnce() {
        write(List.of(line("f1", 2, "AAA", T0, "1", "Triple A")));

        ChunkOutcome changed = write(List.of(line("f2", 2, "AAA", T0, "1.5", "Triple A Coin")));

        assertThat(changed).isEqualTo(new ChunkOutcome(1, 1, 0, 0));
    }

    @Test
    void anApiItemThatChangesOnlyItsSourcesLatestValuesCountsAsLoaded() {
        write(List.of(item("bitcoin", "btc", T0, "95000", "Bitcoin", 1), item("ethereum", "eth", T0, "3500",
                "Ethereum", 1)));

        ChunkOutcome renamed = write(List.of(item("bitcoin", "btc", T0, "95000", "Bitcoin Core", 2),
                item("ethereum", "eth", T0, "3500", "Ethereum", 2)));
        ChunkOutcome again = write(List.of(item("bitcoin", "btc", T0, "95000", "Bitcoin Core", 3),
                item("ethereum", "eth", T0, "3500", "Ethereum", 3)));

        assertThat(renamed).isEqualTo(new ChunkOutcome(2, 1, 1, 0));
        assertThat(again).isEqualTo(new ChunkOutcome(2, 0, 2, 0));
    }

    @Test
    void anApiItemThatALaterItemOfItsIdReplacesAtOneInstantCountsAsARecordKeyedBySymbolDoes() {
        List<Interpretation> items = List.of(item("bitcoin", "btc", T0, "95000", "Bitcoin", 1),
                item("bitcoin", "btc", T0, "95001", "Bitcoin", 1));

        ChunkOutcome first = write(items);
        ChunkOutcome again = write(items);

        assertThat(first).isEqualTo(new ChunkOutcome(2, 2, 0, 0));
        assertThat(again).isEqualTo(new ChunkOutcome(2, 0, 2, 0));
    }

    /** A file line whose payload holds its values, so that equal values give equal raw latest values. */
    private static Observation line(String file, long lineNo, String symbol, Instant at, String price, String name) {
        String payload = "{\"symbol\": \"" + symbol + "\", \"at\": \"" + at + "\", \"price\": \"" + price
                + "\", \"name\": \"" + name + "\"}";
        return new Observation(symbol, null, name, new BigDecimal(price), null, null, at,
                new RawRecord.FileLine(file, lineNo, payload));
    }

    /** An API item as fetched in {@code fetch}: its raw key is new in each fetch, its payload the same. */
    private static Observation item(String id, String symbol, Instant at, String price, String name, int fetch) {
        String payload = "{\"id\": \"" + id + "\", \"symbol\": \"" + symbol + "\", \"current_price\": " + price
                + ", \"name\": \"" + name + "\", \"last_updated\": \"" + at + "\"}";
        return new Observation(symbol, id, name, new BigDecimal(price), null, null, at,
                new RawRecord.ApiItem(id + "@" + at + "#" + fetch + "/" + price, 1, 0, T1, payload));
    }

    /** Writes a chunk as a run of its own. */
    private ChunkOutcome write(List<Interpretation> records) {
        UUID runId = UUID.randomUUID();
        return handle.inTransaction(h -> writer.write(h, runId, SOURCE, writer.check(records, true), List.of(),
                Optional.empty()));
    }

    private List<String> prices() {
        return handle.createQuery("""
                SELECT a.canonical_symbol || ' ' || q.price_usd FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                ORDER BY 1""").mapTo(String.class).list();
    }

    private List<String> sourceNames() {
        return handle.createQuery("""
                SELECT a.canonical_symbol || ' ' || s.name FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                ORDER BY 1""").mapTo(String.class).list();
    }
}

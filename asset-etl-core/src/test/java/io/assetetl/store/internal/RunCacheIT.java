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
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a run's writer remembers between its chunks ({@link RunCache}): a file read in time order has its later
 * chunks' price history copied straight without the stored history being probed again, and its later chunks'
 * lines without their file being noted as read again, and it never copies a quote the run or an earlier run stored.
 */
class RunCacheIT {

    private static final String SOURCE = "csv";
    private static final Instant T0 = Instant.parse("2025-01-15T12:00:00Z");
    private static final Instant T1 = T0.plusSeconds(3600);
    private static final Instant T2 = T1.plusSeconds(3600);
    private static final Instant T3 = T2.plusSeconds(3600);

    private final ChunkWriter writer = new ChunkWriter(IdentityRules.defaults());
    private final UUID runId = UUID.randomUUID();
    private final List<String> statements = new ArrayList<>();
    private TestDatabase db;
    private Handle handle;
    private long line;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create();
        handle = db.jdbi().open();
        writer.prepare(handle);
        handle.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                statements.add(context.getRenderedSql());
            }
        });
        // an earlier run: AAA and BBB at 12:00
        write(chunk("earlier", quote("AAA", T0, "1"), quote("BBB", T0, "2")), new RunCache());
    }

    @AfterEach
    void tearDown() {
        handle.close();
    }

    @Test
    void aRunsLaterChunkAfterItsAssetsLatestQuotesIsCopiedStraightWithoutProbingTheHistoryAgain() {
        RunCache cache = new RunCache();
        ChunkWriter.CheckedChunk first = chunk("feed", quote("AAA", T1, "3"), quote("BBB", T1, "4"));
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, first, cache)).isTrue();
        write(first, cache);

        ChunkWriter.CheckedChunk next = chunk("feed", quote("AAA", T2, "5"), quote("BBB", T2, "6"));
        statements.clear();
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, next, cache)).isTrue();
        assertThat(statements).isEmpty();
        write(next, cache);

        assertThat(statements).noneMatch(sql -> sql.contains("asset_quotes q"))
                .noneMatch(sql -> sql.contains("SELECT a.canonical_symbol, a.id"));
        assertThat(history()).containsExactly("AAA 12:00 1", "AAA 13:00 3", "AAA 14:00 5", "BBB 12:00 2",
                "BBB 13:00 4", "BBB 14:00 6");
    }

    @Test
    void aQuoteTheRunStoredStopsALaterCopyOfTheSameInstant() {
        RunCache cache = new RunCache();
        write(chunk("feed", quote("AAA", T1, "3")), cache);
        ChunkWriter.CheckedChunk again = chunk("feed", quote("AAA", T1, "3.5"));

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, again, cache)).isFalse();
        write(again, cache);
        ChunkWriter.CheckedChunk later = chunk("feed", quote("AAA", T2, "4"));
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, later, cache)).isTrue();
        write(later, cache);

        assertThat(history()).containsExactly("AAA 12:00 1", "AAA 13:00 3.5", "AAA 14:00 4", "BBB 12:00 2");
    }

    @Test
    void aQuoteAnEarlierRunStoredAfterTheChunksFirstTimeIsLookedForInTheChunksTimes() {
        write(chunk("earlier", quote("AAA", T2, "7")), new RunCache());
        RunCache cache = new RunCache();

        // before the stored 14:00, and holding no stored time: copied straight, as without the cache
        ChunkWriter.CheckedChunk between = chunk("feed", quote("AAA", T1, "3"));
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, between, cache)).isTrue();
        write(between, cache);
        // 13:00 was written by this run and 14:00 by the earlier one: both are stored
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk("feed", quote("AAA", T2, "8")), cache))
                .isFalse();
        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk("feed", quote("AAA", T3, "9")), cache))
                .isTrue();
    }

    @Test
    void quotesWrittenByAChunkThatIsNotFileLinesAloneAreLookedUpAgain() {
        RunCache cache = new RunCache();
        write(chunk("feed", quote("AAA", T1, "3")), cache);
        Observation keyed = new Observation("AAA", null, "AAA", new BigDecimal("4"), null, null, T2,
                new RawRecord.Keyed("AAA@" + T2, "{}"));
        write(writer.check(new ArrayList<>(List.of(keyed)), true), cache);

        assertThat(ChunkWriter.copiesQuotesStraight(handle, SOURCE, chunk("feed", quote("AAA", T2, "5")), cache))
                .isFalse();
    }

    @Test
    void aRunsNextChunkOfTheSameFileNotesNoNewReadAndSkipsLinesStoredAlready() {
        RunCache cache = new RunCache();
        write(chunk("feed", quote("AAA", T1, "3"), quote("BBB", T1, "4")), cache);
        statements.clear();
        // the same file's lines again from its second line on (a chunk of a file rewritten to its earlier content)
        line--;
        write(chunk("feed", quote("BBB", T1, "4"), quote("AAA", T2, "5")), cache);

        assertThat(statements).noneMatch(sql -> sql.contains("INSERT INTO raw_csv_files"));
        assertThat(handle.createQuery("SELECT count(*) FROM raw_csv_assets r JOIN raw_csv_files f USING (file_no)"
                + " WHERE f.file_sha256 = 'feed'").mapTo(Integer.class).one()).isEqualTo(3);

        // another file, then the first again: each read is noted, so reprocess replays the first file last
        write(chunk("other", quote("CCC", T1, "6")), cache);
        write(chunk("feed", quote("AAA", T3, "7")), cache);
        assertThat(handle.createQuery("SELECT file_sha256 FROM raw_csv_files ORDER BY last_read")
                .mapTo(String.class).list()).containsExactly("earlier", "other", "feed");
    }

    @Test
    void theSameContentAtAnotherFileTimeIsAnotherFileWhoseLinesAreStoredAgainAfterTheRunsLastChunkOfTheFirst() {
        RunCache cache = new RunCache();
        write(chunkAt("feed", T0, 1, quote("AAA", T0, "3"), quote("BBB", T0, "4")), cache);

        // the feed's content sent again, its lines dated with another time: read in the same run, right after
        write(chunkAt("feed", T1, 1, quote("AAA", T1, "3"), quote("BBB", T1, "4")), cache);
        // and that content at that time once more: nothing new to store
        write(chunkAt("feed", T1, 1, quote("AAA", T1, "3"), quote("BBB", T1, "4")), cache);

        // each stored line as its file's place in the order the files were read, and its line number
        assertThat(handle.createQuery("""
                SELECT dense_rank() OVER (ORDER BY f.last_read) || ' ' || r.line_no
                FROM raw_csv_assets r JOIN raw_csv_files f USING (file_no)
                WHERE f.file_sha256 = 'feed' ORDER BY f.last_read, r.line_no""").mapTo(String.class).list())
                .containsExactly("1 2", "1 3", "2 2", "2 3");
    }

    @Test
    void aRunNamesAnAssetCreatedWithoutANameAndStopsAskingOnceAllOfAChunksAssetsHaveOne() {
        RunCache cache = new RunCache();
        write(chunk("feed", quote("AAA", T1, "3"), unnamed("DDD", T1, "4")), cache);
        assertThat(names()).containsExactly("AAA Aaa Coin", "BBB Bbb Coin", "DDD null");

        write(chunk("feed", quote("AAA", T2, "5"), quote("DDD", T2, "6")), cache);
        assertThat(names()).containsExactly("AAA Aaa Coin", "BBB Bbb Coin", "DDD Ddd Coin");

        statements.clear();
        write(chunk("feed", quote("AAA", T3, "7"), unnamed("DDD", T3, "8")), cache);
        assertThat(statements).noneMatch(sql -> sql.contains("INSERT INTO assets"));
        assertThat(names()).containsExactly("AAA Aaa Coin", "BBB Bbb Coin", "DDD Ddd Coin");
        assertThat(handle.createQuery("SELECT count(*) FROM asset_summaries_pending").mapTo(Integer.class).one())
                .isEqualTo(3);
    }

    private record Quote(String symbol, Instant at, String price, String name) {
    }

    private static Quote quote(String symbol, Instant at, String price) {
        return new Quote(symbol, at, price, symbol.charAt(0) + symbol.substring(1).toLowerCase() + " Coin");
    }

    private static Quote unnamed(String symbol, Instant at, String price) {
        return new Quote(symbol, at, price, null);
    }

    /** The next lines of the file {@code sha256}, one a quote, as a checked chunk. */
    private ChunkWriter.CheckedChunk chunk(String sha256, Quote... quotes) {
        List<Interpretation> records = new ArrayList<>();
        for (Quote q : quotes) {
            line++;
            records.add(new Observation(q.symbol(), null, q.name(), new BigDecimal(q.price()), null, null, q.at(),
                    new RawRecord.FileLine(sha256, line, "{\"line\": " + line + "}")));
        }
        return writer.check(records, true);
    }

    /**
     * Lines of the file {@code sha256} read at {@code fileTime}, from line {@code after + 1} on, one a quote, as a
     * checked chunk.
     */
    private ChunkWriter.CheckedChunk chunkAt(String sha256, Instant fileTime, long after, Quote... quotes) {
        List<Interpretation> records = new ArrayList<>();
        long at = after;
        for (Quote q : quotes) {
            at++;
            records.add(new Observation(q.symbol(), null, q.name(), new BigDecimal(q.price()), null, null, q.at(),
                    new RawRecord.FileLine(sha256, fileTime, at, "{\"line\": " + at + "}")));
        }
        return writer.check(records, true);
    }

    private void write(ChunkWriter.CheckedChunk chunk, RunCache cache) {
        handle.useTransaction(h -> writer.write(h, runId, SOURCE, chunk, List.of(), Optional.empty(), cache));
    }

    private List<String> names() {
        return handle.createQuery("SELECT canonical_symbol || ' ' || coalesce(name, 'null') FROM assets ORDER BY 1")
                .mapTo(String.class).list();
    }

    private List<String> history() {
        return handle.createQuery("""
                SELECT a.canonical_symbol || ' ' || to_char(q.observed_at AT TIME ZONE 'UTC', 'HH24:MI')
                       || ' ' || q.price_usd
                FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE q.source = :source ORDER BY 1""").bind("source", SOURCE).mapTo(String.class).list();
    }
}

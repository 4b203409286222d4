package io.assetetl.run;

import io.assetetl.AssetEtl;
import io.assetetl.spi.SourceFactory;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reprocesses a source right after a test's ingests of it, in pages of a few records ({@link SmallReplayPages}) and
 * then as {@link AssetEtl#reprocess} does, and says how that broke the contract, if it did: a reprocess of the
 * ingests' own raw records succeeds, leaves the canonical tables as the ingests left them, counts processed = loaded
 * + unchanged + rejected and loads nothing, and a second one changes nothing. What the seeded differential tests of
 * {@code reprocess} check of each history.
 */
public final class ReprocessComparison {

    private ReprocessComparison() {
    }

    /** Pages of at most {@code records} records and {@code bytes} bytes of payload, but for their first record. */
    public record ReplayPages(int records, int bytes) {

        /** Pages of at most {@code records} records, of any size. */
        public static ReplayPages of(int records) {
            return new ReplayPages(records, Integer.MAX_VALUE);
        }

        @Override
        public String toString() {
            return "pages of " + records + " records" + (bytes == Integer.MAX_VALUE ? "" : " and " + bytes + " bytes");
        }
    }

    /**
     * Reprocesses {@code source}, made by {@code factory}, in each of {@code smallPages} in turn, then through
     * {@code etl} twice; what broke the contract, if anything, with the canonical rows as the ingests left them and
     * as rebuilt where they differ.
     */
    public static Optional<String> check(TestDatabase db, AssetEtl etl, Clock clock, SourceDefinition source,
            SourceFactory factory, List<ReplayPages> smallPages) {
        Map<String, String> ingested = TableDigests.canonical(db);
        String ingestedRows = canonicalRows(db);
        for (ReplayPages pages : smallPages) {
            RunResult reprocessed = SmallReplayPages.reprocess(db.dataSource(), clock, source, factory,
                    pages.records(), pages.bytes());
            Optional<String> mismatch = differs(db, reprocessed, ingested, ingestedRows);
            if (mismatch.isPresent()) {
                return Optional.of("in " + pages + ", " + mismatch.get());
            }
        }
        Optional<String> mismatch = differs(db, etl.reprocess(source.name()), ingested, ingestedRows);
        if (mismatch.isPresent()) {
            return mismatch;
        }
        RunResult again = etl.reprocess(source.name());
        if (!again.succeeded() || again.loaded() != 0 || !TableDigests.canonical(db).equals(ingested)) {
            return Optional.of("a second reprocess changed something: " + counts(again) + " " + again.error());
        }
        return Optional.empty();
    }

    /** A run's counts, as a mismatch names them. */
    public static String counts(RunResult run) {
        return "processed " + run.processed() + ", loaded " + run.loaded() + ", unchanged " + run.unchanged()
                + ", rejected " + run.rejected();
    }

    /** What a reprocess of the ingests' own tables did other than succeed, change nothing and load nothing. */
    private static Optional<String> differs(TestDatabase db, RunResult reprocessed, Map<String, String> ingested,
            String ingestedRows) {
        if (!reprocessed.succeeded()) {
            return Optional.of("reprocess failed: " + reprocessed.error());
        }
        if (!TableDigests.canonical(db).equals(ingested)) {
            return Optional.of("reprocess rebuilt other canonical tables:\ningested " + ingestedRows
                    + "\nrebuilt  " + canonicalRows(db));
        }
        if (reprocessed.processed() != reprocessed.loaded() + reprocessed.unchanged() + reprocessed.rejected()) {
            return Optional.of("reprocess counts " + counts(reprocessed));
        }
        if (reprocessed.loaded() != 0) {
            return Optional.of("reprocess of the ingests' own tables loaded records: " + counts(reprocessed));
        }
        return Optional.empty();
    }

    /** The canonical rows as text, to show where a rebuild differs. */
    private static String canonicalRows(TestDatabase db) {
        return db.jdbi().withHandle(h -> String.join("\n         ", h.createQuery("""
                SELECT 'quote ' || a.canonical_symbol || ' ' || q.observed_at || ' ' || q.price_usd || ' '
                       || coalesce(q.market_cap_usd::text, '-')
                FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                UNION ALL
                SELECT 'latest ' || s.source_key || ' ' || a.canonical_symbol || ' ' || s.source_symbol || ' '
                       || coalesce(s.name, '-') || ' ' || s.observed_at || ' ' || s.price_usd || ' '
                       || coalesce(s.market_cap_usd::text, '-') || ' ' || s.raw::text
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                UNION ALL
                SELECT 'asset ' || canonical_symbol || ' ' || coalesce(name, '-') FROM assets
                ORDER BY 1""").mapTo(String.class).list()));
    }
}

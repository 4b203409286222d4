package io.assetetl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.AssetEtl;
import io.assetetl.model.Interpretation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.Rejection;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.RunStatus;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import io.assetetl.store.internal.RawReplay;
import io.assetetl.store.internal.StorableValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every source adapter keeps, checked against a real PostgreSQL. Extend it, give the factory and a
 * configuration that reads a fixture input of a few batches with at least one bad record, and every test here
 * runs against your adapter:
 *
 * <ul>
 *   <li>a straight run loads the good records and turns the bad ones into rejects with reason codes;</li>
 *   <li>running again over the same input changes no canonical or raw row;</li>
 *   <li>a run that fails after any batch, then resumes from the checkpoint, ends with the same tables as a straight
 *       run: nothing lost, nothing doubled;</li>
 *   <li>{@code reprocess} rebuilds the same canonical rows from the raw rows alone;</li>
 *   <li>{@code interpret} gives what reading gave, for a raw record as read and as stored;</li>
 *   <li>{@code reprocess} of an unchanged source loads nothing and leaves every canonical row as it was, its run id
 *       included; a price history row changed by hand is restored, alone counted as loaded and alone given the
 *       reprocess's run id;</li>
 *   <li>closing a reader or a source is safe at any point, twice;</li>
 *   <li>no run blocks for longer than {@link #timeout()}.</li>
 * </ul>
 */
public abstract class AdapterContractTest {

    @TempDir
    protected Path workDir;

    private SourceConfig config;

    /** The factory under test. */
    protected abstract SourceFactory factory();

    /**
     * The configuration of a source that reads the fixture input. The fixture should span several batches (set a
     * small batch size) and hold at least one bad record. Called once per test, after the work folder exists.
     */
    protected abstract SourceConfig fixtureConfig(Path workDir) throws Exception;

    /** How long one run may take before the adapter is deemed to block. */
    protected Duration timeout() {
        return Duration.ofSeconds(60);
    }

    /** The context given to sources read directly by the kit. */
    protected SourceContext context() {
        return SourceContext.defaults();
    }

    /** A chance to set more options (a fixed clock, pins) on every engine the kit builds. */
    protected AssetEtl.Builder configure(AssetEtl.Builder builder) {
        return builder;
    }

    @BeforeEach
    final void prepareFixture() throws Exception {
        config = fixtureConfig(workDir);
    }

    /**
     * The name the kit configures the source under: its factory's type when that can name a source, as the built-in
     * types do; else {@code under_test}, as a type is any text (a vendor's {@code com.acme.Prices}) and a source's
     * name is not ({@link SourceDefinition#requireValidName}).
     */
    private String name() {
        String type = factory().type();
        try {
            return SourceDefinition.requireValidName(type);
        } catch (IllegalArgumentException noSourceName) {
            return "under_test";
        }
    }

    private AssetEtl etl(TestDatabase db, Long failAfter) {
        AssetEtl.Builder builder = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(factory()).source(SourceDefinition.of(name(), factory().type(), config));
        if (failAfter != null) {
            builder.failAfterRecords(failAfter);
        }
        return configure(builder).build();
    }

    private RunResult run(TestDatabase db, Long failAfter) {
        return assertTimeoutPreemptively(timeout(), () -> etl(db, failAfter).run(RunRequest.of(name())),
                "the adapter blocked for longer than " + timeout());
    }

    private List<Batch> readDirectly() {
        return assertTimeoutPreemptively(timeout(),
                () -> SourceReading.readAll(factory(), name(), config, context()));
    }

    @Test
    void aStraightRunLoadsGoodRecordsAndRejectsBadOnesWithReasonCodes() {
        TestDatabase db = TestDatabase.create();

        RunResult result = run(db, null);

        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).as("records loaded").isPositive();
        assertThat(result.rejected()).as("the fixture must hold at least one bad record").isPositive();
        assertThat(result.processed()).isEqualTo(result.loaded() + result.unchanged() + result.rejected());
        assertThat(db.count("etl_rejects")).isEqualTo(result.rejected());
        List<String> reasons = db.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT reason FROM etl_rejects")
                .mapTo(String.class).list());
        assertThat(reasons).allMatch(r -> r.matches("[a-z][a-z0-9_]*"), "snake_case reason codes");
        long raw = db.count("raw_csv_assets") + db.count("raw_coingecko") + db.count("raw_records");
        assertThat(raw).as("every record, good or bad, is kept raw").isGreaterThanOrEqualTo(result.loaded());
    }

    @Test
    void runningAgainOverTheSameInputChangesNoCanonicalOrRawRow() {
        TestDatabase db = TestDatabase.create();
        run(db, null);
        Map<String, String> before = withoutRejects(TableDigests.of(db));

        RunResult again = run(db, null);

        assertThat(again.status()).as("error: %s", again.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.loaded()).isZero();
        assertThat(withoutRejects(TableDigests.of(db))).isEqualTo(before);
    }

    @Test
    void resumingAfterAFailureAtAnyBatchEndsWithTheSameTablesAsAStraightRun() {
        List<Batch> batches = readDirectly();
        assertThat(batches).as("the fixture should span several batches").hasSizeGreaterThan(1);
        TestDatabase reference = TestDatabase.create();
        run(reference, null);
        Map<String, String> expected = TableDigests.of(reference);

        long boundary = 0;
        for (Batch batch : batches) {
            TestDatabase db = TestDatabase.create();
            RunResult failed = run(db, boundary);
            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.processed()).isEqualTo(boundary);

            RunResult resumed = run(db, null);

            assertThat(resumed.status()).as("error: %s", resumed.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(TableDigests.of(db)).as("after a failure at record %d", boundary).isEqualTo(expected);
            boundary += batch.records().size();
        }
    }

    @Test
    void reprocessRebuildsTheSameCanonicalRowsFromRawRowsAlone() {
        TestDatabase db = TestDatabase.create();
        run(db, null);
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult reprocessed = assertTimeoutPreemptively(timeout(), () -> etl(db, null).reprocess(name()));

        assertThat(reprocessed.status()).as("error: %s", reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
    }

    @Test
    void reprocessOfAnUnchangedSourceLoadsNothingAndLeavesEveryRowWithItsRunId() {
        TestDatabase db = TestDatabase.create();
        RunResult ingested = run(db, null);
        String rows = TableDigests.canonicalRowsWhole(db);

        RunResult reprocessed = assertTimeoutPreemptively(timeout(), () -> etl(db, null).reprocess(name()));

        assertThat(reprocessed.status()).as("error: %s", reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reprocessed.loaded()).isZero();
        assertThat(reprocessed.rejected()).isEqualTo(ingested.rejected());
        assertThat(reprocessed.unchanged()).isEqualTo(reprocessed.processed() - reprocessed.rejected()).isPositive();
        assertThat(TableDigests.canonicalRowsWhole(db)).isEqualTo(rows);
    }

    @Test
    void reprocessRestoresAPriceHistoryRowChangedByHandAndLoadsItAloneUnderItsOwnRunId() {
        TestDatabase db = TestDatabase.create();
        run(db, null);
        Map<String, String> expected = TableDigests.canonical(db);
        db.jdbi().useHandle(h -> h.execute("""
                UPDATE asset_quotes SET price_usd = price_usd * 2
                WHERE (asset_id, source, observed_at) = (SELECT asset_id, source, observed_at FROM asset_quotes
                                                         ORDER BY asset_id, observed_at LIMIT 1)"""));

        RunResult reprocessed = assertTimeoutPreemptively(timeout(), () -> etl(db, null).reprocess(name()));

        assertThat(reprocessed.status()).as("error: %s", reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(reprocessed.loaded()).isEqualTo(1);
        assertThat(reprocessed.unchanged()).isEqualTo(reprocessed.processed() - reprocessed.rejected() - 1);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
        long given = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (SELECT count(*) FROM asset_quotes WHERE run_id = :run)
                       + (SELECT count(*) FROM asset_sources WHERE run_id = :run)""")
                .bind("run", reprocessed.runId()).mapTo(Long.class).one());
        assertThat(given).as("rows given the reprocess's run id").isEqualTo(1);
    }

    /**
     * {@code interpret} gives what reading gave, for the raw record as read and as PostgreSQL stores it, which is
     * what {@code reprocess} hands back: a payload is {@code jsonb}, whose text has its own spacing and key order.
     */
    @Test
    void interpretingAStoredRawRecordGivesWhatReadingGave() {
        Map<Object, Interpretation> read = new HashMap<>();
        try (Source source = factory().create(name(), config, context())) {
            for (Batch batch : readDirectly()) {
                for (Interpretation record : batch.records()) {
                    read.put(identity(record.raw(), true), record);
                    assertSameInterpretation(source.interpret(record.raw()), record, "as read", record.raw());
                }
            }
        }
        TestDatabase db = TestDatabase.create();
        RunResult result = run(db, null);
        assertThat(result.status()).as("error: %s", result.error()).isEqualTo(RunStatus.SUCCEEDED);
        List<RawRecord> stored = db.jdbi().withHandle(h -> {
            List<RawRecord> all = new ArrayList<>();
            RawReplay replay = new RawReplay(name(), 1000, 8 << 20);
            for (List<RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                all.addAll(page);
            }
            return all;
        });
        assertThat(stored).as("raw records stored").isNotEmpty();
        try (Source source = factory().create(name(), config, context())) {
            for (RawRecord raw : stored) {
                Interpretation reading = read.get(identity(raw, false));
                assertThat(reading).as("what reading gave for the stored %s", raw.position()).isNotNull();
                assertSameInterpretation(source.interpret(raw), reading, "as stored", raw);
            }
        }
    }

    /** What names one input across reading and storing, whatever its payload's text. */
    private static Object identity(RawRecord raw, boolean asRead) {
        if (raw instanceof RawRecord.FileLine line) {
            return List.of(line.fileSha256(), line.lineNo());
        }
        String key = raw instanceof RawRecord.ApiItem item ? item.recordKey() : ((RawRecord.Keyed) raw).recordKey();
        // a key with a character PostgreSQL cannot store comes back as stored, marked
        return asRead ? StorableValues.storableKey(key) : key;
    }

    private static void assertSameInterpretation(Interpretation again, Interpretation reading, String how,
            RawRecord raw) {
        String what = "interpret of " + raw.position() + " " + how + " (" + raw.payload() + ")";
        assertThat(again).as(what).isNotNull();
        assertThat(again.getClass()).as(what).isEqualTo(reading.getClass());
        if (reading instanceof Rejection r) {
            assertThat(((Rejection) again).reason()).as(what).isEqualTo(r.reason());
        } else {
            // the raw record itself differs as stored: its payload's text, a time to the microsecond
            assertThat(again).as(what).usingRecursiveComparison().ignoringFields("raw").isEqualTo(reading);
        }
    }

    @Test
    void closingIsSafeAtAnyPointAndMoreThanOnce() {
        assertTimeoutPreemptively(timeout(), () -> {
            Source unopened = factory().create(name(), config, context());
            unopened.close();
            unopened.close();

            try (Source source = factory().create(name(), config, context())) {
                SourceReader fresh = source.open(Optional.empty());
                fresh.close();
                fresh.close();

                SourceReader midway = source.open(Optional.empty());
                assertThat(midway.next()).isPresent();
                midway.close();
                midway.close();

                SourceReader drained = source.open(Optional.empty());
                while (drained.next().isPresent()) {
                    // read to the end
                }
                assertThat(drained.next()).as("an exhausted reader stays exhausted").isEmpty();
                drained.close();
                drained.close();
            }
        });
    }

    private static Map<String, String> withoutRejects(Map<String, String> digests) {
        Map<String, String> copy = new java.util.LinkedHashMap<>(digests);
        copy.keySet().removeIf(k -> k.startsWith("etl_rejects"));
        return copy;
    }
}

package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.AssetEtl;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Adapters that break the SPI's rules: whatever they throw, and whatever they hand out, the run ends recorded, and
 * the canonical tables stay what {@code reprocess} rebuilds from the raw ones.
 */
class AdapterFailuresIT {

    private final TestDatabase db = TestDatabase.create();

    @Test
    void anErrorFromTheReaderFailsTheRunWhichIsRecordedAndKeepsWhatWasCommitted() {
        RunResult result = etl("error").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("the adapter's own assertion");
        assertThat(statuses()).containsExactly("failed");
        assertThat(db.count("asset_sources")).as("the first batch, committed").isEqualTo(2);
    }

    @Test
    void aStartedRunWhoseAdapterThrowsAnErrorCompletesWithItsFailure() throws Exception {
        StartedRun started = etl("error").start(RunRequest.of("scripted"));

        RunResult result = started.completion().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(statuses()).containsExactly("failed");
        assertThat(etl("records").run(RunRequest.of("scripted")).status()).as("the source's lock was released")
                .isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aCheckedExceptionTheAdapterThrowsUndeclaredFailsTheRun() {
        RunResult result = etl("checked").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).contains("disk gone");
        assertThat(statuses()).containsExactly("failed");
    }

    @Test
    void anErrorFromOpeningTheSourceFailsTheRun() {
        RunResult result = etl("error-on-open").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("cannot open");
        assertThat(statuses()).containsExactly("failed");
    }

    @Test
    void anAdapterThatReturnsNullWhereTheSpiAsksForAValueFailsTheRunSayingSo() {
        RunResult nullBatch = etl("null-batch").run(RunRequest.of("scripted"));
        RunResult noReader = etl("no-reader").run(RunRequest.of("scripted"));

        assertThat(nullBatch.status()).isEqualTo(RunStatus.FAILED);
        assertThat(nullBatch.error()).isEqualTo("the source's reader returned null from next(); at the end of its"
                + " input it must return Optional.empty()");
        assertThat(db.count("asset_sources")).as("the first batch, committed").isEqualTo(2);
        assertThat(noReader.status()).isEqualTo(RunStatus.FAILED);
        assertThat(noReader.error()).isEqualTo("source scripted returned no reader from open()");
    }

    @Test
    void aBatchHoldingNullForARecordFailsTheRunSayingWhichRecordAndKeepsWhatWasCommitted() {
        RunResult result = etl("null-record").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("a batch holds null for its record 2 of 2: a reader gives an"
                + " Observation or a Rejection for every record it read");
        assertThat(db.count("asset_sources")).as("the first batch, committed").isEqualTo(2);
    }

    @Test
    void anInterpretThatReturnsNullFailsTheReprocessSayingSoAndLeavesTheCanonicalRowsAsTheyWere() {
        assertThat(etl("records").run(RunRequest.of("scripted")).status()).isEqualTo(RunStatus.SUCCEEDED);

        RunResult result = etl("interpret-null").reprocess("scripted");

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("source scripted's interpret returned null for record BTC: it returns an"
                + " Observation or a Rejection for every raw record");
        assertThat(btcPrice()).isEqualTo("1");
    }

    @Test
    void aFactoryThatCreatesNoSourceFailsTheRunAndTheReprocessSayingSo() {
        RunResult run = etl("no-source").run(RunRequest.of("scripted"));
        RunResult reprocess = etl("no-source").reprocess("scripted");

        for (RunResult result : List.of(run, reprocess)) {
            assertThat(result.status()).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).isEqualTo("the source factory of type 'scripted' returned no source from"
                    + " create() for source scripted");
        }
    }

    @Test
    void aRecordKeyGivenAgainWithAnotherPayloadFailsTheRunAndTheLoadedValuesStayWhatReprocessRebuilds() {
        assertThat(etl("records").run(RunRequest.of("scripted")).status()).isEqualTo(RunStatus.SUCCEEDED);

        RunResult repriced = etl("repriced").run(RunRequest.of("scripted"));

        assertThat(repriced.status()).isEqualTo(RunStatus.FAILED);
        assertThat(repriced.error()).isEqualTo("source scripted gave record key 'BTC' with another payload than the"
                + " one stored for it: a record key must name one input, and the chunk was rolled back");
        assertThat(btcPrice()).isEqualTo("1");
        assertThat(etl("records").reprocess("scripted").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(btcPrice()).isEqualTo("1");
    }

    @Test
    void oneRecordKeyTwiceInAChunkWithTwoPayloadsFailsTheRun() {
        RunResult result = etl("one-key-twice").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).contains("gave record key 'BTC' with another payload");
        assertThat(db.count("raw_records")).isZero();
        assertThat(db.count("asset_sources")).isZero();
    }

    @Test
    void anObservationWithoutASymbolIsRejectedAndTheRestOfItsBatchLoads() {
        RunResult result = etl("no-symbol").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(2);
        List<String> reasons = db.jdbi().withHandle(h -> h.createQuery("SELECT reason FROM etl_rejects")
                .mapTo(String.class).list());
        assertThat(reasons).containsExactly("missing_symbol", "missing_symbol");
    }

    @Test
    void twoTimesOfOneSymbolLessThanAMicrosecondApartAreOneInstantAsStoredAndTheLaterRecordWins() {
        RunResult result = etl("sub-microsecond").run(RunRequest.of("scripted"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.count("asset_quotes")).isOne();
        assertThat(btcPrice()).isEqualTo("2");
        assertThat(etl("sub-microsecond").run(RunRequest.of("scripted")).status()).as("and again")
                .isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.count("asset_quotes")).isOne();
    }

    @Test
    void aPayloadOrCheckpointWithHalfASurrogatePairIsStoredWithTheReplacementCharacterInstead() {
        RunResult result = etl("lone-surrogate").run(RunRequest.of("scripted"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(2);
        String name = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT payload->>'name' FROM raw_records WHERE record_key = 'ETH'").mapTo(String.class).one());
        assertThat(name).isEqualTo("Bad Coin \uFFFD");
        String after = db.jdbi().withHandle(h -> h.createQuery("SELECT position->>'after' FROM etl_checkpoints")
                .mapTo(String.class).one());
        assertThat(after).isEqualTo("\uFFFD");
        assertThat(etl("lone-surrogate").run(RunRequest.of("scripted")).status()).as("read again")
                .isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.count("raw_records")).isEqualTo(2);
    }

    @Test
    void aCheckpointHoldingAStringLongerThanJacksonReadsByDefaultIsSavedAndEveryRunOfItEndsRecorded() {
        RunResult first = etl("long-checkpoint").run(RunRequest.of("scripted"));
        RunResult resumed = etl("long-checkpoint").run(RunRequest.of("scripted"));

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.status()).as(resumed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(statuses()).containsExactly("succeeded", "succeeded");
        long seen = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT length(metadata->'checkpoint_start'->>'seen') FROM etl_runs WHERE run_id = :run")
                .bind("run", resumed.runId()).mapTo(Long.class).one());
        assertThat(seen).as("the checkpoint the second run started from, in its metadata")
                .isEqualTo(LONG_CHECKPOINT_STRING);
    }

    @Test
    void aSourceThatFailsToCloseAfterASucceededRunLeavesTheRunSucceeded() {
        RunResult result = etl("close-fails").run(RunRequest.of("scripted"));

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(statuses()).containsExactly("succeeded");
        assertThat(etl("close-fails").reprocess("scripted").status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void metricsThatThrowNeitherFailTheRunNorLeaveItsCompletionPending() throws Exception {
        EtlMetrics broken = new EtlMetrics() {
            @Override
            public void count(String name, Map<String, String> labels, long amount) {
                throw new IllegalStateException("registry gone");
            }

            @Override
            public void time(String name, Map<String, String> labels, Duration duration) {
                throw new IllegalStateException("registry gone");
            }
        };
        AssetEtl etl = builder("records").metrics(broken).build();

        RunResult result = etl.start(RunRequest.of("scripted")).completion().get(60, TimeUnit.SECONDS);

        assertThat(result.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(statuses()).containsExactly("succeeded");
    }

    @Test
    void noRunStartsOnceTheLibraryIsClosedAndTheSourceStaysFree() {
        AssetEtl closed = etl("records");
        closed.close();

        assertThatThrownBy(() -> closed.start(RunRequest.of("scripted")))
                .isInstanceOf(IllegalStateException.class).hasMessage("the library is closed: no run can start");

        assertThat(statuses()).isEmpty();
        assertThat(etl("records").run(RunRequest.of("scripted")).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aReaderThatDoesNotHeedBeingStoppedKeepsItsSourceLockedUntilItEnds() throws Exception {
        AssetEtl etl = etl("deaf", 1L);
        StartedRun started = etl.start(RunRequest.of("scripted"));
        assertThat(started.completion().get(60, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.FAILED);

        assertThatThrownBy(() -> etl("records").run(RunRequest.of("scripted")))
                .as("its reader still runs").isInstanceOf(RunRefusedException.class);
        DEAF_READER_GOES_ON.countDown();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        RunResult next = null;
        while (next == null && System.nanoTime() < deadline) {
            try {
                next = etl("records").run(RunRequest.of("scripted"));
            } catch (RunRefusedException stillLocked) {
                Thread.sleep(50);
            }
        }
        assertThat(next).as("the source is free once the reader has ended").isNotNull();
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    private String btcPrice() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.price_usd::text FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol = 'BTC'""").mapTo(String.class).one());
    }

    private AssetEtl etl(String script) {
        return etl(script, null);
    }

    private AssetEtl etl(String script, Long failAfterRecords) {
        AssetEtl.Builder builder = builder(script);
        if (failAfterRecords != null) {
            builder.failAfterRecords(failAfterRecords);
        }
        return builder.build();
    }

    private AssetEtl.Builder builder(String script) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ScriptedSourceFactory())
                .source(SourceDefinition.of("scripted", "scripted", SourceConfig.of(Map.of("script", script))));
    }

    private List<String> statuses() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT status FROM etl_runs ORDER BY started_at")
                .mapTo(String.class).list());
    }

    /**
     * Characters of the string the {@code long-checkpoint} script's checkpoint holds: more than Jackson reads by
     * default (20,000,000), as an adapter that keeps what it has seen in its checkpoint may give.
     */
    private static final int LONG_CHECKPOINT_STRING = 20_000_001;

    /** What the {@code deaf} script's reader waits for, deaf to interruption, after its first batch. */
    private static final CountDownLatch DEAF_READER_GOES_ON = new CountDownLatch(1);

    private static void awaitIgnoringInterruption(CountDownLatch latch) {
        while (true) {
            try {
                if (latch.await(60, TimeUnit.SECONDS)) {
                    return;
                }
            } catch (InterruptedException ignored) {
                // deaf to it, as some adapters are
            }
        }
    }

    /** Throws {@code failure} without declaring it, as code in other JVM languages may. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void throwUndeclared(Throwable failure) throws E {
        throw (E) failure;
    }

    /** A source that gives one good batch, then does what its {@code script} setting says. */
    private static final class ScriptedSourceFactory implements SourceFactory {

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            String script = config.require("script");
            if (script.equals("no-source")) {
                return null;
            }
            return new Source() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public void close() {
                    if (script.equals("close-fails")) {
                        throw new IllegalStateException("cannot close");
                    }
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    if (script.equals("error-on-open")) {
                        throw new AssertionError("cannot open");
                    }
                    if (script.equals("no-reader")) {
                        return null;
                    }
                    return new SourceReader() {
                        int batches;

                        @Override
                        public Optional<Batch> next() {
                            if (batches++ == 0) {
                                return Optional.of(Batch.of(switch (script) {
                                    case "repriced" -> List.of(observation("BTC", 5), observation("ETH", 2));
                                    case "one-key-twice" -> List.of(observation("BTC", 1), observation("BTC", 2));
                                    case "no-symbol" -> List.of(observation("BTC", 1),
                                            observation("", "line-2", 2, "2026-01-01T00:00:00Z"),
                                            observation(null, "line-3", 3, "2026-01-01T00:00:00Z"));
                                    case "lone-surrogate" -> List.of(observation("BTC", 1), new Observation("ETH",
                                            null, "Bad Coin", new BigDecimal(2), null, null,
                                            Instant.parse("2026-01-01T00:00:00Z"), new RawRecord.Keyed("ETH",
                                            "{\"name\":\"Bad Coin \\ud83d\"}")));
                                    case "sub-microsecond" -> List.of(
                                            observation("BTC", "line-1", 1, "2026-01-01T00:00:00.0000001Z"),
                                            observation("BTC", "line-2", 2, "2026-01-01T00:00:00.0000002Z"));
                                    default -> List.of(observation("BTC", 1), observation("ETH", 2));
                                }, Checkpoint.of(switch (script) {
                                    case "lone-surrogate" -> "{\"after\":\"\\ud83d\"}";
                                    case "long-checkpoint" -> "{\"seen\":\"" + "x".repeat(LONG_CHECKPOINT_STRING)
                                            + "\"}";
                                    default -> "{\"batch\":1}";
                                })));
                            }
                            switch (script) {
                                case "error" -> throw new AssertionError("the adapter's own assertion");
                                case "checked" -> throwUndeclared(new IOException("disk gone"));
                                case "deaf" -> awaitIgnoringInterruption(DEAF_READER_GOES_ON);
                                case "null-batch" -> {
                                    return null;
                                }
                                case "null-record" -> {
                                    return Optional.of(Batch.of(Arrays.asList(observation("SOL", 3), null),
                                            Checkpoint.of("{\"batch\":2}")));
                                }
                                default -> {
                                    return Optional.empty();
                                }
                            }
                            return Optional.empty();
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    if (script.equals("interpret-null")) {
                        return null;
                    }
                    String[] symbolAndPrice = raw.payload().replaceAll("[^A-Z0-9:]", "").split(":");
                    return observation(symbolAndPrice[0], Integer.parseInt(symbolAndPrice[1]));
                }
            };
        }

        private static Observation observation(String symbol, int price) {
            return observation(symbol, symbol, price, "2026-01-01T00:00:00Z");
        }

        private static Observation observation(String symbol, String key, int price, String time) {
            return new Observation(symbol, null, symbol, BigDecimal.valueOf(price), null, null, Instant.parse(time),
                    new RawRecord.Keyed(key, "{\"" + symbol + "\":" + price + "}"));
        }
    }
}

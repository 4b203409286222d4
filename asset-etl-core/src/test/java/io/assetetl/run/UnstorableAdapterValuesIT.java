package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.AssetEtl;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Batch;
import io.assetetl.spi.RetriableSourceException;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import io.assetetl.testing.MutableClock;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Values an adapter hands out that pass the SPI's own checks but that PostgreSQL refuses: a record's are bad input,
 * rejected while the run goes on; a checkpoint's are an adapter's bug, which fails the run once with an error
 * naming the source and the value, never PostgreSQL's words. Either way no chunk fails at every run.
 */
class UnstorableAdapterValuesIT {

    /** Reads numbers as long as PostgreSQL stores (Jackson's default stops at 1,000 digits). */
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build());
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    /** Incompressible texts: PostgreSQL compresses a repetitive one until it fits its index. */
    private static final Random RANDOM = new Random(7);

    private final TestDatabase db = TestDatabase.create();

    @Test
    void aRecordWhosePayloadHoldsANumberPostgresqlCannotStoreIsRejectedWhateverItsRawAndTheRunGoesOn() {
        String huge = "{\"symbol\":\"AAA\",\"price\":1,\"supply\":1e1000000}";
        String fine = "{\"symbol\":\"BBB\",\"price\":1,\"dust\":-0.0e-16384}";
        String wide = "{\"symbol\":\"CCC\",\"price\":1,\"supply\":" + "9".repeat(131_073) + "}";
        String rejected = "{\"symbol\":\"DDD\",\"price\":\"n/a\",\"supply\":1E+200000}";
        script("unstorable", () -> Batch.of(List.of(
                observation("AAA", new RawRecord.ApiItem("aaa@1", 1, 0, T, huge)),
                observation("BBB", new RawRecord.Keyed("bbb", fine)),
                observation("CCC", new RawRecord.FileLine("f".repeat(64), 2, wide)),
                Rejection.of("invalid_price", "price is not a number: n/a",
                        new RawRecord.ApiItem("ddd@1", 1, 1, T, rejected)),
                observation("EEE", new RawRecord.ApiItem("eee@1", 1, 2, T,
                        "{\"symbol\":\"EEE\",\"price\":1,\"supply\":1e131071}"))), Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("unstorable").run(RunRequest.of("handed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.processed()).isEqualTo(5);
        assertThat(result.loaded()).as("EEE's number has 131,072 digits: it fits").isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(4);
        assertThat(strings("SELECT reason || ': ' || detail FROM etl_rejects ORDER BY id")).containsExactly(
                "invalid_number: payload holds a number PostgreSQL cannot store (131072 digits before the point and"
                        + " 16383 after it at most): 1e1000000; kept as text under unstorable_payload",
                "invalid_number: payload holds a number PostgreSQL cannot store (131072 digits before the point and"
                        + " 16383 after it at most): -0.0e-16384; kept as text under unstorable_payload",
                "invalid_number: payload holds a number PostgreSQL cannot store (131072 digits before the point and"
                        + " 16383 after it at most): 9999999999999999999999999999999999999999…; kept as text under"
                        + " unstorable_payload",
                "invalid_price: price is not a number: n/a");
        assertThat(strings("SELECT raw->>'unstorable_payload' FROM etl_rejects ORDER BY id"))
                .as("each record kept as it came, in its reject").containsExactly(huge, fine, wide, rejected);
        assertThat(strings("SELECT position FROM etl_rejects ORDER BY id"))
                .containsExactly("page 1 item 0", "bbb", "line 2", "page 1 item 1");
        assertThat(strings("SELECT record_key FROM raw_coingecko")).as("no raw row PostgreSQL refuses")
                .containsExactly("eee@1");
        assertThat(db.count("raw_records")).isZero();
        assertThat(db.count("raw_csv_assets")).isZero();
        assertThat(strings("SELECT canonical_symbol FROM assets")).containsExactly("EEE");
        assertThat(etl("unstorable").reprocess("handed").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strings("SELECT canonical_symbol FROM assets")).containsExactly("EEE");
    }

    @Test
    void aCheckpointStreamNamePostgresqlCannotKeyFailsTheRunSayingSoAndWritesNothingOfItsBatch() {
        String longName = text(3_000);
        Map<String, Checkpoint> checkpoints = Map.of(
                "long", new Checkpoint(longName, "{\"page\":1}"),
                "nul", new Checkpoint("coins\u0000tokens", "{\"page\":1}"),
                "half-pair", new Checkpoint("coins\uD83D", "{\"page\":1}"));
        Map<String, String> errors = Map.of(
                "long", "source handed gave a checkpoint whose stream name is 3000 characters long, longer than 512"
                        + " (the stream is a key of etl_checkpoints): '" + longName.substring(0, 80) + "…'",
                "nul", "source handed gave a checkpoint whose stream name holds a NUL (U+0000), which PostgreSQL's"
                        + " text cannot store: 'coins\uFFFDtokens'",
                "half-pair", "source handed gave a checkpoint whose stream name holds half of a surrogate pair"
                        + " (U+D83D), which no text can store: 'coins\uFFFD'");
        List.of("long", "nul", "half-pair").forEach(script -> {
            Checkpoint checkpoint = checkpoints.get(script);
            script(script, () -> Batch.of(List.of(observation("AAA", new RawRecord.Keyed("aaa",
                    "{\"symbol\":\"AAA\",\"price\":1}"))), checkpoint));

            RunResult result = etl(script).run(RunRequest.of("handed"));

            assertThat(result.status()).as(script).isEqualTo(RunStatus.FAILED);
            assertThat(result.error()).as(script).isEqualTo(errors.get(script)
                    + ": an adapter's bug; the batch was not written");
        });
        assertThat(db.count("etl_checkpoints")).isZero();
        assertThat(db.count("raw_records")).isZero();
        assertThat(db.count("assets")).isZero();
    }

    @Test
    void aCheckpointPositionHoldingANumberPostgresqlCannotStoreFailsTheRunSayingSo() {
        script("position", () -> Batch.of(List.of(observation("AAA", new RawRecord.Keyed("aaa",
                "{\"symbol\":\"AAA\",\"price\":1}"))), Checkpoint.of("{\"after\":1e-20000}")));

        RunResult result = etl("position").run(RunRequest.of("handed"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("source handed gave a checkpoint whose position holds a number"
                + " PostgreSQL cannot store (131072 digits before the point and 16383 after it at most): 1e-20000:"
                + " an adapter's bug; the batch was not written");
        assertThat(db.count("etl_checkpoints")).isZero();
    }

    @Test
    void aRejectReasonPostgresqlCannotIndexFailsTheRunWhereTheAdapterMakesIt() {
        String reason = text(3_000);
        script("reason", () -> Batch.of(List.of(Rejection.of(reason, "bad", new RawRecord.Keyed("aaa",
                "{\"symbol\":\"AAA\"}"))), Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("reason").run(RunRequest.of("handed"));

        assertThat(result.status()).isEqualTo(RunStatus.FAILED);
        assertThat(result.error()).isEqualTo("reason must be a snake_case code of at most 64 characters; this one"
                + " has 3000: '" + reason.substring(0, 80) + "…'");
        assertThat(db.count("etl_rejects")).isZero();
    }

    @Test
    void aRejectDetailOfThousandsOfCharactersWithANulIsStoredWithTheNulReplaced() {
        String detail = text(20_000) + "\u0000";
        script("detail", () -> Batch.of(List.of(Rejection.of("bad_row", detail, new RawRecord.Keyed("aaa",
                "{\"symbol\":\"AAA\"}"))), Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("detail").run(RunRequest.of("handed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strings("SELECT detail FROM etl_rejects")).containsExactly(detail.replace('\u0000', '\uFFFD'));
    }

    @Test
    void aDriftEventWithANulOrThousandsOfCharactersIsStoredWithTheNulReplaced() {
        String actual = text(20_000);
        script("drift", () -> new Batch(List.of(), List.of(
                new DriftEvent("header\u0000fuzzy", "price\u0000", actual + "\u0000", 0.5, "mapped\u0000")),
                Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("drift").run(RunRequest.of("handed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strings("SELECT concat_ws('|', kind, expected, actual, action) FROM schema_drift_events"))
                .containsExactly("header\uFFFDfuzzy|price\uFFFD|" + actual + "\uFFFD|mapped\uFFFD");
    }

    @Test
    void anApiItemKeyGivenAgainWithAnotherPayloadIsRejectedAndTheLoadedValuesStayWhatReprocessRebuilds() {
        script("first", () -> Batch.of(List.of(api("bitcoin", "BTC", 1, 0)), Checkpoint.of("{\"page\":1}")));
        script("repriced", () -> Batch.of(List.of(api("bitcoin", "BTC", 5, 0), api("ethereum", "ETH", 2, 1)),
                Checkpoint.of("{\"page\":1}")));
        assertThat(etl("first").run(RunRequest.of("handed")).status()).isEqualTo(RunStatus.SUCCEEDED);

        RunResult repriced = etl("repriced").run(RunRequest.of("handed"));

        assertThat(repriced.status()).as(repriced.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(repriced.loaded()).isEqualTo(1);
        assertThat(repriced.rejected()).isEqualTo(1);
        assertThat(strings("SELECT reason || ': ' || detail || ' @ ' || position || ' ' || (raw->>'price')"
                + " FROM etl_rejects")).containsExactly("record_key_conflict: record key bitcoin@1 is stored"
                + " already with another payload: this item is not loaded, as reprocess rebuilds from the stored"
                + " one @ page 1 item 0 5");
        assertThat(price("BTC")).isEqualTo("1");
        assertThat(etl("first").reprocess("handed").status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(price("BTC")).isEqualTo("1");
        assertThat(price("ETH")).isEqualTo("2");
    }

    @Test
    void oneApiItemKeyTwiceInAChunkWithTwoPayloadsLoadsTheFirstAndRejectsTheOther() {
        script("twice", () -> Batch.of(List.of(api("bitcoin", "BTC", 1, 0), api("bitcoin", "BTC", 5, 1)),
                Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("twice").run(RunRequest.of("handed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(result.loaded()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(1);
        assertThat(strings("SELECT reason || ' @ ' || position FROM etl_rejects"))
                .containsExactly("record_key_conflict @ page 1 item 1");
        assertThat(price("BTC")).isEqualTo("1");
    }

    @Test
    void anItemGivenTwiceInAChunkWithAnotherOfItsCoinAndTimeBetweenIsReplayedWhereItCameLast() {
        // bitcoin at T priced 1, then 2 by another item of it, then the first item once more, all new in one
        // chunk: stored once, the chunk's last item of the coin and time is what the ingest loaded
        script("again-in-chunk", () -> Batch.of(List.of(item("bitcoin@1#a", 1, 0), item("bitcoin@1#b", 2, 1),
                item("bitcoin@1#a", 1, 2)), Checkpoint.of("{\"page\":1}")));
        RunResult ingested = etl("again-in-chunk").run(RunRequest.of("handed"));
        assertThat(ingested.status()).as(ingested.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(db.count("raw_coingecko")).isEqualTo(2);
        assertThat(price("BTC")).isEqualTo("1");

        assertReprocessRebuildsTheCanonicalTables("again-in-chunk");

        assertThat(price("BTC")).isEqualTo("1");
    }

    @Test
    void anItemReadAgainInAChunkThatRejectsAnotherPayloadOfItsKeyIsReplayedWhereItWasReadNotWhereTheRejectCame() {
        // the stored item (price 1) read again, then another item of the coin and time (2), then the first key
        // with another payload (3), a record_key_conflict: the ingest ends with 2, and so must reprocess
        script("stored", () -> Batch.of(List.of(item("bitcoin@1#a", 1, 0)), Checkpoint.of("{\"page\":1}")));
        script("read-again", () -> Batch.of(List.of(item("bitcoin@1#a", 1, 0), item("bitcoin@1#b", 2, 1),
                item("bitcoin@1#a", 3, 2)), Checkpoint.of("{\"page\":1}")));
        assertThat(etl("stored").run(RunRequest.of("handed")).status()).isEqualTo(RunStatus.SUCCEEDED);
        RunResult ingested = etl("read-again").run(RunRequest.of("handed"));
        assertThat(ingested.status()).as(ingested.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strings("SELECT reason || ' @ ' || position FROM etl_rejects"))
                .containsExactly("record_key_conflict @ page 1 item 2");
        assertThat(price("BTC")).isEqualTo("2");

        assertReprocessRebuildsTheCanonicalTables("read-again");

        assertThat(price("BTC")).isEqualTo("2");
    }

    /**
     * A {@code reprocess} of the source set up with {@code script} succeeds and leaves the canonical tables as the
     * ingests left them.
     */
    private void assertReprocessRebuildsTheCanonicalTables(String script) {
        Map<String, String> expected = TableDigests.canonical(db);

        RunResult reprocessed = etl(script).reprocess("handed");

        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(TableDigests.canonical(db)).isEqualTo(expected);
    }

    @Test
    void anApiItemKeyGivenAgainWithAnEqualPayloadIsUnchanged() {
        script("same", () -> Batch.of(List.of(api("bitcoin", "BTC", 1, 0)), Checkpoint.of("{\"page\":1}")));
        assertThat(etl("same").run(RunRequest.of("handed")).loaded()).isEqualTo(1);

        RunResult again = etl("same").run(RunRequest.of("handed"));

        assertThat(again.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(again.unchanged()).isEqualTo(1);
        assertThat(again.rejected()).isZero();
    }

    @Test
    void recordKeysThatDifferOnlyInANulOrHalfASurrogatePairStayTwoKeysAndAreStoredAlikeAtEveryRun() {
        // PostgreSQL's text holds neither a NUL nor half a pair: each is stored as U+FFFD, and the key marked with
        // a digest of what it was, so that it does not become the key that has U+FFFD (or ?) there
        List<String> keys = List.of("k\0", "k\uFFFD", "k\uD800", "k?", "k\uD83D\uDE00");
        List<Interpretation> records = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String payload = "{\"symbol\":\"K" + i + "\",\"price\":1}";
            records.add(observation("K" + i, new RawRecord.Keyed(keys.get(i), payload)));
        }
        script("keys", () -> Batch.of(records, Checkpoint.of("{\"page\":1}")));

        RunResult first = etl("keys").run(RunRequest.of("handed"));
        RunResult again = etl("keys").run(RunRequest.of("handed"));

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(first.loaded()).isEqualTo(5);
        List<String> stored = strings("SELECT record_key FROM raw_records ORDER BY payload->>'symbol'");
        assertThat(stored).hasSize(5).doesNotHaveDuplicates();
        assertThat(stored.get(0)).matches("k\uFFFD#[0-9a-f]{16}");
        assertThat(stored.get(2)).matches("k\uFFFD#[0-9a-f]{16}");
        assertThat(stored.subList(1, 2)).containsExactly("k\uFFFD");
        assertThat(stored.subList(3, 5)).containsExactly("k?", "k\uD83D\uDE00");
        assertThat(again.status()).as(again.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(List.of(again.loaded(), again.unchanged())).as("the same keys again").containsExactly(0L, 5L);
        assertThat(db.count("raw_records")).isEqualTo(5);
        RunResult reprocessed = etl("keys").reprocess("handed");
        assertThat(reprocessed.status()).as(reprocessed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(List.of(reprocessed.processed(), reprocessed.rejected())).containsExactly(5L, 0L);
    }

    @Test
    void anIdWithANulOrHalfASurrogatePairIsRejectedRatherThanStoredAsTheIdThatHasASubstituteThere() {
        List<String> ids = List.of("x\0", "x\uFFFD", "x\uD800", "x?");
        List<Interpretation> records = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            String payload = "{\"symbol\":\"X" + i + "\",\"price\":1}";
            records.add(new Observation("X" + i, ids.get(i), null, BigDecimal.ONE, null, null, T,
                    new RawRecord.Keyed("x" + i, payload)));
        }
        script("ids", () -> Batch.of(records, Checkpoint.of("{\"page\":1}")));

        RunResult result = etl("ids").run(RunRequest.of("handed"));

        assertThat(result.status()).as(result.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(List.of(result.loaded(), result.rejected())).containsExactly(2L, 2L);
        assertThat(strings("SELECT source_key FROM asset_sources ORDER BY source_key"))
                .containsExactly("x?", "x\uFFFD");
        assertThat(strings("SELECT reason || ': ' || detail FROM etl_rejects ORDER BY position")).containsExactly(
                "invalid_id: id holds a control character (U+0000)",
                "invalid_id: id holds half of a surrogate pair (U+D800), which no text can store");
    }

    @Test
    void aRetryHoldFurtherAheadThanADayIsCappedAtADayAfterTheFailureAndLoggedSo() throws Exception {
        MutableClock clock = new MutableClock(T);
        script("hold", () -> {
            throw new RetriableSourceException("upstream asks for a month", null, T.plus(Duration.ofDays(30)));
        });
        script("records", () -> Batch.of(List.of(api("bitcoin", "BTC", 1, 0)), Checkpoint.of("{\"page\":1}")));
        Logger engine = (Logger) LoggerFactory.getLogger(RunEngine.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        engine.addAppender(logs);
        RunResult held;
        try {
            held = builder("hold").clock(clock).build().run(RunRequest.of("handed"));
        } finally {
            engine.detachAppender(logs);
        }

        assertThat(held.status()).isEqualTo(RunStatus.FAILED);
        JsonNode metadata = JSON.readTree(strings("SELECT metadata::text FROM etl_runs").get(0));
        assertThat(metadata.get("retry_not_before").asText()).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(logs.list).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly("source handed asked for no call before 2026-01-31T00:00:00Z, more than a day"
                        + " ahead: held until 2026-01-02T00:00:00Z instead");
        clock.set(T.plus(Duration.ofHours(23)));
        assertThat(builder("records").clock(clock).build().run(RunRequest.of("handed")).error())
                .as("held for a day").contains("asked for no call before 2026-01-02T00:00:00Z");
        clock.set(T.plus(Duration.ofDays(1)));
        assertThat(builder("records").clock(clock).build().run(RunRequest.of("handed")).status())
                .as("a day later").isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aCheckpointPositionWithANumberOfThousandsOfDigitsOrBeyondADoubleIsKeptExactlyInTheRunsMetadata() {
        String position = "{\"after\":" + "7".repeat(1_500) + ",\"at\":1e400,\"exact\":0.10000000000000000001}";
        script("long-number", () -> Batch.of(List.of(observation("AAA", new RawRecord.Keyed("aaa",
                "{\"symbol\":\"AAA\",\"price\":1}"))), Checkpoint.of(position)));

        RunResult first = etl("long-number").run(RunRequest.of("handed"));
        RunResult resumed = etl("long-number").run(RunRequest.of("handed"));

        assertThat(first.status()).as(first.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(resumed.status()).as(resumed.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(strings("SELECT status FROM etl_runs")).containsExactly("succeeded", "succeeded");
        assertThat(matches("SELECT metadata->'checkpoint_end' = CAST(:position AS jsonb) FROM etl_runs", position))
                .containsExactly(true, true);
        assertThat(matches("SELECT metadata->'checkpoint_start' = CAST(:position AS jsonb) FROM etl_runs"
                + " WHERE run_id = '" + resumed.runId() + "'", position)).containsExactly(true);
    }

    private String price(String symbol) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.price_usd::text FROM asset_sources s JOIN assets a ON a.id = s.asset_id
                WHERE a.canonical_symbol = :symbol""").bind("symbol", symbol).mapTo(String.class).one());
    }

    private List<Boolean> matches(String query, String position) {
        return db.jdbi().withHandle(h -> h.createQuery(query).bind("position", position).mapTo(Boolean.class).list());
    }

    private List<String> strings(String query) {
        return db.jdbi().withHandle(h -> h.createQuery(query).mapTo(String.class).list());
    }

    /** {@code length} random lower-case letters. */
    private static String text(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + RANDOM.nextInt(26)));
        }
        return text.toString();
    }

    private static Observation observation(String symbol, RawRecord raw) {
        return new Observation(symbol, null, symbol, BigDecimal.ONE, null, null, T, raw);
    }

    /** An item keyed by id and time alone, as {@code id@last_updated} keys are. */
    private static Observation api(String id, String symbol, int price, int index) {
        return HandedSourceFactory.interpretApi(new RawRecord.ApiItem(id + "@1", 1, index, T,
                "{\"id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"price\":" + price + "}"));
    }

    /** An item of bitcoin (BTC) at {@code T} under {@code key}, as a CoinGecko key names one item's content. */
    private static Observation item(String key, int price, int index) {
        return HandedSourceFactory.interpretApi(new RawRecord.ApiItem(key, 1, index, T,
                "{\"id\":\"bitcoin\",\"symbol\":\"BTC\",\"price\":" + price + "}"));
    }

    private AssetEtl etl(String script) {
        return builder(script).build();
    }

    private AssetEtl.Builder builder(String script) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new HandedSourceFactory())
                .source(SourceDefinition.of("handed", "handed", SourceConfig.of(Map.of("script", script))));
    }

    /** What each script's reader hands out: one batch, or a throw. */
    private static final Map<String, Supplier<Batch>> SCRIPTS = new ConcurrentHashMap<>();

    private static void script(String name, Supplier<Batch> batch) {
        SCRIPTS.put(name, batch);
    }

    /** A source that hands out its script's one batch; {@code interpret} reads the payload's symbol and price. */
    private static final class HandedSourceFactory implements SourceFactory {

        @Override
        public String type() {
            return "handed";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            Supplier<Batch> script = SCRIPTS.get(config.require("script"));
            return new Source() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    Iterator<Supplier<Batch>> batches = List.of(script).iterator();
                    return new SourceReader() {
                        @Override
                        public Optional<Batch> next() {
                            return batches.hasNext() ? Optional.of(batches.next().get()) : Optional.empty();
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    return raw instanceof RawRecord.ApiItem item ? interpretApi(item) : interpretOther(raw);
                }
            };
        }

        static Observation interpretApi(RawRecord.ApiItem raw) {
            JsonNode item = tree(raw.payload());
            String id = item.has("id") ? item.get("id").asText() : null;
            return new Observation(item.get("symbol").asText(), id, null, item.get("price").decimalValue(), null,
                    null, T, raw);
        }

        private static Interpretation interpretOther(RawRecord raw) {
            JsonNode item = tree(raw.payload());
            return new Observation(item.get("symbol").asText(), null, null, item.get("price").decimalValue(), null,
                    null, T, raw);
        }

        private static JsonNode tree(String json) {
            try {
                return JSON.readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

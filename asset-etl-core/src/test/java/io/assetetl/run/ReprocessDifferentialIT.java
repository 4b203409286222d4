package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.AssetEtl;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.run.ReprocessComparison.ReplayPages;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import io.assetetl.testing.MutableClock;
import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A seeded differential test of {@code reprocess}: many short random histories of ingest runs, each of a few batches
 * of keyed records and API items, then a reprocess, which must leave the canonical tables as the ingests left them.
 *
 * <p>The histories draw symbols and ids from small pools and times from a handful of instants, so that records
 * collide: the same asset and time in one chunk or across runs, a record sent again unchanged (stored once) after
 * others, an API item's key sent again with another payload ({@code record_key_conflict}), aliases (XBT, BTC) and
 * symbols written in another case, names given late or not at all, market caps missing, prices the adapter or the
 * engine rejects, and, for a source with ids, several ids listing one symbol ({@code identity_conflict}) and an id
 * that moves between two symbols (as Fantom's went from FTM to S) while other ids list each of them, so that a
 * symbol's owner moves away and another id takes it; some runs of a source with ids are made with a pin that gives
 * FTM to one of its ids, which the reprocess is not configured with. A keyed record's key always names one payload:
 * another payload under a known key fails its run by design.
 *
 * <p>{@value #HISTORIES} histories by default (about a minute on the 2-core development machine, three on its slow
 * days), {@value #STRESS_HISTORIES} with {@code -Dstress=true}. A history whose reprocess differs is shrunk (runs,
 * batches and records dropped while it still differs) and printed.
 */
class ReprocessDifferentialIT {

    private static final long SEED = 0x5EED_2026L;
    private static final int HISTORIES = 64;
    private static final int STRESS_HISTORIES = 3000;
    private static final long SMALL_PAGE_SEED = 0x5A6E_2026L;
    private static final int SMALL_PAGE_HISTORIES = 24;
    /** Replays in pages of 1, 2, 3 and 7 records, and in pages of up to 150 bytes of payload (1 or 2 records). */
    private static final List<ReplayPages> SMALL_PAGES = List.of(ReplayPages.of(1), ReplayPages.of(2),
            ReplayPages.of(3), ReplayPages.of(7), new ReplayPages(50, 150));
    /** Reads a price as written, 2.50 as 2.50: the engine compares amounts by value and stores them as given. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
    private static final String SOURCE = "diff";
    private static final SourceDefinition DEFINITION = SourceDefinition.of(SOURCE, "scripted",
            SourceConfig.of(Map.of("script", "none")));

    /** Symbols of a source keyed by symbol: XBT is BTC, eth is ETH. */
    private static final List<String> SYMBOLS = List.of("BTC", "XBT", "ETH", "eth", "SOL", "ADA");
    /**
     * Ids of a source with ids and the symbols each lists: two pairs of ids list one symbol, and {@code fantom} lists
     * FTM or S, each of which another id lists too (no pin decides FTM or S).
     */
    private static final Map<String, List<String>> IDS = new LinkedHashMap<>();

    static {
        IDS.put("bitcoin", List.of("btc"));
        IDS.put("bitcoin-bridged", List.of("btc"));
        IDS.put("ethereum", List.of("eth"));
        IDS.put("solana", List.of("sol"));
        IDS.put("solana-wormhole", List.of("sol"));
        IDS.put("cardano", List.of("ada"));
        IDS.put("fantom", List.of("ftm", "s"));
        IDS.put("fantom-bridged", List.of("ftm"));
        IDS.put("sonic-bridged", List.of("s"));
    }

    private static final List<String> PRICES = List.of("1", "2", "3", "2.50", "2.5", "0.001", "0", "-1", "n/a");

    private final TestDatabase db = TestDatabase.create();

    @Test
    void reprocessOfRandomHistoriesOfKeyedRecordsAndApiItemsLeavesTheTablesTheIngestsLeft() {
        int histories = Boolean.getBoolean("stress") ? STRESS_HISTORIES : HISTORIES;
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < histories && failures.size() < 3; n++) {
            History history = History.generate(random, n);
            Optional<String> mismatch = check(history);
            if (mismatch.isPresent()) {
                History minimal = shrink(history);
                failures.add("history " + n + " (" + history.size() + " records) differs: " + mismatch.get()
                        + "\nshrunk to " + minimal.size() + " records: " + check(minimal).orElse("?") + "\n"
                        + minimal);
            }
        }
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    }

    /**
     * The same generator, with another seed, each history reprocessed in small pages before the default reprocess:
     * of 1, 2, 3 or 7 records, or of about two payloads' bytes, in turn, so that page boundaries fall inside the
     * ingests' chunks and between API items and keyed records. {@value #SMALL_PAGE_HISTORIES} histories by default
     * (about 15 s), {@value #STRESS_HISTORIES} with {@code -Dstress=true}.
     */
    @Test
    void reprocessInPagesOfAFewRecordsOfRandomHistoriesLeavesTheTablesTheIngestsLeft() {
        int histories = Boolean.getBoolean("stress") ? STRESS_HISTORIES : SMALL_PAGE_HISTORIES;
        Random random = new Random(SMALL_PAGE_SEED);
        List<String> failures = new ArrayList<>();
        for (int n = 0; n < histories && failures.size() < 3; n++) {
            History history = History.generate(random, n);
            List<ReplayPages> pages = List.of(SMALL_PAGES.get(n % SMALL_PAGES.size()));
            Optional<String> mismatch = check(history, pages);
            if (mismatch.isPresent()) {
                History minimal = shrink(history, pages);
                failures.add("history " + n + " (" + history.size() + " records) differs: " + mismatch.get()
                        + "\nshrunk to " + minimal.size() + " records: " + check(minimal, pages).orElse("?")
                        + "\n" + minimal);
            }
        }
        assertThat(failures).as(String.join("\n\n", failures)).isEmpty();
    }

    @Test
    void aKeyedRecordThenAnApiItemOfOneAssetAndTimeInOneChunkAreReplayedInThatOrder() {
        // the API item, read last, gives BTC's price at T0: its raw row was numbered before the keyed record's, as
        // API items were stored first, and the replay read every API item before any keyed record
        History history = history(List.of(List.of(keyed("k1", btc(1)), api("a1", btc(2)))));

        assertThat(check(history)).isEmpty();
        assertThat(btcPrice()).isEqualTo("2");
    }

    @Test
    void anApiItemReadInALaterRunThanAKeyedRecordOfItsAssetAndTimeIsReplayedAfterIt() {
        History history = history(List.of(List.of(keyed("k1", btc(1)))), List.of(List.of(api("a1", btc(2)))));

        assertThat(check(history)).isEmpty();
        assertThat(btcPrice()).isEqualTo("2");
    }

    @Test
    void aKeyedRecordAndAnApiItemReadAgainInOneChunkAreReplayedInTheChunksOrder() {
        // both stored already; read again, the API item comes last and its price is loaded again over the other's
        History history = history(List.of(List.of(api("a1", btc(1)))), List.of(List.of(keyed("k1", btc(2)))),
                List.of(List.of(keyed("k1", btc(2)), api("a1", btc(1)))));

        assertThat(check(history)).isEmpty();
        assertThat(btcPrice()).isEqualTo("1");
    }

    private static History history(List<List<Sent>>... runs) {
        return new History("named", false, List.of(runs), Collections.nCopies(runs.length, null));
    }

    private static String btc(int price) {
        return "{\"symbol\":\"BTC\",\"price\":" + price + ",\"at\":0}";
    }

    private static Sent keyed(String key, String payload) {
        return new Sent(new RawRecord.Keyed(key, payload));
    }

    private static Sent api(String key, String payload) {
        return new Sent(new RawRecord.ApiItem(key, 1, 0, T0, payload));
    }

    private String btcPrice() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT q.price_usd::text FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                WHERE a.canonical_symbol = 'BTC'""").mapTo(String.class).one());
    }

    /** Runs {@code history} on an emptied database and reprocesses it; what differs from the contract, if anything. */
    private Optional<String> check(History history) {
        return check(history, List.of());
    }

    /**
     * Runs {@code history} on an emptied database and reprocesses it in each of {@code smallPages} in turn, then as
     * {@link AssetEtl} does; what differs from the contract, if anything.
     */
    private Optional<String> check(History history, List<ReplayPages> smallPages) {
        db.emptyTables(); // each history starts from a fresh schema's state
        MutableClock clock = new MutableClock(T0.plusSeconds(86_400));
        try (AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ScriptedSourceFactory()).clock(clock).source(DEFINITION).build()) {
            for (int r = 0; r < history.runs.size(); r++) {
                String script = history.name + "/" + r;
                SCRIPTS.put(script, history.runs.get(r));
                RunResult run = run(history.pins.get(r), etl, clock, script);
                SCRIPTS.remove(script);
                if (!run.succeeded()) {
                    return Optional.of("run " + r + " failed: " + run.error());
                }
                if (run.processed() != run.loaded() + run.unchanged() + run.rejected()) {
                    return Optional.of("run " + r + " counts " + ReprocessComparison.counts(run));
                }
                clock.advance(java.time.Duration.ofMinutes(1));
            }
            return ReprocessComparison.check(db, etl, clock, DEFINITION, new ScriptedSourceFactory(), smallPages);
        }
    }

    /** A run of {@code script} by {@code etl}, or, when {@code pin} names an id, by one that pins FTM to it. */
    private RunResult run(String pin, AssetEtl etl, MutableClock clock, String script) {
        RunRequest request = RunRequest.of(SOURCE).withSetting("script", script);
        if (pin == null) {
            return etl.run(request);
        }
        IdentityRules pinned = new IdentityRules(IdentityRules.defaults().aliases(), Map.of("FTM", pin),
                Set.of("scripted"));
        try (AssetEtl pinning = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ScriptedSourceFactory()).clock(clock).identityRules(pinned).source(DEFINITION).build()) {
            return pinning.run(request);
        }
    }

    /**
     * A smaller history that still differs: runs, then batches, then records dropped one at a time for as long as
     * one can be.
     */
    private History shrink(History history) {
        return shrink(history, List.of());
    }

    /** {@link #shrink(History)} for a history whose reprocess in {@code smallPages} differs. */
    private History shrink(History history, List<ReplayPages> smallPages) {
        Predicate<History> differs = h -> check(h, smallPages).isPresent();
        History current = history;
        boolean smaller = true;
        while (smaller) {
            smaller = false;
            for (History candidate : current.oneLess()) {
                if (differs.test(candidate)) {
                    current = candidate;
                    smaller = true;
                    break;
                }
            }
        }
        return current;
    }

    /** One input record as the scripted source hands it out. */
    private record Sent(RawRecord raw) {
        @Override
        public String toString() {
            String key = raw instanceof RawRecord.ApiItem a ? "api " + a.recordKey()
                    : "keyed " + ((RawRecord.Keyed) raw).recordKey();
            return key + " " + raw.payload();
        }
    }

    /** Runs, each a list of batches of records. */
    private record History(String name, boolean ids, List<List<List<Sent>>> runs, List<String> pins) {

        int size() {
            return runs.stream().flatMap(List::stream).mapToInt(List::size).sum();
        }

        /** Every history with one run, one batch or one record less (no empty batch or run left). */
        List<History> oneLess() {
            List<History> less = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                less.add(without(r, -1, -1));
            }
            for (int r = 0; r < runs.size(); r++) {
                for (int b = 0; b < runs.get(r).size(); b++) {
                    less.add(without(r, b, -1));
                }
            }
            for (int r = 0; r < runs.size(); r++) {
                for (int b = 0; b < runs.get(r).size(); b++) {
                    for (int i = 0; i < runs.get(r).get(b).size(); i++) {
                        less.add(without(r, b, i));
                    }
                }
            }
            return less.stream().filter(h -> h.size() > 0).toList();
        }

        private History without(int run, int batch, int record) {
            List<List<List<Sent>>> kept = new ArrayList<>();
            List<String> keptPins = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                if (r == run && batch < 0) {
                    continue;
                }
                List<List<Sent>> batches = new ArrayList<>();
                for (int b = 0; b < runs.get(r).size(); b++) {
                    if (r == run && b == batch && record < 0) {
                        continue;
                    }
                    List<Sent> records = new ArrayList<>(runs.get(r).get(b));
                    if (r == run && b == batch) {
                        records.remove(record);
                    }
                    if (!records.isEmpty()) {
                        batches.add(records);
                    }
                }
                if (!batches.isEmpty()) {
                    kept.add(batches);
                    keptPins.add(pins.get(r));
                }
            }
            return new History(name + "-", ids, kept, keptPins);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder(ids ? "source with ids\n" : "source keyed by symbol\n");
            for (int r = 0; r < runs.size(); r++) {
                for (int b = 0; b < runs.get(r).size(); b++) {
                    text.append("run ").append(r + 1).append(" batch ").append(b + 1)
                            .append(pins.get(r) == null ? "" : " (FTM pinned to " + pins.get(r) + ")").append(":\n");
                    runs.get(r).get(b).forEach(s -> text.append("    ").append(s).append('\n'));
                }
            }
            return text.toString();
        }

        /**
         * A random history: 1 to 4 runs of 1 to 3 batches of 1 to 6 records, keyed records, API items or both in
         * one source.
         */
        static History generate(Random random, int n) {
            boolean ids = random.nextBoolean();
            int kinds = random.nextInt(3); // 0: keyed records, 1: API items, 2: both
            Generator g = new Generator(random, ids, kinds);
            List<List<List<Sent>>> runs = new ArrayList<>();
            List<String> pins = new ArrayList<>();
            int runCount = 1 + random.nextInt(4);
            for (int r = 0; r < runCount; r++) {
                pins.add(ids && random.nextInt(4) == 0 ? (random.nextBoolean() ? "fantom" : "fantom-bridged") : null);
                List<List<Sent>> batches = new ArrayList<>();
                int batchCount = 1 + random.nextInt(3);
                for (int b = 0; b < batchCount; b++) {
                    List<Sent> records = new ArrayList<>();
                    int size = 1 + random.nextInt(6);
                    for (int i = 0; i < size; i++) {
                        records.add(g.next(r, i));
                    }
                    batches.add(records);
                }
                runs.add(batches);
            }
            return new History("h" + n, ids, runs, pins);
        }
    }

    /** Draws records, remembering what it sent so that some are sent again or their keys reused. */
    private static final class Generator {
        private final Random random;
        private final boolean ids;
        private final int kinds;
        private final List<Sent> sent = new ArrayList<>();
        /** A keyed record's key by payload: a keyed key names one payload. */
        private final Map<String, String> keyedKeys = new HashMap<>();
        private final List<String> apiKeys = new ArrayList<>();

        Generator(Random random, boolean ids, int kinds) {
            this.random = random;
            this.ids = ids;
            this.kinds = kinds;
        }

        Sent next(int run, int index) {
            if (!sent.isEmpty() && random.nextInt(4) == 0) {
                return sent.get(random.nextInt(sent.size())); // sent again, unchanged
            }
            String payload = payload();
            boolean api = kinds == 1 || kinds == 2 && random.nextBoolean();
            Sent record;
            if (api) {
                String key;
                if (!apiKeys.isEmpty() && random.nextInt(8) == 0) {
                    key = apiKeys.get(random.nextInt(apiKeys.size())); // a known key, most likely another payload
                } else {
                    key = "i" + apiKeys.size();
                    apiKeys.add(key);
                }
                record = new Sent(new RawRecord.ApiItem(key, run + 1, index, T0.plusSeconds(3_600L * run), payload));
            } else {
                String key = keyedKeys.computeIfAbsent(payload, p -> "k" + keyedKeys.size());
                record = new Sent(new RawRecord.Keyed(key, payload));
            }
            sent.add(record);
            return record;
        }

        private String payload() {
            ObjectNode item = JSON.createObjectNode();
            String symbol;
            if (ids) {
                List<String> pool = List.copyOf(IDS.keySet());
                String id = pool.get(random.nextInt(pool.size()));
                item.put("id", id);
                List<String> symbols = IDS.get(id);
                symbol = symbols.get(random.nextInt(symbols.size()));
            } else {
                symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
            }
            item.put("symbol", symbol);
            int name = random.nextInt(5);
            if (name == 1) {
                item.put("name", symbol.toUpperCase() + " coin");
            } else if (name == 2) {
                item.put("name", symbol.toUpperCase() + " token");
            }
            String price = PRICES.get(random.nextInt(PRICES.size()));
            if (price.equals("n/a")) {
                item.put("price", price);
            } else {
                item.put("price", new BigDecimal(price));
            }
            if (random.nextBoolean()) {
                item.put("market_cap", 1000 * (1 + random.nextInt(2)));
            } else if (random.nextBoolean()) {
                item.putNull("market_cap");
            }
            item.put("at", 60 * random.nextInt(4));
            return item.toString();
        }
    }

    private static final Map<String, List<List<Sent>>> SCRIPTS = new ConcurrentHashMap<>();

    /**
     * A source that hands out its run's script (setting {@code script}) batch by batch and interprets a record from
     * its payload alone: {@code symbol}, {@code id}, {@code name}, {@code price} (a text that is not a number is
     * {@code invalid_price}), {@code market_cap} and {@code at} (seconds after {@link #T0}).
     */
    private static final class ScriptedSourceFactory implements SourceFactory {

        @Override
        public String type() {
            return "scripted";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            List<List<Sent>> script = SCRIPTS.getOrDefault(config.require("script"), List.of());
            return new Source() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public SourceReader open(Optional<Checkpoint> checkpoint) {
                    Iterator<List<Sent>> batches = script.iterator();
                    return new SourceReader() {
                        private int batch;

                        @Override
                        public Optional<Batch> next() {
                            if (!batches.hasNext()) {
                                return Optional.empty();
                            }
                            List<Interpretation> records = batches.next().stream()
                                    .map(s -> interpret(s.raw())).collect(Collectors.toList());
                            return Optional.of(Batch.of(records, Checkpoint.of("{\"batch\":" + ++batch + "}")));
                        }

                        @Override
                        public void close() {
                        }
                    };
                }

                @Override
                public Interpretation interpret(RawRecord raw) {
                    JsonNode item;
                    try {
                        item = JSON.readTree(raw.payload());
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        return Rejection.of(RejectReason.UNPARSEABLE_ROW, "payload is not JSON", raw);
                    }
                    JsonNode price = item.get("price");
                    if (!price.isNumber()) {
                        return Rejection.of(RejectReason.INVALID_PRICE, "price is not a number: " + price.asText(),
                                raw);
                    }
                    JsonNode cap = item.get("market_cap");
                    return new Observation(item.get("symbol").asText(), item.has("id") ? item.get("id").asText() : null,
                            item.has("name") ? item.get("name").asText() : null, price.decimalValue(),
                            cap == null || cap.isNull() ? null : cap.decimalValue(), null,
                            T0.plusSeconds(item.get("at").asLong()), raw);
                }
            };
        }
    }
}

package io.assetetl.store.internal;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.store.StoreException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BinaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one chunk of a run with set-based SQL, inside the caller's transaction.
 *
 * <p>File lines are streamed straight into {@code raw_csv_assets} with {@code COPY} (unless some of them are stored
 * already, when they go through {@code ON CONFLICT DO NOTHING}). When the chunk is file lines without source ids and
 * none of its quotes is stored yet, its price history is streamed straight into {@code asset_quotes}, in key order,
 * and only each key's latest record (and a symbol's first named one, when its latest gives no name or another)
 * is staged; otherwise every record is copied into a narrow temporary staging table. A handful of {@code INSERT …
 * SELECT … ON CONFLICT} statements then write assets, the latest value per source, price history (when staged) and
 * rejects, and note the changed assets' summaries as pending ({@link AssetSummaries}). Canonical rows are only
 * written when a value is distinct, so an unchanged input changes nothing. The staging table carries a payload only
 * where one is needed (the latest record per key, rejects, API items), which keeps the hot path close to the cost of
 * the raw {@code COPY}. The two large {@code COPY}s (raw lines and price history) use PostgreSQL's binary
 * format ({@link BinaryCopyRows}), so the server parses no text for them.
 *
 * <p>What needs no database (the engine's checks, the staging rows, the price history grouped by symbol) is done by
 * {@link #check}, which the engine runs on its reading thread while the previous chunk is being written.
 *
 * <p>Each record of a chunk counts once, as loaded, unchanged or rejected ({@link ChunkOutcome}). A valid record is
 * loaded when the chunk changed stored canonical data for it: its price history row was inserted or updated, or,
 * being its key's latest record, the source's latest values ({@code asset_sources}) changed. It is unchanged when
 * the chunk wrote nothing for it, so that re-reading an unchanged input loads nothing. A record that a later one of
 * its chunk replaces in the price history (same asset and time) shares that row's fate: it is loaded when the chunk
 * wrote the row and the next record of the row gives other values than it (as it would have been, had each come in
 * a chunk of its own), and unchanged when the chunk left the row as stored or the next record repeats its values.
 * The counts come from the statements that write the rows ({@code COPY}'s and the upserts' row counts,
 * {@code RETURNING}), never from a statement per record.
 *
 * <p>A page a reprocess replays ({@link #replay}) is written the same way but for its price history, which goes to
 * the log of a {@link CanonicalRebuild}; that rebuild counts, at its end, which replayed records changed a row.
 */
public final class ChunkWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkWriter.class);

    private static final String STAGE_DDL = """
            CREATE TEMP TABLE IF NOT EXISTS etl_stage (
                ord              integer NOT NULL,
                kind             char(1) NOT NULL,
                source_key       text,
                source_symbol    text,
                canonical_symbol text,
                name             text,
                price            numeric,
                mcap             numeric,
                vol              numeric,
                observed_at      timestamptz,
                pinned_key       text,
                raw_type         char(1) NOT NULL,
                raw_key          text NOT NULL,
                raw_line         bigint,
                raw_index        integer,
                fetched_at       timestamptz,
                payload          jsonb,
                position         text NOT NULL,
                reason           text,
                detail           text,
                owner_key        text
            ) ON COMMIT DELETE ROWS""";

    /** Each symbol's owner before a reprocess deleted the latest values ({@link #rememberOwners}). */
    private static final String PRIOR_OWNERS_DDL = """
            CREATE TEMP TABLE IF NOT EXISTS etl_prior_owners (
                canonical_symbol text PRIMARY KEY,
                source_key       text NOT NULL
            ) ON COMMIT DELETE ROWS""";

    private static final String COPY_STAGE = "COPY etl_stage (ord, kind, source_key, source_symbol, canonical_symbol,"
            + " name, price, mcap, vol, observed_at, pinned_key, raw_type, raw_key, raw_line, raw_index, fetched_at,"
            + " payload, position, reason, detail) FROM STDIN";

    private static final int STREAM_BLOCK_BYTES = 256 * 1024;

    /** The field under which a reject keeps a payload that PostgreSQL cannot store as it is ({@link #unstorable}). */
    static final String UNSTORABLE_PAYLOAD = "unstorable_payload";

    private static final String COPY_QUOTES = "COPY asset_quotes (asset_id, source, observed_at, price_usd,"
            + " market_cap_usd, volume_24h_usd, run_id) FROM STDIN (FORMAT binary)";

    private static final String COPY_RAW_LINES =
            "COPY raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id) FROM STDIN (FORMAT binary)";

    /**
     * Each key's latest values, written where they are distinct, as the {@code WITH} clause {@code changed}: the
     * rows it wrote, with their asset, time and values ({@link #upsertCanonical}).
     */
    private static final String UPSERT_LATEST = """
            WITH changed AS (
                INSERT INTO asset_sources (asset_id, source, source_key, source_symbol, name, price_usd,
                    market_cap_usd, volume_24h_usd, observed_at, raw, run_id)
                SELECT DISTINCT ON (s.source_key) a.id, :source, s.source_key, s.source_symbol, s.name, s.price,
                    s.mcap, s.vol, s.observed_at, s.payload, :run
                FROM etl_stage s JOIN assets a ON a.canonical_symbol = s.canonical_symbol
                WHERE s.kind = 'o' AND s.payload IS NOT NULL
                ORDER BY s.source_key, s.observed_at DESC, s.ord DESC
                ON CONFLICT (source, source_key) DO UPDATE SET asset_id = EXCLUDED.asset_id,
                    source_symbol = EXCLUDED.source_symbol, name = EXCLUDED.name, price_usd = EXCLUDED.price_usd,
                    market_cap_usd = EXCLUDED.market_cap_usd, volume_24h_usd = EXCLUDED.volume_24h_usd,
                    observed_at = EXCLUDED.observed_at, raw = EXCLUDED.raw, run_id = EXCLUDED.run_id,
                    updated_at = now()
                WHERE EXCLUDED.observed_at >= asset_sources.observed_at
                  AND (asset_sources.asset_id, asset_sources.source_symbol, asset_sources.name,
                       asset_sources.price_usd, asset_sources.market_cap_usd, asset_sources.volume_24h_usd,
                       asset_sources.observed_at, asset_sources.raw)
                      IS DISTINCT FROM (EXCLUDED.asset_id, EXCLUDED.source_symbol, EXCLUDED.name,
                       EXCLUDED.price_usd, EXCLUDED.market_cap_usd, EXCLUDED.volume_24h_usd,
                       EXCLUDED.observed_at, EXCLUDED.raw)
                RETURNING asset_id, observed_at, price_usd, market_cap_usd, volume_24h_usd)
            """;

    /**
     * {@link #upsertQuotes} of a chunk some of whose records give one row: the records' order within each row comes
     * from one sort, the rows written from {@code RETURNING}, and the count of loaded records from joining the two.
     */
    private static final String UPSERT_SHARED_QUOTES = """
            WITH records AS (
                SELECT a.id AS asset_id, s.observed_at, s.price, s.mcap, s.vol,
                       lead(s.ord) OVER w IS NULL AS wins,
                       lead(s.ord) OVER w IS NOT NULL AND (s.price, s.mcap, s.vol)
                           IS DISTINCT FROM (lead(s.price) OVER w, lead(s.mcap) OVER w, lead(s.vol) OVER w)
                           AS replaced
                FROM etl_stage s JOIN assets a ON a.canonical_symbol = s.canonical_symbol
                WHERE s.kind = 'o'
                WINDOW w AS (PARTITION BY a.id, s.observed_at ORDER BY s.ord)),
            written AS (
                INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, market_cap_usd, volume_24h_usd,
                    run_id)
                SELECT asset_id, :source, observed_at, price, mcap, vol, :run FROM records WHERE wins
                ON CONFLICT (asset_id, source, observed_at) DO UPDATE SET
                    price_usd = EXCLUDED.price_usd, market_cap_usd = EXCLUDED.market_cap_usd,
                    volume_24h_usd = EXCLUDED.volume_24h_usd, run_id = EXCLUDED.run_id
                WHERE (asset_quotes.price_usd, asset_quotes.market_cap_usd, asset_quotes.volume_24h_usd)
                      IS DISTINCT FROM (EXCLUDED.price_usd, EXCLUDED.market_cap_usd, EXCLUDED.volume_24h_usd)
                RETURNING asset_id, observed_at)
            SELECT count(*) FROM records r JOIN written w USING (asset_id, observed_at)
            WHERE r.wins OR r.replaced""";

    /**
     * {@link #quotesOverlap}: each asset costs one probe of the price history's key, bounded by the asset and its
     * times. The {@code LATERAL … LIMIT 1} keeps it so: joined plainly, the planner bounded the probe by the asset
     * alone and filtered the asset's whole stored history, which grows with every chunk.
     */
    static final String QUOTES_OVERLAP = """
            SELECT EXISTS (SELECT 1 FROM unnest(CAST(:symbols AS text[]), CAST(:firsts AS timestamptz[]),
                                                CAST(:lasts AS timestamptz[])) AS c (symbol, first_at, last_at)
                           JOIN assets a ON a.canonical_symbol = c.symbol
                           CROSS JOIN LATERAL (SELECT FROM asset_quotes q
                                               WHERE q.asset_id = a.id AND q.source = :source
                                                 AND q.observed_at BETWEEN c.first_at AND c.last_at
                                               LIMIT 1) AS stored)""";

    /**
     * How far after the clock an observation's time may be: a source's clock runs a little ahead, or writes local
     * time as UTC. A time beyond it is a typo or a unit mistake, and stored as a source's latest it would stay there:
     * no real later record would be newer.
     */
    static final Duration FUTURE_ALLOWANCE = Duration.ofDays(1);

    /** Digits before the point an amount of dollars may have ({@link #beyondAnyValue}). */
    static final int MAX_VALUE_DIGITS = 30;
    /** Digits after the point an amount of dollars may have ({@link #finerThanAnyValue}). */
    static final int MAX_FRACTION_DIGITS = 60;
    /** Characters a symbol, canonical or as written, may have: beyond any ticker (CoinGecko's longest has 38). */
    static final int MAX_SYMBOL_LENGTH = 64;
    /** Characters a name may have: well beyond any asset's (CoinGecko's longest has 71). */
    static final int MAX_NAME_LENGTH = 200;
    /**
     * The longest source id an observation may have, in characters: CoinGecko's longest are under 100. A far longer
     * one overflowed the key of {@code asset_sources} and failed its chunk, run after run.
     */
    static final int MAX_ID_LENGTH = 200;

    private final IdentityRules identity;
    private final Clock clock;

    /** A writer that takes the system clock's time as now. */
    public ChunkWriter(IdentityRules identity) {
        this(identity, Clock.systemUTC());
    }

    /** A writer whose checks take {@code clock}'s time as now. */
    public ChunkWriter(IdentityRules identity, Clock clock) {
        this.identity = identity;
        this.clock = clock;
    }

    /** Creates the session's staging table; call once per connection before {@link #write}. */
    public void prepare(Handle handle) {
        handle.execute(STAGE_DDL);
        handle.execute(PRIOR_OWNERS_DDL);
    }

    /**
     * Remembers, for this transaction, which id of the source owns each canonical symbol, before {@code reprocess}
     * deletes the source's latest values and replays its raw records: for an item that has no owner noted (stored
     * before owners were noted, {@link #takeNotedOwners}), the replay then gives each symbol to the same id (unless
     * a pin says otherwise), as an ingest would, rather than to the first id of the raw records, which is not the
     * owner when a pin gave the symbol to another id and is no longer configured.
     */
    public void rememberOwners(Handle handle, String source) {
        handle.createUpdate("""
                INSERT INTO etl_prior_owners (canonical_symbol, source_key)
                SELECT a.canonical_symbol, x.source_key FROM asset_sources x JOIN assets a ON a.id = x.asset_id
                WHERE x.source = :source
                ON CONFLICT (canonical_symbol) DO NOTHING""").bind("source", source).execute();
    }

    /**
     * Checks a chunk's records and formats what does not depend on the database, without touching it: call it on
     * any thread, for instance while the previous chunk is being written, then pass the result to
     * {@link #write(Handle, UUID, String, CheckedChunk, List, Optional)} once.
     *
     * @param writeRaw false when the raw rows are already stored (reprocess)
     */
    public CheckedChunk check(List<Interpretation> records, boolean writeRaw) {
        if (records.isEmpty()) {
            return new CheckedChunk(null, null, writeRaw);
        }
        Checked checked = checkRecords(records, writeRaw);
        if (checked.directQuotes()) {
            checked.quoteGroups = new QuoteGroups(checked);
        }
        return new CheckedChunk(checked, stage(checked, writeRaw), writeRaw);
    }

    /**
     * Writes a chunk inside the current transaction of {@code handle}.
     *
     * @param checkpoint the checkpoint to save with the chunk, or empty (reprocess)
     * @param writeRaw   false when the raw rows are already stored (reprocess)
     */
    public ChunkOutcome write(Handle handle, UUID runId, String source, List<Interpretation> records,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint, boolean writeRaw) {
        return write(handle, runId, source, check(records, writeRaw), driftEvents, checkpoint, new RunCache());
    }

    /**
     * Writes a chunk of a run inside the current transaction of {@code handle}, with what the run's earlier chunks
     * learnt ({@code cache}, one per run).
     *
     * @param checkpoint the checkpoint to save with the chunk, or empty (reprocess)
     * @param writeRaw   false when the raw rows are already stored (reprocess)
     */
    public ChunkOutcome write(Handle handle, UUID runId, String source, List<Interpretation> records,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint, boolean writeRaw, RunCache cache) {
        return write(handle, runId, source, check(records, writeRaw), driftEvents, checkpoint, cache);
    }

    /**
     * Writes a chunk checked by {@link #check(List, boolean)} inside the current transaction of {@code handle}.
     *
     * @param checkpoint the checkpoint to save with the chunk, or empty (reprocess)
     */
    public ChunkOutcome write(Handle handle, UUID runId, String source, CheckedChunk chunk,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint) {
        return write(handle, runId, source, chunk, driftEvents, checkpoint, new RunCache());
    }

    /**
     * Writes a chunk of a run, checked by {@link #check(List, boolean)}, inside the current transaction of
     * {@code handle}, with what the run's earlier chunks learnt ({@code cache}, one per run).
     *
     * @param checkpoint the checkpoint to save with the chunk, or empty (reprocess)
     */
    public ChunkOutcome write(Handle handle, UUID runId, String source, CheckedChunk chunk,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint, RunCache cache) {
        return write(handle, runId, source, chunk, driftEvents, checkpoint, cache, null);
    }

    /**
     * Writes a page of the raw records a reprocess replays, for {@code rebuild} and inside its transaction: rejects
     * and each key's latest values as {@link #write} does, the price history into the rebuild's log rather than
     * into {@code asset_quotes}. Its valid records count as unchanged until the rebuild's end counts those that
     * changed a canonical row ({@link CanonicalRebuild#finish}).
     *
     * @param reads each record's number in the order items were read ({@link RawReplay#reads}), 0 for a file line
     */
    public ChunkOutcome replay(Handle handle, UUID runId, String source, List<Interpretation> records, long[] reads,
            CanonicalRebuild rebuild, RunCache cache) {
        CheckedChunk chunk = check(records, false);
        if (chunk.checked != null) {
            chunk.checked.reads = reads;
        }
        return write(handle, runId, source, chunk, List.of(), Optional.empty(), cache, rebuild);
    }

    /** @param rebuild the reprocess the chunk is a replayed page of, or null for a chunk of an ingest */
    private ChunkOutcome write(Handle handle, UUID runId, String source, CheckedChunk chunk,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint, RunCache cache, CanonicalRebuild rebuild) {
        chunk.take();
        // room for the chunk's sorts (DISTINCT ON) in memory rather than on disk; a commit empties the staging
        // table, but reprocess writes all its chunks in one transaction (both in one round trip)
        handle.execute("SET LOCAL work_mem TO '64MB'; TRUNCATE etl_stage");
        long loaded = 0;
        long rejected = 0;
        int size = chunk.size();
        if (size > 0) {
            Checked checked = chunk.checked;
            Staged staged = chunk.staged;
            // a replayed page's history goes to the rebuild's log, which has no stored rows to probe for
            boolean direct = rebuild != null ? checked.directQuotes() : copiesQuotesStraight(handle, source, chunk,
                    cache);
            if (!direct) {
                stageOtherObservations(checked, staged);
            }
            if (staged.fileLines != null) {
                writeFileLines(handle, runId, source, staged, cache);
            }
            copy(handle, COPY_STAGE, staged.rows::drainTo);
            boolean readAgain = chunk.writeRaw && writeOtherRaw(handle, runId, source, staged);
            if (checked.observations > 0 && rebuild != null) {
                upsertReplayed(handle, runId, source, checked, cache);
                logQuotes(handle, rebuild, checked, direct, cache);
            } else if (checked.observations > 0) {
                long latestValuesOnly = upsertCanonical(handle, runId, source, checked, staged.firstRead, cache,
                        !direct);
                // a copied chunk's rows are all new, so it loads each record that the next one of its row
                // replaces with other values
                loaded = latestValuesOnly + (direct ? copyQuotes(handle, runId, source, checked, cache)
                        + checked.superseded : upsertQuotes(handle, runId, source, checked.sharedRows));
                QuoteGroups groups = checked.quoteGroups;
                if (groups != null) {
                    cache.wroteQuotes(groups.symbols, groups.times(checked.records, false));
                } else {
                    cache.forgetQuoteTimes();
                }
            }
            if (readAgain && (loaded > 0 || checked.sharedRows || checked.latest.size() < checked.observations)) {
                noteReadAgain(handle, source);
            }
            rejected = writeRejects(handle, runId, source);
        }
        writeDrift(handle, runId, source, driftEvents);
        ChunkOutcome outcome = new ChunkOutcome(size, loaded, size - loaded - rejected, rejected);
        handle.createUpdate("""
                UPDATE etl_runs SET records_processed = records_processed + :processed,
                    records_loaded = records_loaded + :loaded, records_unchanged = records_unchanged + :unchanged,
                    records_rejected = records_rejected + :rejected, chunks = chunks + 1, last_chunk_at = :at
                WHERE run_id = :run""")
                .bind("at", clock.instant().atOffset(ZoneOffset.UTC))
                .bind("processed", outcome.processed()).bind("loaded", outcome.loaded())
                .bind("unchanged", outcome.unchanged()).bind("rejected", outcome.rejected())
                .bind("run", runId).execute();
        checkpoint.ifPresent(c -> handle.createUpdate("""
                INSERT INTO etl_checkpoints (source, stream, position, run_id, updated_at)
                VALUES (:source, :stream, CAST(:position AS jsonb), :run, now())
                ON CONFLICT (source, stream) DO UPDATE SET position = EXCLUDED.position, run_id = EXCLUDED.run_id,
                    updated_at = EXCLUDED.updated_at""")
                .bind("source", source).bind("stream", c.stream()).bind("position", CopyRows.jsonbText(c.position()))
                .bind("run", runId).execute());
        return outcome;
    }

    /**
     * A chunk's records after {@link #check(List, boolean)}: checked, and staged as far as that needs no database.
     * It is written once; it holds no connection and may be handed from the thread that checked it to the one that
     * writes it.
     */
    public static final class CheckedChunk {
        private final Checked checked;
        private final Staged staged;
        private final boolean writeRaw;
        private boolean taken;

        private CheckedChunk(Checked checked, Staged staged, boolean writeRaw) {
            this.checked = checked;
            this.staged = staged;
            this.writeRaw = writeRaw;
        }

        /** How many records the chunk holds. */
        public int size() {
            return checked == null ? 0 : checked.records.length;
        }

        private void take() {
            if (taken) {
                throw new IllegalStateException("a checked chunk is written once");
            }
            taken = true;
        }
    }

    private static final class Staged {
        final CopyRows rows;
        List<RawRecord.FileLine> fileLines;
        /** The files of the chunk's lines, each once, in the order the chunk reaches them. */
        final List<RawFile> files = new ArrayList<>(1);
        long minLine = Long.MAX_VALUE;
        long maxLine = Long.MIN_VALUE;
        /** API items ({@link RawRecord.ApiItem}) in the chunk. */
        int apiItems;
        /** Records of other adapters ({@link RawRecord.Keyed}) in the chunk. */
        int keyed;
        /**
         * The first number {@code raw_item_reads} gave the chunk's API items and keyed records when they were stored
         * ({@link #STORE_ITEMS}), or 0 when the chunk stored none: where the owners its chunk decided start.
         */
        long firstRead;

        final int size;

        Staged(int size) {
            this.size = size;
            this.rows = new CopyRows(size);
        }
    }

    /**
     * A chunk's records after the engine's own checks, with each observation's canonical symbol and symbol as
     * written and, per source key, the latest observation (the one whose payload becomes {@code asset_sources.raw}).
     */
    private static final class Checked {
        final Interpretation[] records;
        final String[] canonical;
        /** Each observation's symbol as written ({@link #writtenSymbol}): {@code asset_sources.source_symbol}. */
        final String[] written;
        final Map<String, Integer> latest = new HashMap<>();
        /** For a replayed page, each record's number in the order items were read ({@link RawReplay#reads}). */
        long[] reads;
        boolean sourceIds;
        boolean otherThanFileLines;
        int observations;
        /** Observations that give a name. */
        int named;
        /**
         * For a chunk whose price history may be copied straight ({@link #directQuotes}), which stages only each
         * key's latest record, the first record to name each symbol whose latest record names none or gives another
         * name: staged too
         * ({@link #stage}), so that an asset the chunk creates takes the first name its records give, as it does in
         * chunks of one record each ({@link #nameAssets}). Null when the chunk has none.
         */
        BitSet namers;
        /**
         * Observations without source ids whose price history row the next one of the chunk at the same symbol and
         * time gives other values for: what a chunk copied straight ({@link #copyQuotes}) counts as loaded beside
         * the rows it writes. An upserted chunk counts its own in SQL ({@link #upsertQuotes}).
         */
        int superseded;
        /**
         * Whether two observations of the chunk have the same symbol and time, and so may give one price history
         * row (with source ids, unless one of them is not its symbol's owner): only then does an upserted chunk
         * count its records apart from its rows ({@link #upsertQuotes}).
         */
        boolean sharedRows;
        /** Observations that replace an earlier one of the same symbol and time under another name. */
        int otherAssets;
        String otherAssetExample;
        /** For chunks whose price history may be copied straight ({@link #directQuotes}). */
        QuoteGroups quoteGroups;
        /**
         * By position, the payload that the reject of a record whose own payload PostgreSQL cannot store keeps
         * instead ({@link #unstorable}); null until the chunk has one.
         */
        String[] unstorable;

        Checked(int size) {
            records = new Interpretation[size];
            canonical = new String[size];
            written = new String[size];
        }

        /**
         * Whether the chunk's price history can be copied straight into {@code asset_quotes}: file lines without
         * source ids, whose owners need no resolution in SQL. (The caller also checks that none is stored yet.)
         */
        boolean directQuotes() {
            return observations > 0 && !sourceIds && !otherThanFileLines;
        }

        boolean isLatest(int i) {
            Observation o = (Observation) records[i];
            return latest.get(o.sourceId() != null ? o.sourceId() : canonical[i]) == i;
        }
    }

    private Checked checkRecords(List<Interpretation> records, boolean writeRaw) {
        Checked checked = new Checked(records.size());
        Instant latestTime = clock.instant().plus(FUTURE_ALLOWANCE);
        // sized for the chunk: grown from the default, it was rehashed a dozen times a chunk
        Map<SymbolInstant, Integer> lastAt = new HashMap<>(mapCapacity(records.size()));
        Interpretation[] all = checked.records;
        BinaryOperator<Integer> later = (a, b) -> ((Observation) all[b]).observedAt()
                .compareTo(((Observation) all[a]).observedAt()) >= 0 ? b : a;
        for (int i = 0; i < checked.records.length; i++) {
            Interpretation record = records.get(i);
            String canonical = null;
            String written = null;
            if (record instanceof Observation o) {
                canonical = identity.canonicalSymbolOrNull(o.sourceSymbol());
                written = writtenSymbol(o);
            }
            record = validate(record, canonical, written, latestTime);
            if (writeRaw) {
                // a stored raw record's payload was stored, so only what is read now is looked at
                int at = StorableValues.unstorableNumber(record.raw().payload());
                if (at >= 0) {
                    record = unstorable(checked, i, record, at);
                }
            }
            checked.records[i] = record;
            checked.otherThanFileLines |= !(record.raw() instanceof RawRecord.FileLine);
            if (record instanceof Observation o) {
                checked.observations++;
                if (o.name() != null) {
                    checked.named++;
                }
                checked.sourceIds |= o.sourceId() != null;
                checked.canonical[i] = canonical;
                checked.written[i] = written;
                String key = o.sourceId() != null ? o.sourceId() : checked.canonical[i];
                checked.latest.merge(key, i, later);
                Integer before = lastAt.put(new SymbolInstant(canonical, o.observedAt()), i);
                if (before != null) {
                    checked.sharedRows = true;
                    if (o.sourceId() == null) {
                        supersede(checked, (Observation) all[before], o, canonical);
                    }
                }
            }
        }
        if (checked.directQuotes() && checked.named > 0) {
            findNamers(checked);
        }
        if (checked.otherAssets > 0) {
            LOG.warn("{} record(s) of this chunk replace an earlier one of the same symbol and time under another name,"
                    + " for example {}; a source without ids is keyed by symbol, so both are one asset",
                    checked.otherAssets, checked.otherAssetExample);
        }
        return checked;
    }

    /**
     * Notes {@link Checked#namers}: for each symbol whose latest record names none or gives another name, the first
     * record that names it. A chunk whose records give one name a symbol looks at each of its symbols once, and
     * stages nothing more; one whose records give none is not looked at.
     */
    private static void findNamers(Checked checked) {
        // each symbol whose first name is still to be found, with the name its latest record gives, if any
        Map<String, String> latestNames = new HashMap<>();
        checked.latest.forEach((symbol, i) -> latestNames.put(symbol, ((Observation) checked.records[i]).name()));
        for (int i = 0; i < checked.records.length && !latestNames.isEmpty(); i++) {
            if (checked.records[i] instanceof Observation o && o.name() != null
                    && latestNames.containsKey(checked.canonical[i])
                    && !o.name().equals(latestNames.remove(checked.canonical[i]))) {
                if (checked.namers == null) {
                    checked.namers = new BitSet(checked.records.length);
                }
                checked.namers.set(i);
            }
        }
    }

    /**
     * The symbol as written that {@code asset_sources.source_symbol} stores: the observation's, without the
     * whitespace around it, which the symbol the engine resolves is trimmed of too (and which a cell padded for
     * alignment has); {@code null} when the observation has no symbol. Only a symbol with whitespace around it is
     * copied: this runs for every record of a file.
     */
    private static String writtenSymbol(Observation o) {
        return o.writtenSymbol() == null ? null : o.writtenSymbol().strip();
    }

    /**
     * A record whose payload holds a number PostgreSQL cannot store ({@link StorableValues#unstorableNumber}): no
     * raw row can hold it, and stored as it is it failed its chunk at every run. It is bad input: an observation
     * becomes an {@code invalid_number} reject, and either reject keeps the payload as text under
     * {@value #UNSTORABLE_PAYLOAD}, in {@code etl_rejects} alone.
     */
    private static Interpretation unstorable(Checked checked, int i, Interpretation record, int at) {
        if (checked.unstorable == null) {
            checked.unstorable = new String[checked.records.length];
        }
        String payload = record.raw().payload();
        checked.unstorable[i] = "{\"" + UNSTORABLE_PAYLOAD + "\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(payload)) + "\"}";
        if (record instanceof Rejection) {
            return record;
        }
        return Rejection.of(RejectReason.INVALID_NUMBER, "payload holds a number PostgreSQL cannot store ("
                + StorableValues.RANGE + "): " + StorableValues.numberText(payload, at) + "; kept as text under "
                + UNSTORABLE_PAYLOAD, record.raw());
    }

    /** The initial capacity of a hash map that holds {@code entries} without growing. */
    private static int mapCapacity(int entries) {
        return (int) Math.ceil(entries / 0.75);
    }

    /** A canonical symbol at one instant: what one price history row of a source without ids is keyed by. */
    private record SymbolInstant(String symbol, Instant at) {
    }

    /**
     * Notes that {@code later} gives the price history row that {@code earlier} gave, for a source keyed by symbol.
     * The later record wins, as it does when the two are in different chunks or runs; and as there, a record whose
     * values the next one replaces counts as loaded when the row is written (see the class's counting rule), which
     * a chunk copied straight always does. A later record under another name is most likely another coin listed
     * under the same symbol: that is logged, as such a source has nothing else to tell the two apart by.
     */
    private static void supersede(Checked checked, Observation earlier, Observation later, String canonical) {
        if (!(sameValue(earlier.priceUsd(), later.priceUsd()) && sameValue(earlier.marketCapUsd(), later.marketCapUsd())
                && sameValue(earlier.volume24hUsd(), later.volume24hUsd()))) {
            checked.superseded++;
        }
        if (earlier.name() != null && later.name() != null && !earlier.name().equalsIgnoreCase(later.name())) {
            if (checked.otherAssets++ == 0) {
                checked.otherAssetExample = canonical + " at " + later.observedAt() + ": " + later.raw().position()
                        + " (" + later.name() + ") replaces " + earlier.raw().position() + " (" + earlier.name() + ")";
            }
        }
    }

    private static boolean sameValue(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    /**
     * Stages the chunk for its set-based statements: every record but the observations that are not their key's
     * latest or the first to name a symbol whose latest gives no name or another ({@link Checked#namers}). Those go to
     * {@code asset_quotes} straight from the records ({@link #copyQuotes}) unless the chunk needs them staged too
     * ({@link #stageOtherObservations}), which the database decides.
     */
    private Staged stage(Checked checked, boolean writeRaw) {
        Interpretation[] records = checked.records;
        Staged staged = new Staged(records.length);
        for (int i = 0; i < records.length; i++) {
            if (writeRaw && records[i].raw() instanceof RawRecord.FileLine f && storable(checked, i)) {
                stageFileLine(staged, f);
            }
            if (!(records[i] instanceof Observation) || checked.isLatest(i) || isNamer(checked, i)) {
                stageRecord(checked, staged, i);
            }
        }
        return staged;
    }

    /** Stages the observations {@link #stage} left out, for chunks whose price history is upserted from staging. */
    private void stageOtherObservations(Checked checked, Staged staged) {
        for (int i = 0; i < checked.records.length; i++) {
            if (checked.records[i] instanceof Observation && !checked.isLatest(i) && !isNamer(checked, i)) {
                stageRecord(checked, staged, i);
            }
        }
    }

    /** Whether the record at {@code i} is staged as the first to name its symbol ({@link Checked#namers}). */
    private static boolean isNamer(Checked checked, int i) {
        return checked.namers != null && checked.namers.get(i);
    }

    /** Whether the raw record at {@code i} can be stored: its payload's numbers are all within range. */
    private static boolean storable(Checked checked, int i) {
        return checked.unstorable == null || checked.unstorable[i] == null;
    }

    private void stageRecord(Checked checked, Staged staged, int i) {
        CopyRows rows = staged.rows;
        Interpretation record = checked.records[i];
        String canonical = checked.canonical[i];
        RawRecord raw = record.raw();
        String payload = storable(checked, i) ? raw.payload() : checked.unstorable[i];
        boolean needsPayload = !(raw instanceof RawRecord.FileLine) || record instanceof Rejection;
        rows.add(i);
        if (record instanceof Observation o) {
            needsPayload |= o.sourceId() != null || checked.isLatest(i);
            String sourceKey = o.sourceId() != null ? o.sourceId() : canonical;
            rows.add("o").add(sourceKey).add(checked.written[i]).add(canonical).add(o.name())
                    .add(o.priceUsd()).add(o.marketCapUsd()).add(o.volume24hUsd()).add(o.observedAt())
                    .add(o.sourceId() != null ? identity.pinnedOwner(canonical).orElse(null) : null);
        } else {
            rows.add("r").add((String) null).add((String) null).add((String) null).add((String) null)
                    .add((BigDecimal) null).add((BigDecimal) null).add((BigDecimal) null).add((Instant) null)
                    .add((String) null);
        }
        if (!storable(checked, i)) {
            // no raw row: the reject alone keeps the record
            rows.add("u").add("").add((String) null).add((String) null).add((Instant) null);
        } else if (raw instanceof RawRecord.FileLine f) {
            rows.add("f").add(f.fileSha256()).add(f.lineNo()).add((String) null).add((Instant) null);
        } else if (raw instanceof RawRecord.ApiItem a) {
            staged.apiItems++;
            rows.add("a").add(StorableValues.storableKey(a.recordKey())).add((long) a.page())
                    .add(Integer.toString(a.index())).add(a.fetchedAt());
        } else {
            staged.keyed++;
            rows.add("k").add(StorableValues.storableKey(((RawRecord.Keyed) raw).recordKey())).add((String) null)
                    .add((String) null).add((Instant) null);
        }
        rows.addJson(needsPayload ? payload : null).add(raw.position());
        if (record instanceof Rejection r) {
            rows.add(r.reason()).add(r.detail());
        } else {
            rows.add((String) null).add((String) null);
        }
        rows.endRow();
    }

    private static void stageFileLine(Staged staged, RawRecord.FileLine f) {
        if (staged.fileLines == null) {
            staged.fileLines = new ArrayList<>(staged.size);
        }
        // a chunk's lines come file by file: most are of the file of the line before them
        if (staged.files.isEmpty() || !staged.files.get(staged.files.size() - 1).holds(f)) {
            RawFile file = RawFile.of(f);
            if (!staged.files.contains(file)) {
                staged.files.add(file);
            }
        }
        staged.minLine = Math.min(staged.minLine, f.lineNo());
        staged.maxLine = Math.max(staged.maxLine, f.lineNo());
        staged.fileLines.add(f);
    }

    /**
     * The engine's own guard: whatever an adapter hands out, canonical tables only get valid values. The symbol as
     * written is held to the rules of the canonical symbol, as it is stored and shown beside it: what an adapter
     * resolved into a valid symbol may have been written with a character no text can hold.
     *
     * @param canonical  an observation's canonical symbol, or {@code null} when it has none
     * @param written    an observation's symbol as written ({@link #writtenSymbol}), or {@code null} when it has none
     * @param latestTime the latest time an observation may have
     */
    private static Interpretation validate(Interpretation record, String canonical, String written,
            Instant latestTime) {
        if (record instanceof Observation o) {
            if (canonical == null) {
                return Rejection.of(RejectReason.MISSING_SYMBOL, "symbol is empty", o.raw());
            }
            if (written.isEmpty()) {
                return Rejection.of(RejectReason.MISSING_SYMBOL, "symbol as written is empty", o.raw());
            }
            // one after the other rather than chained through lambdas: this runs for every record of a file
            Optional<Rejection> text = tooLong(RejectReason.INVALID_SYMBOL, "symbol", canonical, MAX_SYMBOL_LENGTH,
                    "ticker", o);
            if (text.isEmpty()) {
                text = unstorableCharacter(RejectReason.INVALID_SYMBOL, "symbol", canonical, true, o);
            }
            if (text.isEmpty()) {
                text = tooLong(RejectReason.INVALID_SYMBOL, "symbol as written", written, MAX_SYMBOL_LENGTH,
                        "ticker", o);
            }
            if (text.isEmpty()) {
                text = unstorableCharacter(RejectReason.INVALID_SYMBOL, "symbol as written", written, true, o);
            }
            if (text.isEmpty()) {
                text = tooLong(RejectReason.INVALID_ID, "id", o.sourceId(), MAX_ID_LENGTH, "asset's", o);
            }
            if (text.isEmpty() && o.sourceId() != null) {
                // as a key, one blank id would hold every asset given it, each replacing the other's latest values;
                // stored with a substitute there, an id would be the key of the id that has the substitute
                text = o.sourceId().isBlank() ? Optional.of(Rejection.of(RejectReason.INVALID_ID,
                        "id is blank (a source without an id for an asset gives null)", o.raw()))
                        : unstorableCharacter(RejectReason.INVALID_ID, "id", o.sourceId(), false, o);
            }
            if (text.isEmpty()) {
                text = tooLong(RejectReason.INVALID_NAME, "name", o.name(), MAX_NAME_LENGTH, "asset's", o);
            }
            if (text.isPresent()) {
                return text.get();
            }
            if (o.priceUsd().signum() <= 0) {
                return Rejection.of(RejectReason.INVALID_PRICE, "price must be positive: "
                        + o.priceUsd().toPlainString(), o.raw());
            }
            if (beyondAnyValue(o.priceUsd())) {
                return Rejection.of(RejectReason.INVALID_PRICE, "price " + o.priceUsd().toString()
                        + " is beyond any asset's (1e" + MAX_VALUE_DIGITS + " USD or more): a unit or parsing mistake",
                        o.raw());
            }
            if (finerThanAnyValue(o.priceUsd())) {
                return Rejection.of(RejectReason.INVALID_PRICE, finer("price", o.priceUsd()), o.raw());
            }
            Optional<Rejection> amount = checkAmount("market_cap_usd", o.marketCapUsd(), o);
            if (amount.isEmpty()) {
                amount = checkAmount("volume_24h_usd", o.volume24hUsd(), o);
            }
            if (amount.isPresent()) {
                return amount.get();
            }
            if (!Observation.inStoredYears(o.observedAt())) {
                return Rejection.of(RejectReason.INVALID_TIMESTAMP, "time outside the years 1 to 9999: "
                        + o.observedAt(), o.raw());
            }
            if (o.observedAt().isAfter(latestTime)) {
                return Rejection.of(RejectReason.INVALID_TIMESTAMP, "time more than a day in the future: "
                        + o.observedAt(), o.raw());
            }
        }
        return record;
    }

    /** A text, where given, of {@code max} characters at most, as the longest of any {@code whose} is. */
    private static Optional<Rejection> tooLong(String reason, String field, String value, int max, String whose,
            Observation o) {
        int length = value == null ? 0 : value.codePointCount(0, value.length());
        return length <= max ? Optional.empty() : Optional.of(Rejection.of(reason, field + " is " + length
                + " characters long, longer than any " + whose + " (" + max + " at most)", o.raw()));
    }

    /**
     * A symbol with a control character, which no API request could name (a request with one is refused), or with
     * half of a surrogate pair, which UTF-8 cannot encode: the driver sends it as {@code ?}, so two such symbols
     * would be one asset in the database and two in the chunk, and the chunk failed where it looked the asset up.
     * A NUL, which PostgreSQL's {@code text} refuses, is a control character. An id is held to the last two alone:
     * stored with U+FFFD or {@code ?} there, it would be the key of the id that has that character there.
     *
     * @param reason     the rejection's reason
     * @param field      what the value is, as the rejection names it
     * @param anyControl whether every control character is refused, not only a NUL
     */
    private static Optional<Rejection> unstorableCharacter(String reason, String field, String value,
            boolean anyControl, Observation o) {
        int at = StorableValues.unstorableCharacter(value, anyControl);
        if (at < 0) {
            return Optional.empty();
        }
        char c = value.charAt(at);
        return Optional.of(Rejection.of(reason, String.format(Character.isSurrogate(c)
                ? "%s holds half of a surrogate pair (U+%04X), which no text can store"
                : "%s holds a control character (U+%04X)", field, (int) c), o.raw()));
    }

    /** A market cap or volume, where given, is not negative and not {@link #beyondAnyValue}. */
    private static Optional<Rejection> checkAmount(String field, BigDecimal value, Observation o) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.signum() < 0) {
            return Optional.of(Rejection.of(RejectReason.INVALID_NUMBER, field + " must not be negative: "
                    + value.toPlainString(), o.raw()));
        }
        if (beyondAnyValue(value)) {
            return Optional.of(Rejection.of(RejectReason.INVALID_NUMBER, field + " " + value + " is beyond any"
                    + " asset's (1e" + MAX_VALUE_DIGITS + " USD or more): a unit or parsing mistake", o.raw()));
        }
        if (finerThanAnyValue(value)) {
            return Optional.of(Rejection.of(RejectReason.INVALID_NUMBER, finer(field, value), o.raw()));
        }
        return Optional.empty();
    }

    /**
     * Whether an amount of dollars has more than {@value #MAX_FRACTION_DIGITS} digits after the point, trailing
     * zeros aside: finer than any price is quoted (the cheapest tokens trade near 1e-12 USD), so a misread number,
     * such as 1e-17000, which PostgreSQL's {@code numeric} cannot even hold (16,383 digits after the point at most:
     * the chunk's every row would fail with it, run after run).
     */
    private static boolean finerThanAnyValue(BigDecimal value) {
        return value.scale() > MAX_FRACTION_DIGITS && value.stripTrailingZeros().scale() > MAX_FRACTION_DIGITS;
    }

    private static String finer(String field, BigDecimal value) {
        return field + " has " + value.stripTrailingZeros().scale() + " digits after the point, more than any"
                + " amount of dollars (" + MAX_FRACTION_DIGITS + " at most): a unit or parsing mistake";
    }

    /**
     * Whether an amount of dollars has more than {@value #MAX_VALUE_DIGITS} digits before the point: far beyond the
     * market cap of anything (all the world's wealth is under 1e15 USD), so a unit mistake or a misread number,
     * such as 1e308 or 10^400, which would be stored as it is and lead the asset's consensus.
     */
    private static boolean beyondAnyValue(BigDecimal value) {
        return (long) value.precision() - value.scale() > MAX_VALUE_DIGITS;
    }

    /** Writes the body of a {@code COPY}. */
    @FunctionalInterface
    private interface CopyBody {
        void writeTo(CopyIn copy) throws SQLException;
    }

    /** Runs a {@code COPY … FROM STDIN} with {@code body}; returns the row count the server reports. */
    private static long copy(Handle handle, String sql, CopyBody body) {
        try {
            CopyIn in = handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
            try {
                body.writeTo(in);
                return in.endCopy();
            } finally {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot copy chunk rows: " + e.getMessage(), e);
        }
    }

    /** Formats row {@code k} of a streamed {@code COPY}, or nothing to leave it out. */
    @FunctionalInterface
    private interface CopyRowWriter {
        void write(BinaryCopyRows rows, int k);
    }

    /**
     * Sends a {@code COPY} while its rows are being formatted, a block at a time, so the server works on the first
     * rows while the rest are written; returns the row count the server reports.
     */
    private static long copyStreaming(Handle handle, String sql, int count, CopyRowWriter writer) {
        return copy(handle, sql, in -> {
            BinaryCopyRows rows = new BinaryCopyRows(STREAM_BLOCK_BYTES + STREAM_BLOCK_BYTES / 4);
            for (int k = 0; k < count; k++) {
                writer.write(rows, k);
                if (rows.length() >= STREAM_BLOCK_BYTES) {
                    rows.drainTo(in);
                }
            }
            rows.finish();
            rows.drainTo(in);
        });
    }

    /**
     * File lines go straight into the raw table, keyed by their file's number and line number. Only when some of them
     * are there already (a file read again after it was rewritten back to an earlier content, with the same time) do
     * they take the slower path that skips stored lines. A file is its content and time ({@link RawFile}): the same
     * content read with another time is another file, whose lines are all new.
     */
    private static void writeFileLines(Handle handle, UUID runId, String source, Staged staged, RunCache cache) {
        // the files in the order the chunk reached them: the order a file was last read in is the order reprocess
        // replays it in, so a file read again after another is replayed after it, as its values were written last
        RawFile[] files = staged.files.toArray(RawFile[]::new);
        Long sameFile = files.length == 1 ? cache.numberOfLastFile(files[0]) : null;
        long[] numbers = new long[files.length];
        boolean seen;
        if (sameFile != null) {
            // the run's last chunk ended in this file, and no other file of the source was read since: it is the
            // source's last read file already
            numbers[0] = sameFile;
            seen = handle.createQuery("""
                    SELECT EXISTS (SELECT 1 FROM raw_csv_assets r
                                   WHERE r.file_no = :file AND r.line_no BETWEEN :min AND :max)""")
                    .bind("file", sameFile.longValue()).bind("min", staged.minLine).bind("max", staged.maxLine)
                    .mapTo(Boolean.class).one();
        } else {
            seen = noteFilesRead(handle, runId, source, staged, files, numbers);
        }
        cache.endedInFile(files[files.length - 1], numbers[files.length - 1]);
        CopyRowWriter line = new CopyRowWriter() {
            /** The file of the line before, which most lines are of. */
            private int file;

            @Override
            public void write(BinaryCopyRows rows, int k) {
                RawRecord.FileLine f = staged.fileLines.get(k);
                if (!files[file].holds(f)) {
                    file = 0;
                    while (!files[file].holds(f)) {
                        file++;
                    }
                }
                rows.add(source).add(f.fileSha256()).add(numbers[file]).add(f.lineNo()).addJsonb(f.payload())
                        .add(runId);
                rows.endRow();
            }
        };
        if (!seen) {
            copyStreaming(handle, COPY_RAW_LINES, staged.fileLines.size(), line);
            return;
        }
        handle.execute("CREATE TEMP TABLE IF NOT EXISTS etl_stage_lines (LIKE raw_csv_assets INCLUDING DEFAULTS)"
                + " ON COMMIT DELETE ROWS");
        copyStreaming(handle, COPY_RAW_LINES.replace("raw_csv_assets", "etl_stage_lines"), staged.fileLines.size(),
                line);
        handle.execute("""
                INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id)
                SELECT source, file_sha256, file_no, line_no, payload, run_id FROM etl_stage_lines
                ON CONFLICT (file_no, line_no) DO NOTHING""");
    }

    /**
     * Notes that the source read the chunk's files now (numbering a file, content and time, it never read before),
     * and puts their numbers in {@code numbers}, in the order of {@code files}; returns whether some of the chunk's
     * lines may be stored already: lines within the chunk's range are, or the chunk spans files.
     */
    private static boolean noteFilesRead(Handle handle, UUID runId, String source, Staged staged, RawFile[] files,
            long[] numbers) {
        String[] shas = new String[files.length];
        String[] times = new String[files.length];
        for (int i = 0; i < files.length; i++) {
            shas[i] = files[i].sha256();
            times[i] = files[i].timeText();
        }
        // a file's key (raw_csv_files_file) takes no time as a time before every other: a file whose lines carry
        // their own times is its content alone
        handle.createUpdate("""
                INSERT INTO raw_csv_files (source, file_sha256, file_time, first_run_id)
                SELECT :source, f.sha, CAST(f.time AS timestamptz), :run
                FROM unnest(CAST(:shas AS text[]), CAST(:times AS text[])) WITH ORDINALITY AS f (sha, time, n)
                ORDER BY f.n
                ON CONFLICT (source, file_sha256, (coalesce(file_time, '-infinity'::timestamptz)))
                DO UPDATE SET last_read = nextval('raw_csv_file_reads')""")
                .bind("source", source).bind("shas", shas).bind("times", times).bind("run", runId).execute();
        List<StoredFile> stored = handle.createQuery("""
                SELECT c.n, f.file_no,
                       EXISTS (SELECT 1 FROM raw_csv_assets r
                               WHERE r.file_no = f.file_no AND r.line_no BETWEEN :min AND :max)
                FROM unnest(CAST(:shas AS text[]), CAST(:times AS text[])) WITH ORDINALITY AS c (sha, time, n)
                JOIN raw_csv_files f ON f.source = :source AND f.file_sha256 = c.sha
                 AND coalesce(f.file_time, '-infinity'::timestamptz)
                     = coalesce(CAST(c.time AS timestamptz), '-infinity'::timestamptz)""")
                .bind("source", source).bind("shas", shas).bind("times", times).bind("min", staged.minLine)
                .bind("max", staged.maxLine)
                .map((rs, ctx) -> new StoredFile(rs.getInt(1) - 1, rs.getLong(2), rs.getBoolean(3)))
                .list();
        boolean seen = files.length > 1;
        for (StoredFile file : stored) {
            numbers[file.index()] = file.number();
            seen |= file.linesInRange();
        }
        return seen;
    }

    /**
     * A file of the chunk's lines: where it is in the chunk's files, its number in {@code raw_csv_files}, and whether
     * lines of it within the chunk's line range are stored already.
     */
    private record StoredFile(int index, long number, boolean linesInRange) {
    }

    /**
     * Stores the chunk's API items and keyed records that are not stored yet ({@link #STORE_ITEMS}); returns whether
     * some of them were (read again) or came twice in the chunk.
     */
    private static boolean writeOtherRaw(Handle handle, UUID runId, String source, Staged staged) {
        if (staged.apiItems == 0 && staged.keyed == 0) {
            return false;
        }
        long[] stored = handle.createQuery(STORE_ITEMS).bind("source", source).bind("run", runId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one();
        staged.firstRead = stored[2];
        boolean readAgain = false;
        if (stored[0] < staged.apiItems) {
            rejectReusedApiKeys(handle, source);
            readAgain = true;
        }
        if (stored[1] < staged.keyed) {
            refuseReusedKeys(handle, source);
            readAgain = true;
        }
        return readAgain;
    }

    /**
     * {@link #writeOtherRaw}'s statement: the chunk's API items and keyed records numbered from {@code raw_item_reads}
     * in the chunk's order, the order {@code reprocess} replays them in ({@code last_read}), then each table's new
     * rows stored with theirs, the first of two items of one key in the chunk; gives how many rows each table stored,
     * and the first number taken.
     * The two tables are numbered together, not one after the other, which would number a chunk holding both kinds by
     * kind. The numbers are taken in the order of the query's {@code ORDER BY}, which PostgreSQL evaluates before an
     * output expression that it does not name; a query holding a volatile function is not inlined as a CTE.
     */
    private static final String STORE_ITEMS = """
            WITH n AS (
                SELECT ord, nextval('raw_item_reads') AS read FROM etl_stage
                WHERE raw_type IN ('a', 'k') ORDER BY ord),
            api AS (
                INSERT INTO raw_coingecko (source, record_key, page, item_index, payload, fetched_at, run_id, last_read)
                SELECT :source, s.raw_key, s.raw_line, s.raw_index, s.payload, s.fetched_at, :run, n.read
                FROM etl_stage s JOIN n USING (ord) WHERE s.raw_type = 'a' ORDER BY s.ord
                ON CONFLICT (source, record_key) DO NOTHING RETURNING 1),
            keyed AS (
                INSERT INTO raw_records (source, record_key, payload, run_id, last_read)
                SELECT :source, s.raw_key, s.payload, :run, n.read
                FROM etl_stage s JOIN n USING (ord) WHERE s.raw_type = 'k' ORDER BY s.ord
                ON CONFLICT (source, record_key) DO NOTHING RETURNING 1)
            SELECT (SELECT count(*) FROM api), (SELECT count(*) FROM keyed), (SELECT coalesce(min(read), 0) FROM n)""";

    /**
     * Numbers the stored rows of the chunk's API items and keyed records again ({@code last_read}, the order
     * {@code reprocess} replays them in), in the order of each one's last reading in the chunk, after every item read
     * before, the two tables together ({@link #RENUMBER_ITEMS}). An item read again loads its values again, over
     * those of the items read since it was stored, so it is replayed where it was last read, not where it was first
     * stored; and within the chunk, of two items of one asset and time, the later is loaded. An item rejected for a
     * payload other than the one stored under its key has no row of its own and is left out.
     *
     * <p>Called when some of the chunk's items were stored already or came twice, and the chunk changed a canonical
     * row or holds two observations of one asset and time or of one source key. Otherwise each of its records left
     * the rows it gives as they were, so replayed where it stands, whether that is where it was first read or
     * among this chunk's new items, it leaves them so too; and an unchanged input read again, however large, writes
     * nothing.
     */
    private static void noteReadAgain(Handle handle, String source) {
        handle.createUpdate(RENUMBER_ITEMS).bind("source", source).execute();
    }

    /** {@link #noteReadAgain}'s statement; its numbers are taken in order as {@link #STORE_ITEMS}'s are. */
    private static final String RENUMBER_ITEMS = """
            WITH o AS (
                SELECT s.raw_type, s.raw_key, nextval('raw_item_reads') AS read FROM etl_stage s
                WHERE s.raw_type = 'a' AND EXISTS (SELECT FROM raw_coingecko x WHERE x.source = :source
                                                     AND x.record_key = s.raw_key AND x.payload = s.payload)
                   OR s.raw_type = 'k' AND EXISTS (SELECT FROM raw_records x WHERE x.source = :source
                                                     AND x.record_key = s.raw_key AND x.payload = s.payload)
                GROUP BY s.raw_type, s.raw_key ORDER BY max(s.ord)),
            api AS (
                UPDATE raw_coingecko r SET last_read = o.read FROM o
                WHERE o.raw_type = 'a' AND r.source = :source AND r.record_key = o.raw_key)
            UPDATE raw_records r SET last_read = o.read FROM o
            WHERE o.raw_type = 'k' AND r.source = :source AND r.record_key = o.raw_key""";

    /**
     * Rejects, as {@code record_key_conflict}, each observation of an API item whose key is stored already with
     * another payload (or comes twice in the chunk with two: the first is stored). The raw row keeps the payload
     * stored first, and {@code reprocess} rebuilds from it: loaded, the item's values would be taken back by the
     * next {@code reprocess}. Such an item is the upstream's doing as often as the adapter's (an item changed
     * without a new {@code last_updated}, under an {@code id@last_updated} key), so it is bad input, as the
     * contract has it: the run goes on and the item stays in {@code etl_rejects}, payload and all. (An adapter whose
     * key carries a digest of the item, as the built-in CoinGecko one's does, never meets this.)
     */
    private static void rejectReusedApiKeys(Handle handle, String source) {
        handle.createUpdate("""
                UPDATE etl_stage s SET kind = 'r', reason = :reason,
                    detail = format('record key %s is stored already with another payload: this item is not loaded,'
                                    ' as reprocess rebuilds from the stored one', s.raw_key)
                FROM raw_coingecko r
                WHERE s.raw_type = 'a' AND s.kind = 'o' AND r.source = :source AND r.record_key = s.raw_key
                  AND r.payload <> s.payload""")
                .bind("source", source).bind("reason", RejectReason.RECORD_KEY_CONFLICT).execute();
    }

    /**
     * Fails the chunk when a record's key is stored already with another payload (or comes twice in the chunk with
     * two): the raw row keeps the payload stored first, so canonical rows loaded from the other would be what
     * {@code reprocess} cannot rebuild, and a later {@code reprocess} would silently take them back.
     */
    private static void refuseReusedKeys(Handle handle, String source) {
        handle.createQuery("""
                SELECT s.raw_key FROM etl_stage s
                JOIN raw_records r ON r.source = :source AND r.record_key = s.raw_key
                WHERE s.raw_type = 'k' AND r.payload <> s.payload
                ORDER BY s.ord LIMIT 1""")
                .bind("source", source).mapTo(String.class).findOne().ifPresent(key -> {
                    throw new StoreException("source " + source + " gave record key '" + key + "' with another"
                            + " payload than the one stored for it: a record key must name one input, and the"
                            + " chunk was rolled back", null);
                });
    }

    /**
     * Writes the chunk's assets and each key's latest values. Returns how many of the chunk's latest records changed
     * their source's latest values while the price history row they give is stored with their values already: the
     * records the quotes' statement will not count as loaded. Only when {@code counted}: not when the chunk's history
     * is copied straight, as none of its rows is stored yet; else the changed rows are probed, before the quotes are
     * written, by the key of the price history, which the statement's {@code RETURNING} gives them. (A replayed page
     * is written by {@link #upsertReplayed}.)
     */
    private long upsertCanonical(Handle handle, UUID runId, String source, Checked checked, long firstRead,
            RunCache cache, boolean counted) {
        writeAssets(handle, source, checked, cache, true);
        if (checked.sourceIds && firstRead > 0) {
            noteOwners(handle, runId, source, firstRead);
        }
        // the assets whose latest values changed have their summaries noted as pending in the same statement
        if (!counted) {
            handle.createUpdate(UPSERT_LATEST + AssetSummaries.MARK_PENDING_CHANGED)
                    .bind("source", source).bind("run", runId).execute();
            return 0;
        }
        return handle.createQuery(UPSERT_LATEST + ", pending AS (" + AssetSummaries.MARK_PENDING_CHANGED + """
                )
                SELECT count(*) FROM changed c
                WHERE EXISTS (SELECT FROM asset_quotes q
                              WHERE q.asset_id = c.asset_id AND q.source = :source AND q.observed_at = c.observed_at
                                AND (q.price_usd, q.market_cap_usd, q.volume_24h_usd)
                                    IS NOT DISTINCT FROM (c.price_usd, c.market_cap_usd, c.volume_24h_usd))""")
                .bind("source", source).bind("run", runId).mapTo(Long.class).one();
    }

    /**
     * Writes a replayed page's assets and each key's latest values, noting no summary as pending: the rebuild's end
     * refreshes every summary ({@link AssetSummaries#refreshAll}), and a pending row the replay inserted stayed locked
     * until the reprocess committed, so that the chunk of any other source's run that changed one of those assets
     * waited for the whole reprocess to end (or the two deadlocked, each waiting for a row the other inserted).
     */
    private void upsertReplayed(Handle handle, UUID runId, String source, Checked checked, RunCache cache) {
        if (checked.sourceIds && checked.reads != null) {
            takeNotedOwners(handle, source, checked.reads);
        }
        writeAssets(handle, source, checked, cache, false);
        handle.createQuery(UPSERT_LATEST + "SELECT count(*) FROM changed").bind("source", source)
                .bind("run", runId).mapTo(Long.class).one();
    }

    /**
     * Resolves the owners of a chunk's ids, creates and names its assets and moves the latest values of ids that
     * belong to another asset now: what precedes the upsert of the latest values.
     *
     * @param notePending whether the summaries of the assets named or left are noted as pending
     */
    private static void writeAssets(Handle handle, String source, Checked checked, RunCache cache,
            boolean notePending) {
        if (checked.sourceIds) {
            resolveOwners(handle, source);
        }
        // a file's chunk stages each symbol's latest record and its first named one, none of which becomes a
        // reject: the run knows which of its assets have a name, and names none that has one
        boolean fileLines = checked.directQuotes();
        if (!fileLines || !cache.allNamed(checked.latest.keySet())) {
            nameAssets(handle, notePending);
        }
        if (fileLines) {
            checked.latest.forEach((symbol, i) -> {
                if (((Observation) checked.records[i]).name() != null) {
                    cache.named(symbol);
                }
            });
            if (checked.namers != null) {
                checked.namers.stream().forEach(i -> cache.named(checked.canonical[i]));
            }
        }
        if (checked.sourceIds) {
            moveSources(handle, source, notePending);
        }
    }

    /**
     * Creates the chunk's new assets and names those created without a name: a new asset takes the first name its
     * records give; one created without a name takes the first given later.
     *
     * @param notePending whether the summaries of the assets created or named are noted as pending
     */
    private static void nameAssets(Handle handle, boolean notePending) {
        List<Long> named = handle.createQuery("""
                INSERT INTO assets (canonical_symbol, name)
                SELECT DISTINCT ON (canonical_symbol) canonical_symbol, name
                FROM etl_stage s WHERE kind = 'o'
                  AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.canonical_symbol = s.canonical_symbol
                                                           AND a.name IS NOT NULL)
                ORDER BY canonical_symbol, name IS NULL, ord
                ON CONFLICT (canonical_symbol) DO UPDATE SET name = EXCLUDED.name
                WHERE assets.name IS NULL AND EXCLUDED.name IS NOT NULL
                RETURNING id""").mapTo(Long.class).list();
        if (notePending) {
            AssetSummaries.markPending(handle, named);
        }
    }

    /**
     * Moves the latest values of a source with ids to the asset their id belongs to now: a pin configured after
     * another id took the symbol moves the symbol to the pinned id, and an id whose symbol changed (MATIC to POL)
     * moves to the asset of its new symbol.
     *
     * @param notePending whether the summaries of the assets the ids leave are noted as pending
     */
    private static void moveSources(Handle handle, String source, boolean notePending) {
        handle.createUpdate("""
                DELETE FROM asset_sources x USING (
                    SELECT DISTINCT a.id AS asset_id, s.owner_key FROM etl_stage s
                    JOIN assets a ON a.canonical_symbol = s.canonical_symbol WHERE s.kind = 'o') o
                WHERE x.source = :source AND x.asset_id = o.asset_id AND x.source_key <> o.owner_key""")
                .bind("source", source).execute();
        if (!notePending) {
            return;
        }
        // the asset an id leaves has its summary refreshed too, and dropped when that was its last source
        AssetSummaries.markPending(handle, handle.createQuery("""
                SELECT DISTINCT x.asset_id FROM etl_stage s
                JOIN assets a ON a.canonical_symbol = s.canonical_symbol
                JOIN asset_sources x ON x.source = :source AND x.source_key = s.source_key
                WHERE s.kind = 'o' AND s.payload IS NOT NULL AND x.asset_id <> a.id""")
                .bind("source", source).mapTo(Long.class).list());
    }

    /**
     * The owner of a canonical symbol within a source is its pinned id, else, for an item a reprocess replays, the
     * owner noted when an ingest last read it ({@link #takeNotedOwners}), else the id already stored, else the id
     * that owned it before a reprocess ({@link #rememberOwners}), else the first id of this chunk; every other id of
     * that symbol becomes an {@code identity_conflict} reject.
     */
    private static void resolveOwners(Handle handle, String source) {
        handle.createUpdate("""
                WITH owners AS (
                    SELECT s.canonical_symbol,
                           coalesce(max(s.pinned_key),
                                    (SELECT x.source_key FROM asset_sources x JOIN assets a ON a.id = x.asset_id
                                     WHERE x.source = :source AND a.canonical_symbol = s.canonical_symbol),
                                    (SELECT p.source_key FROM etl_prior_owners p
                                     WHERE p.canonical_symbol = s.canonical_symbol),
                                    (array_agg(s.source_key ORDER BY s.ord))[1]) AS owner_key
                    FROM etl_stage s WHERE s.kind = 'o' GROUP BY s.canonical_symbol)
                UPDATE etl_stage s SET owner_key = coalesce(s.pinned_key, s.owner_key, o.owner_key) FROM owners o
                WHERE s.kind = 'o' AND s.canonical_symbol = o.canonical_symbol""")
                .bind("source", source).execute();
        handle.execute("""
                UPDATE etl_stage SET kind = 'r', reason = 'identity_conflict',
                    detail = format('%s (%s) is not the owner of %s on this source; its owner is %s',
                                    source_key, source_symbol, canonical_symbol, owner_key)
                WHERE kind = 'o' AND source_key <> owner_key""");
    }

    /**
     * Notes the owners an ingest's chunk gave its symbols where they differ from the owners noted last
     * ({@code symbol_owner_decisions}), from {@code firstRead} on, the chunk's first item number: a reprocess gives
     * each item it replays the owner its chunk gave it ({@link #takeNotedOwners}). A symbol's owner changes rarely
     * (an id claims a free symbol, a pin is configured, an owner moves to another symbol), so most chunks note
     * nothing.
     */
    private static void noteOwners(Handle handle, UUID runId, String source, long firstRead) {
        handle.createUpdate("""
                INSERT INTO symbol_owner_decisions (source, canonical_symbol, from_read, owner_key, run_id)
                SELECT :source, o.canonical_symbol, :from, o.owner_key, :run
                FROM (SELECT DISTINCT ON (canonical_symbol) canonical_symbol, owner_key FROM etl_stage
                      WHERE owner_key IS NOT NULL ORDER BY canonical_symbol) o
                WHERE o.owner_key IS DISTINCT FROM (SELECT d.owner_key FROM symbol_owner_decisions d
                                                    WHERE d.source = :source AND d.canonical_symbol = o.canonical_symbol
                                                    ORDER BY d.from_read DESC LIMIT 1)""")
                .bind("source", source).bind("from", firstRead).bind("run", runId).execute();
    }

    /**
     * Gives each API item and keyed record of a replayed page the owner noted last, at or before its own number in
     * the order items were read ({@code reads}, by the record's place in the page), for its canonical symbol: the
     * owner the ingest's chunk that last read it gave it. Deciding the owners anew would follow the replay's pages,
     * not the ingests' chunks, and start from the owners as they stand at the end: an id that owned a symbol until it
     * moved to another (FTM to S) lost the records it was given to the id that took the symbol later. A page holds
     * no two owners of one symbol ({@link RawReplay} ends pages where an owner changes). Items read before any owner
     * was noted keep none.
     */
    private static void takeNotedOwners(Handle handle, String source, long[] reads) {
        handle.createUpdate("""
                UPDATE etl_stage s SET owner_key = (
                    SELECT d.owner_key FROM symbol_owner_decisions d
                    WHERE d.source = :source AND d.canonical_symbol = s.canonical_symbol AND d.from_read <= r.read
                    ORDER BY d.from_read DESC LIMIT 1)
                FROM unnest(CAST(:reads AS bigint[])) WITH ORDINALITY AS r (read, n)
                WHERE s.ord = r.n - 1 AND s.kind = 'o' AND r.read > 0
                  AND EXISTS (SELECT FROM symbol_owner_decisions d WHERE d.source = :source)""")
                .bind("source", source).bind("reads", reads).execute();
    }

    /**
     * Whether the chunk's price history is copied straight into {@code asset_quotes} rather than upserted from
     * staging: it can be ({@link Checked#directQuotes}) and none of it is stored yet. When each of its assets' times
     * starts after the latest quote the run knows of ({@link RunCache#allAfterStoredQuotes}), as in a file read in
     * time order, the stored history is not probed again ({@link #quotesOverlap}).
     */
    static boolean copiesQuotesStraight(Handle handle, String source, CheckedChunk chunk, RunCache cache) {
        Checked checked = chunk.checked;
        if (!checked.directQuotes()) {
            return false;
        }
        QuoteGroups groups = checked.quoteGroups;
        return cache.allAfterStoredQuotes(handle, source, groups.symbols, groups.times(checked.records, true))
                || !quotesOverlap(handle, source, checked);
    }

    /**
     * Whether any quote of this source is stored already for one of the chunk's assets within that asset's own time
     * range in the chunk. The chunk's time range as a whole would not do: a chunk that starts part way through an
     * instant's assets shares that instant with the chunk before it, and would be upserted although none of its own
     * quotes is stored. This run holds the source's lock, so nothing else writes this source's quotes while the
     * chunk is written. Only for chunks whose history may be copied straight, which have their {@link QuoteGroups}.
     */
    private static boolean quotesOverlap(Handle handle, String source, Checked checked) {
        QuoteGroups groups = checked.quoteGroups;
        return handle.createQuery(QUOTES_OVERLAP).bind("symbols", groups.symbols)
                .bind("firsts", groups.isoTimes(checked.records, true))
                .bind("lasts", groups.isoTimes(checked.records, false))
                .bind("source", source).mapTo(Boolean.class).one();
    }

    /**
     * Copies the chunk's price history straight into {@code asset_quotes}, in key order, one row per asset and
     * instant (the chunk's last record of it wins, as in {@link #upsertQuotes}). Only for chunks none of whose
     * quotes is stored yet; returns how many were written.
     */
    private static long copyQuotes(Handle handle, UUID runId, String source, Checked checked, RunCache cache) {
        return copyQuoteRows(handle, COPY_QUOTES, checked, cache, (rows, assetId, o) -> rows.add(assetId).add(source)
                .add(o.observedAt()).add(o.priceUsd()).add(o.marketCapUsd()).add(o.volume24hUsd()).add(runId));
    }

    /**
     * Appends a replayed page's price history to {@code rebuild}'s log, one row per asset and instant (the page's
     * last record of it wins): copied straight from the records when the page's history may be ({@code direct}),
     * else from staging.
     */
    private static void logQuotes(Handle handle, CanonicalRebuild rebuild, Checked checked, boolean direct,
            RunCache cache) {
        if (!direct) {
            handle.createUpdate(CanonicalRebuild.LOG_STAGED_QUOTES).bind("page", rebuild.nextPage()).execute();
            return;
        }
        QuoteGroups groups = checked.quoteGroups;
        long page = rebuild.nextPage(groups.symbols, groups.times(checked.records, true),
                groups.times(checked.records, false));
        copyQuoteRows(handle, CanonicalRebuild.COPY_LOGGED_QUOTES, checked, cache, (rows, assetId, o) -> rows.add(page)
                .add(assetId).add(o.observedAt()).add(o.priceUsd()).add(o.marketCapUsd()).add(o.volume24hUsd()));
    }

    /** Formats one price history row of {@link #copyQuoteRows}: its asset's id and the record that gives it. */
    @FunctionalInterface
    private interface QuoteRowWriter {
        void write(BinaryCopyRows rows, long assetId, Observation record);
    }

    /**
     * Copies the chunk's price history with {@code sql}, in key order, one row per asset and instant (the chunk's
     * last record of it wins), each formatted by {@code row}; returns how many were written.
     */
    private static long copyQuoteRows(Handle handle, String sql, Checked checked, RunCache cache,
            QuoteRowWriter row) {
        QuoteGroups groups = checked.quoteGroups;
        long[] ids = cache.assetIds(handle, groups.symbols);
        int[] byId = groupsById(ids);
        Interpretation[] records = checked.records;
        int[] order = groups.order;
        // the rows in key order: asset by asset, each asset's already in time order
        int[] rowGroups = new int[order.length];
        int[] rowPositions = new int[order.length];
        int n = 0;
        for (int g : byId) {
            for (int k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
                if (k + 1 < groups.starts[g + 1] && sameInstant(records, order[k], order[k + 1])) {
                    continue; // a later record of the chunk gives this asset's price at this instant
                }
                rowGroups[n] = g;
                rowPositions[n++] = order[k];
            }
        }
        return copyStreaming(handle, sql, n, (rows, k) -> {
            row.write(rows, ids[rowGroups[k]], (Observation) records[rowPositions[k]]);
            rows.endRow();
        });
    }

    /**
     * The groups in the order of their assets' ids, which are distinct (one asset per canonical symbol). A primitive
     * sort: boxed indices sorted with a comparator took {@code TimSort} through a deoptimization and a new C2
     * compilation in nearly every chunk of a run.
     */
    static int[] groupsById(long[] ids) {
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        int[] byId = new int[ids.length];
        for (int g = 0; g < ids.length; g++) {
            int at = Arrays.binarySearch(sorted, ids[g]);
            if (at > 0 && sorted[at - 1] == ids[g] || at + 1 < sorted.length && sorted[at + 1] == ids[g]) {
                throw new IllegalStateException("two of a chunk's symbols have the asset id " + ids[g]);
            }
            byId[at] = g;
        }
        return byId;
    }

    /**
     * A chunk's observations grouped by canonical symbol, each group in time, then input, order: worked out while
     * the chunk is checked, so that writing its price history only has to order the groups by asset id.
     */
    private static final class QuoteGroups {
        /** The canonical symbol of each group. */
        final String[] symbols;
        /** Group {@code g} is {@code order[starts[g]]} to {@code order[starts[g + 1] - 1]}. */
        final int[] starts;
        /** Positions of observations in the chunk. */
        final int[] order;

        QuoteGroups(Checked checked) {
            Interpretation[] records = checked.records;
            Map<String, Integer> numbers = new HashMap<>();
            // (group, position in the chunk) packed in one long: one primitive sort groups each symbol's rows
            long[] keys = new long[checked.observations];
            int n = 0;
            for (int i = 0; i < records.length; i++) {
                if (records[i] instanceof Observation) {
                    long group = numbers.computeIfAbsent(checked.canonical[i], symbol -> numbers.size());
                    keys[n++] = group << 32 | i;
                }
            }
            Arrays.sort(keys);
            symbols = new String[numbers.size()];
            numbers.forEach((symbol, group) -> symbols[group] = symbol);
            starts = new int[symbols.length + 1];
            order = new int[n];
            for (int k = 0; k < n; k++) {
                order[k] = (int) keys[k];
                starts[(int) (keys[k] >>> 32) + 1] = k + 1;
            }
            for (int g = 0; g < symbols.length; g++) {
                sortByTime(records, order, starts[g], starts[g + 1]);
            }
        }

        /** Each group's first or last time. */
        Instant[] times(Interpretation[] records, boolean first) {
            Instant[] times = new Instant[symbols.length];
            for (int g = 0; g < symbols.length; g++) {
                times[g] = observedAt(records, order[first ? starts[g] : starts[g + 1] - 1]);
            }
            return times;
        }

        /**
         * {@link #times} as ISO-8601 text: PostgreSQL rounds a finer fraction of a second to the microsecond as the
         * price history's {@code COPY} does ({@link BinaryCopyRows#add(Instant)}). The text has four digits of
         * year, as every time the checks let through ({@link #validate}).
         */
        String[] isoTimes(Interpretation[] records, boolean first) {
            return Arrays.stream(times(records, first)).map(Instant::toString).toArray(String[]::new);
        }

        /** Orders {@code order[start..end)} by time, then position; file order is usually time order already. */
        private static void sortByTime(Interpretation[] records, int[] order, int start, int end) {
            boolean sorted = true;
            for (int k = start + 1; k < end && sorted; k++) {
                int time = observedAt(records, order[k - 1]).compareTo(observedAt(records, order[k]));
                sorted = time < 0 || (time == 0 && order[k - 1] < order[k]);
            }
            if (sorted) {
                return;
            }
            Integer[] run = new Integer[end - start];
            for (int k = start; k < end; k++) {
                run[k - start] = order[k];
            }
            Arrays.sort(run, Comparator.<Integer, Instant>comparing(i -> observedAt(records, i))
                    .thenComparingInt(i -> i));
            for (int k = start; k < end; k++) {
                order[k] = run[k - start];
            }
        }
    }

    private static Instant observedAt(Interpretation[] records, int i) {
        return ((Observation) records[i]).observedAt();
    }

    private static boolean sameInstant(Interpretation[] records, int a, int b) {
        return observedAt(records, a).equals(observedAt(records, b));
    }

    /**
     * Upserts the chunk's price history from staging, one row per asset and instant (the chunk's last record of it
     * wins), writing only distinct values; returns how many of the chunk's records it loaded. When each record of
     * the chunk gives a row of its own ({@code sharedRows} false, as in most chunks), that is the statement's row
     * count, which covers both inserted and updated rows. Otherwise ({@link #UPSERT_SHARED_QUOTES}) it is each
     * written row's record and each record of that row which the next one of the chunk replaces with other values
     * (as if it had come in a chunk of its own before), while a row left as stored loads none of its records.
     */
    private static long upsertQuotes(Handle handle, UUID runId, String source, boolean sharedRows) {
        if (sharedRows) {
            return handle.createQuery(UPSERT_SHARED_QUOTES).bind("source", source).bind("run", runId)
                    .mapTo(Long.class).one();
        }
        return handle.createUpdate("""
                INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, market_cap_usd, volume_24h_usd,
                    run_id)
                SELECT DISTINCT ON (a.id, s.observed_at) a.id, :source, s.observed_at, s.price, s.mcap, s.vol, :run
                FROM etl_stage s JOIN assets a ON a.canonical_symbol = s.canonical_symbol
                WHERE s.kind = 'o'
                ORDER BY a.id, s.observed_at, s.ord DESC
                ON CONFLICT (asset_id, source, observed_at) DO UPDATE SET
                    price_usd = EXCLUDED.price_usd, market_cap_usd = EXCLUDED.market_cap_usd,
                    volume_24h_usd = EXCLUDED.volume_24h_usd, run_id = EXCLUDED.run_id
                WHERE (asset_quotes.price_usd, asset_quotes.market_cap_usd, asset_quotes.volume_24h_usd)
                      IS DISTINCT FROM (EXCLUDED.price_usd, EXCLUDED.market_cap_usd, EXCLUDED.volume_24h_usd)""")
                .bind("source", source).bind("run", runId).execute();
    }

    private static long writeRejects(Handle handle, UUID runId, String source) {
        return handle.createUpdate("""
                INSERT INTO etl_rejects (run_id, source, position, reason, detail, raw)
                SELECT :run, :source, position, reason, detail, payload FROM etl_stage WHERE kind = 'r' ORDER BY ord""")
                .bind("source", source).bind("run", runId).execute();
    }

    private static void writeDrift(Handle handle, UUID runId, String source, List<DriftEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch("""
                INSERT INTO schema_drift_events (run_id, source, kind, expected, actual, confidence, action)
                VALUES (:run, :source, :kind, :expected, :actual, :confidence, :action)""");
        // a NUL, which PostgreSQL's text refuses, as U+FFFD: refused, the event failed its chunk at every run
        for (DriftEvent e : events) {
            batch.bind("run", runId).bind("source", source).bind("kind", CopyRows.text(e.kind()))
                    .bind("expected", CopyRows.text(e.expected())).bind("actual", CopyRows.text(e.actual()))
                    .bind("confidence", e.confidence()).bind("action", CopyRows.text(e.action())).add();
        }
        batch.execute();
    }
}

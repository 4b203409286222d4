package io.assetetl.store;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes one chunk of a run with set-based SQL, inside the caller's transaction.
 *
 * <p>File lines are streamed straight into {@code raw_csv_assets} with {@code COPY} (unless some of them are stored
 * already, when they go through {@code ON CONFLICT DO NOTHING}). When the chunk is file lines without source ids and
 * none of its quotes is stored yet, its price history is streamed straight into {@code asset_quotes}, in key order,
 * and only each key's latest record is staged; otherwise every record is copied into a narrow temporary staging
 * table. A handful of {@code INSERT … SELECT … ON CONFLICT} statements then write assets, the latest value per
 * source, price history (when staged) and rejects, and note the changed assets' summaries as pending
 * ({@link AssetSummaries}). Canonical rows are only written when a value is distinct, so an unchanged input changes
 * nothing. The staging table carries a payload only where one is needed (the latest record per key, rejects, API
 * items), which keeps the hot path close to the cost of the raw {@code COPY}.
 */
public final class ChunkWriter {

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

    private static final String COPY_STAGE = "COPY etl_stage (ord, kind, source_key, source_symbol, canonical_symbol,"
            + " name, price, mcap, vol, observed_at, pinned_key, raw_type, raw_key, raw_line, raw_index, fetched_at,"
            + " payload, position, reason, detail) FROM STDIN";

    private static final int STREAM_BLOCK_ROWS = 2048;
    private static final int STREAM_BLOCK_CHARS = 256 * 1024;

    private static final String COPY_QUOTES = "COPY asset_quotes (asset_id, source, observed_at, price_usd,"
            + " market_cap_usd, volume_24h_usd, run_id) FROM STDIN";

    private static final String COPY_RAW_LINES =
            "COPY raw_csv_assets (source, file_sha256, line_no, payload, run_id) FROM STDIN";

    private final IdentityRules identity;

    public ChunkWriter(IdentityRules identity) {
        this.identity = identity;
    }

    /** Creates the session's staging table; call once per connection before {@link #write}. */
    public void prepare(Handle handle) {
        handle.execute(STAGE_DDL);
    }

    /**
     * Writes a chunk inside the current transaction of {@code handle}.
     *
     * @param checkpoint the checkpoint to save with the chunk, or empty (reprocess)
     * @param writeRaw   false when the raw rows are already stored (reprocess)
     */
    public ChunkOutcome write(Handle handle, UUID runId, String source, List<Interpretation> records,
            List<DriftEvent> driftEvents, Optional<Checkpoint> checkpoint, boolean writeRaw) {
        // room for the chunk's sorts (DISTINCT ON) in memory rather than on disk
        handle.execute("SET LOCAL work_mem TO '64MB'");
        // a commit empties the staging table, but reprocess writes all its chunks in one transaction
        handle.execute("TRUNCATE etl_stage");
        long loaded = 0;
        long rejected = 0;
        if (!records.isEmpty()) {
            Checked checked = check(records);
            boolean direct = checked.directQuotes() && !quotesOverlap(handle, source, checked);
            Staged staged = stage(checked, writeRaw, direct);
            if (staged.fileLines != null) {
                writeFileLines(handle, runId, source, staged);
            }
            copy(handle, COPY_STAGE, staged.rows::drainTo);
            if (writeRaw) {
                writeOtherRaw(handle, runId, source, staged);
            }
            if (checked.observations > 0) {
                upsertCanonical(handle, runId, source, checked.sourceIds);
                loaded = direct ? copyQuotes(handle, runId, source, checked) : upsertQuotes(handle, runId, source);
            }
            rejected = writeRejects(handle, runId, source);
        }
        writeDrift(handle, runId, source, driftEvents);
        ChunkOutcome outcome = new ChunkOutcome(records.size(), loaded, records.size() - loaded - rejected, rejected);
        handle.createUpdate("""
                UPDATE etl_runs SET records_processed = records_processed + :processed,
                    records_loaded = records_loaded + :loaded, records_unchanged = records_unchanged + :unchanged,
                    records_rejected = records_rejected + :rejected, chunks = chunks + 1
                WHERE run_id = :run""")
                .bind("processed", outcome.processed()).bind("loaded", outcome.loaded())
                .bind("unchanged", outcome.unchanged()).bind("rejected", outcome.rejected())
                .bind("run", runId).execute();
        checkpoint.ifPresent(c -> handle.createUpdate("""
                INSERT INTO etl_checkpoints (source, stream, position, run_id, updated_at)
                VALUES (:source, :stream, CAST(:position AS jsonb), :run, now())
                ON CONFLICT (source, stream) DO UPDATE SET position = EXCLUDED.position, run_id = EXCLUDED.run_id,
                    updated_at = EXCLUDED.updated_at""")
                .bind("source", source).bind("stream", c.stream()).bind("position", c.position())
                .bind("run", runId).execute());
        return outcome;
    }

    private static final class Staged {
        final CopyRows rows;
        List<RawRecord.FileLine> fileLines;
        /** The files of the chunk's lines, in the order the chunk reaches them. */
        final Set<String> fileShas = new LinkedHashSet<>();
        long minLine = Long.MAX_VALUE;
        long maxLine = Long.MIN_VALUE;
        boolean apiItems;
        boolean keyed;

        final int size;

        Staged(int size) {
            this.size = size;
            this.rows = new CopyRows(size);
        }
    }

    /**
     * A chunk's records after the engine's own checks, with each observation's canonical symbol and, per source key,
     * the latest observation (the one whose payload becomes {@code asset_sources.raw}).
     */
    private static final class Checked {
        final Interpretation[] records;
        final String[] canonical;
        final Map<String, Integer> latest = new HashMap<>();
        boolean sourceIds;
        boolean otherThanFileLines;
        int observations;
        Instant firstObserved;
        Instant lastObserved;

        Checked(int size) {
            records = new Interpretation[size];
            canonical = new String[size];
        }

        /**
         * Whether the chunk's price history can be copied straight into {@code asset_quotes}: file lines without
         * source ids, whose owners need no resolution in SQL. (The caller also checks that none is stored yet.)
         */
        boolean directQuotes() {
            return observations > 0 && !sourceIds && !otherThanFileLines;
        }

        /** The chunk's canonical symbols: its keys, when it has no source ids (the direct path). */
        String[] symbols() {
            return latest.keySet().toArray(String[]::new);
        }

        boolean isLatest(int i) {
            Observation o = (Observation) records[i];
            return latest.get(o.sourceId() != null ? o.sourceId() : canonical[i]) == i;
        }
    }

    private Checked check(List<Interpretation> records) {
        Checked checked = new Checked(records.size());
        for (int i = 0; i < checked.records.length; i++) {
            Interpretation record = validate(records.get(i));
            checked.records[i] = record;
            checked.otherThanFileLines |= !(record.raw() instanceof RawRecord.FileLine);
            if (record instanceof Observation o) {
                checked.observations++;
                checked.sourceIds |= o.sourceId() != null;
                checked.canonical[i] = identity.canonicalSymbol(o.sourceSymbol()).orElseThrow();
                String key = o.sourceId() != null ? o.sourceId() : checked.canonical[i];
                Interpretation[] all = checked.records;
                checked.latest.merge(key, i, (a, b) -> ((Observation) all[b]).observedAt()
                        .compareTo(((Observation) all[a]).observedAt()) >= 0 ? b : a);
                Instant at = o.observedAt();
                if (checked.firstObserved == null || at.isBefore(checked.firstObserved)) {
                    checked.firstObserved = at;
                }
                if (checked.lastObserved == null || at.isAfter(checked.lastObserved)) {
                    checked.lastObserved = at;
                }
            }
        }
        return checked;
    }

    /**
     * Stages the chunk for its set-based statements. With {@code direct} quotes, an observation is staged only when
     * it is its key's latest, since the rest of the chunk's price history goes to {@code asset_quotes} by
     * {@link #copyQuotes}.
     */
    private Staged stage(Checked checked, boolean writeRaw, boolean direct) {
        Interpretation[] records = checked.records;
        Staged staged = new Staged(records.length);
        CopyRows rows = staged.rows;
        String[] canonical = checked.canonical;
        for (int i = 0; i < records.length; i++) {
            Interpretation record = records[i];
            RawRecord raw = record.raw();
            boolean needsPayload = !(raw instanceof RawRecord.FileLine) || record instanceof Rejection;
            if (record instanceof Observation o) {
                boolean latest = checked.isLatest(i);
                if (writeRaw && raw instanceof RawRecord.FileLine f) {
                    stageFileLine(staged, f);
                }
                if (direct && !latest) {
                    continue;
                }
                needsPayload |= o.sourceId() != null || latest;
                String sourceKey = o.sourceId() != null ? o.sourceId() : canonical[i];
                rows.add(i);
                rows.add("o").add(sourceKey).add(o.sourceSymbol()).add(canonical[i]).add(o.name())
                        .add(o.priceUsd()).add(o.marketCapUsd()).add(o.volume24hUsd()).add(o.observedAt())
                        .add(o.sourceId() != null ? identity.pinnedOwner(canonical[i]).orElse(null) : null);
            } else {
                if (writeRaw && raw instanceof RawRecord.FileLine f) {
                    stageFileLine(staged, f);
                }
                rows.add(i);
                rows.add("r").add((String) null).add((String) null).add((String) null).add((String) null)
                        .add((BigDecimal) null).add((BigDecimal) null).add((BigDecimal) null).add((Instant) null)
                        .add((String) null);
            }
            if (raw instanceof RawRecord.FileLine f) {
                rows.add("f").add(f.fileSha256()).add(f.lineNo()).add((String) null).add((Instant) null);
            } else if (raw instanceof RawRecord.ApiItem a) {
                staged.apiItems = true;
                rows.add("a").add(a.recordKey()).add((long) a.page()).add(Integer.toString(a.index()))
                        .add(a.fetchedAt());
            } else {
                staged.keyed = true;
                rows.add("k").add(((RawRecord.Keyed) raw).recordKey()).add((String) null).add((String) null)
                        .add((Instant) null);
            }
            rows.addJson(needsPayload ? raw.payload() : null).add(raw.position());
            if (record instanceof Rejection r) {
                rows.add(r.reason()).add(r.detail());
            } else {
                rows.add((String) null).add((String) null);
            }
            rows.endRow();
        }
        return staged;
    }

    private static void stageFileLine(Staged staged, RawRecord.FileLine f) {
        if (staged.fileLines == null) {
            staged.fileLines = new ArrayList<>(staged.size);
        }
        staged.fileShas.add(f.fileSha256());
        staged.minLine = Math.min(staged.minLine, f.lineNo());
        staged.maxLine = Math.max(staged.maxLine, f.lineNo());
        staged.fileLines.add(f);
    }

    /** The engine's own guard: whatever an adapter hands out, canonical tables only get valid values. */
    private Interpretation validate(Interpretation record) {
        if (record instanceof Observation o) {
            if (identity.canonicalSymbol(o.sourceSymbol()).isEmpty()) {
                return Rejection.of(RejectReason.MISSING_SYMBOL, "symbol is empty", o.raw());
            }
            if (o.priceUsd().signum() <= 0) {
                return Rejection.of(RejectReason.INVALID_PRICE, "price must be positive: "
                        + o.priceUsd().toPlainString(), o.raw());
            }
        }
        return record;
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
        void write(CopyRows rows, int k);
    }

    /**
     * Sends a {@code COPY} while its rows are being formatted, a block at a time, so the server works on the first
     * rows while the rest are written; returns the row count the server reports.
     */
    private static long copyStreaming(Handle handle, String sql, int count, CopyRowWriter writer) {
        return copy(handle, sql, in -> {
            CopyRows rows = new CopyRows(STREAM_BLOCK_ROWS);
            for (int k = 0; k < count; k++) {
                writer.write(rows, k);
                if (rows.length() >= STREAM_BLOCK_CHARS) {
                    rows.drainTo(in);
                }
            }
            rows.drainTo(in);
        });
    }

    /**
     * File lines go straight into the raw table. Only when some of them are there already (a file read again
     * after it was rewritten back to an earlier content) do they take the slower path that skips stored lines.
     */
    private static void writeFileLines(Handle handle, UUID runId, String source, Staged staged) {
        // the files in the order the chunk reached them: a file's number is the order reprocess replays it in
        handle.createUpdate("""
                INSERT INTO raw_csv_files (source, file_sha256, first_run_id)
                SELECT :source, f.sha, :run FROM unnest(CAST(:shas AS text[])) WITH ORDINALITY AS f (sha, n)
                ORDER BY f.n
                ON CONFLICT (source, file_sha256) DO NOTHING""")
                .bind("source", source).bind("shas", staged.fileShas.toArray(String[]::new)).bind("run", runId)
                .execute();
        boolean seen = staged.fileShas.size() > 1 || handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM raw_csv_assets WHERE source = :source AND file_sha256 = :sha
                               AND line_no BETWEEN :min AND :max)""")
                .bind("source", source).bind("sha", staged.fileShas.iterator().next())
                .bind("min", staged.minLine).bind("max", staged.maxLine).mapTo(Boolean.class).one();
        String run = runId.toString();
        CopyRowWriter line = (rows, k) -> {
            RawRecord.FileLine f = staged.fileLines.get(k);
            rows.add(source).add(f.fileSha256()).add(f.lineNo()).addJson(f.payload()).add(run);
            rows.endRow();
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
                INSERT INTO raw_csv_assets (source, file_sha256, line_no, payload, run_id)
                SELECT source, file_sha256, line_no, payload, run_id FROM etl_stage_lines
                ON CONFLICT (source, file_sha256, line_no) DO NOTHING""");
    }

    private static void writeOtherRaw(Handle handle, UUID runId, String source, Staged staged) {
        if (staged.apiItems) {
            handle.createUpdate("""
                    INSERT INTO raw_coingecko (source, record_key, page, item_index, payload, fetched_at, run_id)
                    SELECT :source, raw_key, raw_line, raw_index, payload, fetched_at, :run
                    FROM etl_stage WHERE raw_type = 'a' ORDER BY ord
                    ON CONFLICT (source, record_key) DO NOTHING""")
                    .bind("source", source).bind("run", runId).execute();
        }
        if (staged.keyed) {
            handle.createUpdate("""
                    INSERT INTO raw_records (source, record_key, payload, run_id)
                    SELECT :source, raw_key, payload, :run FROM etl_stage WHERE raw_type = 'k' ORDER BY ord
                    ON CONFLICT (source, record_key) DO NOTHING""")
                    .bind("source", source).bind("run", runId).execute();
        }
    }

    private void upsertCanonical(Handle handle, UUID runId, String source, boolean withSourceIds) {
        if (withSourceIds) {
            resolveOwners(handle, source);
        }
        handle.execute("""
                INSERT INTO assets (canonical_symbol, name)
                SELECT DISTINCT ON (canonical_symbol) canonical_symbol, name
                FROM etl_stage s WHERE kind = 'o'
                  AND NOT EXISTS (SELECT 1 FROM assets a WHERE a.canonical_symbol = s.canonical_symbol)
                ORDER BY canonical_symbol, ord
                ON CONFLICT (canonical_symbol) DO NOTHING""");
        if (withSourceIds) {
            // a pin configured after another id took the symbol moves the symbol to the pinned id
            handle.createUpdate("""
                    DELETE FROM asset_sources x USING (
                        SELECT DISTINCT a.id AS asset_id, s.owner_key FROM etl_stage s
                        JOIN assets a ON a.canonical_symbol = s.canonical_symbol WHERE s.kind = 'o') o
                    WHERE x.source = :source AND x.asset_id = o.asset_id AND x.source_key <> o.owner_key""")
                    .bind("source", source).execute();
        }
        List<Long> changed = handle.createQuery("""
                INSERT INTO asset_sources (asset_id, source, source_key, source_symbol, name, price_usd,
                    market_cap_usd, volume_24h_usd, observed_at, raw, run_id)
                SELECT DISTINCT ON (s.source_key) a.id, :source, s.source_key, s.source_symbol, s.name, s.price,
                    s.mcap, s.vol, s.observed_at, s.payload, :run
                FROM etl_stage s JOIN assets a ON a.canonical_symbol = s.canonical_symbol
                WHERE s.kind = 'o' AND s.payload IS NOT NULL
                ORDER BY s.source_key, s.observed_at DESC, s.ord DESC
                ON CONFLICT (source, source_key) DO UPDATE SET
                    source_symbol = EXCLUDED.source_symbol, name = EXCLUDED.name, price_usd = EXCLUDED.price_usd,
                    market_cap_usd = EXCLUDED.market_cap_usd, volume_24h_usd = EXCLUDED.volume_24h_usd,
                    observed_at = EXCLUDED.observed_at, raw = EXCLUDED.raw, run_id = EXCLUDED.run_id,
                    updated_at = now()
                WHERE EXCLUDED.observed_at >= asset_sources.observed_at
                  AND (asset_sources.source_symbol, asset_sources.name, asset_sources.price_usd,
                       asset_sources.market_cap_usd, asset_sources.volume_24h_usd, asset_sources.observed_at,
                       asset_sources.raw)
                      IS DISTINCT FROM (EXCLUDED.source_symbol, EXCLUDED.name, EXCLUDED.price_usd,
                       EXCLUDED.market_cap_usd, EXCLUDED.volume_24h_usd, EXCLUDED.observed_at, EXCLUDED.raw)
                RETURNING asset_id""")
                .bind("source", source).bind("run", runId).mapTo(Long.class).list();
        AssetSummaries.markPending(handle, changed);
    }

    /**
     * The owner of a canonical symbol within a source is its pinned id, else the id already stored, else the first
     * id of this chunk; every other id of that symbol becomes an {@code identity_conflict} reject.
     */
    private static void resolveOwners(Handle handle, String source) {
        handle.createUpdate("""
                WITH owners AS (
                    SELECT s.canonical_symbol,
                           coalesce(max(s.pinned_key),
                                    (SELECT x.source_key FROM asset_sources x JOIN assets a ON a.id = x.asset_id
                                     WHERE x.source = :source AND a.canonical_symbol = s.canonical_symbol),
                                    (array_agg(s.source_key ORDER BY s.ord))[1]) AS owner_key
                    FROM etl_stage s WHERE s.kind = 'o' GROUP BY s.canonical_symbol)
                UPDATE etl_stage s SET owner_key = o.owner_key FROM owners o
                WHERE s.kind = 'o' AND s.canonical_symbol = o.canonical_symbol""")
                .bind("source", source).execute();
        handle.execute("""
                UPDATE etl_stage SET kind = 'r', reason = 'identity_conflict',
                    detail = format('%s (%s) is not the owner of %s on this source; its owner is %s',
                                    source_key, source_symbol, canonical_symbol, owner_key)
                WHERE kind = 'o' AND source_key <> owner_key""");
    }

    /**
     * Whether any quote of this source is stored already for the chunk's symbols within its time range. This run
     * holds the source's lock, so nothing else writes this source's quotes while the chunk is written.
     */
    private static boolean quotesOverlap(Handle handle, String source, Checked checked) {
        return handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM unnest(CAST(:symbols AS text[])) AS c (symbol)
                               JOIN assets a ON a.canonical_symbol = c.symbol
                               JOIN asset_quotes q ON q.asset_id = a.id AND q.source = :source
                                                  AND q.observed_at BETWEEN :first AND :last)""")
                .bind("symbols", checked.symbols()).bind("source", source)
                .bind("first", checked.firstObserved.atOffset(ZoneOffset.UTC))
                .bind("last", checked.lastObserved.atOffset(ZoneOffset.UTC))
                .mapTo(Boolean.class).one();
    }

    /**
     * Copies the chunk's price history straight into {@code asset_quotes}, in key order, one row per asset and
     * instant (the chunk's last record of it wins, as in {@link #upsertQuotes}). Only for chunks none of whose
     * quotes is stored yet; returns how many were written.
     */
    private static long copyQuotes(Handle handle, UUID runId, String source, Checked checked) {
        Map<String, Long> assetIds = new HashMap<>();
        handle.createQuery("SELECT a.canonical_symbol, a.id FROM unnest(CAST(:symbols AS text[])) AS c (symbol)"
                        + " JOIN assets a ON a.canonical_symbol = c.symbol")
                .bind("symbols", checked.symbols())
                .map((rs, ctx) -> assetIds.put(rs.getString(1), rs.getLong(2))).list();
        Interpretation[] records = checked.records;
        long[] ids = new long[records.length];
        // (asset id, position in the chunk) packed in one long: one primitive sort groups each asset's rows
        long[] keys = new long[checked.observations];
        int n = 0;
        for (int i = 0; i < records.length; i++) {
            if (records[i] instanceof Observation) {
                ids[i] = assetIds.get(checked.canonical[i]);
                keys[n++] = ids[i] << 32 | i;
            }
        }
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = (int) keys[k];
        }
        sortEachAssetByTime(records, ids, order);
        String run = runId.toString();
        return copyStreaming(handle, COPY_QUOTES, n, (rows, k) -> {
            int i = order[k];
            if (k + 1 < order.length && sameQuote(records, ids, i, order[k + 1])) {
                return; // a later record of the chunk gives this asset's price at this instant
            }
            Observation o = (Observation) records[i];
            rows.add(ids[i]).add(source).add(o.observedAt()).add(o.priceUsd()).add(o.marketCapUsd())
                    .add(o.volume24hUsd()).add(run);
            rows.endRow();
        });
    }

    /** Orders each asset's run of positions by time, then position; file order is usually time order already. */
    private static void sortEachAssetByTime(Interpretation[] records, long[] ids, int[] order) {
        Comparator<Integer> byTime = Comparator.<Integer, Instant>comparing(i -> ((Observation) records[i]).observedAt())
                .thenComparingInt(i -> i);
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            boolean sorted = true;
            while (end < order.length && ids[order[end]] == ids[order[start]]) {
                sorted &= byTime.compare(order[end - 1], order[end]) < 0;
                end++;
            }
            if (!sorted) {
                Integer[] run = new Integer[end - start];
                for (int k = start; k < end; k++) {
                    run[k - start] = order[k];
                }
                Arrays.sort(run, byTime);
                for (int k = start; k < end; k++) {
                    order[k] = run[k - start];
                }
            }
            start = end;
        }
    }

    private static boolean sameQuote(Interpretation[] records, long[] ids, int a, int b) {
        return ids[a] == ids[b] && ((Observation) records[a]).observedAt().equals(((Observation) records[b]).observedAt());
    }

    /** Returns how many quotes were written: the command's row count covers both inserted and updated rows. */
    private static long upsertQuotes(Handle handle, UUID runId, String source) {
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
        for (DriftEvent e : events) {
            batch.bind("run", runId).bind("source", source).bind("kind", e.kind()).bind("expected", e.expected())
                    .bind("actual", e.actual()).bind("confidence", e.confidence()).bind("action", e.action()).add();
        }
        batch.execute();
    }
}

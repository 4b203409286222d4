package io.assetetl.store;

import io.assetetl.model.Checkpoint;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.postgresql.PGConnection;

/**
 * Writes one chunk of a run with set-based SQL, inside the caller's transaction.
 *
 * <p>File lines are copied straight into {@code raw_csv_assets} with {@code COPY} (unless some of them are stored
 * already, when they go through {@code ON CONFLICT DO NOTHING}). Parsed records are copied into a narrow temporary
 * staging table; a handful of {@code INSERT … SELECT … ON CONFLICT} statements then write assets, the latest value
 * per source, price history and rejects. Canonical rows are only written when a value is distinct, so an unchanged
 * input changes nothing. The staging table carries a payload only where one is needed (the latest record per key,
 * rejects, API items), which keeps the hot path close to the cost of the raw {@code COPY}.
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
        long loaded = 0;
        long rejected = 0;
        if (!records.isEmpty()) {
            Staged staged = stage(records, writeRaw, source, runId);
            if (staged.fileLines != null) {
                writeFileLines(handle, runId, source, staged);
            }
            copy(handle, COPY_STAGE, staged.rows);
            if (writeRaw) {
                writeOtherRaw(handle, runId, source, staged);
            }
            if (staged.observations > 0) {
                upsertCanonical(handle, runId, source, staged.withSourceIds);
                loaded = upsertQuotes(handle, runId, source);
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
        CopyRows fileLines;
        String fileSha;
        boolean singleFile = true;
        long minLine = Long.MAX_VALUE;
        long maxLine = Long.MIN_VALUE;
        int observations;
        boolean withSourceIds;
        boolean apiItems;
        boolean keyed;

        final int size;

        Staged(int size) {
            this.size = size;
            this.rows = new CopyRows(size);
        }
    }

    private Staged stage(List<Interpretation> records, boolean writeRaw, String source, UUID runId) {
        Staged staged = new Staged(records.size());
        Interpretation[] checked = new Interpretation[records.size()];
        String[] canonical = new String[records.size()];
        // the latest record of each key is the one whose payload becomes asset_sources.raw
        Map<String, Integer> latest = new HashMap<>();
        for (int i = 0; i < checked.length; i++) {
            checked[i] = validate(records.get(i));
            if (checked[i] instanceof Observation o) {
                canonical[i] = identity.canonicalSymbol(o.sourceSymbol()).orElseThrow();
                String key = o.sourceId() != null ? o.sourceId() : canonical[i];
                latest.merge(key, i, (a, b) -> ((Observation) checked[b]).observedAt()
                        .compareTo(((Observation) checked[a]).observedAt()) >= 0 ? b : a);
            }
        }
        CopyRows rows = staged.rows;
        for (int i = 0; i < checked.length; i++) {
            Interpretation record = checked[i];
            RawRecord raw = record.raw();
            boolean needsPayload = !(raw instanceof RawRecord.FileLine) || record instanceof Rejection;
            rows.add(i);
            if (record instanceof Observation o) {
                String sourceKey = o.sourceId() != null ? o.sourceId() : canonical[i];
                needsPayload |= o.sourceId() != null || latest.get(sourceKey) == i;
                staged.withSourceIds |= o.sourceId() != null;
                staged.observations++;
                rows.add("o").add(sourceKey).add(o.sourceSymbol()).add(canonical[i]).add(o.name())
                        .add(o.priceUsd()).add(o.marketCapUsd()).add(o.volume24hUsd()).add(o.observedAt())
                        .add(o.sourceId() != null ? identity.pinnedOwner(canonical[i]).orElse(null) : null);
            } else {
                rows.add("r").add((String) null).add((String) null).add((String) null).add((String) null)
                        .add((BigDecimal) null).add((BigDecimal) null).add((BigDecimal) null).add((Instant) null)
                        .add((String) null);
            }
            if (raw instanceof RawRecord.FileLine f) {
                rows.add("f").add(f.fileSha256()).add(f.lineNo()).add((String) null).add((Instant) null);
                if (writeRaw) {
                    stageFileLine(staged, f, source, runId);
                }
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

    private static void stageFileLine(Staged staged, RawRecord.FileLine f, String source, UUID runId) {
        if (staged.fileLines == null) {
            staged.fileLines = new CopyRows(staged.size);
            staged.fileSha = f.fileSha256();
        }
        staged.singleFile &= staged.fileSha.equals(f.fileSha256());
        staged.minLine = Math.min(staged.minLine, f.lineNo());
        staged.maxLine = Math.max(staged.maxLine, f.lineNo());
        staged.fileLines.add(source).add(f.fileSha256()).add(f.lineNo()).addJson(f.payload())
                .add(runId.toString());
        staged.fileLines.endRow();
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

    private static void copy(Handle handle, String sql, CopyRows rows) {
        try {
            PGConnection pg = handle.getConnection().unwrap(PGConnection.class);
            pg.getCopyAPI().copyIn(sql, new StringReader(rows.body()));
        } catch (SQLException | IOException e) {
            throw new StoreException("cannot copy chunk rows: " + e.getMessage(), e);
        }
    }

    /**
     * File lines go straight into the raw table. Only when some of them are there already (a file read again
     * after it was rewritten back to an earlier content) do they take the slower path that skips stored lines.
     */
    private static void writeFileLines(Handle handle, UUID runId, String source, Staged staged) {
        boolean seen = !staged.singleFile || handle.createQuery("""
                SELECT EXISTS (SELECT 1 FROM raw_csv_assets WHERE source = :source AND file_sha256 = :sha
                               AND line_no BETWEEN :min AND :max)""")
                .bind("source", source).bind("sha", staged.fileSha)
                .bind("min", staged.minLine).bind("max", staged.maxLine).mapTo(Boolean.class).one();
        if (!seen) {
            copy(handle, COPY_RAW_LINES, staged.fileLines);
            return;
        }
        handle.execute("CREATE TEMP TABLE IF NOT EXISTS etl_stage_lines (LIKE raw_csv_assets INCLUDING DEFAULTS)"
                + " ON COMMIT DELETE ROWS");
        copy(handle, COPY_RAW_LINES.replace("raw_csv_assets", "etl_stage_lines"), staged.fileLines);
        handle.execute("""
                INSERT INTO raw_csv_assets (source, file_sha256, line_no, payload, run_id)
                SELECT source, file_sha256, line_no, payload, run_id FROM etl_stage_lines ORDER BY id
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

    private static void upsertCanonical(Handle handle, UUID runId, String source, boolean withSourceIds) {
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
        AssetSummaries.refresh(handle, changed);
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

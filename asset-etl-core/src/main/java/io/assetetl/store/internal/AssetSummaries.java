package io.assetetl.store.internal;

import java.math.BigDecimal;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Keeps {@code asset_summaries} — each asset's sources' latest records and their median price — in step with
 * {@code asset_sources}, so that reads of many assets cost one index range scan. Each summary also holds its asset
 * rendered as an API lists it ({@code asset_item}, see {@link io.assetetl.query.AssetQueries#pageJson}).
 *
 * <p>A chunk only notes the assets it changed in {@code asset_summaries_pending}, in its own transaction; the engine
 * refreshes the pending summaries once at the end of each run, and at the start of the next one in case a process
 * died mid-run. Rendering every changed asset's summary in every chunk cost more than a tenth of a large load, and a
 * summary is the same whether it is refreshed after each chunk or once after the last.
 *
 * <p>A transaction that changes summaries also sends {@code NOTIFY} on {@link #CHANGED_CHANNEL}, which PostgreSQL
 * delivers to every listening session when, and only if, it commits; {@link io.assetetl.query.SummaryChanges} listens
 * for it, so that a reader can keep what it read until the summaries change.
 */
public final class AssetSummaries {

    /** The channel told, on commit, of every transaction that changed summaries; the payload says how many. */
    public static final String CHANGED_CHANNEL = "asset_summaries_changed";

    private static final String REFRESH = """
            INSERT INTO asset_summaries (asset_id, canonical_symbol, name, consensus_price_usd, source_count, sources,
                latest, item, item_threshold, updated_at)
            SELECT a.id, a.canonical_symbol, a.name, (i.item->>'price_usd')::numeric,
                   cardinality(g.sources), g.sources, g.latest, i.item, :threshold, now()
            FROM (SELECT s.asset_id,
                         array_agg(s.source ORDER BY s.source) AS sources,
                         jsonb_agg(jsonb_build_object(
                             'source', s.source, 'source_key', s.source_key, 'source_symbol', s.source_symbol,
                             'name', s.name, 'price_usd', s.price_usd, 'market_cap_usd', s.market_cap_usd,
                             'volume_24h_usd', s.volume_24h_usd,
                             'observed_at', to_char(s.observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             'updated_at', to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                             'run_id', s.run_id) ORDER BY s.source) AS latest
                  FROM asset_sources s WHERE %s GROUP BY s.asset_id) g
            JOIN assets a ON a.id = g.asset_id
            -- the consensus is the price of the item, so the median has one definition (OFFSET 0 keeps the
            -- subquery from being folded into its two uses, which would render the item twice)
            CROSS JOIN LATERAL (SELECT asset_item(a.canonical_symbol, a.name, g.latest, :threshold) AS item
                                OFFSET 0) i
            ON CONFLICT (asset_id) DO UPDATE SET name = EXCLUDED.name,
                consensus_price_usd = EXCLUDED.consensus_price_usd, source_count = EXCLUDED.source_count,
                sources = EXCLUDED.sources, latest = EXCLUDED.latest, item = EXCLUDED.item,
                item_threshold = EXCLUDED.item_threshold, updated_at = EXCLUDED.updated_at
            WHERE (asset_summaries.name, asset_summaries.latest, asset_summaries.item_threshold)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.latest, EXCLUDED.item_threshold)""";

    private AssetSummaries() {
    }

    /**
     * The end of a statement that notes the summaries of the assets a data-modifying {@code WITH changed AS (…
     * RETURNING asset_id)} before it returned as behind.
     */
    static final String MARK_PENDING_CHANGED = """
            INSERT INTO asset_summaries_pending (asset_id) SELECT DISTINCT asset_id FROM changed
            ON CONFLICT (asset_id) DO NOTHING""";

    /** Notes, in the caller's transaction, that the summaries of {@code assetIds} are behind. */
    static void markPending(Handle handle, List<Long> assetIds) {
        if (assetIds.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                INSERT INTO asset_summaries_pending (asset_id) SELECT DISTINCT unnest(CAST(:ids AS bigint[]))
                ON CONFLICT (asset_id) DO NOTHING""").bind("ids", assetIds.toArray(Long[]::new)).execute();
    }

    /**
     * Refreshes, in the caller's transaction, the pending summaries no other transaction is refreshing, and takes
     * them off the pending list; returns how many were pending.
     *
     * @param divergenceThreshold the threshold their rendered items flag divergent sources with
     */
    public static int refreshPending(Handle handle, BigDecimal divergenceThreshold) {
        List<Long> ids = handle.createQuery("""
                DELETE FROM asset_summaries_pending WHERE asset_id IN (
                    SELECT asset_id FROM asset_summaries_pending ORDER BY asset_id FOR UPDATE SKIP LOCKED)
                RETURNING asset_id""").mapTo(Long.class).list();
        refresh(handle, ids, divergenceThreshold);
        return ids.size();
    }

    /**
     * Recomputes the summaries of {@code assetIds}, dropping those left without a source.
     *
     * @param divergenceThreshold the threshold their rendered items flag divergent sources with
     */
    static void refresh(Handle handle, List<Long> assetIds, BigDecimal divergenceThreshold) {
        if (assetIds.isEmpty()) {
            return;
        }
        Long[] ids = assetIds.toArray(Long[]::new);
        int changed = handle.createUpdate(REFRESH.formatted("s.asset_id = ANY(:ids)")).bind("ids", ids)
                .bind("threshold", divergenceThreshold).execute();
        changed += handle.createUpdate("""
                DELETE FROM asset_summaries m WHERE m.asset_id = ANY(:ids)
                  AND NOT EXISTS (SELECT 1 FROM asset_sources s WHERE s.asset_id = m.asset_id)""")
                .bind("ids", ids).execute();
        notifyChanged(handle, changed);
    }

    /** Recomputes every summary (after {@code reprocess} rebuilt a source's rows), pending ones included. */
    public static void refreshAll(Handle handle, BigDecimal divergenceThreshold) {
        handle.execute("DELETE FROM asset_summaries_pending");
        int changed = handle.createUpdate(REFRESH.formatted("true")).bind("threshold", divergenceThreshold).execute();
        changed += handle.execute("DELETE FROM asset_summaries m WHERE NOT EXISTS "
                + "(SELECT 1 FROM asset_sources s WHERE s.asset_id = m.asset_id)");
        notifyChanged(handle, changed);
    }

    private static void notifyChanged(Handle handle, int changed) {
        if (changed > 0) {
            handle.createQuery("SELECT pg_notify(:channel, :changed)").bind("channel", CHANGED_CHANNEL)
                    .bind("changed", Integer.toString(changed)).mapToMap().one();
        }
    }
}

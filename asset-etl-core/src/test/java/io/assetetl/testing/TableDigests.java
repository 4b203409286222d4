package io.assetetl.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Content digests of the tables a run writes, leaving out what differs between equal runs by nature (run ids,
 * surrogate keys, wall-clock stamps). Two databases with equal digests hold the same data.
 */
public final class TableDigests {

    private static final Map<String, String> QUERIES = new LinkedHashMap<>();

    static {
        QUERIES.put("assets", "SELECT canonical_symbol, name FROM assets ORDER BY canonical_symbol");
        QUERIES.put("asset_sources", """
                SELECT a.canonical_symbol, s.source, s.source_key, s.source_symbol, s.name, s.price_usd,
                       s.market_cap_usd, s.volume_24h_usd, s.observed_at, s.raw
                FROM asset_sources s JOIN assets a ON a.id = s.asset_id ORDER BY s.source, s.source_key""");
        QUERIES.put("asset_quotes", """
                SELECT a.canonical_symbol, q.source, q.observed_at, q.price_usd, q.market_cap_usd, q.volume_24h_usd
                FROM asset_quotes q JOIN assets a ON a.id = q.asset_id
                ORDER BY a.canonical_symbol, q.source, q.observed_at""");
        QUERIES.put("asset_summaries", """
                SELECT canonical_symbol, name, consensus_price_usd, source_count, sources,
                       (SELECT jsonb_agg(e - 'run_id' - 'updated_at') FROM jsonb_array_elements(latest) e)
                FROM asset_summaries ORDER BY canonical_symbol""");
        QUERIES.put("raw_csv_assets", """
                SELECT source, file_sha256, line_no, payload FROM raw_csv_assets
                ORDER BY source, file_sha256, line_no""");
        QUERIES.put("raw_csv_files", """
                SELECT source, file_sha256, file_time FROM raw_csv_files ORDER BY source, file_no""");
        QUERIES.put("raw_coingecko", """
                SELECT source, record_key, page, item_index, payload FROM raw_coingecko ORDER BY source, record_key""");
        QUERIES.put("raw_records", "SELECT source, record_key, payload FROM raw_records ORDER BY source, record_key");
        QUERIES.put("etl_rejects", """
                SELECT source, position, reason, detail, raw FROM etl_rejects
                ORDER BY source, position, reason, detail""");
    }

    private TableDigests() {
    }

    /** Table name → digest of its content, and {@code <table>#rows} → its row count. */
    public static Map<String, String> of(TestDatabase db) {
        Map<String, String> digests = new LinkedHashMap<>();
        QUERIES.forEach((table, query) -> {
            digests.put(table, db.digest(query));
            digests.put(table + "#rows", Long.toString(db.count(table)));
        });
        return digests;
    }

    /**
     * The canonical tables' rows whole, with their run ids, update times and surrogate keys: what a run that
     * changed nothing leaves as it was.
     */
    public static String canonicalRowsWhole(TestDatabase db) {
        return db.digest("SELECT * FROM asset_quotes ORDER BY asset_id, source, observed_at")
                + db.digest("SELECT * FROM asset_sources ORDER BY source, source_key")
                + db.digest("SELECT * FROM asset_summaries ORDER BY asset_id");
    }

    /** The canonical tables only (what {@code reprocess} rebuilds). */
    public static Map<String, String> canonical(TestDatabase db) {
        Map<String, String> all = of(db);
        all.keySet().removeIf(k -> !k.startsWith("asset"));
        return all;
    }
}

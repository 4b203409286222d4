package io.assetetl.store.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rebuild of one source's canonical rows by {@code reprocess}, inside the replay's one transaction: it leaves
 * what a fresh ingest of the source's raw records would leave, rows the raw records no longer give removed, but
 * changes only the rows whose values differ from the stored ones, as an upsert writes only distinct values. A
 * reprocess of an unchanged source therefore leaves every row as it was, its {@code run_id} (lineage) and update
 * time included, and loads no record.
 *
 * <p>The latest values ({@code asset_sources}, one small row per source key) are rebuilt in place: {@link #start}
 * moves the stored ones into a temporary table, the replay writes them again as an ingest would (its identity rules
 * read them as it goes), and {@link #finish} puts back, whole, each stored row whose rebuilt one has the same values.
 * The price history ({@code asset_quotes}, a row per record) is not written at all where it is unchanged: the replay
 * appends each page's rows to a temporary log instead ({@link ChunkWriter#replay}), and {@link #finish} compares the
 * log's last row of each key with the stored one in one join, then deletes the rows the raw records no longer give
 * and writes the new and changed ones, under the reprocess's run id. Deleting and copying the whole history again
 * cost a reprocess of 1M unchanged rows 1M dead and 1M new row versions, their index entries and their WAL; the
 * log and the join cost less than the copy alone.
 *
 * <p>A replayed record is rejected as in an ingest; a valid one is loaded when it gives a price history row that is
 * new or has other values than the stored one, or, its row being as stored, when it is its key's latest record and
 * the latest values it gives are new or other than the stored ones; every other valid record is unchanged. A record
 * whose row a later record of the replay gives (same asset and time) has no effect of its own on the rebuilt tables
 * and is unchanged, as is every record of a row that comes out as stored. So {@code loaded} counts the rows written,
 * and {@code processed = loaded + unchanged + rejected} holds as for any run. Not thread-safe; one per reprocess.
 */
public final class CanonicalRebuild {

    private static final Logger LOG = LoggerFactory.getLogger(CanonicalRebuild.class);

    /** The price history rows each page of the replay gives, one per asset and time in a page. */
    private static final String LOG_DDL = """
            CREATE TEMP TABLE etl_replay_quotes (
                page           bigint      NOT NULL,
                asset_id       bigint      NOT NULL,
                observed_at    timestamptz NOT NULL,
                price_usd      numeric     NOT NULL,
                market_cap_usd numeric,
                volume_24h_usd numeric
            ) ON COMMIT DROP""";

    /** {@link ChunkWriter}'s binary {@code COPY} of a page's price history into the log. */
    static final String COPY_LOGGED_QUOTES = "COPY etl_replay_quotes (page, asset_id, observed_at, price_usd,"
            + " market_cap_usd, volume_24h_usd) FROM STDIN (FORMAT binary)";

    /** A staged page's price history into the log: each asset and time once, the page's last record of it. */
    static final String LOG_STAGED_QUOTES = """
            INSERT INTO etl_replay_quotes (page, asset_id, observed_at, price_usd, market_cap_usd, volume_24h_usd)
            SELECT DISTINCT ON (a.id, s.observed_at) :page, a.id, s.observed_at, s.price, s.mcap, s.vol
            FROM etl_stage s JOIN assets a ON a.canonical_symbol = s.canonical_symbol
            WHERE s.kind = 'o'
            ORDER BY a.id, s.observed_at, s.ord DESC""";

    /**
     * The price history rows the rebuild differs from the stored ones in: those the log gives ({@code rebuilt}, from
     * {@link #LAST_OF_EACH_KEY} or {@link #EACH_KEY_ONCE}) that are not stored or are stored with other values, and
     * those stored that it does not give ({@code stored} alone).
     */
    private static final String QUOTE_CHANGES = """
            CREATE TEMP TABLE etl_quote_changes ON COMMIT DROP AS
            WITH rebuilt AS (%s),
            stored AS (
                SELECT asset_id, observed_at, price_usd, market_cap_usd, volume_24h_usd FROM asset_quotes
                WHERE source = :source)
            SELECT coalesce(r.asset_id, s.asset_id) AS asset_id, coalesce(r.observed_at, s.observed_at) AS observed_at,
                   s.asset_id IS NOT NULL AS stored, r.asset_id IS NOT NULL AS rebuilt,
                   r.price_usd, r.market_cap_usd, r.volume_24h_usd
            FROM rebuilt r FULL JOIN stored s ON s.asset_id = r.asset_id AND s.observed_at = r.observed_at
            WHERE r.asset_id IS NULL OR s.asset_id IS NULL
               OR (r.price_usd, r.market_cap_usd, r.volume_24h_usd)
                  IS DISTINCT FROM (s.price_usd, s.market_cap_usd, s.volume_24h_usd)""";

    /** The log's rows of a key given by more than one page: the last page's, as a later chunk's upsert wins. */
    private static final String LAST_OF_EACH_KEY = """
            SELECT DISTINCT ON (asset_id, observed_at) asset_id, observed_at, price_usd, market_cap_usd, volume_24h_usd
            FROM etl_replay_quotes ORDER BY asset_id, observed_at, page DESC""";

    /** The log's rows when each key is in one page, as in a file read in time order: no sort of them all. */
    private static final String EACH_KEY_ONCE = """
            SELECT asset_id, observed_at, price_usd, market_cap_usd, volume_24h_usd FROM etl_replay_quotes""";

    /**
     * Puts back each stored latest value whose rebuilt row has the same values (every column the writer's upsert
     * compares), whole: its id, run id and update time with it. The rebuilt row goes first, so that the stored one
     * takes its keys again.
     */
    private static final String RESTORE_SAME_LATEST = """
            WITH same AS (
                DELETE FROM asset_sources x USING etl_prior_sources p
                WHERE x.source = :source AND p.source_key = x.source_key
                  AND (x.asset_id, x.source_symbol, x.name, x.price_usd, x.market_cap_usd, x.volume_24h_usd,
                       x.observed_at, x.raw)
                      IS NOT DISTINCT FROM (p.asset_id, p.source_symbol, p.name, p.price_usd, p.market_cap_usd,
                       p.volume_24h_usd, p.observed_at, p.raw)
                RETURNING p.id)
            INSERT INTO asset_sources SELECT p.* FROM etl_prior_sources p JOIN same USING (id)""";

    private final String source;
    private long pages;
    /**
     * Per canonical symbol, the latest time of its rows in the log, while no key is known to be in two pages; a
     * page whose every symbol starts after its latest time adds no key a page before it gave.
     */
    private final Map<String, Instant> loggedUpTo = new HashMap<>();
    /** Whether a key may be in more than one page of the log. */
    private boolean keysRepeat;
    /** Whether a page of the log gave rows of keys not noted in {@link #loggedUpTo}. */
    private boolean untracked;

    private CanonicalRebuild(String source) {
        this.source = source;
    }

    /**
     * Starts the rebuild of {@code source}'s canonical rows in the current transaction of {@code handle}: notes which
     * of its ids owns each symbol ({@link ChunkWriter#rememberOwners}), moves its latest values aside and opens the
     * price history's log. Replay every raw record of the source through {@link ChunkWriter#replay}, then call
     * {@link #finish} in the same transaction.
     */
    public static CanonicalRebuild start(Handle handle, String source, ChunkWriter writer) {
        writer.rememberOwners(handle, source);
        handle.createUpdate("""
                CREATE TEMP TABLE etl_prior_sources ON COMMIT DROP AS
                WITH moved AS (DELETE FROM asset_sources WHERE source = :source RETURNING *) SELECT * FROM moved""")
                .bind("source", source).execute();
        handle.execute(LOG_DDL);
        return new CanonicalRebuild(source);
    }

    /**
     * The number of the next page written to the log, whose rows may be of any key: a key's row of a later page
     * replaces an earlier one's.
     */
    long nextPage() {
        keysRepeat |= pages > 0;
        untracked = true;
        loggedUpTo.clear();
        return ++pages;
    }

    /**
     * The number of the next page written to the log, whose rows are those of {@code symbols} (each one asset), the
     * symbol {@code g}'s from {@code firsts[g]} to {@code lasts[g]}.
     */
    long nextPage(String[] symbols, Instant[] firsts, Instant[] lasts) {
        keysRepeat |= untracked;
        for (int g = 0; g < symbols.length && !keysRepeat; g++) {
            Instant before = loggedUpTo.get(symbols[g]);
            keysRepeat = before != null && !firsts[g].isAfter(before);
            loggedUpTo.merge(symbols[g], lasts[g], (a, b) -> a.isAfter(b) ? a : b);
        }
        if (keysRepeat) {
            loggedUpTo.clear();
        }
        return ++pages;
    }

    /**
     * Writes the rebuilt rows that differ from the stored ones, removes those the raw records no longer give, and
     * moves the records that changed a canonical row from the run's unchanged records to its loaded ones, in the
     * current transaction of {@code handle}.
     *
     * @return how many of the replayed records changed a canonical row
     * @throws IllegalStateException when that is more than the run's records that were not rejected
     */
    public long finish(Handle handle, UUID runId) {
        // autovacuum does not analyze temporary tables: the join, and the statements that use its result, are then
        // planned on the rows and distinct keys measured rather than guessed (a handful of changes is probed
        // through the price history's key, a million hashed)
        handle.execute("ANALYZE etl_replay_quotes");
        handle.createUpdate(QUOTE_CHANGES.formatted(keysRepeat ? LAST_OF_EACH_KEY : EACH_KEY_ONCE))
                .bind("source", source).execute();
        handle.execute("ANALYZE etl_quote_changes");
        handle.createUpdate("""
                DELETE FROM asset_quotes q USING etl_quote_changes c
                WHERE c.stored AND q.asset_id = c.asset_id AND q.source = :source AND q.observed_at = c.observed_at""")
                .bind("source", source).execute();
        long quotesWritten = handle.createUpdate("""
                INSERT INTO asset_quotes (asset_id, source, observed_at, price_usd, market_cap_usd, volume_24h_usd,
                    run_id)
                SELECT asset_id, :source, observed_at, price_usd, market_cap_usd, volume_24h_usd, :run
                FROM etl_quote_changes WHERE rebuilt ORDER BY asset_id, observed_at""")
                .bind("source", source).bind("run", runId).execute();
        long quotesRemoved = handle.createQuery("SELECT count(*) FROM etl_quote_changes WHERE NOT rebuilt")
                .mapTo(Long.class).one();
        handle.createUpdate(RESTORE_SAME_LATEST).bind("source", source).execute();
        // the latest values written, and among them those whose price history row is as stored: the record of such
        // a row loaded its latest value alone
        long[] latest = handle.createQuery("""
                SELECT count(*),
                       count(*) FILTER (WHERE NOT EXISTS (SELECT FROM asset_quotes q
                                                          WHERE q.asset_id = x.asset_id AND q.source = :source
                                                            AND q.observed_at = x.observed_at AND q.run_id = :run)),
                       (SELECT count(*) FROM etl_prior_sources p
                        WHERE NOT EXISTS (SELECT FROM asset_sources y
                                          WHERE y.source = :source AND y.source_key = p.source_key))
                FROM asset_sources x WHERE x.source = :source AND x.run_id = :run""")
                .bind("source", source).bind("run", runId)
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}).one();
        long loaded = quotesWritten + latest[1];
        int counted = handle.createUpdate("""
                UPDATE etl_runs SET records_loaded = records_loaded + :loaded,
                    records_unchanged = records_unchanged - :loaded
                WHERE run_id = :run AND records_unchanged >= :loaded""")
                .bind("loaded", loaded).bind("run", runId).execute();
        if (counted != 1) {
            throw new IllegalStateException("reprocess of " + source + " counted " + loaded + " records as loaded,"
                    + " more than its records that were not rejected");
        }
        LOG.info("reprocess of {}: {} price history rows written and {} removed, {} latest values written and {}"
                + " removed; {} records loaded", source, quotesWritten, quotesRemoved, latest[0], latest[2], loaded);
        return loaded;
    }
}

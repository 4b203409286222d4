package io.assetetl.store.internal;

import io.assetetl.store.StoreException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What the writer of one run has learnt from the database and from the run's own chunks, so that the run's later
 * chunks need not ask again: each asset's id and whether it has a name, the latest time of each asset's price
 * history for the run's source, and the number of the file the last chunk's lines came from. A file read in time
 * order then has its later chunks' history copied straight without probing the stored history once more.
 *
 * <p>One instance belongs to one run, as what it knows holds only while that run holds its source's lock: then
 * nothing else writes the source's quotes or raw lines, and assets are never deleted. What it knows of the latest
 * quote times is an upper bound, so quotes deleted meanwhile only make it cautious. A run whose chunk fails ends,
 * so what was learnt from a chunk that was rolled back is never used. Not thread-safe: the run's writing thread
 * alone uses it.
 */
public final class RunCache {

    /**
     * Each symbol's latest stored quote of the source, read with one probe of the price history's key (the newest
     * entry of the asset and source); no time when there is none.
     */
    static final String LATEST_QUOTES = """
            SELECT c.symbol, a.id, q.observed_at
            FROM unnest(CAST(:symbols AS text[])) AS c (symbol)
            LEFT JOIN assets a ON a.canonical_symbol = c.symbol
            LEFT JOIN LATERAL (SELECT q.observed_at FROM asset_quotes q
                               WHERE q.asset_id = a.id AND q.source = :source
                               ORDER BY q.observed_at DESC LIMIT 1) AS q ON true""";

    /** Stands for "no quote stored": every time is after it. */
    private static final Instant NONE = Instant.MIN;

    /** Per canonical symbol: no quote of the run's source later than this is stored. */
    private final Map<String, Instant> latestQuote = new HashMap<>();
    private final Map<String, Long> assetIds = new HashMap<>();
    /** Symbols whose asset has a name: a name once given is kept. */
    private final Set<String> named = new HashSet<>();
    /** The file (content and time) the last chunk of file lines ended in, and its number; null before the first. */
    private RawFile lastFile;
    private long lastFileNumber;

    /**
     * Whether each symbol's first time in the chunk is after every quote of {@code source} stored for it, as far as
     * this run knows; symbols it meets for the first time are looked up, all in one query. False says nothing:
     * the caller then asks the database whether the chunk's times hold stored quotes.
     */
    boolean allAfterStoredQuotes(Handle handle, String source, String[] symbols, Instant[] firsts) {
        String[] unknown = notIn(latestQuote, symbols);
        if (unknown.length > 0) {
            handle.createQuery(LATEST_QUOTES).bind("symbols", unknown).bind("source", source)
                    .map((rs, ctx) -> {
                        String symbol = rs.getString(1);
                        long id = rs.getLong(2);
                        if (!rs.wasNull()) {
                            assetIds.put(symbol, id);
                        }
                        OffsetDateTime latest = rs.getObject(3, OffsetDateTime.class);
                        return latestQuote.put(symbol, latest == null ? NONE : latest.toInstant());
                    }).list();
        }
        for (int g = 0; g < symbols.length; g++) {
            if (!firsts[g].isAfter(latestQuote.get(symbols[g]))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Notes that the chunk wrote quotes of the symbols up to their last times. A symbol not looked up yet stays
     * unknown: its last time here says nothing of the quotes stored before the run.
     */
    void wroteQuotes(String[] symbols, Instant[] lasts) {
        for (int g = 0; g < symbols.length; g++) {
            Instant last = lasts[g];
            latestQuote.computeIfPresent(symbols[g], (symbol, known) -> last.isAfter(known) ? last : known);
        }
    }

    /** Forgets the latest quote times: a chunk wrote quotes whose symbols and times were not noted. */
    void forgetQuoteTimes() {
        latestQuote.clear();
    }

    /**
     * The asset id of each symbol, in order; those this run has not met yet are looked up, all in one query.
     *
     * @throws StoreException when a symbol has no asset (the chunk's assets are written before its quotes)
     */
    long[] assetIds(Handle handle, String[] symbols) {
        String[] unknown = notIn(assetIds, symbols);
        if (unknown.length > 0) {
            handle.createQuery("SELECT a.canonical_symbol, a.id FROM unnest(CAST(:symbols AS text[])) AS c (symbol)"
                            + " JOIN assets a ON a.canonical_symbol = c.symbol")
                    .bind("symbols", unknown)
                    .map((rs, ctx) -> assetIds.put(rs.getString(1), rs.getLong(2))).list();
        }
        long[] ids = new long[symbols.length];
        for (int g = 0; g < symbols.length; g++) {
            Long id = assetIds.get(symbols[g]);
            if (id == null) {
                throw new StoreException("no asset " + symbols[g] + " to write its price history under", null);
            }
            ids[g] = id;
        }
        return ids;
    }

    /** Whether each of {@code symbols} has an asset with a name, as far as this run knows. */
    boolean allNamed(Set<String> symbols) {
        return named.containsAll(symbols);
    }

    /** Notes that the asset of {@code symbol} has a name. */
    void named(String symbol) {
        named.add(symbol);
    }

    /** The symbols {@code known} has no entry for: those the run has not looked up yet. */
    private static String[] notIn(Map<String, ?> known, String[] symbols) {
        List<String> unknown = new ArrayList<>();
        for (String symbol : symbols) {
            if (!known.containsKey(symbol)) {
                unknown.add(symbol);
            }
        }
        return unknown.toArray(String[]::new);
    }

    /**
     * The number of {@code file} when the last chunk of file lines ended in that file, the same content with the
     * same time: a chunk of that file alone then needs no new read of it noted, as no other file of the source was
     * read since. The same content with another time is another file, noted as read like any other.
     */
    Long numberOfLastFile(RawFile file) {
        return file.equals(lastFile) ? lastFileNumber : null;
    }

    /** Notes the file a chunk of file lines ended in. */
    void endedInFile(RawFile file, long number) {
        lastFile = file;
        lastFileNumber = number;
    }
}

package io.assetetl.store.internal;

import io.assetetl.model.RawRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Reads a source's stored raw records back page by page, from each raw table in turn: what {@code reprocess}
 * replays. File lines come file by file in the order the source last read each file ({@code raw_csv_files.last_read}:
 * a file read again after another wrote its values last; the same content sent again with another time is another
 * file, read when it was sent), each file's lines in line order, with the time their file gave them; then API items
 * and keyed records together, in the order the source last read each one ({@code last_read}, numbered from one
 * sequence for both tables: an item read again unchanged, stored once, loaded its values again over those read
 * since, and a source that gives both kinds loaded each over the other's read before it; a row stored before the
 * tables had numbers, and not read since, comes by its table's id, which tells the order within its table alone).
 * A page holds at most a given number of records and, but for its first record, a given number of bytes of payload,
 * so that wide records make more pages rather than a larger heap. Not thread-safe; one instance per replay.
 */
public final class RawReplay {

    /** One page of a file's stored lines, in line order. */
    static final String FILE_LINES_PAGE = withinBytes("line_no", """
            SELECT line_no, payload::text AS p FROM raw_csv_assets
            WHERE file_no = :file AND line_no > :after
            ORDER BY line_no LIMIT :limit""");

    /**
     * The order API items and keyed records are replayed in, which their tables' {@code *_read_order} indexes serve:
     * their last reading's number, or, for a row stored before the tables had one and not read since, its id, which
     * every such number is greater than.
     */
    private static final String READ_ORDER = "coalesce(last_read, id)";

    /**
     * One page of the API items and keyed records, merged in read order: the two tables' rows are numbered from one
     * sequence. Rows stored before they had numbers have their own table's id, which the other table's rows may have
     * too: the table's letter ({@code x}) breaks the tie, and each table's rows continue after their own bound.
     */
    static final String ITEMS_PAGE = withinBytes("r, x", """
            (SELECT %1$s AS r, 'a' AS x, record_key AS k, page AS n, item_index AS i, fetched_at AS t,
                    payload::text AS p
             FROM raw_coingecko WHERE source = :source AND %1$s > :afterApi AND %1$s < :before
             ORDER BY %1$s LIMIT :limit)
            UNION ALL
            (SELECT %1$s, 'k', record_key, 0, 0, NULL::timestamptz, payload::text
             FROM raw_records WHERE source = :source AND %1$s > :afterKeyed AND %1$s < :before
             ORDER BY %1$s LIMIT :limit)
            ORDER BY r, x LIMIT :limit""".formatted(READ_ORDER));

    /**
     * The item numbers from which a symbol of the source has another owner than before
     * ({@code symbol_owner_decisions}; a symbol's first owner is none of them), in order: a page of items ends before
     * each, so that no page holds two owners of one symbol. One would move the source's latest values of both to the
     * symbol's asset, which holds one source key of a source.
     */
    private static final String OWNER_CHANGES = """
            SELECT DISTINCT d.from_read FROM symbol_owner_decisions d
            WHERE d.source = :source
              AND EXISTS (SELECT FROM symbol_owner_decisions e
                          WHERE e.source = d.source AND e.canonical_symbol = d.canonical_symbol
                            AND e.from_read < d.from_read)
            ORDER BY 1""";

    private enum Table { FILE_LINES, ITEMS, DONE }

    private final String source;
    private final int pageSize;
    private final int pageBytes;
    /**
     * Records the next page reads at most. After a page cut short (by its bytes, or at the end of a file) the next
     * reads twice as many records as that page held, after a full one twice its limit, up to {@link #pageSize}:
     * of wide records, the database converts about twice as many payloads to text as a page sends, not up to
     * {@link #pageSize} for each page.
     */
    private int limit;
    private Table table = Table.FILE_LINES;
    private List<StoredFile> files;
    private int file;
    /** The key the next page starts after: a file's line number, or the number of the last item, API or keyed. */
    private long after;
    /** The number the next page's keyed records start after. */
    private long afterKeyed;
    /** {@link #OWNER_CHANGES}, read with the first page of items. */
    private long[] ownerChanges;
    /** The index in {@link #ownerChanges} of the number the next page of items ends before. */
    private int ownerChange;
    /** Whether the last page of items ended before an owner change with room for more records. */
    private boolean endedAtOwnerChange;
    /** Each record's number in the last page ({@link #reads()}). */
    private long[] reads = new long[0];

    /**
     * @param pageSize  records per page, at most
     * @param pageBytes bytes of payload text per page, at most, but for a page's first record
     */
    public RawReplay(String source, int pageSize, int pageBytes) {
        this.source = source;
        this.pageSize = pageSize;
        this.pageBytes = pageBytes;
        this.limit = pageSize;
    }

    /**
     * {@code query}'s rows (a page in {@code key} order, its payload text as {@code p}, at most {@code :limit})
     * up to the one that brings the payloads to {@code :bytes}.
     */
    private static String withinBytes(String key, String query) {
        return "SELECT * FROM (SELECT page.*, sum(octet_length(p)) OVER (ORDER BY " + key + ") - octet_length(p)"
                + " AS bytes_before FROM (" + query + ") AS page) AS sized WHERE bytes_before < :bytes ORDER BY "
                + key;
    }

    /**
     * Refreshes the planner's statistics of the raw tables; call it outside the replay's transaction. A replay reads
     * them a page at a time in key order: without statistics (a table just loaded that autovacuum has not analyzed
     * yet) the planner sorts all of a file's remaining lines for every page, 0.7 s a page of 50,000 out of 1M lines,
     * where the key's index gives each page in 0.06 s. {@code ANALYZE} samples a fixed number of rows, 0.3 s for 1M
     * lines; a table the user does not own is skipped with a warning.
     */
    public static void refreshStatistics(Handle handle) {
        handle.execute("ANALYZE raw_csv_assets, raw_coingecko, raw_records");
    }

    /** The next page of raw records; empty when all tables are read. */
    public List<RawRecord> next(Handle handle) {
        while (table != Table.DONE) {
            List<Row> rows = table == Table.FILE_LINES ? readFileLines(handle) : readItems(handle);
            if (!rows.isEmpty()) {
                Row last = rows.get(rows.size() - 1);
                after = last.after();
                // the items come by number, then API item before keyed record: a keyed record with the number of
                // the API item a page ends with (both stored before the tables had numbers) is still to come
                afterKeyed = last.raw() instanceof RawRecord.ApiItem ? last.after() - 1 : last.after();
                if (!endedAtOwnerChange) {
                    limit = (int) Math.min(pageSize, 2L * (rows.size() < limit ? rows.size() : limit));
                }
                reads = table == Table.ITEMS ? rows.stream().mapToLong(Row::after).toArray() : new long[rows.size()];
                return rows.stream().map(Row::raw).toList();
            }
            table = Table.values()[table.ordinal() + 1];
            after = 0;
            afterKeyed = 0;
        }
        return List.of();
    }

    /**
     * The number of each API item and keyed record of the page {@link #next} returned last, in its order: the number
     * of its last reading ({@code coalesce(last_read, id)}); 0 for a file line.
     */
    public long[] reads() {
        return reads.clone();
    }

    /** A raw record and the key the next page starts after: its line number, or its last reading's number. */
    private record Row(long after, RawRecord raw) {
    }

    /** The next page of the current file's lines, moving on to the next file when one is read to its end. */
    private List<Row> readFileLines(Handle handle) {
        if (files == null) {
            files = handle.createQuery("""
                    SELECT file_no, file_sha256, file_time FROM raw_csv_files WHERE source = :source
                    ORDER BY last_read, file_no""")
                    .bind("source", source).map((rs, ctx) -> {
                        OffsetDateTime time = rs.getObject(3, OffsetDateTime.class);
                        return new StoredFile(rs.getLong(1), rs.getString(2), time == null ? null : time.toInstant());
                    }).list();
        }
        for (; file < files.size(); file++, after = 0) {
            StoredFile stored = files.get(file);
            List<Row> rows = handle.createQuery(FILE_LINES_PAGE)
                    .bind("file", stored.number()).bind("after", after).bind("limit", limit)
                    .bind("bytes", pageBytes)
                    .map((rs, ctx) -> new Row(rs.getLong("line_no"),
                            new RawRecord.FileLine(stored.sha256(), stored.time(), rs.getLong("line_no"),
                                    rs.getString("p"))))
                    .list();
            if (!rows.isEmpty()) {
                return rows;
            }
        }
        return List.of();
    }

    /** A file the source has read: its number in {@code raw_csv_files}, its hash and its time, if it has one. */
    private record StoredFile(long number, String sha256, Instant time) {
    }

    /**
     * The next page of the API items and keyed records, in the order they were last read, ending before the next
     * number from which a symbol has another owner ({@link #OWNER_CHANGES}).
     */
    private List<Row> readItems(Handle handle) {
        if (ownerChanges == null) {
            ownerChanges = handle.createQuery(OWNER_CHANGES).bind("source", source).mapTo(Long.class).stream()
                    .mapToLong(Long::longValue).toArray();
        }
        while (ownerChange < ownerChanges.length && ownerChanges[ownerChange] <= after) {
            ownerChange++;
        }
        List<Row> rows = readItemsBefore(handle, nextOwnerChange());
        // none before that number: the next page starts with it
        while (rows.isEmpty() && ownerChange < ownerChanges.length) {
            ownerChange++;
            rows = readItemsBefore(handle, nextOwnerChange());
        }
        // a page cut short there says nothing of how wide the records are (the limit)
        endedAtOwnerChange = ownerChange < ownerChanges.length && rows.size() < limit;
        return rows;
    }

    /** The number the next page of items ends before: the next owner change, if any is left. */
    private long nextOwnerChange() {
        return ownerChange < ownerChanges.length ? ownerChanges[ownerChange] : Long.MAX_VALUE;
    }

    private List<Row> readItemsBefore(Handle handle, long before) {
        return handle.createQuery(ITEMS_PAGE)
                .bind("source", source).bind("afterApi", after).bind("afterKeyed", afterKeyed).bind("limit", limit)
                .bind("before", before).bind("bytes", pageBytes)
                .map((rs, ctx) -> {
                    String key = rs.getString("k");
                    String payload = rs.getString("p");
                    RawRecord raw = rs.getString("x").equals("a")
                            ? new RawRecord.ApiItem(key, rs.getInt("n"), rs.getInt("i"),
                                    rs.getTimestamp("t").toInstant(), payload)
                            : new RawRecord.Keyed(key, payload);
                    return new Row(rs.getLong("r"), raw);
                })
                .list();
    }
}

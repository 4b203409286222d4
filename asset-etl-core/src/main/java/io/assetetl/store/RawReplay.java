package io.assetetl.store;

import io.assetetl.model.RawRecord;
import java.sql.Timestamp;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Reads a source's stored raw records back in the order they were stored, page by page, from each raw table in
 * turn: what {@code reprocess} replays. Not thread-safe; one instance per replay.
 */
public final class RawReplay {

    private enum Table { FILE_LINES, API_ITEMS, KEYED, DONE }

    private final String source;
    private final int pageSize;
    private Table table = Table.FILE_LINES;
    private long afterId;

    public RawReplay(String source, int pageSize) {
        this.source = source;
        this.pageSize = pageSize;
    }

    /** Deletes the source's canonical rows (latest values and price history) before they are rebuilt. */
    public void clearCanonical(Handle handle) {
        handle.createUpdate("DELETE FROM asset_quotes WHERE source = :source").bind("source", source).execute();
        handle.createUpdate("DELETE FROM asset_sources WHERE source = :source").bind("source", source).execute();
    }

    /** The next page of raw records; empty when all tables are read. */
    public List<RawRecord> next(Handle handle) {
        while (table != Table.DONE) {
            List<Row> rows = read(handle);
            if (!rows.isEmpty()) {
                afterId = rows.get(rows.size() - 1).id();
                return rows.stream().map(Row::raw).toList();
            }
            table = Table.values()[table.ordinal() + 1];
            afterId = 0;
        }
        return List.of();
    }

    private record Row(long id, RawRecord raw) {
    }

    private List<Row> read(Handle handle) {
        String sql = switch (table) {
            case FILE_LINES -> "SELECT id, file_sha256 AS k, line_no AS n, 0 AS i, NULL::timestamptz AS t,"
                    + " payload::text AS p FROM raw_csv_assets";
            case API_ITEMS -> "SELECT id, record_key AS k, page AS n, item_index AS i, fetched_at AS t,"
                    + " payload::text AS p FROM raw_coingecko";
            case KEYED -> "SELECT id, record_key AS k, 0 AS n, 0 AS i, NULL::timestamptz AS t,"
                    + " payload::text AS p FROM raw_records";
            case DONE -> throw new IllegalStateException("replay is over");
        };
        Table current = table;
        return handle.createQuery(sql + " WHERE source = :source AND id > :after ORDER BY id LIMIT :limit")
                .bind("source", source).bind("after", afterId).bind("limit", pageSize)
                .map((rs, ctx) -> {
                    String key = rs.getString("k");
                    String payload = rs.getString("p");
                    RawRecord raw = switch (current) {
                        case FILE_LINES -> new RawRecord.FileLine(key, rs.getLong("n"), payload);
                        case API_ITEMS -> {
                            Timestamp fetched = rs.getTimestamp("t");
                            yield new RawRecord.ApiItem(key, rs.getInt("n"), rs.getInt("i"), fetched.toInstant(),
                                    payload);
                        }
                        default -> new RawRecord.Keyed(key, payload);
                    };
                    return new Row(rs.getLong("id"), raw);
                })
                .list();
    }
}

package io.assetetl.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One input record exactly as a source delivered it, kept for audit and for {@code reprocess}.
 *
 * <p>The variant decides the raw table the engine writes to: {@link FileLine} rows go to {@code raw_csv_assets},
 * {@link ApiItem} rows to {@code raw_coingecko}, {@link Keyed} rows (third-party adapters) to {@code raw_records}.
 * Each variant carries a natural key, so re-reading the same input adds no raw row. The {@code payload} is a JSON
 * text: for files an object keyed by the file's own headers, for APIs the item as received. A payload holding a
 * number PostgreSQL's {@code numeric} cannot store (more than 131,072 digits before the point or 16,383 after it,
 * such as {@code 1e1000000}) is bad input: the engine rejects its record ({@code invalid_number}), which no raw row
 * can hold, and keeps the payload in the reject, as text under {@code unstorable_payload}. A record key holding a
 * character PostgreSQL's {@code text} cannot (a NUL, half of a surrogate pair) is stored with U+FFFD there and a
 * digest of the key as given after a {@code #}, so that it stays a key of its own; {@code reprocess} hands the
 * record back with the key as stored.
 */
public sealed interface RawRecord permits RawRecord.FileLine, RawRecord.ApiItem, RawRecord.Keyed {

    /**
     * The longest record key, in characters: a key is held by its raw table's unique index, whose entries
     * PostgreSQL limits to about 2,700 bytes (a longer key failed its chunk, run after run, where it is refused now).
     */
    int MAX_KEY_LENGTH = 512;

    private static void requireKey(String recordKey) {
        requireNonNull(recordKey, "recordKey is null");
        if (recordKey.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("record key is " + recordKey.length() + " characters long, longer"
                    + " than " + MAX_KEY_LENGTH + " (a long key, such as a whole line, is to be hashed): '"
                    + recordKey.substring(0, 80) + "…'");
        }
    }

    /** The JSON text of the record as received; never null. */
    String payload();

    /** A short human-readable position of the record in its input ({@code line 12}, {@code page 3 item 7}). */
    String position();

    /**
     * A line of a delimited file.
     *
     * <p>The file's content and its time name the input the line was read from: the engine stores a file's lines
     * once per content and time, so that reading the same content again adds no raw row, while the same content sent
     * again at another time, which dates its lines otherwise, is stored as another file, replayed in the order the
     * files were read.
     *
     * @param fileSha256 SHA-256 (hex) of the file content the line was read from
     * @param fileTime   the time the file gives its lines that carry none of their own (a CSV file without a time
     *                   column: its modification time when it was read), or {@code null} when its lines carry their
     *                   own (stored to the microsecond). The adapter keeps it in the payload too: {@code reprocess}
     *                   interprets a line from its payload alone
     * @param lineNo     1-based physical line number of the record's first line (the header is line 1)
     * @param payload    JSON object keyed by the file's own headers (not checked here, as a file's million lines
     *                   would each be parsed once more: the CSV sources write it themselves; an adapter that
     *                   makes one must give JSON, or the chunk fails where PostgreSQL refuses it). A payload holding
     *                   a number PostgreSQL cannot store, as any record's, is rejected by the engine
     *                   ({@code invalid_number}) and kept in its reject alone
     */
    record FileLine(String fileSha256, Instant fileTime, long lineNo, String payload) implements RawRecord {
        public FileLine {
            requireNonNull(fileSha256, "fileSha256 is null");
            requireNonNull(payload, "payload is null");
            if (lineNo < 1) {
                throw new IllegalArgumentException("lineNo must be positive: " + lineNo);
            }
        }

        /** A line of a file whose lines carry their own time (no {@link #fileTime()}). */
        public FileLine(String fileSha256, long lineNo, String payload) {
            this(fileSha256, null, lineNo, payload);
        }

        @Override
        public String position() {
            return "line " + lineNo;
        }
    }

    /**
     * One item of a paged API response.
     *
     * @param recordKey a key that is equal for equal input (for example {@code id@last_updated}), used to skip
     *                  items already stored. A known key given with another payload is rejected
     *                  ({@code record_key_conflict}), as {@code reprocess} rebuilds from the payload stored first:
     *                  a key that can stay while its item changes (an upstream that changes an item without a new
     *                  {@code last_updated}) is to carry a digest of the item, as the CoinGecko source's does
     * @param page      1-based page number
     * @param index     0-based index of the item on its page
     * @param fetchedAt when the page was received
     * @param payload   the item's JSON as received (refused with an {@code IllegalArgumentException} when it is
     *                  not JSON: the engine stores it as {@code jsonb})
     */
    record ApiItem(String recordKey, int page, int index, Instant fetchedAt, String payload) implements RawRecord {
        public ApiItem {
            requireKey(recordKey);
            requireNonNull(fetchedAt, "fetchedAt is null");
            if (!JsonText.isJson(requireNonNull(payload, "payload is null"))) {
                throw JsonText.notJson("payload of page " + page + " item " + index, payload);
            }
        }

        @Override
        public String position() {
            return "page " + page + " item " + index;
        }
    }

    /**
     * A record of any other adapter.
     *
     * @param recordKey a key that names this one input: equal for equal input, and different for different input
     *                  (a file's lines keyed by line number alone collide when the file is replaced). Re-reading a
     *                  known key adds no raw row; a known key given with another payload fails the run, as
     *                  {@code reprocess} could not rebuild from the stored payload what was loaded from the other
     *                  (at most {@value #MAX_KEY_LENGTH} characters: the raw table's unique index holds it; a longer
     *                  key, such as a whole line, is to be hashed)
     * @param payload   JSON text of the record (refused with an {@code IllegalArgumentException} when it is not
     *                  JSON: the engine stores it as {@code jsonb})
     */
    record Keyed(String recordKey, String payload) implements RawRecord {
        public Keyed {
            requireKey(recordKey);
            if (!JsonText.isJson(requireNonNull(payload, "payload is null"))) {
                throw JsonText.notJson("payload of record " + recordKey, payload);
            }
        }

        @Override
        public String position() {
            return recordKey;
        }
    }
}

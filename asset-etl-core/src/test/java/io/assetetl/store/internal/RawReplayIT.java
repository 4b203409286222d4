package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.RawRecord;
import io.assetetl.testing.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

class RawReplayIT {

    @Test
    void replaysFileByFileInTheOrderTheFilesWereFirstReadThenApiItemsThenKeyedRecordsPageByPage() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (file_no, source, file_sha256, first_run_id) VALUES
                    (1, 'one', 'second-file', gen_random_uuid()), (2, 'other', 'x', gen_random_uuid()),
                    (3, 'one', 'first-file', gen_random_uuid());
                -- the first file read is 'second-file' (file 1): its lines come first, whatever their hashes
                INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id) VALUES
                    ('one', 'first-file', 3, 4, '{"l": "f4"}', gen_random_uuid()),
                    ('one', 'second-file', 1, 3, '{"l": "s3"}', gen_random_uuid()),
                    ('other', 'x', 2, 2, '{"l": "x2"}', gen_random_uuid()),
                    ('one', 'second-file', 1, 2, '{"l": "s2"}', gen_random_uuid()),
                    ('one', 'first-file', 3, 2, '{"l": "f2"}', gen_random_uuid()),
                    ('one', 'second-file', 1, 7, '{"l": "s7"}', gen_random_uuid());
                INSERT INTO raw_coingecko (source, record_key, page, item_index, payload, fetched_at, run_id) VALUES
                    ('one', 'b', 1, 0, '{"i": "b"}', '2026-01-01T00:00:00Z', gen_random_uuid()),
                    ('other', 'c', 1, 0, '{"i": "c"}', '2026-01-01T00:00:00Z', gen_random_uuid()),
                    ('one', 'a', 1, 1, '{"i": "a"}', '2026-01-01T00:00:00Z', gen_random_uuid());
                INSERT INTO raw_records (source, record_key, payload, run_id) VALUES
                    ('one', 'k', '{"k": 1}', gen_random_uuid())"""));
        RawReplay replay = new RawReplay("one", 2, Integer.MAX_VALUE);

        List<List<String>> pages = db.jdbi().withHandle(h -> {
            List<List<String>> read = new ArrayList<>();
            for (List<RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                read.add(page.stream().map(RawReplayIT::describe).toList());
            }
            return read;
        });

        assertThat(pages).containsExactly(
                List.of("second-file line 2 {\"l\": \"s2\"}", "second-file line 3 {\"l\": \"s3\"}"),
                List.of("second-file line 7 {\"l\": \"s7\"}"),
                List.of("first-file line 2 {\"l\": \"f2\"}", "first-file line 4 {\"l\": \"f4\"}"),
                List.of("page 1 item 0 b {\"i\": \"b\"}", "page 1 item 1 a {\"i\": \"a\"}"),
                List.of("k {\"k\": 1}"));
    }

    @Test
    void aFileSentAgainAtAnotherTimeIsReplayedWhereItWasReadWithTheTimeItGaveItsLines() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (file_no, source, file_sha256, file_time, first_run_id) VALUES
                    (1, 'one', 'v1', '2025-01-15T08:00:00Z', gen_random_uuid()),
                    (2, 'one', 'v2', '2025-01-15T09:00:00Z', gen_random_uuid()),
                    (3, 'one', 'v1', '2025-01-15T10:00:00Z', gen_random_uuid()),
                    (4, 'one', 'v1', NULL, gen_random_uuid());
                INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id) VALUES
                    ('one', 'v1', 1, 2, '{"l": "a"}', gen_random_uuid()),
                    ('one', 'v2', 2, 2, '{"l": "b"}', gen_random_uuid()),
                    ('one', 'v1', 3, 2, '{"l": "a"}', gen_random_uuid()),
                    ('one', 'v1', 4, 2, '{"l": "a"}', gen_random_uuid())"""));
        RawReplay replay = new RawReplay("one", 10, Integer.MAX_VALUE);

        List<String> lines = db.jdbi().withHandle(h -> {
            List<String> read = new ArrayList<>();
            for (List<RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                page.forEach(r -> read.add(((RawRecord.FileLine) r).fileTime() + " " + describe(r)));
            }
            return read;
        });

        assertThat(lines).containsExactly(
                "2025-01-15T08:00:00Z v1 line 2 {\"l\": \"a\"}",
                "2025-01-15T09:00:00Z v2 line 2 {\"l\": \"b\"}",
                "2025-01-15T10:00:00Z v1 line 2 {\"l\": \"a\"}",
                "null v1 line 2 {\"l\": \"a\"}");
    }

    @Test
    void withItsStatisticsRefreshedAFilesPageIsReadThroughTheKeyWithoutSortingTheRestOfTheFile() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> {
            storeFile(h, 2, 100_001, "jsonb_build_object('symbol', 'S' || n)");
            RawReplay.refreshStatistics(h);
        });

        List<String> plan = db.jdbi().withHandle(h -> h.createQuery("EXPLAIN " + RawReplay.FILE_LINES_PAGE)
                .bind("file", 1L).bind("after", 50_000L).bind("limit", 5_000).bind("bytes", 1 << 20)
                .mapTo(String.class).list());

        assertThat(String.join("\n", plan)).contains("Index Scan using raw_csv_assets_pkey").doesNotContain("Sort");
    }

    @Test
    void apiItemsAndKeyedRecordsAreReplayedTogetherInReadOrderEachUnnumberedRowOnceWhereTheirIdsMeet() {
        // rows stored before the tables numbered their readings (last_read NULL) are ordered by their own table's
        // id, which the other table's rows can have too: item 2 and record 2 both come, item first, page by page
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_coingecko (id, source, record_key, page, item_index, payload, fetched_at, run_id,
                                           last_read) VALUES
                    (1, 'one', 'a1', 1, 0, '{"i": 1}', '2026-01-01T00:00:00Z', gen_random_uuid(), NULL),
                    (2, 'one', 'a2', 1, 1, '{"i": 2}', '2026-01-01T00:00:00Z', gen_random_uuid(), NULL),
                    (3, 'one', 'a3', 1, 2, '{"i": 3}', '2026-01-01T00:00:00Z', gen_random_uuid(), 11);
                INSERT INTO raw_records (id, source, record_key, payload, run_id, last_read) VALUES
                    (2, 'one', 'k2', '{"k": 2}', gen_random_uuid(), NULL),
                    (4, 'one', 'k4', '{"k": 4}', gen_random_uuid(), 10),
                    (5, 'one', 'k5', '{"k": 5}', gen_random_uuid(), 12)"""));
        RawReplay replay = new RawReplay("one", 1, Integer.MAX_VALUE);

        List<String> read = db.jdbi().withHandle(h -> {
            List<String> keys = new ArrayList<>();
            for (List<RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                page.forEach(r -> keys.add(describe(r)));
            }
            return keys;
        });

        assertThat(read).containsExactly("page 1 item 0 a1 {\"i\": 1}", "page 1 item 1 a2 {\"i\": 2}",
                "k2 {\"k\": 2}", "k4 {\"k\": 4}", "page 1 item 2 a3 {\"i\": 3}", "k5 {\"k\": 5}");
    }

    @Test
    void aPageEndsAtTheRecordThatBringsItsPayloadsToThePageBytes() {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> {
            // payloads of 19 bytes as text, {"l": "line 10001"}, and of 18, {"l": "key 10001"}
            storeFile(h, 10_001, 10_011, "jsonb_build_object('l', 'line ' || n)");
            h.execute("""
                    INSERT INTO raw_records (source, record_key, payload, run_id)
                    SELECT 'one', 'k' || n, jsonb_build_object('l', 'key ' || (10000 + n)), gen_random_uuid()
                    FROM generate_series(1, 3) n""");
        });
        RawReplay replay = new RawReplay("one", 100, 50);

        List<Integer> pages = db.jdbi().withHandle(h -> {
            List<Integer> sizes = new ArrayList<>();
            for (List<RawRecord> page = replay.next(h); !page.isEmpty(); page = replay.next(h)) {
                assertThat(page).allSatisfy(r -> assertThat(r.payload()).hasSize(r.position().startsWith("line")
                        ? 19 : 18));
                sizes.add(page.size());
            }
            return sizes;
        });

        // 19 + 19 bytes are below 50, the third record reaches it: pages of 3 lines, then the last 2, then the 3
        // keyed records (18 + 18 below 50 too)
        assertThat(pages).containsExactly(3, 3, 3, 2, 3);
    }

    /** Stores file 1 of source {@code one} with lines {@code first} to {@code last}, payloads from SQL on {@code n}. */
    private static void storeFile(Handle h, int first, int last, String payload) {
        h.execute("INSERT INTO raw_csv_files (file_no, source, file_sha256, first_run_id)"
                + " VALUES (1, 'one', 'f', gen_random_uuid())");
        h.execute("INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id)"
                + " SELECT 'one', 'f', 1, n, " + payload + ", gen_random_uuid() FROM generate_series(?, ?) n",
                first, last);
    }

    private static String describe(RawRecord raw) {
        if (raw instanceof RawRecord.FileLine f) {
            return f.fileSha256() + " " + f.position() + " " + f.payload();
        }
        if (raw instanceof RawRecord.ApiItem a) {
            return a.position() + " " + a.recordKey() + " " + a.payload();
        }
        return ((RawRecord.Keyed) raw).recordKey() + " " + raw.payload();
    }
}

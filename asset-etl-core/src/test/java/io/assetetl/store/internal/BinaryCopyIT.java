package io.assetetl.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** Values copied in PostgreSQL's binary format are stored exactly as the same values copied as text. */
class BinaryCopyIT {

    private static final String COLUMNS = "(n bigint, t text, j jsonb, id uuid, at timestamptz, d numeric)";

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.createEmpty();
    }

    private record Row(long n, String t, String j, UUID id, Instant at, BigDecimal d) {
    }

    @Test
    void storesEdgeValuesAsTheTextFormatDoes() throws SQLException {
        List<Row> rows = new ArrayList<>();
        List<String> decimals = List.of("0", "0.00", "1", "-1", "10", "6174.42855864", "0.00123", "-0.5", "1E+3",
                "1.50E-7", "857300763862.01", "999999999999999999", "0.000000000000000001", "9999.9999",
                "10000", "100000000", "1234567890123456789.5", "-98765432109876543210", "123456789012345678",
                "3.14159265358979323846264338327950288419716939937510");
        List<String> instants = List.of("2024-01-01T00:00:00Z", "1999-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z",
                "2000-01-01T00:00:00.000001499Z", "2000-01-01T00:00:00.000002500Z", "2021-06-30T12:34:56.789Z",
                "1900-02-28T01:02:03.000004Z", "2262-04-11T23:47:16.854775807Z");
        List<String> texts = List.of("BTC", "", "Éthereum € \u0007 ü", "a\\b\tc\nd\re", "x\0y", "\uD83D\uDE00 emoji",
                "\\N", "tab\tend");
        for (int i = 0; i < decimals.size(); i++) {
            String text = texts.get(i % texts.size());
            rows.add(new Row(i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : -i, text,
                    "{\"k\": \"" + text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                            .replace("\r", "\\r").replace("\0", "\\u0000").replace("\u0007", "\\u0007") + "\"}",
                    new UUID(i * 31L, -i), Instant.parse(instants.get(i % instants.size())),
                    new BigDecimal(decimals.get(i))));
        }
        rows.add(new Row(99, null, null, null, null, null));

        assertThat(copyBothWays(rows)).isEqualTo(rows.size());
    }

    @Test
    void storesSeededRandomDecimalsAndTimesAsTheTextFormatDoes() throws SQLException {
        Random random = new Random(11);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            BigDecimal value = i % 10 == 0
                    ? new BigDecimal(new java.math.BigInteger(120, random), random.nextInt(40) - 10)
                    : BigDecimal.valueOf(random.nextLong() / (long) Math.pow(10, random.nextInt(18)),
                            random.nextInt(16) - 2);
            // whole microseconds, nanoseconds, and ties between two microseconds
            int nanos = random.nextInt(1_000_000_000);
            nanos = i % 3 == 0 ? nanos / 1000 * 1000 : i % 3 == 1 ? nanos : nanos / 1000 * 1000 + 500;
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), nanos);
            rows.add(new Row(random.nextLong(), Long.toString(i), "{\"i\": " + i + "}",
                    new UUID(random.nextLong(), random.nextLong()), at, value));
        }

        assertThat(copyBothWays(rows)).isEqualTo(rows.size());
    }

    /**
     * Copies the rows as text into one table and in binary into another, checks that both hold the same rows, and
     * returns how many the binary one holds.
     */
    private static long copyBothWays(List<Row> rows) throws SQLException {
        try (Connection connection = db.dataSource().getConnection(); Statement s = connection.createStatement()) {
            s.execute("DROP TABLE IF EXISTS as_text, as_binary");
            s.execute("CREATE TABLE as_text " + COLUMNS);
            s.execute("CREATE TABLE as_binary " + COLUMNS);
            CopyRows text = new CopyRows(rows.size());
            BinaryCopyRows binary = new BinaryCopyRows(1024);
            for (Row r : rows) {
                text.add(r.n()).add(r.t()).addJson(r.j()).add(r.id() == null ? null : r.id().toString())
                        .add(r.at()).add(r.d());
                text.endRow();
                binary.add(r.n()).add(r.t()).addJsonb(r.j()).add(r.id()).add(r.at()).add(r.d());
                binary.endRow();
            }
            binary.finish();
            PGConnection pg = connection.unwrap(PGConnection.class);
            CopyIn in = pg.getCopyAPI().copyIn("COPY as_text FROM STDIN");
            text.drainTo(in);
            assertThat(in.endCopy()).isEqualTo(rows.size());
            in = pg.getCopyAPI().copyIn("COPY as_binary FROM STDIN (FORMAT binary)");
            binary.drainTo(in);
            assertThat(in.endCopy()).isEqualTo(rows.size());
        }
        try (Handle h = db.jdbi().open()) {
            // each value's text too, so that a numeric's scale and a time's microseconds count
            String rendered = "SELECT n, t, j::text, id, at::text, d::text, d FROM %s";
            String difference = "SELECT count(*) FROM ((" + rendered.formatted("as_text") + " EXCEPT ALL "
                    + rendered.formatted("as_binary") + ") UNION ALL (" + rendered.formatted("as_binary")
                    + " EXCEPT ALL " + rendered.formatted("as_text") + ")) d";
            assertThat(h.createQuery(difference).mapTo(Long.class).one()).isZero();
            return h.createQuery("SELECT count(*) FROM as_binary").mapTo(Long.class).one();
        }
    }
}

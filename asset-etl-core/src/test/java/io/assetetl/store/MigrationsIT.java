package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.assetetl.AssetEtl;
import io.assetetl.model.IdentityRules;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.store.internal.ChunkWriter;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.lockservice.LockService;
import liquibase.lockservice.LockServiceFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MigrationsIT {

    @Test
    void createsEveryTableOfTheContract() {
        TestDatabase db = TestDatabase.create();
        List<String> tables = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                .mapTo(String.class).list());
        assertThat(tables).contains("assets", "asset_sources", "asset_quotes", "raw_csv_assets", "raw_coingecko",
                "etl_runs", "etl_checkpoints", "etl_rejects", "schema_drift_events");
    }

    @Test
    void latestValuesLeaveRoomOnEachPageForUpdatesInPlace() {
        TestDatabase db = TestDatabase.create();
        String options = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'asset_sources'")
                .mapTo(String.class).one());
        assertThat(options).isEqualTo("fillfactor=50");
    }

    @Test
    void liquibaseLogsThroughSlf4jAsTheLibraryDoes() {
        TestDatabase db = TestDatabase.createEmpty();
        Logger liquibase = (Logger) LoggerFactory.getLogger("liquibase");
        Level level = liquibase.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        liquibase.addAppender(logs);
        liquibase.setLevel(Level.INFO);
        try {
            Migrations.migrate(db.dataSource());
        } finally {
            liquibase.detachAppender(logs);
            liquibase.setLevel(level);
        }

        assertThat(logs.list).as("the change sets it ran, reported to the host's logging")
                .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("ran successfully"))
                .noneSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.ERROR));
    }

    @Test
    void migratingWritesNothingToTheProgramsStandardOutput() {
        TestDatabase db = TestDatabase.createEmpty();
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Migrations.migrate(db.dataSource());
        } finally {
            System.setOut(stdout);
        }

        assertThat(db.count("databasechangelog")).isGreaterThan(1);
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aFirstMigrationSendsNoStatementThatFails() throws Exception {
        // PostgreSQL logs a failed statement as an ERROR with its text: Liquibase asked whether its lock table exists
        // by selecting from it, and the embedded server's log showed that ERROR among the service's lines
        TestDatabase db = TestDatabase.createEmpty();
        List<String> failures = new CopyOnWriteArrayList<>();

        Migrations.migrate(failuresRecorded(db.dataSource(), failures));

        assertThat(failures).isEmpty();
        assertThat(db.count("databasechangelog")).isGreaterThan(10);
    }

    /** {@code dataSource}, whose statements add the message of each failure to {@code failures}. */
    private static DataSource failuresRecorded(DataSource dataSource, List<String> failures) {
        return (DataSource) Proxy.newProxyInstance(MigrationsIT.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, dataSource, args);
                    return result instanceof Connection connection
                            ? recording(Connection.class, connection, failures) : result;
                });
    }

    /** {@code target} as {@code type}, passing statements it makes on, and recording what their calls throw. */
    private static <T> T recording(Class<T> type, T target, List<String> failures) {
        return type.cast(Proxy.newProxyInstance(MigrationsIT.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    try {
                        Object result = invoke(method, target, args);
                        if (result instanceof PreparedStatement statement) {
                            return recording(PreparedStatement.class, statement, failures);
                        }
                        return result instanceof Statement statement
                                ? recording(Statement.class, statement, failures) : result;
                    } catch (SQLException e) {
                        failures.add(e.getMessage());
                        throw e;
                    }
                }));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aMigrationWhoseProcessDiedHoldingTheChangeLogLockDoesNotLockOutTheNext() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        java.sql.Connection dying = db.dataSource().getConnection();
        LockService held = LockServiceFactory.getInstance().getLockService(database(dying));
        held.waitForLock();
        assertThat(held.hasChangeLogLock()).isTrue();
        // the process dies: its session ends without releasing anything
        dying.close();

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Migrations.migrate(db.dataSource()));

        assertThat(db.count("databasechangelog")).isGreaterThan(1);
    }

    @Test
    void theChangeLogLockNamesTheSessionHoldingItAndLetsNoOtherTakeIt() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        try (java.sql.Connection holder = db.dataSource().getConnection();
                java.sql.Connection other = db.dataSource().getConnection()) {
            holder.setClientInfo("ApplicationName", "migrating-elsewhere");
            LockService holding = LockServiceFactory.getInstance().getLockService(database(holder));
            LockService waiting = LockServiceFactory.getInstance().getLockService(database(other));
            assertThat(holding.acquireLock()).isTrue();

            assertThat(waiting.acquireLock()).isFalse();
            assertThat(waiting.listLocks()).singleElement()
                    .satisfies(lock -> assertThat(lock.getLockedBy()).contains("migrating-elsewhere"));

            holding.releaseLock();
            assertThat(waiting.acquireLock()).isTrue();
            waiting.releaseLock();
        }
    }

    @Test
    void aFirstMigrationCreatesLiquibasesTablesOnlyHoldingTheChangeLogLock() throws Exception {
        // two first migrations at once both created the tables, and the second failed: relation "databasechangelog"
        // already exists (found by starting two servers on an empty database at the same moment)
        TestDatabase db = TestDatabase.createEmpty();
        try (java.sql.Connection holder = db.dataSource().getConnection();
                java.sql.Statement statement = holder.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(hashtextextended('" + SessionLockService.LOCK_NAME + "', 0))");
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> Migrations.migrate(db.dataSource()));

            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                while (!exists(db, "databasechangelog") && !exists(db, "databasechangeloglock")
                        && !tryingTheLock(db)) {
                    Thread.onSpinWait();
                }
            });
            assertThat(exists(db, "databasechangelog")).as("created while another held the lock").isFalse();
            assertThat(exists(db, "databasechangeloglock")).isFalse();
            assertThat(second).isNotDone();

            statement.execute("SELECT pg_advisory_unlock(hashtextextended('" + SessionLockService.LOCK_NAME
                    + "', 0))");
            second.get(60, TimeUnit.SECONDS);
        }
        assertThat(db.count("databasechangelog")).isGreaterThan(10);
    }

    private static boolean exists(TestDatabase db, String table) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT to_regclass(:t) IS NOT NULL").bind("t", table)
                .mapTo(Boolean.class).one());
    }

    /** Whether another session's last statement tried to take an advisory lock: a migration waiting for its turn. */
    private static boolean tryingTheLock(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                               AND pid <> pg_backend_pid() AND query LIKE '%pg_try_advisory_lock%')""")
                .mapTo(Boolean.class).one());
    }

    @Test
    void theConnectionGoesBackWithAutoCommitAsItCame() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        java.sql.Connection connection = db.dataSource().getConnection();
        javax.sql.DataSource pool = new org.postgresql.ds.PGSimpleDataSource() {
            @Override
            public java.sql.Connection getConnection() {
                return (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                            if (method.getName().equals("close")) {
                                return null; // a pool keeps the connection
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };

        Migrations.migrate(pool);

        assertThat(connection.getAutoCommit()).isTrue();
        connection.close();
    }

    @Test
    void aDatabaseMigratedThroughTheEarlierXmlMasterChangelogHasOnlyLaterChangesPending() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            liquibase("io/assetetl/db/changelog-before-yaml.xml", connection)
                    .update(new Contexts(), new LabelExpression());
        }
        long applied = db.count("databasechangelog");

        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            Liquibase current = liquibase(Migrations.CHANGELOG, connection);
            // only the change sets added after the XML master was replaced
            assertThat(current.listUnrunChangeSets(new Contexts(), new LabelExpression()))
                    .extracting(ChangeSet::getId)
                    .containsExactly("006-raw-csv-assets-file-key", "007-raw-csv-files-last-read",
                            "008-etl-runs-last-chunk-at", "009-raw-csv-files-file-time", "010-raw-items-last-read",
                            "011-symbol-owner-decisions", "012-etl-runs-last-ends",
                            "013-etl-source-totals", "014-asset-items-compact");
        }
        Migrations.migrate(db.dataSource());
        assertThat(db.count("databasechangelog")).isEqualTo(applied + 9).isGreaterThan(9);
    }

    @Test
    void upgradingNumbersTheStoredFilesLastReadInTheOrderTheyWereFirstReadAndANewFileAfterThem() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "007-");
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (source, file_sha256, first_run_id) VALUES
                    ('csv', 'b', gen_random_uuid()), ('csv', 'a', gen_random_uuid())"""));

        Migrations.migrate(db.dataSource());
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (source, file_sha256, first_run_id) VALUES ('csv', 'c', gen_random_uuid())
                ON CONFLICT DO NOTHING"""));

        List<String> order = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT file_sha256 FROM raw_csv_files ORDER BY last_read").mapTo(String.class).list());
        assertThat(order).containsExactly("b", "a", "c");
    }

    @Test
    void upgradingNumbersTheStoredItemsLastReadInTheOrderTheyWereStoredAndAnItemStoredLaterAfterThem()
            throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "010-");
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_coingecko (source, record_key, page, item_index, payload, fetched_at, run_id) VALUES
                    ('coingecko', 'b', 1, 0, '{}', now(), gen_random_uuid()),
                    ('coingecko', 'a', 1, 1, '{}', now(), gen_random_uuid());
                INSERT INTO raw_records (source, record_key, payload, run_id) VALUES
                    ('vendor', 'y', '{}', gen_random_uuid()), ('vendor', 'x', '{}', gen_random_uuid())"""));

        Migrations.migrate(db.dataSource());
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_coingecko (source, record_key, page, item_index, payload, fetched_at, run_id)
                VALUES ('coingecko', 'c', 1, 0, '{}', now(), gen_random_uuid());
                INSERT INTO raw_records (source, record_key, payload, run_id)
                VALUES ('vendor', 'z', '{}', gen_random_uuid())"""));

        List<String> order = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT record_key FROM (SELECT record_key, coalesce(last_read, id) AS r FROM raw_coingecko
                                        UNION ALL SELECT record_key, coalesce(last_read, id) FROM raw_records) AS items
                ORDER BY r""").mapTo(String.class).list());
        long rewritten = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (SELECT count(last_read) FROM raw_coingecko WHERE record_key <> 'c')
                       + (SELECT count(last_read) FROM raw_records WHERE record_key <> 'z')""")
                .mapTo(Long.class).one());
        assertThat(order).as("each table in the order its rows were stored, and the new ones after all of them")
                .containsSubsequence("b", "a", "c").containsSubsequence("y", "x", "z").endsWith("c", "z");
        assertThat(rewritten).as("the rows stored before keep their place without being written again").isZero();
    }

    @Test
    void upgradingGivesEachStoredFileWithoutATimeColumnItsTimeSoThatReadingItAgainAtThatTimeStoresNothingNew()
            throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "009-");
        // files 1, 2 and 3 in turn. File 1 has no time column: its rows but the first (a row that could not be
        // split) carry the file's time; file 2 has one; file 3, of another adapter, holds a value under the reserved
        // key that is no time
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (source, file_sha256, first_run_id) VALUES
                    ('csv', 'a', gen_random_uuid()), ('csv', 'b', gen_random_uuid()),
                    ('other', 'c', gen_random_uuid());
                INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id) VALUES
                    ('csv', 'a', 1, 2, '{"symbol": "BTC", "_etl_problem": "expected 2 fields"}', gen_random_uuid()),
                    ('csv', 'a', 1, 3, '{"symbol": "ETH", "price": "2", "_etl_observed_at": "2025-01-15T08:00:00Z"}',
                     gen_random_uuid()),
                    ('csv', 'b', 2, 2, '{"symbol": "BTC", "price": "1", "timestamp": "2025-01-15T09:00:00Z"}',
                     gen_random_uuid()),
                    ('other', 'c', 3, 2, '{"_etl_observed_at": "soon"}', gen_random_uuid())"""));

        Migrations.migrate(db.dataSource());
        Instant fileTime = Instant.parse("2025-01-15T08:00:00Z");
        writeLine(db, "a", fileTime, 3);
        writeLine(db, "a", fileTime.plusSeconds(3600), 3);

        List<String> files = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT f.source || ':' || f.file_sha256 || ' ' || coalesce(f.file_time::text, 'none') || ' '
                       || (SELECT count(*) FROM raw_csv_assets r WHERE r.file_no = f.file_no)
                FROM raw_csv_files f ORDER BY f.file_no""").mapTo(String.class).list());
        assertThat(files).containsExactly("csv:a 2025-01-15 08:00:00+00 2", "csv:b none 1", "other:c none 1",
                "csv:a 2025-01-15 09:00:00+00 1");
    }

    /** Writes line {@code lineNo} of the file {@code sha256} read at {@code fileTime}, as the engine does. */
    private static void writeLine(TestDatabase db, String sha256, Instant fileTime, long lineNo) {
        ChunkWriter writer = new ChunkWriter(IdentityRules.defaults());
        Observation eth = new Observation("ETH", null, null, new BigDecimal("2"), null, null, fileTime,
                new RawRecord.FileLine(sha256, fileTime, lineNo, "{\"symbol\": \"ETH\", \"price\": \"2\"}"));
        db.jdbi().useHandle(h -> {
            writer.prepare(h);
            h.useTransaction(t -> writer.write(t, UUID.randomUUID(), "csv", List.of(eth), List.of(),
                    Optional.empty(), true));
        });
    }

    @Test
    void upgradingKeepsTheStoredLinesAndNumbersTheFilesInTheOrderTheyWereFirstStored() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "004-");
        // lines stored by the schema before 004, whose ids gave the replay order: file b first, then file a
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_assets (source, file_sha256, line_no, payload, run_id) VALUES
                    ('csv', 'b', 2, '{"symbol": "BTC"}', gen_random_uuid()),
                    ('csv', 'b', 3, '{"symbol": "ETH"}', gen_random_uuid()),
                    ('csv', 'a', 2, '{"symbol": "BTC"}', gen_random_uuid()),
                    ('csv_weird', 'a', 2, '{"Ticker": "BTC"}', gen_random_uuid())"""));

        Migrations.migrate(db.dataSource());

        List<String> files = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT source || ':' || file_sha256 FROM raw_csv_files ORDER BY file_no").mapTo(String.class).list());
        String key = keyColumns(db, "raw_csv_assets_pkey");
        assertThat(files).containsExactly("csv:b", "csv:a", "csv_weird:a");
        assertThat(db.count("raw_csv_assets")).isEqualTo(4);
        assertThat(key).isEqualTo("file_no,line_no");
    }

    @Test
    void upgradingKeysEachStoredLineByItsFilesNumber() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "006-");
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (source, file_sha256, first_run_id) VALUES
                    ('csv', 'b', gen_random_uuid()), ('csv', 'a', gen_random_uuid()),
                    ('csv_weird', 'a', gen_random_uuid());
                INSERT INTO raw_csv_assets (source, file_sha256, line_no, payload, run_id) VALUES
                    ('csv', 'a', 2, '{"symbol": "BTC"}', gen_random_uuid()),
                    ('csv', 'b', 2, '{"symbol": "ETH"}', gen_random_uuid()),
                    ('csv', 'b', 3, '{"symbol": "SOL"}', gen_random_uuid()),
                    ('csv_weird', 'a', 2, '{"Ticker": "BTC"}', gen_random_uuid())"""));

        Migrations.migrate(db.dataSource());

        List<String> lines = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT r.source || ':' || r.file_sha256 || ':' || r.line_no || ' in ' || f.source || ':' || f.file_sha256
                FROM raw_csv_assets r JOIN raw_csv_files f ON f.file_no = r.file_no ORDER BY r.file_no, r.line_no""")
                .mapTo(String.class).list());
        assertThat(lines).containsExactly("csv:b:2 in csv:b", "csv:b:3 in csv:b", "csv:a:2 in csv:a",
                "csv_weird:a:2 in csv_weird:a");
        assertThat(keyColumns(db, "raw_csv_assets_pkey")).isEqualTo("file_no,line_no");
    }

    @Test
    void rollingTheFileKeyBackRestoresTheNaturalKey() throws Exception {
        TestDatabase db = TestDatabase.create();
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO raw_csv_files (file_no, source, file_sha256, first_run_id)
                VALUES (1, 'csv', 'a', gen_random_uuid());
                INSERT INTO raw_csv_assets (source, file_sha256, file_no, line_no, payload, run_id)
                VALUES ('csv', 'a', 1, 2, '{"symbol": "BTC"}', gen_random_uuid())"""));

        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            // 014 (the compact items), 013 (the sources' totals), 012 (the runs' last ends), 011 (the owners'
            // decisions), 010 (the items' last reads), 009 (the files' times), 008 (the runs' last chunks), 007 (the
            // files' last reads), then 006 (the file key)
            liquibase(Migrations.CHANGELOG, connection)
                    .rollback(9, new Contexts(), new LabelExpression());
        }

        assertThat(keyColumns(db, "raw_csv_assets_pkey")).isEqualTo("source,file_sha256,line_no");
        assertThat(db.count("raw_csv_assets")).isEqualTo(1);
        Migrations.migrate(db.dataSource());
        assertThat(keyColumns(db, "raw_csv_assets_pkey")).isEqualTo("file_no,line_no");
    }

    @Test
    void upgradingCountsTheIngestRunsTheLedgerAlreadyHoldsAndTheRunsAfterThem() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "013-");
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO etl_runs (run_id, source, kind, status, started_at, records_processed,
                                      records_loaded) VALUES
                    (gen_random_uuid(), 'csv', 'ingest', 'succeeded', now(), 40, 40),
                    (gen_random_uuid(), 'csv', 'ingest', 'failed', now(), 2, 2),
                    (gen_random_uuid(), 'csv', 'reprocess', 'succeeded', now(), 42, 42),
                    (gen_random_uuid(), 'coingecko', 'ingest', 'abandoned', now(), 0, 0)"""));

        Migrations.migrate(db.dataSource());
        db.jdbi().useHandle(h -> h.execute("""
                INSERT INTO etl_runs (run_id, source, kind, status, started_at) VALUES
                    (gen_random_uuid(), 'csv', 'ingest', 'running', now());
                UPDATE etl_runs SET records_processed = 5 WHERE status = 'running'"""));

        List<String> totals = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT source || ': ' || runs || ' runs, ' || total_processed || ' records'
                FROM etl_source_totals ORDER BY source""").mapTo(String.class).list());
        assertThat(totals).containsExactly("coingecko: 1 runs, 0 records", "csv: 3 runs, 47 records");
    }

    @Test
    void upgradingWritesEveryStoredItemAgainCompactWithTheSameMembersInTheSameOrderAndTheSameValues() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "014-");
        // a name to escape, one absent, prices of several scales, two sources that agree on one asset and not on
        // another, and times with and without a fraction
        ListSourceFactory.dataset("items_a", List.of("BTC,,64000.50,1700000000,Bit \"coin\" \\ ü\u2028",
                "ETH,,3000,1700000060,", "SOL,,100.10,1700000000.123"));
        ListSourceFactory.dataset("items_b", List.of("BTC,,64000.5,1700000100", "SOL,,150,1700000000.5"));
        AssetEtl etl = AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("a", "list", SourceConfig.of(Map.of("dataset", "items_a"))))
                .source(SourceDefinition.of("b", "list", SourceConfig.of(Map.of("dataset", "items_b"))))
                .build();
        etl.run(RunRequest.of("a"));
        etl.run(RunRequest.of("b"));
        List<String> before = items(db);

        Migrations.migrate(db.dataSource());

        assertThat(before).hasSize(3).allSatisfy(item -> assertThat(item).contains("\" : "));
        assertThat(items(db)).containsExactlyElementsOf(
                before.stream().map(MigrationsIT::withoutWhitespaceOutsideStrings).toList());
        // and as the load renders them from then on
        ListSourceFactory.dataset("items_b", List.of("BTC,,64000.5,1700000100", "SOL,,150,1700000000.5",
                "ETH,,2000,1700000200,Ether"));
        etl.run(RunRequest.of("b"));
        List<String> rendered = items(db);
        assertThat(rendered).hasSize(3)
                .allSatisfy(item -> assertThat(item).isEqualTo(withoutWhitespaceOutsideStrings(item)));
        assertThat(rendered.get(0)).contains("\"divergent_sources\":[]");
        assertThat(rendered.get(1)).contains("\"name\":\"Ether\"", "\"divergent_sources\":[\"a\",\"b\"]");
    }

    @Test
    void theCompactItemHoldsWhatTheSpacedOneHeldAlsoForValuesTheEngineNeverWrites() {
        TestDatabase db = TestDatabase.create();
        // a NaN price (the old item wrote it as a string), an element without a source, no element at all
        List<String> items = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT asset_item(symbol, name, latest, 0.1)::text FROM (VALUES
                    (1, 'X', NULL, '[{"source": "a", "price_usd": "NaN"}]'::jsonb),
                    (2, 'Y', 'n"1\\', '[{"source": "a", "price_usd": 1}, {"price_usd": 100},
                                     {"source": "c", "price_usd": 1}]'),
                    (3, 'Z', 'z', '[]')) AS c (n, symbol, name, latest)
                ORDER BY n""").mapTo(String.class).list());

        assertThat(items).containsExactly(
                "{\"symbol\":\"X\",\"name\":null,\"price_usd\":\"NaN\",\"observed_at\":null,"
                        + "\"sources\":[{\"source\":\"a\",\"symbol\":null,\"price_usd\":\"NaN\","
                        + "\"observed_at\":null}],\"divergent_sources\":[],\"canonical_symbol\":\"X\"}",
                "{\"symbol\":\"Y\",\"name\":\"n\\\"1\\\\\",\"price_usd\":1,\"observed_at\":null,"
                        + "\"sources\":[{\"source\":\"a\",\"symbol\":null,\"price_usd\":1,\"observed_at\":null},"
                        + "{\"source\":\"c\",\"symbol\":null,\"price_usd\":1,\"observed_at\":null},"
                        + "{\"source\":null,\"symbol\":null,\"price_usd\":100,\"observed_at\":null}],"
                        + "\"divergent_sources\":[null],\"canonical_symbol\":\"Y\"}",
                "{\"symbol\":\"Z\",\"name\":\"z\",\"price_usd\":null,\"observed_at\":null,\"sources\":null,"
                        + "\"divergent_sources\":[],\"canonical_symbol\":\"Z\"}");
    }

    /** Each summary's stored item, by symbol. */
    private static List<String> items(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT item::text FROM asset_summaries ORDER BY canonical_symbol").mapTo(String.class).list());
    }

    /** JSON text without the whitespace between its tokens. */
    private static String withoutWhitespaceOutsideStrings(String json) {
        StringBuilder compact = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (char c : json.toCharArray()) {
            if (inString || !Character.isWhitespace(c)) {
                compact.append(c);
            }
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = inString;
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return compact.toString();
    }

    @Test
    void pendingChangesAreNotBlockedByTheLockFlagThatAKilledProcessOfAnEarlierVersionLeftBehind() throws Exception {
        TestDatabase db = TestDatabase.createEmpty();
        migrateUpTo(db, "007-");
        db.jdbi().useHandle(h -> h.execute(
                "UPDATE databasechangeloglock SET locked = true, lockgranted = now(), lockedby = 'killed process'"));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Migrations.migrate(db.dataSource()));

        long applied = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM databasechangelog WHERE id = '007-raw-csv-files-last-read'")
                .mapTo(Long.class).one());
        assertThat(applied).isEqualTo(1);
    }

    /** Liquibase for {@code changelog} (a class-path resource) on {@code connection}. */
    private static Liquibase liquibase(String changelog, java.sql.Connection connection) throws Exception {
        return new Liquibase(changelog, new ClassLoaderResourceAccessor(Migrations.class.getClassLoader()),
                DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection)));
    }

    private static Database database(java.sql.Connection connection) throws Exception {
        return DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
    }

    /** Applies the changelog's change sets before the first whose id starts with {@code prefix}. */
    private static void migrateUpTo(TestDatabase db, String prefix) throws Exception {
        try (java.sql.Connection connection = db.dataSource().getConnection()) {
            Liquibase liquibase = liquibase(Migrations.CHANGELOG, connection);
            List<ChangeSet> pending = liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
            int before = (int) pending.stream().takeWhile(c -> !c.getId().startsWith(prefix)).count();
            liquibase.update(before, new Contexts(), new LabelExpression());
        }
    }

    /** The columns of a constraint, in key order, comma-separated. */
    private static String keyColumns(TestDatabase db, String constraint) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM pg_constraint c
                CROSS JOIN unnest(c.conkey) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                WHERE c.conname = :name""").bind("name", constraint).mapTo(String.class).one());
    }
}

package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.AssetEtl;
import io.assetetl.store.EmbeddedDatabase;
import io.assetetl.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ingest}, {@code reprocess} and {@code db migrate} commands, run in-process through the application's
 * real command line, with stdout and stderr captured and the exit code recorded instead of ending the JVM.
 */
class IngestCommandIT {

    private static final List<String> SUMMARY_FIELDS = List.of("run_id", "source", "status", "records_processed",
            "records_loaded", "records_unchanged", "records_rejected", "duration_ms", "error");

    /** How logback (Dropwizard's "! at") and the JDK ("\tat") print a stack frame. */
    private static final List<String> STACK_FRAMES = List.of("! at ", "\tat ");

    @TempDir
    Path dir;

    private final TestDatabase db = TestDatabase.create();

    record Outcome(int exitCode, List<String> stdout, String stderr) {

        JsonNode summary() throws IOException {
            return Http.JSON.readTree(stdout.get(stdout.size() - 1));
        }
    }

    @Test
    void ingestPrintsOnlyTheSummaryOnStdoutAndExits0() throws Exception {
        Outcome outcome = run(config(""), "ingest", "csv", "--file", TestApps.CSV.toString());

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(outcome.stdout()).hasSize(1);
        JsonNode summary = outcome.summary();
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyElementsOf(SUMMARY_FIELDS);
        assertThat(summary.get("source").asText()).isEqualTo("csv");
        assertThat(summary.get("status").asText()).isEqualTo("succeeded");
        assertThat(summary.get("records_loaded").asLong()).isPositive();
        assertThat(summary.get("error").isNull()).isTrue();
        assertThat(outcome.stderr()).contains("rows done", "rows/s");
        assertThat(db.count("asset_sources")).isEqualTo(summary.get("records_loaded").asLong());
    }

    @Test
    void textLogLinesWrittenDuringARunNameItsSourceAndRun() throws Exception {
        Path config = Files.writeString(dir.resolve("debug.yml"), Files.readString(config(""))
                .replace("io.assetetl: INFO", "io.assetetl: DEBUG"));

        Outcome outcome = run(config, "ingest", "csv", "--file", TestApps.CSV.toString());

        String runId = outcome.summary().get("run_id").asText();
        assertThat(outcome.stderr()).contains("io.assetetl.run.RunEngine: [csv " + runId + "] run started")
                .contains("io.assetetl.run.RunEngine: [csv " + runId + "] run succeeded: ");
        // outside the run (the summaries left behind by an earlier process, refreshed before it), nothing is added
        assertThat(outcome.stderr().lines().filter(line -> line.contains("io.assetetl.run.RunEngine: refreshed ")))
                .isNotEmpty();
    }

    @Test
    void reingestingAnUnchangedFileLoadsNothing() throws Exception {
        Path config = config("");
        run(config, "ingest", "csv", "--file", TestApps.CSV.toString());

        JsonNode again = run(config, "ingest", "csv", "--file", TestApps.CSV.toString()).summary();

        assertThat(again.get("status").asText()).isEqualTo("succeeded");
        assertThat(again.get("records_loaded").asLong()).isZero();
    }

    @Test
    void unknownSourceIsAUsageError() {
        Outcome outcome = run(config(""), "ingest", "no_such_source");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).contains("unknown source 'no_such_source'", "csv_weird");
        assertThat(outcome.stderr()).as("no database is touched for a usage error").doesNotContain("migrat");
    }

    @Test
    void aSettingTheSourcesFactoryRefusesIsAUsageErrorAndRecordsNoRun() {
        for (Map.Entry<String, String> refused : List.of(Map.entry("COINGECKO_PAGES", "0"),
                Map.entry("COINGECKO_PER_PAGE", "500"), Map.entry("COINGECKO_RATE_LIMIT_PER_MINUTE", "abc"))) {
            Outcome outcome = run(Map.ofEntries(refused), config(""), "ingest", "coingecko");

            assertThat(outcome.exitCode()).as(refused.getKey()).isEqualTo(2);
            assertThat(outcome.stdout()).as(refused.getKey()).isEmpty();
            assertThat(outcome.stderr()).as(refused.getKey()).contains("source coingecko: setting '");
        }
        Outcome server = run(Map.of("COINGECKO_PAGES", "0"), config(""), "server");
        assertThat(server.exitCode()).as("a server with it would fail every scheduled run").isEqualTo(2);
        assertThat(server.stderr().strip())
                .isEqualTo("server failed to start: source coingecko: setting 'pages' must be within 1..10000: 0");
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void missingFileIsAUsageError() {
        Outcome outcome = run(config(""), "ingest", "csv", "--file", dir.resolve("absent.csv").toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).contains("file not found");
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void aFileOptionThatCannotBeReadIsAUsageErrorSaidBeforeTheDatabaseIsReached() throws Exception {
        Path nothingListening = Files.writeString(dir.resolve("usage-nothing-listening.yml"),
                Files.readString(config("")).replace(db.jdbcUrl(), "jdbc:postgresql://127.0.0.1:9/nowhere"));
        List<List<String>> usageErrors = List.of(
                List.of("csv", "--file", dir.resolve("absent.csv").toString()),
                List.of("csv", "--file", dir.toString()),
                List.of("coingecko", "--file", TestApps.CSV.toString()),
                List.of("coingecko", "--batch-size", "10"));

        for (List<String> arguments : usageErrors) {
            List<String> command = new ArrayList<>(List.of("ingest"));
            command.addAll(arguments);
            Outcome outcome = run(nothingListening, command.toArray(String[]::new));

            assertThat(outcome.exitCode()).as(arguments.toString()).isEqualTo(2);
            assertThat(outcome.stdout()).as(arguments.toString()).isEmpty();
            assertThat(outcome.stderr()).as(arguments.toString()).doesNotContain("127.0.0.1:9");
        }
    }

    @Test
    void aDirectoryAsTheFileIsAUsageErrorThatSaysSo() {
        Outcome outcome = run(config(""), "ingest", "csv", "--file", dir.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("not a regular file: " + dir);
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void batchSizeOutsideItsRangeIsAUsageErrorAndRecordsNoRun() {
        for (String size : List.of("0", "-5", "1000001")) {
            Outcome outcome = run(config(""), "ingest", "csv", "--file", TestApps.CSV.toString(), "--batch-size", size);

            assertThat(outcome.exitCode()).as(size).isEqualTo(2);
            assertThat(outcome.stdout()).isEmpty();
            assertThat(outcome.stderr()).contains("--batch-size").doesNotContain("\tat ");
        }
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void aMissingConfigurationFileIsAUsageError() {
        Outcome outcome = run(dir.resolve("absent.yml"), "ingest", "csv");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout()).isEmpty();
        assertThat(outcome.stderr()).contains("configuration file not found: " + dir.resolve("absent.yml"))
                .doesNotContain("\tat ");
    }

    @Test
    void aMissingConfigurationFileIsTheSameUsageErrorForTheServerAndTheDatabaseCommands() {
        for (String[] command : List.of(new String[] {"server"}, new String[] {"db", "migrate"},
                new String[] {"db", "status"})) {
            Outcome outcome = run(dir.resolve("absent.yml"), command);

            assertThat(outcome.exitCode()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(outcome.stderr()).contains("configuration file not found: " + dir.resolve("absent.yml"))
                    .doesNotContain(STACK_FRAMES);
        }
    }

    @Test
    void withJsonLogsAMissingConfigurationFileIsReportedAsAJsonLine() throws Exception {
        Outcome outcome = run(Map.of("LOG_FORMAT", "json"), dir.resolve("absent.yml"), "ingest", "csv");

        assertThat(outcome.exitCode()).isEqualTo(2);
        List<String> lines = outcome.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(new ObjectMapper().readTree(line).get("level")).as(line).isNotNull();
        }
        assertThat(outcome.stderr()).contains("configuration file not found");
    }

    @Test
    void fileOptionOnAnApiSourceIsAUsageError() {
        Outcome outcome = run(config(""), "ingest", "coingecko", "--file", TestApps.CSV.toString());

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stderr()).contains("does not read files");
    }

    @Test
    void batchSizeSetsTheRecordsPerCommittedChunk() throws Exception {
        Outcome outcome = run(config(""), "ingest", "csv", "--file", TestApps.CSV.toString(), "--batch-size", "10");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        long processed = outcome.summary().get("records_processed").asLong();
        assertThat(processed).isGreaterThan(10);
        Integer chunks = db.jdbi().withHandle(h -> h.createQuery("SELECT chunks FROM etl_runs")
                .mapTo(Integer.class).one());
        assertThat(chunks).isEqualTo((int) ((processed + 9) / 10));
        assertThat(run(config(""), "ingest", "coingecko", "--batch-size", "10").exitCode())
                .as("not for API sources").isEqualTo(2);
        assertThat(run(config(""), "ingest", "csv", "--batch-size", "ten").exitCode()).isEqualTo(2);
    }

    @Test
    void missingSourceArgumentIsAUsageError() {
        Outcome outcome = run(null, "ingest");

        assertThat(outcome.exitCode()).isEqualTo(2);
        assertThat(outcome.stdout()).isEmpty();
    }

    @Test
    void failedRunPrintsItsSummaryWithTheStoredErrorAndExits1() throws Exception {
        Outcome outcome = run(config("failAfterRecords: 3\n"), "ingest", "csv", "--file", TestApps.CSV.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        JsonNode summary = outcome.summary();
        assertThat(summary.get("status").asText()).isEqualTo("failed");
        String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT error FROM etl_runs WHERE run_id = :id")
                .bind("id", java.util.UUID.fromString(summary.get("run_id").asText())).mapTo(String.class).one());
        assertThat(summary.get("error").asText()).isEqualTo(stored).contains("injected failure after 3 records");
        assertThat(outcome.stderr()).contains("run " + summary.get("run_id").asText() + " failed: " + stored);
    }

    @Test
    void aFileThatCannotBeReadFailsWithOneLineAndNoStackTrace() throws Exception {
        Path unmappable = Files.writeString(dir.resolve("unmappable.csv"), "foo,bar,baz\n1,2,3\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        Map<Path, String> reasons = Map.of(unmappable, "cannot map required field(s)", empty, "is empty");

        for (Map.Entry<Path, String> file : reasons.entrySet()) {
            Outcome outcome = run(config(""), "ingest", "csv_weird", "--file", file.getKey().toString());

            assertThat(outcome.exitCode()).isEqualTo(1);
            JsonNode summary = outcome.summary();
            assertThat(summary.get("status").asText()).isEqualTo("failed");
            assertThat(summary.get("error").asText()).contains(file.getValue());
            assertThat(outcome.stderr()).contains("run " + summary.get("run_id").asText() + " failed: ")
                    .doesNotContain(STACK_FRAMES);
        }
    }

    @Test
    void atDebugLevelAnExpectedFailureStillLogsItsStackTrace() throws Exception {
        Path unmappable = Files.writeString(dir.resolve("unmappable.csv"), "foo,bar,baz\n1,2,3\n");
        Path config = Files.writeString(dir.resolve("debug.yml"), Files.readString(config(""))
                .replace("io.assetetl: INFO", "io.assetetl: DEBUG"));

        Outcome outcome = run(config, "ingest", "csv_weird", "--file", unmappable.toString());

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("! at io.assetetl.sources.csv.");
    }

    @Test
    void anUnreachableDatabasePrintsAFailedSummaryWithoutARunAndOneLineWithoutStackTrace() throws Exception {
        Path config = config("");
        String yaml = Files.readString(config);
        Path noSuchDatabase = Files.writeString(dir.resolve("no-such-database.yml"),
                yaml.replace(db.jdbcUrl(), db.jdbcUrl().replace(db.name(), "cli_no_such_database")));
        Path nothingListening = Files.writeString(dir.resolve("nothing-listening.yml"),
                yaml.replace(db.jdbcUrl(), "jdbc:postgresql://127.0.0.1:9/nowhere?connectTimeout=2"));

        String csv = TestApps.CSV.toString();
        for (List<String> command : List.of(List.of("ingest", "csv", "--file", csv), List.of("reprocess", "csv"))) {
            for (Path unreachable : List.of(noSuchDatabase, nothingListening)) {
                Outcome outcome = run(unreachable, command.toArray(String[]::new));

                assertThat(outcome.exitCode()).isEqualTo(1);
                JsonNode summary = outcome.summary();
                assertSummaryWithoutRun(summary, "failed");
                assertThat(summary.get("error").asText()).startsWith("schema migration failed: ");
                assertThat(outcome.stderr()).contains(command.get(0) + " failed: " + summary.get("error").asText())
                        .doesNotContain(STACK_FRAMES);
            }
        }
        assertThat(run(noSuchDatabase, "ingest", "csv", "--file", csv).summary().get("error").asText())
                .contains("cli_no_such_database", "does not exist");
    }

    @Test
    void dbMigrateOnADatabaseItCannotReachFailsWithOneLineWithoutStackTrace() throws Exception {
        Path nothingListening = Files.writeString(dir.resolve("db-nothing-listening.yml"), Files.readString(config(""))
                .replace(db.jdbcUrl(), "jdbc:postgresql://127.0.0.1:9/nowhere?connectTimeout=2"));

        Outcome outcome = run(nothingListening, "db", "migrate");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("db failed: ").contains("127.0.0.1:9")
                .doesNotContain(STACK_FRAMES);
        assertThat(String.join("\n", outcome.stdout())).doesNotContain(STACK_FRAMES);
    }

    @Test
    void aServerThatCannotReachItsDatabaseFailsToStartWithOneLineWithoutStackTrace() throws Exception {
        String yaml = Files.readString(config(""));
        Path noSuchDatabase = Files.writeString(dir.resolve("server-no-such-database.yml"),
                yaml.replace(db.jdbcUrl(), db.jdbcUrl().replace(db.name(), "server_no_such_database")));

        Outcome outcome = run(noSuchDatabase, "server");

        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.stderr()).contains("server failed to start: schema migration failed: ")
                .contains("server_no_such_database").doesNotContain(STACK_FRAMES);
    }

    @Test
    void aConfigurationThatCannotBeReadFailsTheServerAndTheCommandsWithItsReasonWithoutStackTrace()
            throws Exception {
        Path badInterval = Files.writeString(dir.resolve("bad-interval.yml"),
                Files.readString(config("")).replace("etlInterval: \"off\"", "etlInterval: banana"));

        for (String[] command : List.of(new String[] {"server"}, new String[] {"ingest", "csv"})) {
            Outcome outcome = run(badInterval, command);

            assertThat(outcome.exitCode()).as("a usage error").isEqualTo(2);
            assertThat(outcome.stdout()).isEmpty();
            assertThat(outcome.stderr().strip()).isEqualTo((command[0].equals("server") ? "server failed to start: "
                    : "ingest failed: ") + badInterval + ": etlInterval: ETL interval (etlInterval, ETL_INTERVAL) must"
                    + " be an ISO-8601 duration such as PT15M, or off: banana");
        }
    }

    @Test
    void aSourceTheConfigurationCannotDefineIsAUsageErrorSaidInOneLine() {
        Map<String, String> cases = Map.of(
                "sources:\n  Desk:\n    type: csv\n", "sources: source name must be a lower-case letter, then"
                        + " lower-case letters, digits, '_' or '-': Desk",
                "sources:\n  desk:\n    settings:\n      path: x.csv\n",
                "sources: source 'desk' is not built in, so it needs a type",
                "sources:\n  d" + "esk".repeat(100) + ":\n    type: csv\n",
                "sources: source name must be at most 64 characters long; this one has 301: 'desk");
        cases.forEach((yaml, reason) -> {
            for (String[] command : List.of(new String[] {"server"}, new String[] {"ingest", "csv"})) {
                Outcome outcome = run(config(yaml), command);

                assertThat(outcome.exitCode()).as(yaml).isEqualTo(2);
                assertThat(outcome.stderr()).as(yaml).contains(reason).doesNotContain(STACK_FRAMES);
                assertThat(outcome.stderr().lines()).as(yaml).hasSize(1);
            }
        });
    }

    @Test
    void aSettingTheConfigurationDoesNotKnowIsAUsageErrorNamingTheClosestOne() throws Exception {
        // a typo used to be ignored, and the setting left at its default without a word
        Path typo = Files.writeString(dir.resolve("typo.yml"),
                Files.readString(config("")).replace("etlInterval: \"off\"", "etlIntervall: \"off\""));

        for (String[] command : List.of(new String[] {"server"}, new String[] {"ingest", "csv"},
                new String[] {"db", "migrate"})) {
            Outcome outcome = run(typo, command);

            assertThat(outcome.exitCode()).as(command[0]).isEqualTo(2);
            assertThat(outcome.stderr()).as(command[0])
                    .contains(typo + ": etlIntervall: no such setting (did you mean etlInterval?)")
                    .doesNotContain(STACK_FRAMES);
            assertThat(outcome.stderr().lines()).as(command[0]).hasSize(1);
        }
        assertThat(db.count("etl_runs")).isZero();
    }

    @Test
    void aRunRefusedBecauseTheSourceIsRunningPrintsARefusedSummary() throws Exception {
        Path config = config("");
        // the lock a run of the source holds, as another process running it would
        try (Connection holder = db.dataSource().getConnection(); Statement s = holder.createStatement()) {
            s.execute("SELECT pg_advisory_lock(hashtextextended('asset-etl:source:csv', 0))");

            for (String[] command : List.of(new String[] {"ingest", "csv", "--file", TestApps.CSV.toString()},
                    new String[] {"reprocess", "csv"})) {
                Outcome outcome = run(config, command);

                assertThat(outcome.exitCode()).isEqualTo(1);
                JsonNode summary = outcome.summary();
                assertSummaryWithoutRun(summary, "refused");
                assertThat(summary.get("error").asText()).isEqualTo("a run of source csv is already in progress");
                assertThat(outcome.stderr()).contains("a run of source csv is already in progress")
                        .doesNotContain(STACK_FRAMES);
            }
        }
        assertThat(db.count("etl_runs")).as("a refused run is no run").isZero();
    }

    @Test
    void anEmbeddedDatabaseAnotherProcessUsesFailsTheCommandWithOneLineThatSaysSo() throws Exception {
        Path home = dir.resolve("home");
        Path config = embeddedConfig(home, "");
        // the folder's lock is the server's, as a server started on the same ASSET_ETL_HOME would hold it
        try (EmbeddedDatabase server = EmbeddedDatabase.start(home.resolve("postgres"))) {
            Outcome outcome = run(config, "ingest", "csv", "--file", TestApps.CSV.toString());

            assertThat(outcome.exitCode()).isEqualTo(1);
            JsonNode summary = outcome.summary();
            assertSummaryWithoutRun(summary, "failed");
            assertThat(summary.get("error").asText()).contains(home.resolve("postgres").toString(),
                    "in use by another process", "DATABASE_URL");
            assertThat(outcome.stderr()).contains("ingest failed: " + summary.get("error").asText())
                    .doesNotContain(STACK_FRAMES);
        }
    }

    @Test
    void withJsonLogsEveryLineOnStderrIsAJsonObjectEvenTheReasonOfAFailure() throws Exception {
        Path config = config("logFormat: json\nfailAfterRecords: 3\n");

        Path noDatabase = dir.resolve("no-database.yml");
        Files.writeString(noDatabase, Files.readString(config).replace(db.jdbcUrl(),
                "jdbc:postgresql://127.0.0.1:9/nowhere?connectTimeout=2"));

        Outcome failed = run(config, "ingest", "csv", "--file", TestApps.CSV.toString());
        Outcome unknown = run(config, "ingest", "no_such_source");
        Outcome unreachable = run(noDatabase, "ingest", "csv", "--file", TestApps.CSV.toString());

        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.summary().get("status").asText()).isEqualTo("failed");
        for (Outcome outcome : List.of(failed, unknown, unreachable)) {
            List<String> lines = outcome.stderr().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> {
                JsonNode object = Http.JSON.readTree(line);
                assertThat(object.isObject()).as(line).isTrue();
                assertThat(object.has("exception")).as("an expected failure has no stack trace: " + line).isFalse();
            });
        }
        assertThat(failed.stderr()).contains("failed: injected failure after 3 records");
        assertThat(unknown.stderr()).contains("unknown source 'no_such_source'");
        assertThat(unreachable.stderr()).contains("ingest failed: ");
    }

    @Test
    void reprocessRebuildsFromStoredRawRecords() throws Exception {
        Path config = config("");
        run(config, "ingest", "csv_weird", "--file", TestApps.CSV_WEIRD.toString());

        Outcome outcome = run(config, "reprocess", "csv_weird");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        JsonNode summary = outcome.summary();
        assertThat(summary.get("source").asText()).isEqualTo("csv_weird");
        assertThat(summary.get("status").asText()).isEqualTo("succeeded");
        String kind = db.jdbi().withHandle(h -> h.createQuery("SELECT kind FROM etl_runs WHERE run_id = :id")
                .bind("id", java.util.UUID.fromString(summary.get("run_id").asText())).mapTo(String.class).one());
        assertThat(kind).isEqualTo("reprocess");
    }

    @Test
    void dbMigrateCreatesTheSchemaTheLibraryRecognises() {
        TestDatabase empty = TestDatabase.createEmpty();

        Outcome outcome = run(config(empty, ""), "db", "migrate");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(empty.count("etl_runs")).isZero();
        AssetEtl.migrate(empty.dataSource());
        long changeSets = empty.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) - count(DISTINCT id) FROM databasechangelog").mapTo(Long.class).one());
        assertThat(changeSets).as("no change set applied twice").isZero();
    }

    @Test
    void dbMigrateOnTheEmbeddedDatabaseStopsItWhenDone() throws Exception {
        Path home = dir.resolve("migrate-home");
        Path config = embeddedConfig(home, "logging:\n  level: WARN\n");

        Outcome outcome = run(config, "db", "migrate");

        assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
        assertThat(home.resolve("postgres").resolve("postmaster.pid")).as("the embedded server stopped")
                .doesNotExist();
        try (EmbeddedDatabase database = EmbeddedDatabase.start(home.resolve("postgres"))) {
            long changeSets = Jdbi.create(database.dataSource()).withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM databasechangelog").mapTo(Long.class).one());
            assertThat(changeSets).as("the schema it migrated").isPositive();
        }
    }

    @Test
    void commandsOpenTwoConnectionsAtMostWhateverPoolTheServerIsGiven() throws Exception {
        // a role that may hold 2 connections at a time: a command that opened the server's 16 would be refused
        String role = db.name() + "_limited";
        String database = db.name() + "_owned";
        try (Connection c = TestDatabase.server().getPostgresDatabase().getConnection();
             Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN CONNECTION LIMIT 2");
            s.execute("CREATE DATABASE " + database + " OWNER " + role);
        }
        String yaml = """
                database:
                  driverClass: org.postgresql.Driver
                  url: jdbc:postgresql://127.0.0.1:%d/%s
                  user: %s
                  password: ""
                  initialSize: 16
                  minSize: 16
                  maxSize: 16
                etlInterval: "off"
                logging:
                  level: WARN
                """.formatted(TestDatabase.server().getPort(), database, role);
        Path config = Files.writeString(dir.resolve("pool-16.yml"), yaml);

        Outcome ingest = run(config, "ingest", "csv", "--file", TestApps.CSV.toString());
        Outcome reprocess = run(config, "reprocess", "csv");

        assertThat(ingest.exitCode()).as(ingest.stderr()).isZero();
        assertThat(ingest.summary().get("records_loaded").asLong()).isPositive();
        assertThat(reprocess.exitCode()).as(reprocess.stderr()).isZero();
    }

    /** A configuration on the embedded database in {@code home}, and {@code extra} settings. */
    private Path embeddedConfig(Path home, String extra) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "embedded", ".yml"), """
                database:
                  driverClass: org.postgresql.Driver
                  url: embedded
                home: %s
                etlInterval: "off"
                %s""".formatted(home, extra));
    }

    private Path config(String extra) {
        return config(db, extra);
    }

    private Path config(TestDatabase database, String extra) {
        String yaml = """
                database:
                  driverClass: org.postgresql.Driver
                  url: %s
                  user: %s
                  password: ""
                etlInterval: "off"
                logging:
                  level: WARN
                  loggers:
                    io.assetetl: INFO
                %s""".formatted(database.jdbcUrl(), database.user(), extra);
        try {
            Path file = Files.createTempFile(dir, "config", ".yml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The summary of a csv command that ended without a run: every field, no run id, zero counts. */
    private static void assertSummaryWithoutRun(JsonNode summary, String status) {
        List<String> fields = new ArrayList<>();
        summary.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyElementsOf(SUMMARY_FIELDS);
        assertThat(summary.get("run_id").isNull()).isTrue();
        assertThat(summary.get("source").asText()).isEqualTo("csv");
        assertThat(summary.get("status").asText()).isEqualTo(status);
        assertThat(summary.get("records_processed").asLong()).isZero();
        assertThat(summary.get("records_loaded").asLong()).isZero();
        assertThat(summary.get("records_unchanged").asLong()).isZero();
        assertThat(summary.get("records_rejected").asLong()).isZero();
        assertThat(summary.get("duration_ms").asLong()).isNotNegative();
    }

    private static Outcome run(Path config, String... command) {
        return run(Map.of(), config, command);
    }

    private static Outcome run(Map<String, String> environment, Path config, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        if (config != null) {
            args.add(config.toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        AtomicInteger exitCode = new AtomicInteger();
        AssetServiceApplication application = new AssetServiceApplication(environment) {
            @Override
            protected void exit(int code) {
                exitCode.set(code);
            }
        };
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            application.run(args.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        return new Outcome(exitCode.get(), lines, err.toString(StandardCharsets.UTF_8));
    }
}

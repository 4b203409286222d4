package io.assetetl.service;

import static io.assetetl.service.PackagedJar.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's commands failing because of their surroundings, as a user meets them: configured through the
 * environment, the failure said in one line without a stack trace, and nothing left behind.
 */
class PackagedCommandFailuresIT {

    /** How logback (Dropwizard's "! at") and the JDK ("\tat") print a stack frame. */
    private static final List<String> STACK_FRAMES = List.of("! at ", "\tat ");

    private static final List<String> UNSET = List.of("DATABASE_URL", "DATABASE_USER", "DATABASE_PASSWORD",
            "CSV_SOURCE_PATH", "CSV_WEIRD_SOURCE_PATH", "ETL_INTERVAL", "ETL_FAIL_AFTER_RECORDS", "LOG_FORMAT",
            "ADMIN_TOKEN", "COINGECKO_API_KEY");

    @TempDir
    Path dir;

    record Ended(int exitCode, String output) {
    }

    @Test
    void aDatabaseUrlThatIsNoJdbcUrlIsRefusedByEveryCommandWithoutRepeatingItsPassword() throws Exception {
        for (List<String> command : List.of(List.of("ingest", "csv"), List.of("db", "migrate"),
                List.of("server"))) {
            ProcessBuilder builder = command(command);
            builder.environment().put("DATABASE_URL", "postgresql://etl:UrlSecretPw@127.0.0.1:1/assets");
            builder.environment().put("PORT", Integer.toString(freePort()));
            builder.environment().put("ADMIN_PORT", Integer.toString(freePort()));

            Ended ended = run(builder);

            assertThat(ended.exitCode()).as("a usage error: %s", ended.output()).isEqualTo(2);
            assertThat(ended.output()).contains("the database URL (DATABASE_URL) must be a PostgreSQL JDBC URL")
                    .doesNotContain("UrlSecretPw").doesNotContain(STACK_FRAMES);
        }
    }

    @Test
    void aServerWhosePortIsTakenFailsInOneLineAndStopsItsEmbeddedDatabaseAtOnce() throws Exception {
        Path home = dir.resolve("home");
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            ProcessBuilder builder = command(List.of("server"));
            builder.environment().put("ASSET_ETL_HOME", home.toString());
            builder.environment().put("PORT", Integer.toString(taken.getLocalPort()));
            builder.environment().put("ADMIN_PORT", Integer.toString(freePort()));
            builder.environment().put("ETL_INTERVAL", "off");
            builder.environment().put("WARM_UP_REQUESTS", "0");

            Ended ended = run(builder);

            assertThat(ended.exitCode()).as(ended.output()).isEqualTo(1);
            assertThat(ended.output())
                    .contains("server failed to start: Failed to bind to ", ":" + taken.getLocalPort(),
                            "(Address already in use)")
                    .doesNotContain(STACK_FRAMES)
                    // the JVM's end no longer has to stop it, after waiting for an owner that never would
                    .doesNotContain("was not stopped by its owner");
        }
        assertThat(home.resolve("postgres").resolve("postmaster.pid")).as("the embedded server stopped")
                .doesNotExist();
    }

    @Test
    void theDefaultFileOfAFileSourceThatDoesNotExistIsAUsageErrorAsAConfiguredOneIs() throws Exception {
        TestDatabase db = TestDatabase.create();
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        for (String source : List.of("csv", "csv_weird")) {
            String defaultFile = source.equals("csv") ? "examples/data/assets.csv" : "examples/data/assets_weird.csv";
            for (boolean configured : List.of(false, true)) {
                ProcessBuilder builder = command(List.of("ingest", source)).directory(elsewhere.toFile());
                builder.environment().put("DATABASE_URL", db.jdbcUrl());
                builder.environment().put("DATABASE_USER", db.user());
                if (configured) {
                    builder.environment().put(source.equals("csv") ? "CSV_SOURCE_PATH" : "CSV_WEIRD_SOURCE_PATH",
                            defaultFile);
                }

                Ended ended = run(builder);

                assertThat(ended.exitCode()).as(ended.output()).isEqualTo(2);
                assertThat(ended.output()).contains("file not found: " + defaultFile + " ("
                        + elsewhere.resolve(defaultFile) + ": a relative path is read from the working directory)")
                        .doesNotContain(STACK_FRAMES);
            }
        }
        assertThat(db.count("etl_runs")).as("a usage error records no run").isZero();
    }

    private ProcessBuilder command(List<String> arguments) throws IOException {
        return PackagedJar.command(Files.createTempFile(dir, "command", ".log"), UNSET,
                arguments.toArray(String[]::new));
    }

    private static Ended run(ProcessBuilder builder) throws Exception {
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends").isTrue();
        } finally {
            process.destroyForcibly();
        }
        return new Ended(process.exitValue(), Files.readString(builder.redirectOutput().file().toPath()));
    }
}

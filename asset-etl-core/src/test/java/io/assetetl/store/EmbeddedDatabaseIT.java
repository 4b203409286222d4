package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's data folder across processes: one process at a time, and a server that outlived a killed
 * process stopped by the next start. Each test runs {@link EmbeddedDatabaseProcess} in a JVM of its own.
 */
class EmbeddedDatabaseIT {

    @TempDir
    Path home;

    @Test
    void aFolderInUseByAnotherProcessFailsAtOnceSayingSo() throws Exception {
        Path data = home.resolve("postgres");
        Process other = startInAnotherProcess(data);
        try {
            assertThatThrownBy(() -> EmbeddedDatabase.start(data))
                    .isInstanceOf(EmbeddedDatabase.DataDirectoryInUseException.class)
                    .hasMessageContaining(data.toString())
                    .hasMessageContaining("in use by another process");
            assertThat(EmbeddedDatabase.leftoverServer(data)).as("the other process's server is left alone")
                    .hasValueSatisfying(server -> assertThat(server.isAlive()).isTrue());
        } finally {
            other.destroy();
            other.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerLeftRunningByAKilledProcessIsStoppedAndTheDataKept() throws Exception {
        Path data = home.resolve("postgres");
        Process killed = startInAnotherProcess(data);
        killed.destroyForcibly();
        assertThat(killed.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ProcessHandle leftover = EmbeddedDatabase.leftoverServer(data).orElseThrow(
                () -> new AssertionError("the killed process's server outlives it"));

        try (EmbeddedDatabase database = EmbeddedDatabase.start(data)) {
            assertThat(leftover.isAlive()).isFalse();
            try (Connection connection = database.dataSource().getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT note FROM left_by_the_killed_process")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("kept");
            }
        }
    }

    /** Starts {@link EmbeddedDatabaseProcess} on {@code data} and waits until its server has a table written. */
    private static Process startInAnotherProcess(Path data) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EmbeddedDatabaseProcess.class.getName(),
                data.toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            seen.append(line).append('\n');
            if (line.equals(EmbeddedDatabaseProcess.READY)) {
                // keep draining its output, so that it never blocks on a full pipe
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "embedded-database-process-output");
                drain.setDaemon(true);
                drain.start();
                return process;
            }
        }
        throw new AssertionError("the other process ended before its database was ready:\n" + seen);
    }
}

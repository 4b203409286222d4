package io.assetetl.service.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assignment's "failure injection + strong recovery", through the real command: {@code ETL_FAIL_AFTER_RECORDS}
 * makes an {@code ingest} fail in the middle of a file; the next {@code ingest} resumes from the checkpoint and the
 * tables end as after one clean run.
 */
class ControlledFailureIT {

    private static final Path JAR = Path.of("target", "asset-service.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void anInjectedFailureMidFileIsRecordedAndTheNextRunResumesWithoutDuplicates() throws Exception {
        Path csv = QuotesFile.write(dir.resolve("quotes.csv"), 30_000, 500, 11);
        TestDatabase reference = TestDatabase.createEmpty();
        assertThat(ingest(reference, csv, null).exitCode).isZero();

        TestDatabase db = TestDatabase.createEmpty();
        Outcome failed = ingest(db, csv, "25000");

        assertThat(failed.exitCode).isEqualTo(1);
        assertThat(failed.summary.get("status").asText()).isEqualTo("failed");
        assertThat(failed.summary.get("records_processed").asLong()).isEqualTo(20_000);
        String error = db.jdbi().withHandle(h -> h.createQuery("SELECT error FROM etl_runs WHERE run_id = :id")
                .bind("id", java.util.UUID.fromString(failed.summary.get("run_id").asText()))
                .mapTo(String.class).one());
        assertThat(error).contains("ETL_FAIL_AFTER_RECORDS");

        Outcome resumed = ingest(db, csv, null);

        assertThat(resumed.exitCode).isZero();
        assertThat(resumed.summary.get("records_processed").asLong()).isEqualTo(10_000);
        Map<String, String> expected = TableDigests.of(reference);
        assertThat(TableDigests.of(db)).isEqualTo(expected);
        System.out.printf("controlled-failure: run failed after %d of 30000 records (ETL_FAIL_AFTER_RECORDS=25000),"
                + " next run resumed %d records, 0 lost, 0 doubled%n",
                failed.summary.get("records_processed").asLong(), resumed.summary.get("records_processed").asLong());
    }

    private record Outcome(int exitCode, JsonNode summary) {
    }

    private Outcome ingest(TestDatabase db, Path csv, String failAfter) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "ingest", "csv", "--file", csv.toString(), "--batch-size", "20000");
        Map<String, String> env = builder.environment();
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("DATABASE_USER", db.user());
        env.put("ASSET_ETL_HOME", dir.resolve("home").toString());
        env.put("ETL_INTERVAL", "off");
        if (failAfter == null) {
            env.remove("ETL_FAIL_AFTER_RECORDS");
        } else {
            env.put("ETL_FAIL_AFTER_RECORDS", failAfter);
        }
        Path out = dir.resolve("stdout.txt");
        builder.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        // logs, the libraries' included, go to stderr: stdout is the summary alone
        assertThat(lines).as("stdout of the packaged ingest command").hasSize(1);
        return new Outcome(process.exitValue(), JSON.readTree(lines.get(0)));
    }
}

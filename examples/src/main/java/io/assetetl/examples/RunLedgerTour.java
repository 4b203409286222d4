package io.assetetl.examples;

import io.assetetl.AssetEtl;
import io.assetetl.run.CheckpointRecord;
import io.assetetl.run.RunRecord;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reading the run ledger and checkpoints from the library — what {@code GET /runs} shows, without the service.
 * It ingests a small JSON-lines feed twice (the second run finds nothing new) and prints both runs.
 */
public final class RunLedgerTour {

    private RunLedgerTour() {
    }

    public static void main(String[] args) throws IOException {
        try (ExampleDatabase db = ExampleDatabase.open()) {
            tour(db.dataSource(), System.out);
        }
    }

    static void tour(DataSource dataSource, PrintStream out) throws IOException {
        Path feed = Files.createTempFile("prices", ".jsonl");
        Files.writeString(feed, """
                {"ticker":"BTC","usd":64000.5,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"ETH","usd":3100,"ts":"2024-05-01T00:00:00Z"}
                {"ticker":"DOGE","usd":"free","ts":"2024-05-01T00:00:00Z"}
                """);
        AssetEtl.migrate(dataSource);
        try (AssetEtl etl = AssetEtl.builder()
                .dataSource(dataSource)
                .source(SourceDefinition.of("feed", "jsonl", SourceConfig.of(Map.of("path", feed.toString()))))
                .build()) {
            etl.run(RunRequest.of("feed"));
            etl.run(RunRequest.of("feed"));

            out.println("runs of 'feed', newest first:");
            for (RunRecord run : etl.runs(10, Optional.of("feed"), Optional.empty())) {
                out.printf("  %s %-9s processed=%d loaded=%d unchanged=%d rejected=%d duration_ms=%d%n",
                        run.runId(), run.status().code(), run.recordsProcessed(), run.recordsLoaded(),
                        run.recordsUnchanged(), run.recordsRejected(), run.durationMs());
            }
            for (CheckpointRecord checkpoint : etl.checkpoints("feed")) {
                out.printf("checkpoint %s/%s = %s (written by run %s)%n", checkpoint.source(), checkpoint.stream(),
                        checkpoint.position(), checkpoint.runId());
            }
        } finally {
            Files.deleteIfExists(feed);
        }
    }
}

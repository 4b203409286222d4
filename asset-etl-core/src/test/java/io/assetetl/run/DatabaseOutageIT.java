package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.AssetEtl;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database goes away in the middle of a run: the run fails with a clear error, nothing of the chunk in flight
 * is written, and once the database is back the next run records the failure the outage kept from being recorded
 * and finishes the work.
 */
class DatabaseOutageIT {

    @TempDir
    Path dir;

    @Test
    void aRunWhoseDatabaseGoesAwayFailsCleanlyAndTheNextRunFinishesTheWork() throws Exception {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            rows.add("SYM" + i + ",," + (10 + i) + ",1700000000");
        }
        ListSourceFactory.dataset("outage", rows);
        Path data = dir.resolve("pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).start();
        int port = pg.getPort();
        PGSimpleDataSource ds = dataSource(port);
        AssetEtl.migrate(ds);
        AssetEtl etl = AssetEtl.builder().dataSource(ds).discoverFactories(false).factory(new ListSourceFactory())
                .source(SourceDefinition.of("outage", "list", SourceConfig.of(Map.of(
                        "dataset", "outage", "batch_size", "3", "pause_at", "6"))))
                .build();
        try (ListSourceFactory.Gate gate = ListSourceFactory.gate("outage")) {
            StartedRun run = etl.start(RunRequest.of("outage"));
            assertThat(gate.entered().await(30, TimeUnit.SECONDS)).isTrue();
            // the reader runs ahead of the writer: wait for the second chunk's commit before pulling the plug
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count(etl, "SELECT count(*) FROM etl_checkpoints WHERE position->>'next' = '6'") == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            pg.close();
            gate.open();

            RunResult failed = run.completion().get(60, TimeUnit.SECONDS);

            assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
            assertThat(failed.error()).startsWith("database unavailable");
            assertThat(failed.processed()).as("what the run committed, although it could not be recorded yet")
                    .isEqualTo(6);
            assertThat(failed.loaded()).isEqualTo(6);

            assertThatThrownBy(etl::recordPendingFailures).as("the database is still gone")
                    .isInstanceOf(JdbiException.class);
            pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
            assertThat(etl.recordPendingFailures()).isTrue();
            RunRecord recorded = etl.findRun(failed.runId()).orElseThrow();
            assertThat(recorded.status()).as("recorded by this process, not abandoned").isEqualTo(RunStatus.FAILED);
            assertThat(recorded.error()).isEqualTo(failed.error());
            assertThat(recorded.recordsProcessed()).isEqualTo(6);
            long quotesAfterOutage = count(etl, "SELECT count(*) FROM asset_quotes");
            assertThat(quotesAfterOutage).as("the two chunks committed before the outage, nothing more").isEqualTo(6);

            RunResult next = etl.run(RunRequest.of("outage"));

            assertThat(next.succeeded()).isTrue();
            assertThat(next.processed()).isEqualTo(6);
            assertThat(count(etl, "SELECT count(*) FROM asset_quotes")).isEqualTo(12);
            assertThat(etl.findRun(failed.runId()).orElseThrow()).isEqualTo(recorded);
            assertThat(etl.runs(10, Optional.of("outage"), Optional.of(RunStatus.RUNNING))).isEmpty();
            System.out.printf("database-outage: run failed with \"%s\" (recorded once the database was back,"
                    + " before the next run), 6"
                    + " rows committed before the outage kept, next run resumed 6 rows, 0 lost, 0 doubled%n",
                    failed.error());
        } finally {
            etl.close();
            pg.close();
        }
    }

    private static long count(AssetEtl etl, String sql) {
        return etl.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static PGSimpleDataSource dataSource(int port) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName("postgres");
        ds.setUser("postgres");
        ds.setConnectTimeout(5);
        return ds;
    }
}

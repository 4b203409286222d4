package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SummaryChangesIT {

    /** Every call a listener hears, in order. */
    private static final class Heard implements SummaryChanges.Listener {

        private final BlockingQueue<String> calls = new LinkedBlockingQueue<>();

        @Override
        public void listening() {
            calls.add("listening");
        }

        @Override
        public void changed() {
            calls.add("changed");
        }

        @Override
        public void lost(Exception cause) {
            calls.add("lost");
        }

        /** The next call heard, waiting for it as long as a slow machine could take. */
        String next() throws InterruptedException {
            String call = calls.poll(30, TimeUnit.SECONDS);
            assertThat(call).as("a call heard within 30 s").isNotNull();
            return call;
        }
    }

    private static AssetEtl etl(TestDatabase db, String dataset) {
        return AssetEtl.builder().dataSource(db.dataSource()).discoverFactories(false)
                .factory(new ListSourceFactory())
                .source(SourceDefinition.of("one", "list", SourceConfig.of(Map.of("dataset", dataset))))
                .build();
    }

    @Test
    void aListenerHearsOfARunThatChangedSummariesOnceItEnds() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("changes-one", List.of("BTC,,100,1700000000", "ETH,,10,1700000000"));
        Heard heard = new Heard();
        try (SummaryChanges changes = SummaryChanges.start(db.dataSource(), heard, Duration.ofMillis(50))) {
            assertThat(heard.next()).isEqualTo("listening");

            etl(db, "changes-one").run(RunRequest.of("one"));

            assertThat(heard.next()).isEqualTo("changed");
        }
    }

    @Test
    void aLostConnectionIsToldAndReplacedByANewListeningOne() throws Exception {
        TestDatabase db = TestDatabase.create();
        ListSourceFactory.dataset("changes-two", List.of("BTC,,100,1700000000"));
        Heard heard = new Heard();
        try (SummaryChanges changes = SummaryChanges.start(db.dataSource(), heard, Duration.ofMillis(50))) {
            assertThat(heard.next()).isEqualTo("listening");

            int terminated = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid()""").mapTo(Integer.class).one());
            assertThat(terminated).as("the listening connection, the only other one").isEqualTo(1);

            assertThat(heard.next()).isEqualTo("lost");
            assertThat(heard.next()).isEqualTo("listening");
            etl(db, "changes-two").run(RunRequest.of("one"));
            assertThat(heard.next()).as("changes are heard on the new connection").isEqualTo("changed");
            assertThat(changes.isRunning()).isTrue();
        }
    }

    @Test
    void closingStopsTheListeningThread() throws Exception {
        TestDatabase db = TestDatabase.create();
        Heard heard = new Heard();
        SummaryChanges changes = SummaryChanges.start(db.dataSource(), heard, Duration.ofMillis(50));
        assertThat(heard.next()).isEqualTo("listening");

        changes.close();

        assertThat(changes.isRunning()).isFalse();
        long listeners = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid()""").mapTo(Long.class).one());
        assertThat(listeners).as("its connection is closed").isZero();
    }
}

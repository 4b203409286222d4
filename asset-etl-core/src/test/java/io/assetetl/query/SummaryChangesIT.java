package io.assetetl.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import io.assetetl.testing.ListSourceFactory;
import io.assetetl.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

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

    private static final String LISTENER = "summary changes under test";

    /** Where the listener opens its connections: the test database, under a name of its own. */
    private static DataSource listening(TestDatabase db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setApplicationName(LISTENER);
        return dataSource;
    }

    private static long listeningConnections(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND application_name = :name""")
                .bind("name", LISTENER).mapTo(Long.class).one());
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
        try (SummaryChanges changes = SummaryChanges.start(listening(db), heard, Duration.ofMillis(50))) {
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
        try (SummaryChanges changes = SummaryChanges.start(listening(db), heard, Duration.ofMillis(50))) {
            assertThat(heard.next()).isEqualTo("listening");

            int terminated = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = :name""")
                    .bind("name", LISTENER).mapTo(Integer.class).one());
            assertThat(terminated).as("the listening connection").isEqualTo(1);

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
        SummaryChanges changes = SummaryChanges.start(listening(db), heard, Duration.ofMillis(50));
        assertThat(heard.next()).isEqualTo("listening");

        changes.close();

        assertThat(changes.isRunning()).isFalse();
        // the server ends a backend a moment after its client closed the connection
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (listeningConnections(db) > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        assertThat(listeningConnections(db)).as("its connection is closed").isZero();
    }

    @Test
    void aConnectionThatNeverHearsItsOwnNotificationIsNotTakenForListening() throws Exception {
        TestDatabase db = TestDatabase.create();
        Heard heard = new Heard();
        try (SummaryChanges changes = SummaryChanges.start(deaf(listening(db)), heard, Duration.ofMillis(50),
                Duration.ofMillis(300))) {
            assertThat(heard.next()).isEqualTo("lost");
            assertThat(heard.next()).as("tried again, and still deaf").isEqualTo("lost");
        }
    }

    /** Connections of {@code dataSource} that never hear a notification, as behind a pooler in transaction mode. */
    private static DataSource deaf(DataSource dataSource) {
        return (DataSource) Proxy.newProxyInstance(SummaryChangesIT.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    return result instanceof Connection connection ? deaf(connection) : result;
                });
    }

    private static Connection deaf(Connection connection) throws SQLException {
        PGConnection postgres = connection.unwrap(PGConnection.class);
        PGConnection deafPostgres = (PGConnection) Proxy.newProxyInstance(SummaryChangesIT.class.getClassLoader(),
                new Class<?>[] {PGConnection.class}, (proxy, method, args) ->
                        method.getName().equals("getNotifications") ? new PGNotification[0]
                                : invoke(postgres, method, args));
        return (Connection) Proxy.newProxyInstance(SummaryChangesIT.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) ->
                        method.getName().equals("unwrap") ? deafPostgres : invoke(connection, method, args));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

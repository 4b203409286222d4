package io.assetetl.testing;

import io.assetetl.AssetEtl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database on a real PostgreSQL server that is started once per test JVM from the embedded
 * binaries. Each {@link #create()} gives a new empty database, so tests never see each other's rows.
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static EmbeddedPostgres server;

    private final String name;
    private final PGSimpleDataSource dataSource;

    private TestDatabase(String name, PGSimpleDataSource dataSource) {
        this.name = name;
        this.dataSource = dataSource;
    }

    /** A new migrated database. */
    public static TestDatabase create() {
        TestDatabase db = createEmpty();
        AssetEtl.migrate(db.dataSource());
        return db;
    }

    /** A new database without the schema. */
    public static TestDatabase createEmpty() {
        EmbeddedPostgres pg = server();
        String name = "t" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {pg.getPort()});
        ds.setDatabaseName(name);
        ds.setUser("postgres");
        return new TestDatabase(name, ds);
    }

    /** The shared embedded server of this JVM, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().setServerConfig("max_connections", "200").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
        }
        return server;
    }

    public String name() {
        return name;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server().getPort() + "/" + name;
    }

    public String user() {
        return "postgres";
    }

    public Jdbi jdbi() {
        return Jdbi.create(dataSource);
    }

    /**
     * Empties every table but Liquibase's own and restarts their identities, in one statement: the schema's state as
     * a fresh migration leaves it, for tests that play many histories on one database.
     */
    public void emptyTables() {
        jdbi().useHandle(h -> {
            List<String> tables = h.createQuery("""
                    SELECT tablename FROM pg_tables
                    WHERE schemaname = 'public' AND tablename NOT LIKE 'databasechangelog%'""")
                    .mapTo(String.class).list();
            h.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        });
    }

    /** Number of rows of {@code table}. */
    public long count(String table) {
        return jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    /**
     * An md5 digest of the rows {@code query} returns, in the order it returns them; for comparing table contents
     * between two databases. The query must order its rows.
     */
    public String digest(String query) {
        return jdbi().withHandle(h -> h.createQuery(
                "SELECT coalesce(md5(string_agg(q::text, '|' ORDER BY n)), 'empty') FROM "
                        + "(SELECT row_number() OVER () AS n, x AS q FROM (" + query + ") x) d")
                .mapTo(String.class).one());
    }
}

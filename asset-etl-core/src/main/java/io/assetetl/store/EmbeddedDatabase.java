package io.assetetl.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the embedded binaries, for when no {@code DATABASE_URL} is given. Its data
 * lives in a folder that survives restarts ({@code $ASSET_ETL_HOME/postgres}).
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /**
     * Starts PostgreSQL on a free local port, keeping its data in {@code dataDirectory} (created when missing,
     * reused when present).
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)}, on {@code port} ({@code 0}: any free port). */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        try {
            Path dir = dataDirectory.toAbsolutePath();
            Files.createDirectories(dir.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setServerConfig("max_connections", "100")
                    // the test-oriented default is off; an acknowledged commit of real data must survive a crash
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            LOG.info("embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dir);
            return new EmbeddedDatabase(postgres, dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        }
    }
}

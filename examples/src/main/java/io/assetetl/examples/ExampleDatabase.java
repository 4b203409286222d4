package io.assetetl.examples;

import io.assetetl.store.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database an example works on: the server named by {@code DATABASE_URL} (with {@code DATABASE_USER} and
 * {@code DATABASE_PASSWORD}) when set, else an embedded PostgreSQL in a temporary folder, stopped on close.
 */
final class ExampleDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final EmbeddedDatabase embedded;

    private ExampleDatabase(DataSource dataSource, EmbeddedDatabase embedded) {
        this.dataSource = dataSource;
        this.embedded = embedded;
    }

    static ExampleDatabase open() {
        String url = System.getenv("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser(System.getenv("DATABASE_USER"));
            ds.setPassword(System.getenv("DATABASE_PASSWORD"));
            return new ExampleDatabase(ds, null);
        }
        try {
            EmbeddedDatabase db = EmbeddedDatabase.start(Files.createTempDirectory("asset-etl-example").resolve("pg"));
            return new ExampleDatabase(db.dataSource(), db);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}

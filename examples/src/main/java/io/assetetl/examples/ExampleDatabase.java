package io.assetetl.examples;

import io.assetetl.store.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The database an example works on: the server named by {@code DATABASE_URL} (with {@code DATABASE_USER} and
 * {@code DATABASE_PASSWORD}) when set, else an embedded PostgreSQL in a temporary folder, stopped and deleted on
 * close.
 */
final class ExampleDatabase implements AutoCloseable {

    private final DataSource dataSource;
    private final EmbeddedDatabase embedded;
    /** The temporary folder of the embedded server's data, or {@code null}. */
    private final Path folder;

    private ExampleDatabase(DataSource dataSource, EmbeddedDatabase embedded, Path folder) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.folder = folder;
    }

    static ExampleDatabase open() {
        return open(System.getenv());
    }

    static ExampleDatabase open(Map<String, String> env) {
        String url = env.get("DATABASE_URL");
        if (url != null && !url.isBlank()) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl(url);
            ds.setUser(env.get("DATABASE_USER"));
            ds.setPassword(env.get("DATABASE_PASSWORD"));
            return new ExampleDatabase(ds, null, null);
        }
        try {
            Path folder = Files.createTempDirectory("asset-etl-example");
            EmbeddedDatabase db = EmbeddedDatabase.start(folder.resolve("pg"));
            return new ExampleDatabase(db.dataSource(), db, folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        if (embedded == null) {
            return;
        }
        embedded.close();
        // the server keeps its data on stop (it is meant to survive restarts); an example's is thrown away
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the example database in " + folder, e);
        }
    }
}

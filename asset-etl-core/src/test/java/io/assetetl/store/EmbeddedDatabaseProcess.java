package io.assetetl.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** A process that starts the embedded database on the folder it is given, writes a table, and runs until stopped. */
public final class EmbeddedDatabaseProcess {

    static final String READY = "embedded database ready";

    private EmbeddedDatabaseProcess() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE left_by_the_killed_process (note text)");
            statement.execute("INSERT INTO left_by_the_killed_process VALUES ('kept')");
        }
        System.out.println(READY);
        System.out.flush();
        Thread.currentThread().join();
    }
}

package io.assetetl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleDatabaseIT {

    @Test
    void anEmbeddedServerLeavesNothingBehindWhenClosed() throws Exception {
        Path dataDirectory;
        try (ExampleDatabase db = ExampleDatabase.open(Map.of())) {
            try (Connection connection = db.dataSource().getConnection();
                    ResultSet rs = connection.createStatement().executeQuery("SHOW data_directory")) {
                rs.next();
                dataDirectory = Path.of(rs.getString(1));
            }
            assertThat(dataDirectory).isDirectory();
        }

        assertThat(Files.exists(dataDirectory)).isFalse();
        assertThat(Files.exists(dataDirectory.getParent())).isFalse();
    }
}

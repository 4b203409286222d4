package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.db.DataSourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {

    @Test
    void aDatabaseThatCannotBeReachedFailsTheMigrationWithoutThePoolLoggingAnErrorOfItsOwn() {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.postgresql.Driver");
        database.setUrl("jdbc:postgresql://127.0.0.1:9/nowhere?connectTimeout=2");
        database.setUser("nobody");
        List<LogRecord> errors = new ArrayList<>();
        // the pool logs through java.util.logging (Tomcat's JULI), whatever logging the service sets up
        Logger pool = Logger.getLogger("org.apache.tomcat.jdbc.pool");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        pool.addHandler(handler);
        try {
            assertThatThrownBy(() -> SchemaMigration.migrate(database)).hasMessageContaining("127.0.0.1:9");
        } finally {
            pool.removeHandler(handler);
        }

        assertThat(errors).extracting(LogRecord::getMessage).isEmpty();
        assertThat(database.getInitialSize()).as("the factory keeps its own sizes").isEqualTo(10);
    }
}

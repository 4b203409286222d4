package io.assetetl.service.cache;

import static org.assertj.core.api.Assertions.assertThatCode;

import io.dropwizard.db.DataSourceFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryChangesListeningTest {

    @Test
    void driverPropertiesThePoolWouldIgnoreDoNotStopTheService() {
        DataSourceFactory database = new DataSourceFactory();
        database.setUrl("jdbc:postgresql://127.0.0.1:5432/assets?sslmode=disable");
        database.setUser("etl");
        database.setProperties(Map.of("ApplicationName", "asset-service", "connectTimeout", "5",
                "notAPostgresProperty", "1"));

        assertThatCode(() -> new SummaryChangesListening(database, new ReadCache<String, String>(1024,
                Duration.ofMinutes(1), String::length))).doesNotThrowAnyException();
    }
}

package io.assetetl.service.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.AssetEtl;
import io.assetetl.query.RunQueries;
import io.assetetl.run.SourceDefinition;
import io.assetetl.service.api.HealthResponse;
import io.assetetl.service.health.ServiceHealth;
import io.assetetl.service.http.ApiExceptionMapper;
import io.assetetl.service.http.UnexpectedExceptionMapper;
import io.assetetl.service.http.WebApplicationExceptionMapper;
import io.assetetl.spi.SourceConfig;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.dropwizard.testing.junit5.ResourceExtension;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** {@code GET /health} against a database that refuses connections: 503, and nothing about why. */
@ExtendWith(DropwizardExtensionsSupport.class)
class HealthResourceTest {

    private static final AssetEtl ETL = AssetEtl.builder()
            .dataSource(unreachable())
            .source(SourceDefinition.of("csv", "csv", SourceConfig.of(Map.of("path", "assets.csv"))))
            .build();

    static final ResourceExtension RESOURCES = ResourceExtension.builder()
            .addResource(new HealthResource(new ServiceHealth(ETL, new RunQueries(ETL.jdbi()))))
            .addProvider(new ApiExceptionMapper())
            .addProvider(new WebApplicationExceptionMapper())
            .addProvider(new UnexpectedExceptionMapper())
            .build();

    @AfterAll
    static void close() {
        ETL.close();
    }

    @Test
    void unreachableDatabaseIs503WithTheContractsBody() {
        Response response = RESOURCES.target("/health").request().get();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        String body = response.readEntity(String.class);
        assertThat(body).isEqualTo("{\"status\":\"error\",\"database\":\"disconnected\",\"etl\":{}}");
    }

    @Test
    void theAnswerIsTheHealthRecord() {
        HealthResponse health = RESOURCES.target("/health").request().get().readEntity(HealthResponse.class);

        assertThat(health.healthy()).isFalse();
        assertThat(health.etl()).isEmpty();
    }

    private static PGSimpleDataSource unreachable() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {"127.0.0.1"});
        dataSource.setPortNumbers(new int[] {1});
        dataSource.setDatabaseName("none");
        dataSource.setConnectTimeout(2);
        return dataSource;
    }
}

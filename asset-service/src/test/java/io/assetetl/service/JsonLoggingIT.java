package io.assetetl.service;

import static io.assetetl.service.PackagedJar.awaitTrue;
import static io.assetetl.service.PackagedJar.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar with {@code LOG_FORMAT=json}, as a log shipper reads it: everything it writes, on stdout and stderr,
 * is one JSON object a line, from the first line to the last.
 */
class JsonLoggingIT {

    @TempDir
    Path dir;

    @Test
    void theServerWritesOnlyJsonLinesFromStartToShutdownThroughARunAndRequests() throws Exception {
        TestDatabase db = TestDatabase.create();
        int port = freePort();
        ProcessBuilder builder = jar(db, "server");
        builder.environment().put("ETL_INTERVAL", "off");
        builder.environment().put("WARM_UP_REQUESTS", "0");
        builder.environment().put("ADMIN_TOKEN", TestApps.ADMIN_TOKEN);
        builder.environment().put("PORT", Integer.toString(port));
        builder.environment().put("ADMIN_PORT", Integer.toString(freePort()));
        Process server = builder.start();
        try {
            Http http = new Http(port);
            awaitTrue(server, () -> http.get("/health").status() == 200);
            Http.Reply started = http.post("/runs", "{\"source\":\"csv\"}", Map.of(
                    "Authorization", "Bearer " + TestApps.ADMIN_TOKEN, "Content-Type", "application/json"));
            assertThat(started.status()).isEqualTo(202);
            String run = "/runs/" + started.json().get("run_id").asText();
            awaitTrue(server, () -> "succeeded".equals(http.get(run).json().path("status").asText()));
            assertThat(http.get("/data?limit=5").status()).isEqualTo(200);
            assertThat(http.get("/assets/NO-SUCH-ASSET").status()).isEqualTo(404);
        } finally {
            server.destroy();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("graceful shutdown").isTrue();
        }

        List<JsonNode> events = jsonLines(builder);
        assertThat(events).as("the request log's lines among them")
                .anyMatch(e -> e.path("uri").asText().equals("/data"));
    }

    @Test
    void dbMigrateReportsTheChangeSetsItRanAsJsonLines() throws Exception {
        ProcessBuilder builder = jar(TestDatabase.createEmpty(), "db", "migrate");

        Process migrate = builder.start();

        assertThat(migrate.waitFor(120, TimeUnit.SECONDS)).as("db migrate ends").isTrue();
        assertThat(migrate.exitValue()).isZero();
        List<JsonNode> events = jsonLines(builder);
        assertThat(events).as("Liquibase's report of what it ran, in the log")
                .anyMatch(e -> e.path("message").asText().contains("001-schema.sql::001-runs"));
    }

    private ProcessBuilder jar(TestDatabase db, String... command) throws IOException {
        ProcessBuilder builder = PackagedJar.command(Files.createTempFile(dir, "out", ".log"), List.of(
                "CSV_SOURCE_PATH", "CSV_WEIRD_SOURCE_PATH", "ETL_FAIL_AFTER_RECORDS", "DATABASE_PASSWORD",
                "ADMIN_TOKEN", "ETL_INTERVAL"), command);
        Map<String, String> env = builder.environment();
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("DATABASE_USER", db.user());
        env.put("LOG_FORMAT", "json");
        return builder;
    }

    /** Every line the process of {@code builder} wrote, each read as the JSON object it must be. */
    private static List<JsonNode> jsonLines(ProcessBuilder builder) throws IOException {
        List<String> lines = Files.readAllLines(builder.redirectOutput().file().toPath());
        assertThat(lines).as("the process logged").isNotEmpty();
        List<JsonNode> events = new ArrayList<>();
        for (String line : lines) {
            JsonNode event;
            try {
                event = Http.JSON.readTree(line);
            } catch (IOException notJson) {
                throw new AssertionError("not a JSON line: " + line, notJson);
            }
            assertThat(event != null && event.isObject()).as("a JSON object: %s", line).isTrue();
            events.add(event);
        }
        return events;
    }
}

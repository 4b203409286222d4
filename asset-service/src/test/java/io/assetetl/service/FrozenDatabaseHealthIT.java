package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.store.EmbeddedDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database that stops answering without refusing connections (a frozen host, a network that drops packets) is
 * unreachable too: {@code /health} and the reads answer 503 within seconds instead of waiting for it forever.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class FrozenDatabaseHealthIT {

    private static final EmbeddedDatabase DATABASE = EmbeddedDatabase.start(temporaryDirectory().resolve("postgres"));
    private static final FreezingProxy PROXY = new FreezingProxy(DATABASE.port());

    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment("http://127.0.0.1:9/api/v3"),
                    DATABASE.jdbcUrl().replace(":" + DATABASE.port() + "/", ":" + PROXY.port() + "/"),
                    DATABASE.user()));

    @AfterAll
    static void stopDatabase() {
        PROXY.close();
        DATABASE.close();
    }

    @Test
    void healthAndReadsAnswer503WithinSecondsWhileTheDatabaseDoesNotAnswer() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        assertThat(get(client, "/health").statusCode()).isEqualTo(200);
        // past the pool's validation interval, as a probe that comes every few seconds is
        Thread.sleep(1500);

        PROXY.freeze();

        for (String path : new String[] {"/health", "/data?limit=3", "/health"}) {
            long start = System.nanoTime();
            HttpResponse<String> reply = get(client, path);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(reply.statusCode()).as(path + ": " + reply.body()).isEqualTo(503);
            assertThat(took).as(path).isLessThan(Duration.ofSeconds(15));
        }
        assertThat(get(client, "/health").body()).contains("\"database\":\"disconnected\"");
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("asset-service-frozen");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

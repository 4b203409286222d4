package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * CoinGecko lists coins whose symbols hold characters a path cannot carry as they are ({@code e/acc}, {@code 1%}),
 * or that are a path's dot segments ({@code .}, {@code ..}). {@code /data} lists them, so {@code /assets/{symbol}}
 * must reach them when the symbol is percent-encoded as one path segment, as any HTTP client's URI builder does.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SymbolPathIT {

    private static final TestDatabase DB = TestDatabase.create();
    private static final FakeCoinGeckoServer COINGECKO = FakeCoinGeckoServer.start().withItems(List.of(
            item("e-acc", "e/acc", 0.5),
            item("one-percent", "1%", 2),
            item("back-slash", "a\\\\b", 3),
            item("dot", ".", 4),
            item("dot-dot", "..", 5),
            item("bridged-btc", "btc.b", 76000)));

    /** The API under a root path of its own, as a deployment behind a shared host might put it. */
    static final DropwizardAppExtension<AssetServiceConfiguration> APP = new DropwizardAppExtension<>(
            TestApps.support(TestApps.environment(COINGECKO.baseUrl()), DB.jdbcUrl(), DB.user(),
                    "adminToken=" + TestApps.ADMIN_TOKEN, "server.rootPath=/api/*"));

    private static Http http;
    private static Http root;

    @BeforeAll
    static void ingest() {
        http = new Http(APP.getLocalPort(), "/api");
        root = new Http(APP.getLocalPort());
        assertThat(http.runToEnd("coingecko").get("status").asText()).isEqualTo("succeeded");
    }

    @AfterAll
    static void stopFake() {
        COINGECKO.close();
    }

    @Test
    void everyListedSymbolIsReachableThroughItsPercentEncodedPath() {
        Map<String, String> encoded = Map.of(
                "E/ACC", "E%2FACC",
                "1%", "1%25",
                "A\\B", "A%5CB",
                ".", "%2E",
                "..", "%2E%2E",
                "BTC.B", "BTC.B");

        encoded.forEach((symbol, segment) -> {
            Http.Reply reply = http.get("/assets/" + segment);
            assertThat(reply.status()).as(segment + ": " + reply.body()).isEqualTo(200);
            assertThat(reply.json().get("symbol").asText()).as(segment).isEqualTo(symbol);

            Http.Reply history = http.get("/assets/" + segment + "/history");
            assertThat(history.status()).as(segment + "/history: " + history.body()).isEqualTo(200);
            assertThat(history.json().get("data")).as(segment + "/history").hasSize(1);
        });
    }

    @Test
    void anEncodedSlashStaysInsideTheSymbolAndNeverReachesAnotherRoute() {
        Http.Reply unknown = http.get("/assets/E%2FACC%2Fhistory", Map.of("X-Request-Id", "slash-1"));

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asText()).isEqualTo("no asset with symbol E/ACC/HISTORY");
        assertThat(unknown.header("X-Request-Id")).as("read by the API, not refused before").isEqualTo("slash-1");
        JsonNode traversal = http.get("/assets/%2E%2E%2F%2E%2E%2Fdata").json();
        assertThat(traversal.get("code").asInt()).isEqualTo(404);
        for (String around : List.of("/api/assets/%2E%2E/%2E%2E/metrics", "/api/%2E%2E/metrics",
                "/api/assets/.%2E/%2E./metrics")) {
            Http.Reply walked = root.get(around);
            assertThat(walked.status()).as(around + " resolves to /metrics, which answers its own path alone")
                    .isEqualTo(404);
            assertThat(walked.json().get("code").asInt()).isEqualTo(404);
        }
        assertThat(root.get("/metrics").status()).isEqualTo(200);
        assertThat(http.get("/assets/BTC%00").json().get("code").asInt()).as("a control character").isEqualTo(400);
    }

    @Test
    void aMethodTheServerAllowsNowhereNamesTheMethodsOfTheRouteUnderTheRootPath() {
        Map<String, String> allow = new java.util.LinkedHashMap<>();
        for (String path : List.of("/api/assets/E%2FACC", "/api/assets/%2E%2E/history", "/api/runs", "/metrics",
                "/assets/BTC")) {
            Http.Reply reply = root.method("TRACE", path);
            assertThat(reply.status()).as(path).isEqualTo(405);
            allow.put(path, reply.header("Allow"));
        }

        assertThat(allow).containsExactly(
                Map.entry("/api/assets/E%2FACC", "GET, HEAD, OPTIONS"),
                Map.entry("/api/assets/%2E%2E/history", "GET, HEAD, OPTIONS"),
                Map.entry("/api/runs", "GET, HEAD, OPTIONS, POST"),
                Map.entry("/metrics", "GET, HEAD, OPTIONS"),
                Map.entry("/assets/BTC", ""));
    }

    private static String item(String id, String symbol, double price) {
        return "{\"id\":\"" + id + "\",\"symbol\":\"" + symbol + "\",\"name\":\"" + id + "\",\"current_price\":"
                + price + ",\"market_cap\":1000000,\"total_volume\":5000,"
                + "\"last_updated\":\"2026-04-30T02:29:06.506Z\"}";
    }
}

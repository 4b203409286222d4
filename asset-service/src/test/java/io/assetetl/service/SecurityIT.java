package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer;
import io.assetetl.testing.TestDatabase;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * With sentinel values in every secret, nothing the service says — logs, HTTP bodies, raw rows, rejects, run
 * errors, metrics — ever contains one; hostile query parameters and bodies get 4xx, never a 500 or a stack trace.
 */
class SecurityIT {

    private static final String API_KEY = "CG-sentinel-key-5c1e0b";
    private static final String ADMIN_TOKEN = "sentinel-admin-token-a71d4";
    private static final String DB_PASSWORD = "sentinel-db-password-9e2f";
    private static final List<String> SENTINELS = List.of(API_KEY, ADMIN_TOKEN, DB_PASSWORD);
    private static final String FIXTURE = "coingecko/coins_markets_usd_per_page100_2026-04-30.json";

    private static final TestDatabase DB = TestDatabase.create();
    private static final FakeCoinGeckoServer COINGECKO = FakeCoinGeckoServer.start().withFixture(FIXTURE)
            .requireKey("x-cg-demo-api-key", API_KEY);
    private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    private static final List<String> BODIES = new ArrayList<>();
    private static DropwizardTestSupport<AssetServiceConfiguration> app;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> env = new HashMap<>(TestApps.environment(COINGECKO.baseUrl()));
        env.put("COINGECKO_API_KEY", API_KEY);
        app = TestApps.support(env, DB.jdbcUrl(), DB.user(), "adminToken=" + ADMIN_TOKEN,
                "database.password=" + DB_PASSWORD, "logging.level=DEBUG");
        app.before();
        // an operator turning everything up at run time, through Dropwizard's admin task, as when chasing a problem
        Http.Reply level = new Http(app.getAdminPort()).post("/tasks/log-level?logger=ROOT&level=TRACE", "",
                Map.of("Content-Type", "application/x-www-form-urlencoded"));
        assertThat(level.status()).isEqualTo(200);
        LOGS.start();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        root.addAppender(LOGS);
        http = new Http(app.getLocalPort());
    }

    @AfterAll
    static void stop() {
        app.after();
        COINGECKO.close();
    }

    private static Http.Reply record(Http.Reply reply) {
        BODIES.add(reply.status() + " " + reply.body());
        return reply;
    }

    private static Map<String, String> admin() {
        return Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json");
    }

    @Test
    void noSecretAppearsInLogsBodiesRowsRejectsErrorsOrMetrics() {
        JsonNode ok = http.awaitFinished(record(http.post("/runs", "{\"source\":\"csv\"}", admin()))
                .json().get("run_id").asText());
        assertThat(ok.path("status").asText()).isEqualTo("succeeded");
        Http.Reply started = record(http.post("/runs", "{\"source\":\"coingecko\"}", admin()));
        assertThat(started.status()).isEqualTo(202);
        JsonNode coingecko = http.awaitFinished(started.json().get("run_id").asText());
        assertThat(coingecko.path("status").asText()).as("the key was sent and accepted").isEqualTo("succeeded");
        assertThat(COINGECKO.marketRequests()).allSatisfy(r ->
                assertThat(r.header("x-cg-demo-api-key")).isEqualTo(API_KEY));

        // a key the upstream refuses: the run fails, and its error must not repeat the key
        COINGECKO.requireKey("x-cg-demo-api-key", "some-other-key");
        JsonNode refused = http.awaitFinished(record(http.post("/runs", "{\"source\":\"coingecko\"}", admin()))
                .json().get("run_id").asText());
        assertThat(refused.path("status").asText()).isEqualTo("failed");
        record(http.post("/runs", "{\"source\":\"csv\"}", Map.of("Authorization", "Bearer " + ADMIN_TOKEN + "x")));
        for (String path : List.of("/health", "/data?limit=500", "/assets/BTC", "/assets/BTC/history", "/stats",
                "/runs?limit=100", "/runs/" + refused.path("run_id").asText(), "/compare-runs?source=coingecko",
                "/sources", "/metrics", "/openapi.json")) {
            assertThat(record(http.get(path)).status()).as(path).isLessThan(500);
        }

        for (String body : BODIES) {
            assertThat(body).doesNotContain(SENTINELS);
        }
        List<ILoggingEvent> events;
        synchronized (LOGS) {
            events = new ArrayList<>(LOGS.list);
        }
        assertThat(events).as("the service logs at DEBUG and below")
                .anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG));
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            lines.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy())));
            event.getMDCPropertyMap().values().forEach(lines::add);
        }
        assertThat(lines).as("log lines").isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(SENTINELS));
        String stored = DB.jdbi().withHandle(h -> h.createQuery("""
                SELECT concat_ws('|',
                  (SELECT string_agg(payload::text, '') FROM raw_coingecko),
                  (SELECT string_agg(payload::text, '') FROM raw_csv_assets),
                  (SELECT string_agg(coalesce(raw::text, '') || detail, '') FROM etl_rejects),
                  (SELECT string_agg(coalesce(error, '') || metadata::text, '') FROM etl_runs),
                  (SELECT string_agg(position::text, '') FROM etl_checkpoints),
                  (SELECT string_agg(raw::text, '') FROM asset_sources))""").mapTo(String.class).one());
        assertThat(stored).isNotEmpty().doesNotContain(SENTINELS);
        System.out.printf("security: %d log lines, %d HTTP bodies and every raw row, reject, run error, checkpoint"
                + " and metric checked: 0 secrets found%n", lines.size(), BODIES.size());
    }

    @Test
    void hostileQueryParametersGet4xxOrAnEmptyResultNeverA500() {
        List<String> attacks = List.of("' OR '1'='1", "1; DROP TABLE assets; --", "\" OR 1=1 --",
                "BTC' UNION SELECT password FROM pg_shadow --", "%00", "../../etc/passwd", "${jndi:ldap://x}",
                "1e999999", "1e131072", "1e-999999", "-1", "NaN", "<script>alert(1)</script>", "\u0000", "BTC\u0000",
                "-4714-11-23T00:00:00Z", "+294277-01-01T00:00:00Z", "-999999999-01-01T00:00:00Z",
                Base64.getUrlEncoder().withoutPadding().encodeToString("a1:\u0000".getBytes(StandardCharsets.UTF_8)));
        List<String> templates = List.of("/data?symbol=%s", "/data?source=%s", "/data?min_price=%s",
                "/data?max_price=%s", "/data?limit=%s", "/data?cursor=%s", "/assets/%s", "/assets/%s/history",
                "/assets/BTC/history?source=%s", "/assets/BTC/history?from=%s", "/assets/BTC/history?to=%s",
                "/assets/BTC/history?limit=%s", "/runs?limit=%s", "/runs?source=%s", "/runs?status=%s",
                "/runs/%s", "/compare-runs?source=%s", "/compare-runs?limit=%s");
        int requests = 0;
        for (String template : templates) {
            for (String attack : attacks) {
                String path = template.formatted(java.net.URLEncoder.encode(attack, java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"));
                Http.Reply reply = http.get(path);
                requests++;
                assertThat(reply.status()).as(path).isIn(200, 400, 404);
                assertThat(reply.header("Content-Type")).as(path).startsWith("application/json");
                assertThat(reply.body()).as(path).doesNotContain("Exception", "\tat ", "org.postgresql", "SQL");
                if (reply.status() >= 400) {
                    assertThat(reply.json().path("code").asInt()).isEqualTo(reply.status());
                }
            }
        }
        assertThat(DB.count("assets")).as("the tables are still there").isPositive();
        System.out.printf("security: %d hostile query parameters, 0 answers of 500, 0 stack traces%n", requests);
    }

    @Test
    void aBodyThatEndsBeforeItsDeclaredLengthOrWithABrokenChunkIs400() throws Exception {
        String head = "POST /runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n";
        assertThat(rawStatus(head + "Content-Length: 100\r\n\r\n{\"so")).isEqualTo(400);
        assertThat(rawStatus(head + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"sou")).isEqualTo(400);
    }

    /** Sends {@code request} as it is, closes the sending side, and returns the answer's status. */
    private static int rawStatus(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", app.getLocalPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.shutdownOutput();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
            assertThat(status).as("status line").startsWith("HTTP/1.1 ");
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void postRunsCannotNameAFileOrAnUnknownSourceAndRejectsBadBodies() {
        assertThat(http.post("/runs", "{\"source\":\"../../etc/passwd\"}", admin()).status()).isEqualTo(404);
        Http.Reply withPath = http.post("/runs", "{\"source\":\"csv\",\"file\":\"/etc/passwd\"}", admin());
        assertThat(withPath.status()).isEqualTo(400);
        assertThat(http.post("/runs", "{\"source\":", admin()).status()).isEqualTo(400);
        assertThat(http.post("/runs", "[1,2,3]", admin()).status()).isEqualTo(400);
        Http.Reply twice = http.post("/runs", "{\"source\":\"nope\",\"source\":\"csv\"}", admin());
        assertThat(twice.status()).as("a key given twice is ambiguous, not last-wins").isEqualTo(400);
        assertThat(http.post("/runs", "{}", admin()).status()).isIn(400, 422);
        String huge = "{\"source\":\"" + "c".repeat(2_000_000) + "\"}";
        assertThat(http.postExpectingContinue("/runs", huge, admin()).status()).isEqualTo(413);
        assertThat(http.post("/runs", "{\"source\":\"csv\"}", Map.of("Content-Type", "application/json")).status())
                .isEqualTo(401);
        Long pathRuns = DB.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM etl_runs WHERE source LIKE '%/%'").mapTo(Long.class).one());
        assertThat(pathRuns).isZero();
    }

    @Test
    void postRunsChecksTheTokenBeforeTheBodysContentType() {
        String body = "{\"source\":\"csv\"}";
        List<Map<String, String>> withoutAValidToken = List.of(Map.of("Content-Type", "text/plain"),
                Map.of("Content-Type", "text/plain", "Authorization", "Bearer " + ADMIN_TOKEN + "x"),
                Map.of("Content-Type", "application/xml", "Authorization", "Basic " + ADMIN_TOKEN));
        for (Map<String, String> headers : withoutAValidToken) {
            Http.Reply reply = http.post("/runs", body, headers);
            assertThat(reply.status()).as(headers + ": " + reply.body()).isEqualTo(401);
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer");
        }
        for (String type : List.of("text/plain", "application/xml", "application/json-patch+json")) {
            Http.Reply reply = http.post("/runs", body, Map.of("Content-Type", type,
                    "Authorization", "Bearer " + ADMIN_TOKEN));
            assertThat(reply.status()).as(type + ": " + reply.body()).isEqualTo(415);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.json().path("code").asInt()).isEqualTo(415);
        }
    }

    @Test
    void aBodyWithoutAContentTypeIsReadAsJson() {
        Http.Reply reply = http.post("/runs", "{\"source\":\"csv_weird\"}",
                Map.of("Authorization", "Bearer " + ADMIN_TOKEN));

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        assertThat(http.awaitFinished(reply.json().get("run_id").asText()).path("status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void theImageRunsAsANonRootUser() throws Exception {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        List<String> users = dockerfile.lines().map(String::strip).filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).doesNotMatch("USER\\s+(root|0)(:.*)?");
        assertThat(dockerfile).contains("HEALTHCHECK");
    }
}

package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.RecordedRequest;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.testing.SourceReading;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The API key is sent where CoinGecko wants it and nowhere else: not in logs, errors, raw rows or metrics. */
class CoinGeckoApiKeyIT {

    private static final String KEY = "CG-SENTINEL-7f3a9c2e51d04b8a";

    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SourceContext context = new SourceContext(
            Clock.fixed(Instant.parse("2026-04-30T02:30:00Z"), ZoneOffset.UTC), metrics);
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory(new RecordingSleeper(), Sleeper.REAL,
            () -> 0.5);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private Level rootLevel;
    private FakeCoinGeckoServer server;

    @BeforeEach
    void setUp() {
        server = FakeCoinGeckoServer.start().withFixture("coingecko/coins_markets_usd_per_page100_2026-04-30.json")
                .requireKey("x-cg-demo-api-key", KEY);
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        server.close();
    }

    private SourceConfig config(String key) {
        return SourceConfig.of(Map.of("base_url", server.baseUrl(), "api_key", key, "per_page", "50", "pages",
                "2", "rate_limit_per_minute", "60000", "max_attempts", "3"));
    }

    private List<Batch> readAll(SourceConfig config) {
        return SourceReading.readAll(factory, "coingecko", config, context);
    }

    @Test
    void sendsTheKeyAsTheDemoHeaderOnTheDemoHostOnEveryAttempt() {
        server.scriptPage(1, Reply.rateLimited("1"), Reply.html(500));

        List<Batch> batches = readAll(config(KEY));

        assertThat(batches).hasSize(2);
        assertThat(server.requests()).hasSize(4)
                .allSatisfy(r -> assertThat(r.header("x-cg-demo-api-key")).isEqualTo(KEY))
                .allSatisfy(r -> assertThat(r.header("x-cg-pro-api-key")).isNull())
                .allSatisfy(r -> assertThat(r.query().values()).noneMatch(v -> v.contains(KEY)));
    }

    @Test
    void theKeyAppearsInNoLogLineRawRowCheckpointOrMetricLabel() {
        server.scriptPage(1, Reply.rateLimited(), Reply.html(503));
        server.scriptPage(2, Reply.json(502, "{\"error\":\"upstream said " + KEY + "\"}"));

        List<Batch> batches = readAll(config(KEY));

        assertThat(batches).hasSize(2);
        assertThat(logs.list).isNotEmpty();
        assertNoKeyIn(logs.list);
        for (Batch batch : batches) {
            assertThat(batch.checkpoint().position()).doesNotContain(KEY);
            for (Interpretation record : batch.records()) {
                assertThat(record.raw().payload()).doesNotContain(KEY);
                assertThat(record.raw().position()).doesNotContain(KEY);
            }
        }
        assertThat(metrics.samples()).isNotEmpty().allSatisfy(s ->
                assertThat(s.labels().toString()).doesNotContain(KEY));
    }

    @Test
    void anItemThatEchoesTheKeyIsKeptWithTheKeyMasked() {
        List<String> items = new ArrayList<>(server.items());
        items.set(0, items.get(0).replace("\"name\":\"Bitcoin\"", "\"name\":\"Bitcoin (key " + KEY + ")\""));
        server.withItems(items);

        List<Batch> batches = readAll(config(KEY));

        Interpretation first = batches.get(0).records().get(0);
        assertThat(first.raw().payload()).doesNotContain(KEY).contains("\"name\":\"Bitcoin (key ***)\"");
        assertThat(((Observation) first).name()).isEqualTo("Bitcoin (key ***)");
        assertThat(batches.get(0).records()).hasSize(50);
    }

    @Test
    void aWrongKeyFailsAtOnceWithAClearErrorThatDoesNotShowTheKey() {
        String wrong = "CG-WRONG-SENTINEL-0b1d";
        server.scriptNext(Reply.json(401, "{\"status\":{\"error_code\":10010,\"error_message\":\"The API key "
                + wrong + " is invalid\"}}"));

        Throwable failure = catchThrowable(() -> readAll(config(wrong)));

        assertThat(failure).hasMessageStartingWith("CoinGecko answered 401 Unauthorized to /coins/markets: "
                + "The API key *** is invalid (check the API key setting COINGECKO_API_KEY");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertThat(String.valueOf(t.getMessage())).doesNotContain(wrong);
        }
        assertThat(server.requests()).extracting(RecordedRequest::page).containsExactly(1);
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(wrong));
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonAndEchoesTheKeyFailsWithoutShowingIt() {
        // a key of letters and digits only, which the JSON parser's message quotes whole as a bad token
        String key = "SENTINEL7f3a9c2e51d04b8a";
        Reply echo = Reply.json(200, key + " is not a valid key");
        try (FakeCoinGeckoServer echoing = FakeCoinGeckoServer.start().scriptPage(1, echo, echo, echo)) {
            Throwable failure = catchThrowable(() -> SourceReading.readAll(factory, "coingecko",
                    SourceConfig.of(Map.of("base_url", echoing.baseUrl(), "api_key", key, "per_page", "50",
                            "pages", "1", "rate_limit_per_minute", "60000", "max_attempts", "3")), context));

            assertThat(failure).hasMessageContaining("unreadable body").hasMessageContaining("'***'");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(key);
            }
            assertThat(echoing.requests()).as("retried as a 5xx is").hasSize(3);
            assertThat(logs.list).isNotEmpty().allSatisfy(e -> {
                assertThat(e.getFormattedMessage()).doesNotContain(key);
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    assertThat(String.valueOf(t.getMessage())).doesNotContain(key);
                }
            });
        }
    }

    @Test
    void aMissingKeyIsAnsweredWith401AndNotRetried() {
        Throwable failure = catchThrowable(() -> readAll(SourceConfig.of(Map.of("base_url", server.baseUrl()))));

        assertThat(failure).hasMessageContaining("401").hasMessageContaining("API Key Missing or invalid");
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).header("x-cg-demo-api-key")).isNull();
    }

    private static void assertNoKeyIn(List<ILoggingEvent> events) {
        for (ILoggingEvent event : events) {
            assertThat(event.getFormattedMessage()).doesNotContain(KEY);
            assertThat(String.valueOf(event.getArgumentArray() == null ? "" : List.of(event.getArgumentArray())))
                    .doesNotContain(KEY);
            assertThat(event.getMDCPropertyMap().toString()).doesNotContain(KEY);
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(KEY);
            }
        }
    }
}

package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.model.DriftEvent;
import io.assetetl.model.Observation;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.RecordedRequest;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import io.assetetl.sources.testing.Warnings;
import io.assetetl.spi.Batch;
import io.assetetl.spi.RetriableSourceException;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import io.assetetl.testing.SourceReading;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapter against a real local HTTP server serving recorded CoinGecko answers, with scripted faults. */
class CoinGeckoSourceIT {

    private static final Instant NOW = Instant.parse("2026-04-30T02:30:00Z");
    private static final String FIXTURE = "coingecko/coins_markets_usd_per_page100_2026-04-30.json";

    private final RecordingSleeper retryWaits = new RecordingSleeper();
    private final RecordingMetrics metrics = new RecordingMetrics();
    private final SourceContext context = new SourceContext(Clock.fixed(NOW, ZoneOffset.UTC), metrics);
    private final CoinGeckoSourceFactory factory = new CoinGeckoSourceFactory(retryWaits, Sleeper.REAL, () -> 0.5);
    private FakeCoinGeckoServer server;

    @BeforeEach
    void startServer() {
        server = FakeCoinGeckoServer.start().withFixture(FIXTURE);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private SourceConfig config(String... overrides) {
        Map<String, String> values = new HashMap<>(Map.of("base_url", server.baseUrl(), "per_page", "25",
                "pages", "4", "rate_limit_per_minute", "60000", "timeout", "PT2S", "max_attempts", "4"));
        for (int i = 0; i < overrides.length; i += 2) {
            values.put(overrides[i], overrides[i + 1]);
        }
        return SourceConfig.of(values);
    }

    private List<Batch> readAll(SourceConfig config) {
        return SourceReading.readAll(factory, "coingecko", config, context);
    }

    private long requestsWithStatus(String status) {
        return metrics.total("upstream_http_requests", Map.of("source", "coingecko", "status", status));
    }

    @Test
    void readsOnePagePerBatchUpToThePageCapSavingTheSnapshotPositionAfterEach() {
        List<Batch> batches = readAll(config());

        assertThat(batches).hasSize(4).allSatisfy(b -> assertThat(b.records()).hasSize(25));
        assertThat(batches).extracting(b -> b.checkpoint().position()).containsExactly(
                "{\"snapshot_at\":\"2026-04-30T02:30:00Z\",\"next_page\":2,\"complete\":false,\"per_page\":25}",
                "{\"snapshot_at\":\"2026-04-30T02:30:00Z\",\"next_page\":3,\"complete\":false,\"per_page\":25}",
                "{\"snapshot_at\":\"2026-04-30T02:30:00Z\",\"next_page\":4,\"complete\":false,\"per_page\":25}",
                "{\"snapshot_at\":\"2026-04-30T02:30:00Z\",\"next_page\":5,\"complete\":true,\"per_page\":25}");
        List<RecordedRequest> requests = server.marketRequests();
        assertThat(requests).extracting(RecordedRequest::query).containsExactly(
                Map.of("vs_currency", "usd", "order", "market_cap_desc", "per_page", "25", "page", "1"),
                Map.of("vs_currency", "usd", "order", "market_cap_desc", "per_page", "25", "page", "2"),
                Map.of("vs_currency", "usd", "order", "market_cap_desc", "per_page", "25", "page", "3"),
                Map.of("vs_currency", "usd", "order", "market_cap_desc", "per_page", "25", "page", "4"));
        assertThat(requests).allSatisfy(r -> assertThat(r.header("x-cg-demo-api-key")).isNull());
        Observation first = (Observation) batches.get(0).records().get(0);
        assertThat(first.sourceId()).isEqualTo("bitcoin");
        assertThat(first.raw().payload()).isEqualTo(server.items().get(0));
        assertThat(requestsWithStatus("200")).isEqualTo(4);
        assertThat(retryWaits.waits()).isEmpty();
    }

    @Test
    void anEmptyPageEndsTheSnapshotWithACompleteCheckpoint() {
        server.withItems(server.items().subList(0, 50));

        List<Batch> batches = readAll(config());

        assertThat(batches).extracting(b -> b.records().size()).containsExactly(25, 25, 0);
        assertThat(batches.get(2).checkpoint().position()).contains("\"next_page\":4", "\"complete\":true");
        assertThat(server.marketRequests()).hasSize(3);
    }

    @Test
    void aShortPageEndsTheSnapshotWithoutAskingForTheNext() {
        server.withItems(server.items().subList(0, 60));

        List<Batch> batches = readAll(config());

        assertThat(batches).extracting(b -> b.records().size()).containsExactly(25, 25, 10);
        assertThat(batches.get(2).checkpoint().position()).contains("\"complete\":true");
        assertThat(server.marketRequests()).hasSize(3);
    }

    @Test
    void retriesOn429HonouringRetryAfterInSeconds() {
        server.scriptPage(2, Reply.rateLimited("7"));

        List<Batch> batches = readAll(config());

        assertThat(batches).hasSize(4);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page).containsExactly(1, 2, 2, 3, 4);
        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(7));
        assertThat(requestsWithStatus("429")).isEqualTo(1);
        assertThat(metrics.total("upstream_retries", Map.of("source", "coingecko"))).isEqualTo(1);
    }

    @Test
    void aRetryAfterGivenToOneSourceHoldsBackTheOtherSourcesOfItsBudget() {
        server.scriptPage(2, Reply.rateLimited("1"));

        assertThat(readAll(config())).hasSize(4);
        List<Batch> other = SourceReading.readAll(factory, "coingecko_mirror", config(), context);

        assertThat(other).hasSize(4);
        List<RecordedRequest> requests = server.marketRequests();
        assertThat(requests).hasSize(9);
        long answered429 = requests.get(1).receivedNanos();
        assertThat(Duration.ofNanos(requests.get(5).receivedNanos() - answered429))
                .as("the other source's first call, after the time CoinGecko gave")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void retriesOn429HonouringRetryAfterAsAnHttpDate() {
        String inTwelveSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(12).atZone(ZoneOffset.UTC));
        server.scriptPage(1, Reply.rateLimited(inTwelveSeconds));

        readAll(config());

        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(12));
        assertThat(server.marketRequests()).hasSize(5);
    }

    @Test
    void backsOffExponentiallyOn429WithoutRetryAfter() {
        server.scriptPage(1, Reply.rateLimited(), Reply.rateLimited(), Reply.rateLimited());

        List<Batch> batches = readAll(config());

        assertThat(batches).hasSize(4);
        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
        assertThat(server.marketRequests()).hasSize(7);
    }

    @Test
    void aRetryAfterLongerThanTheMaximumWaitEndsTheRunRatherThanCallingBeforeIt() {
        server.scriptPage(1, Reply.rateLimited("3600"));

        assertThatThrownBy(() -> readAll(config("max_wait", "PT30S")))
                .isInstanceOf(RetriableSourceException.class)
                .hasMessageStartingWith("CoinGecko asks for no call to /coins/markets page 1 before PT1H (Retry-After),"
                        + " longer than max_wait PT30S: not retried, the next run tries again");
        assertThat(server.marketRequests()).hasSize(1);
        assertThat(retryWaits.waits()).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanTheMaximumWaitHoldsBackTheNextRunsOfTheBudgetToo() {
        server.scriptPage(1, Reply.rateLimited("3600"));
        assertThatThrownBy(() -> readAll(config("max_wait", "PT30S")));

        assertThatThrownBy(() -> readAll(config("max_wait", "PT30S")))
                .isInstanceOf(SourceException.class)
                .hasMessageStartingWith("CoinGecko asked for no call for another PT")
                .hasMessageEndingWith("(Retry-After), longer than max_wait PT30S: not called, the next run tries"
                        + " again");
        assertThat(server.marketRequests()).as("no call before the time CoinGecko gave").hasSize(1);
        assertThat(retryWaits.waits()).isEmpty();
    }

    @Test
    void aRetryAfterOnTheLastAttemptStillHoldsBackTheBudgetAndIsKeptWithTheFailure() {
        server.scriptPage(1, Reply.rateLimited("20"), Reply.rateLimited("20"));
        SourceConfig config = config("max_attempts", "2", "max_wait", "PT30S");

        assertThatThrownBy(() -> readAll(config))
                .isInstanceOfSatisfying(RetriableSourceException.class,
                        e -> assertThat(e.notBefore()).contains(NOW.plusSeconds(20)))
                .hasMessageEndingWith("; CoinGecko asks for no call before PT20S (Retry-After)");

        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(20));
        assertThat(factory.spacing(CoinGeckoSettings.from(config)).heldFor(System.nanoTime(), new Object()))
                .as("the next call of the budget waits for it").isGreaterThan(Duration.ofSeconds(19).toNanos());
    }

    @Test
    void aRetryAfterUpToTheMaximumWaitIsWaitedInFull() {
        server.scriptPage(1, Reply.rateLimited("30"));

        readAll(config("max_wait", "PT30S"));

        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(30));
    }

    @Test
    void waitingForTheBudgetIsNoRetryAfterSoAMaximumWaitShorterThanASlotStillReadsEveryPage() {
        // 600 a minute: each call 101 ms after the one before, longer than max_wait allows a Retry-After to hold
        readAll(config("max_wait", "PT0S", "rate_limit_per_minute", "600"));

        assertThat(server.marketRequests()).hasSize(4);
    }

    @Test
    void retriesCloudflareTextHtmlErrorPagesAndTruncatedJson() {
        String page1 = "[" + String.join(",", server.items().subList(0, 25)) + "]";
        server.scriptPage(1, Reply.cloudflareRateLimited(), Reply.html(500), Reply.html(503),
                Reply.truncated(page1), Reply.html(200));

        List<Batch> batches = readAll(config("max_attempts", "6"));

        assertThat(batches).hasSize(4);
        assertThat(batches.get(0).records()).hasSize(25);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page)
                .containsExactly(1, 1, 1, 1, 1, 1, 2, 3, 4);
        assertThat(retryWaits.waits()).hasSize(5);
        assertThat(requestsWithStatus("429")).isEqualTo(1);
        assertThat(requestsWithStatus("500")).isEqualTo(1);
        assertThat(requestsWithStatus("503")).isEqualTo(1);
        assertThat(requestsWithStatus("200")).isEqualTo(6);
    }

    @Test
    void retriesAResponseSlowerThanTheTimeout() {
        String page1 = "[" + String.join(",", server.items().subList(0, 25)) + "]";
        server.scriptPage(1, Reply.json(200, page1).delayedBy(Duration.ofMillis(1500)));

        List<Batch> batches = readAll(config("timeout", "PT0.3S"));

        assertThat(batches).hasSize(4);
        assertThat(server.marketRequests()).extracting(RecordedRequest::page).containsExactly(1, 1, 2, 3, 4);
        assertThat(requestsWithStatus("timeout")).isEqualTo(1);
        assertThat(retryWaits.waits()).hasSize(1);
    }

    @Test
    void givesUpAfterTheLastAttemptWithARetriableError() {
        server.scriptPage(1, Reply.html(502), Reply.html(502), Reply.html(502), Reply.html(502));

        assertThatThrownBy(() -> readAll(config()))
                .isInstanceOf(RetriableSourceException.class)
                .hasMessage("CoinGecko /coins/markets page 1 failed after 4 attempts: CoinGecko answered 502 Bad "
                        + "Gateway to /coins/markets: an HTML page");
        assertThat(server.marketRequests()).hasSize(4);
        assertThat(retryWaits.waits()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
        assertThat(metrics.total("upstream_retries", Map.of("source", "coingecko"))).isEqualTo(3);
    }

    @Test
    void failsAtOnceOn401() {
        server.scriptPage(1, Reply.unauthorized());

        assertThatThrownBy(() -> readAll(config()))
                .isInstanceOf(SourceException.class)
                .isNotInstanceOf(RetriableSourceException.class)
                .hasMessageStartingWith("CoinGecko answered 401 Unauthorized to /coins/markets: API Key Missing or "
                        + "invalid (check the API key setting COINGECKO_API_KEY");
        assertThat(server.marketRequests()).hasSize(1);
        assertThat(retryWaits.waits()).isEmpty();
    }

    @Test
    void failsAtOnceOnTheRecorded403ErrorBody() {
        server.scriptPage(1, Reply.json(403, FakeCoinGeckoServer.resource(
                "coingecko/error_403_coins_markets_2023-03-30.json")));

        assertThatThrownBy(() -> readAll(config()))
                .isNotInstanceOf(RetriableSourceException.class)
                .hasMessageContaining("CoinGecko answered 403 Forbidden to /coins/markets: This endpoint is "
                        + "temporarily unavailable");
        assertThat(server.marketRequests()).hasSize(1);
    }

    @Test
    void otherClientErrorsAreNotRetriedEither() {
        server.scriptPage(1, Reply.json(400, "{\"error\":\"invalid vs_currency\"}"));

        assertThatThrownBy(() -> readAll(config("pages", "1")))
                .isNotInstanceOf(RetriableSourceException.class)
                .hasMessage("CoinGecko answered 400 Bad Request to /coins/markets: invalid vs_currency");
        assertThat(server.marketRequests()).hasSize(1);
    }

    @Test
    void anElementThatIsNoObjectIsRejectedWithoutReportingEveryFieldMissing() {
        List<String> items = new ArrayList<>(
                FakeCoinGeckoServer.splitArray(FakeCoinGeckoServer.resource(FIXTURE)).subList(0, 9));
        items.add("null");
        server.withItems(items);

        List<Batch> batches = readAll(config("per_page", "10", "pages", "1"));

        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).driftEvents()).isEmpty();
        assertThat(batches.get(0).records()).hasSize(10).last().isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.UNPARSEABLE_ROW));
    }

    @Test
    void reportsNewFieldsOncePerRunAsDrift() {
        server.withFixture("coingecko/coins_markets_usd_per_page250_pcp_1h_24h_1y_precision_full_2025-02-09.json");

        List<Batch> batches = readAll(config("per_page", "100", "pages", "3"));

        assertThat(batches).hasSize(3);
        assertThat(batches.get(0).driftEvents()).extracting(DriftEvent::kind, DriftEvent::actual,
                DriftEvent::confidence).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("field_added", "price_change_percentage_1h_in_currency", 1.0),
                org.assertj.core.groups.Tuple.tuple("field_added", "price_change_percentage_24h_in_currency", 1.0),
                org.assertj.core.groups.Tuple.tuple("field_added", "price_change_percentage_1y_in_currency", 1.0));
        assertThat(batches.get(1).driftEvents()).isEmpty();
        assertThat(batches.get(2).driftEvents()).isEmpty();
    }

    @Test
    void logsEachDriftEventOnceAsAWarningNotOncePerItemOrPage() throws Exception {
        List<String> items = new ArrayList<>();
        for (String item : FakeCoinGeckoServer.splitArray(FakeCoinGeckoServer.resource(
                "coingecko/coins_markets_usd_per_page250_pcp_1h_24h_1y_precision_full_2025-02-09.json"))) {
            ObjectNode node = (ObjectNode) MarketItems.MAPPER.readTree(item);
            node.remove("roi");
            if (items.size() == 150) {
                node.remove("current_price");
            }
            items.add(MarketItems.MAPPER.writeValueAsString(node));
        }
        server.withItems(items);
        Warnings<List<Batch>> logged = Warnings.of(CoinGeckoReader.class,
                () -> readAll(config("per_page", "100", "pages", "3")));

        assertThat(logged.result()).flatExtracting(Batch::driftEvents).hasSize(5);
        assertThat(logged.messages()).containsExactlyInAnyOrder(
                        added("price_change_percentage_1h_in_currency"),
                        added("price_change_percentage_24h_in_currency"),
                        added("price_change_percentage_1y_in_currency"),
                        "source coingecko: CoinGecko items lack the field 'roi'; it is read as null (field_missing)",
                        "source coingecko: CoinGecko items lack the field 'current_price'; those items are "
                                + "rejected (field_missing)");
    }

    @Test
    void anEmptyFirstPageEndsTheSnapshotWithAWarning() {
        server.withItems(List.of());

        Warnings<List<Batch>> logged = Warnings.of(CoinGeckoReader.class, () -> readAll(config()));

        assertThat(logged.result()).singleElement().satisfies(b -> assertThat(b.records()).isEmpty());
        assertThat(logged.messages()).containsExactly(
                "source coingecko: CoinGecko's first page of /coins/markets is empty: the snapshot has no coins");
    }

    private static String added(String field) {
        return "source coingecko: CoinGecko sends a field the adapter does not read, '" + field + "'; it is kept in"
                + " the raw payload (field_added)";
    }

    @Test
    void pingSaysHelloWithoutRetrying() {
        CoinGeckoPing ping = factory.ping("coingecko", config(), context);

        assertThat(ping.message()).isEqualTo("(V3) To the Moon!");
        server.scriptNext(Reply.html(503));
        assertThatThrownBy(() -> factory.ping("coingecko", config(), context))
                .hasMessage("CoinGecko answered 503 Service Unavailable to /ping: an HTML page");
        assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/ping", "/ping");
    }

    @Test
    void anUnreachableServerIsARetriableFailure() {
        String baseUrl = server.baseUrl();
        server.close();

        assertThatThrownBy(() -> readAll(config("base_url", baseUrl, "max_attempts", "2")))
                .isInstanceOf(RetriableSourceException.class)
                .hasMessageStartingWith("CoinGecko /coins/markets page 1 failed after 2 attempts: cannot reach "
                        + "CoinGecko at " + baseUrl);
        assertThat(requestsWithStatus("io_error")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"reset", "closed"})
    void aConnectionDroppedBeforeAnyAnswerIsOneCallPerAttempt(String how) throws Exception {
        try (RawHttpServer dropping = how.equals("reset") ? RawHttpServer.resetting() : RawHttpServer.closing()) {
            assertThatThrownBy(() -> readAll(config("base_url", dropping.baseUrl(), "max_attempts", "3")))
                    .isInstanceOf(RetriableSourceException.class)
                    .hasMessageStartingWith("CoinGecko /coins/markets page 1 failed after 3 attempts: cannot reach "
                            + "CoinGecko at " + dropping.baseUrl());

            // the HTTP client sends nothing by itself: each call the upstream sees took a permit and was counted
            assertThat(dropping.requests()).isEqualTo(3);
            assertThat(requestsWithStatus("io_error")).isEqualTo(3);
            assertThat(retryWaits.waits()).hasSize(2);
        }
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotWhatTheNextCallFailsOn() throws Exception {
        String page = "[" + String.join(",", server.items().subList(0, 2)) + "]";
        // calls a slot (101 ms) apart; the server closes a connection idle for 30 ms
        try (RawHttpServer idleClosing = RawHttpServer.closingIdleConnections(page, Duration.ofMillis(30))) {
            List<Batch> batches = readAll(config("base_url", idleClosing.baseUrl(), "per_page", "2", "pages", "3",
                    "rate_limit_per_minute", "600"));

            assertThat(batches).extracting(b -> b.records().size()).containsExactly(2, 2, 2);
            assertThat(retryWaits.waits()).isEmpty();
            assertThat(idleClosing.requests()).isEqualTo(3);
            assertThat(requestsWithStatus("200")).isEqualTo(3);
        }
    }

    @Test
    void aBodyTricklingInSlowerThanTheTimeoutFailsTheAttemptAlthoughEachByteCameInTime() throws Exception {
        // 40 bytes, one every 50 ms: each read is well within the 300 ms, the whole answer is not
        try (RawHttpServer trickling = RawHttpServer.trickling("[" + " ".repeat(38) + "]", Duration.ofMillis(50))) {
            assertThatThrownBy(() -> readAll(config("base_url", trickling.baseUrl(), "timeout", "PT0.3S",
                    "max_attempts", "2")))
                    .isInstanceOf(RetriableSourceException.class)
                    .hasMessage("CoinGecko /coins/markets page 1 failed after 2 attempts: CoinGecko answered 200 but "
                            + "its body did not arrive within PT0.3S");
            assertThat(trickling.requests()).isEqualTo(2);
            assertThat(retryWaits.waits()).hasSize(1);
        }
    }

    /** What a reading thread ended with, and whether it was still interrupted then. */
    private record Ending(Throwable failure, boolean interrupted) {
    }

    /**
     * Reads the first page on a thread of its own, interrupts that thread once {@code upstream} has the request, and
     * gives how the read ended: it must end within {@code bound}, far below the call's timeout.
     */
    private Ending readInterrupted(RawHttpServer upstream, SourceConfig config, Duration bound) throws Exception {
        CompletableFuture<Ending> ended = new CompletableFuture<>();
        try (Source source = factory.create("coingecko", config, context);
             SourceReader reader = source.open(Optional.empty())) {
            Thread reading = new Thread(() -> {
                try {
                    reader.next();
                    ended.complete(new Ending(null, Thread.currentThread().isInterrupted()));
                } catch (Throwable e) {
                    ended.complete(new Ending(e, Thread.currentThread().isInterrupted()));
                }
            }, "coingecko-read");
            reading.setDaemon(true);
            reading.start();
            assertThat(upstream.awaitRequest(Duration.ofSeconds(30))).as("the request reached the server").isTrue();

            reading.interrupt();

            assertThat(ended).as("the read ended within %s of the interruption", bound).succeedsWithin(bound);
            return ended.join();
        }
    }

    @Test
    void anInterruptionCancelsTheCallWaitingForItsAnswerAndFailsTheReadAtOnceWithoutARetry() throws Exception {
        try (RawHttpServer silent = RawHttpServer.silent()) {
            Ending ending = readInterrupted(silent, config("base_url", silent.baseUrl(), "timeout", "PT60S"),
                    Duration.ofSeconds(5));

            assertThat(ending.failure()).isInstanceOf(SourceException.class)
                    .isNotInstanceOf(RetriableSourceException.class)
                    .hasMessage("interrupted while waiting for CoinGecko's answer to /coins/markets page 1 (the call"
                            + " was cancelled)");
            assertThat(ending.interrupted()).as("the interruption is kept for the caller").isTrue();
            assertThat(silent.awaitHangUp(Duration.ofSeconds(5))).as("the connection was closed").isTrue();
            assertThat(silent.requests()).isEqualTo(1);
            assertThat(retryWaits.waits()).isEmpty();
            assertThat(metrics.total("upstream_retries", Map.of())).isZero();
            assertThat(metrics.total("upstream_http_requests", Map.of())).as("no status to count").isZero();
        }
    }

    @Test
    void anInterruptionCancelsTheCallWhileItsBodyTricklesInToo() throws Exception {
        // 40 bytes, one every 500 ms: the whole body would take 20 s, well within the timeout
        try (RawHttpServer trickling = RawHttpServer.trickling("[" + " ".repeat(38) + "]", Duration.ofMillis(500))) {
            Ending ending = readInterrupted(trickling, config("base_url", trickling.baseUrl(), "timeout", "PT60S"),
                    Duration.ofSeconds(5));

            assertThat(ending.failure()).isInstanceOf(SourceException.class)
                    .isNotInstanceOf(RetriableSourceException.class)
                    .hasMessageStartingWith("interrupted while waiting for CoinGecko's answer to /coins/markets"
                            + " page 1");
            assertThat(ending.interrupted()).isTrue();
            assertThat(trickling.awaitHangUp(Duration.ofSeconds(5))).as("the connection was closed").isTrue();
            assertThat(trickling.requests()).isEqualTo(1);
            assertThat(retryWaits.waits()).isEmpty();
        }
    }

    @Test
    void aRedirectIsNotFollowedButNamedSoThatEveryCallIsPaced() {
        server.scriptPage(1, Reply.json(301, "").withHeader("Location", "https://elsewhere.example/api/v3/coins"));

        assertThatThrownBy(() -> readAll(config()))
                .isInstanceOf(SourceException.class)
                .isNotInstanceOf(RetriableSourceException.class)
                .hasMessage("CoinGecko answered 301 Moved Permanently to /coins/markets, redirecting to "
                        + "https://elsewhere.example/api/v3/coins: redirects are not followed (each call must take"
                        + " a permit of the rate limit); set base_url to where it points");
        assertThat(server.marketRequests()).hasSize(1);
    }
}

package io.assetetl.sources.coingecko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feign.Request;
import feign.Response;
import io.assetetl.sources.coingecko.FakeCoinGeckoServer.Reply;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The CoinGecko transport against real local HTTP servers: what it reads of an answer, and when it calls. */
class InterruptibleOkHttpClientIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Request.Options OPTIONS = new Request.Options(TIMEOUT, TIMEOUT, false);

    private final FakeCoinGeckoServer server = FakeCoinGeckoServer.start();

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static InterruptibleOkHttpClient client(int maxBodyBytes, Duration timeout) {
        return new InterruptibleOkHttpClient(new OkHttpClient.Builder().retryOnConnectionFailure(false)
                .connectTimeout(timeout).readTimeout(timeout).callTimeout(timeout).build(), maxBodyBytes);
    }

    private static Request get(String url) {
        return Request.create(Request.HttpMethod.GET, url, Map.of("X-Test", List.of("1")), null,
                StandardCharsets.UTF_8, null);
    }

    private static byte[] read(Response response) throws Exception {
        try (InputStream in = response.body().asInputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void answersWithTheStatusTheHeadersAndTheWholeBodySendingTheRequestsHeaders() throws Exception {
        Response response = client(1024, TIMEOUT).execute(get(server.baseUrl() + "/ping"), OPTIONS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().get("content-type")).containsExactly("application/json");
        String hello = "{\"gecko_says\":\"(V3) To the Moon!\"}";
        assertThat(new String(read(response), StandardCharsets.UTF_8)).isEqualTo(hello);
        assertThat(response.body().length()).isEqualTo(hello.length());
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.header("x-test")).isEqualTo("1");
            assertThat(r.header("accept")).isEqualTo("*/*");
        });
    }

    @Test
    void readsAtMostOneByteMoreThanItsLimitOfABodyOfUnknownLengthAndNoneOfOneDeclaredLonger() throws Exception {
        String body = "x".repeat(1000);
        server.scriptNext(new Reply(200, "application/json", body, Map.of(), Duration.ZERO, true),
                Reply.json(200, body));
        InterruptibleOkHttpClient client = client(100, TIMEOUT);

        Response chunked = client.execute(get(server.baseUrl() + "/ping"), OPTIONS);
        Response declared = client.execute(get(server.baseUrl() + "/ping"), OPTIONS);

        assertThat(chunked.body().length()).isNull();
        assertThat(read(chunked)).hasSize(101);
        assertThat(declared.body().length()).isEqualTo(1000);
        assertThat(read(declared)).isEmpty();
    }

    @Test
    void aBodyThatDoesNotArriveInTimeFailsWhenItIsReadAfterTheStatusWasSeen() throws Exception {
        try (RawHttpServer trickling = RawHttpServer.trickling("[" + " ".repeat(38) + "]", Duration.ofMillis(50))) {
            Response response = client(1024, Duration.ofMillis(300)).execute(get(trickling.baseUrl() + "/ping"),
                    OPTIONS);

            assertThat(response.status()).isEqualTo(200);
            assertThatThrownBy(() -> read(response)).isInstanceOf(InterruptedIOException.class);
        }
    }

    @Test
    void aThreadInterruptedBeforeItCallsMakesNoCall() throws Exception {
        try (RawHttpServer silent = RawHttpServer.silent()) {
            Thread.currentThread().interrupt();
            try {
                assertThatThrownBy(() -> client(1024, TIMEOUT).execute(get(silent.baseUrl() + "/ping"), OPTIONS))
                        .isInstanceOf(InterruptedIOException.class);
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(silent.awaitRequest(Duration.ofMillis(200))).isFalse();
            assertThat(silent.requests()).isZero();
        }
    }

    @Test
    void aCallsThreadsKeepNoProcessAlive() throws Exception {
        client(1024, TIMEOUT).execute(get(server.baseUrl() + "/ping"), OPTIONS);

        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("coingecko-http")
                || t.getName().startsWith("OkHttp http")).isNotEmpty().allMatch(Thread::isDaemon);
    }
}

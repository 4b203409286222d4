package io.assetetl.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void threeRequestsInFourReadTheFirstPageAndTheFourthOneOfItsAssets() {
        List<String> paths = WarmUp.paths(List.of("BTC", "ETH"));

        assertThat(paths).containsExactly(
                "/data?limit=50", "/data?limit=50", "/data", "/assets/BTC",
                "/data?limit=50", "/data?limit=50", "/data", "/assets/ETH");
    }

    @Test
    void aSymbolThatWouldNeedEscapingInAPathIsLeftOut() {
        assertThat(WarmUp.paths(List.of("A/B", "C D", "USDC.E"))).containsOnly(
                "/data?limit=50", "/data", "/assets/USDC.E");
    }

    @Test
    void anEmptyFirstPageLeavesOnlyPagesToRead() {
        assertThat(WarmUp.paths(List.of())).containsOnly("/data?limit=50", "/data");
    }

    @Test
    void aWarmUpConnectionBelongsToTheApplicationConnectorWithItsHttpSettingsAndAMarkOfItsOwn() {
        Server server = new Server();
        HttpConfiguration settings = new HttpConfiguration();
        settings.setOutputBufferSize(12_345);
        settings.addCustomizer(new ForwardedRequestCustomizer());
        ServerConnector application = new ServerConnector(server, new HttpConnectionFactory(settings));
        application.setName("application");
        ServerConnector admin = new ServerConnector(server);
        admin.setName("admin");
        server.setConnectors(new ServerConnector[] {admin, application});
        ServerConnector warmUp = new ServerConnector(server);

        assertThat(WarmUp.applicationConnector(server)).isSameAs(application);
        Connection connection = new WarmUp.AsIfAccepted(application).newConnection(warmUp, new ByteArrayEndPoint());

        HttpConnection http = (HttpConnection) connection;
        assertThat(http.getConnector()).as("the connector requests are routed by").isSameAs(application);
        assertThat(http.getHttpConfiguration().getOutputBufferSize()).isEqualTo(12_345);
        assertThat(http.getHttpConfiguration().getCustomizers()).hasSize(2)
                .first().isInstanceOf(ForwardedRequestCustomizer.class);
        assertThat(settings.getCustomizers()).as("clients' requests are not marked").hasSize(1);
    }

    @Test
    void aServerWithoutAnApplicationConnectorIsWarmedUpThroughItsFirst() {
        Server server = new Server();
        ServerConnector only = new ServerConnector(server);
        server.addConnector(only);

        assertThat(WarmUp.applicationConnector(server)).isSameAs(only);
        assertThat(WarmUp.applicationConnector(new Server())).isNull();
    }

    @Test
    void compilersCountAsIdleOnlyAfterTwoSecondsOfLittleCompiling() {
        AtomicLong compileMillis = new AtomicLong(5_000);
        AtomicLong now = new AtomicLong();
        WarmUp.CompilerIdleness idleness = new WarmUp.CompilerIdleness(compileMillis::get, now::get);

        // busy: 400 ms of compiling in 500 ms
        advance(now, compileMillis, 400);
        assertThat(idleness.idle()).isFalse();
        // quiet (under a tenth of the time) for 1.5 s: not yet
        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 40);
            assertThat(idleness.idle()).isFalse();
        }
        // two seconds quiet
        advance(now, compileMillis, 0);
        assertThat(idleness.idle()).isTrue();
    }

    @Test
    void aBurstOfCompilingStartsTheQuietTimeAgain() {
        AtomicLong compileMillis = new AtomicLong();
        AtomicLong now = new AtomicLong();
        WarmUp.CompilerIdleness idleness = new WarmUp.CompilerIdleness(compileMillis::get, now::get);

        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 0);
            assertThat(idleness.idle()).isFalse();
        }
        advance(now, compileMillis, 50); // exactly a tenth is not quiet
        assertThat(idleness.idle()).isFalse();
        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 10);
            assertThat(idleness.idle()).isFalse();
        }
        advance(now, compileMillis, 10);
        assertThat(idleness.idle()).isTrue();
    }

    /** Half a second passes, {@code compiled} milliseconds of it spent compiling. */
    private static void advance(AtomicLong now, AtomicLong compileMillis, long compiled) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        compileMillis.addAndGet(compiled);
    }
}

package io.assetetl.service.warmup;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterAttachable;
import ch.qos.logback.core.spi.FilterReply;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the read path's requests through the application before the server takes its first connection, so that
 * its first clients meet code the JIT compilers have already compiled. Started cold, the service answered
 * {@code GET /data} in its first seconds at a tenth of the rate it reached half a minute later, with a p99 over
 * 100 ms.
 *
 * <p>It runs while Jetty starts: after the application's handlers have started and before the server starts its
 * connectors. It starts the application's connector itself, told to take no connection yet (its port is already
 * bound, so a client that connects meanwhile waits for its answer instead of being refused), and lets it take them
 * once done. The requests go over kept-alive loopback connections to a connector of the warm-up's own, bound to an
 * ephemeral port of 127.0.0.1 for the warm-up alone, which hands each connection it accepts to the application's
 * connector ({@link AsIfAccepted}): so the server handles the requests exactly as it handles its clients' requests
 * on that connector, through all its handlers and its request log, and the JIT compilers see the classes clients'
 * requests bring. The service's request metrics leave them out ({@link #ATTRIBUTE} marks them, for
 * {@code RequestContextFilter}), and so does the request log; Dropwizard's own Jetty timers count them. They read
 * what any client could: the first page of {@code /data} and the assets on it.
 *
 * <p>It stops after the configured number of requests or time, or earlier, when asked to, once the JIT compilers
 * have had nothing left to compile for a while under its load: that is the point at which more requests warm
 * nothing up. Nothing depends on it: a failure is logged, and the server starts all the same.
 */
public final class WarmUp extends AbstractLifeCycle {

    /** The request attribute set on each warm-up request, and on no other. */
    public static final String ATTRIBUTE = WarmUp.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final String FIRST_PAGE = "/data?limit=50";
    private static final String APPLICATION_CONNECTOR = "application";
    private static final int MAX_SYMBOLS = 50;
    /** Symbols sent as they are: others would need escaping, which some of them (such as %2F) Jetty refuses. */
    private static final Pattern PLAIN_SYMBOL = Pattern.compile("[A-Za-z0-9._~-]+");
    /** How often the compilers' work is looked at, when the warm-up is to stop once they are idle. */
    private static final long SAMPLE_MILLIS = 500;
    /**
     * Leaves the warm-up's requests out of a logback-access request log (Dropwizard's default), after the work the
     * log does on the request's thread for every request it writes (its appenders are asynchronous), which is
     * thereby warmed up too.
     */
    private static final Filter<IAccessEvent> NOT_WARM_UP = new Filter<>() {
        @Override
        public FilterReply decide(IAccessEvent event) {
            if (event.getRequest() == null || event.getRequest().getAttribute(ATTRIBUTE) == null) {
                return FilterReply.NEUTRAL;
            }
            event.prepareForDeferredProcessing();
            return FilterReply.DENY;
        }
    };

    static {
        NOT_WARM_UP.setName("not-warm-up");
        NOT_WARM_UP.start();
    }

    private final WarmUpSettings settings;
    private final ObjectMapper mapper;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile Server server;
    private volatile boolean compiled;
    private volatile boolean stop;

    private WarmUp(WarmUpSettings settings, ObjectMapper mapper) {
        this.settings = requireNonNull(settings, "settings is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * Warms the application of {@code environment} up each time its server starts, as {@code settings} say, and
     * reports it in its metrics ({@code warm-up.requests}, {@code warm-up.failures}).
     */
    public static void install(WarmUpSettings settings, Environment environment) {
        WarmUp warmUp = new WarmUp(settings, environment.getObjectMapper());
        environment.metrics().registerGauge("warm-up.requests", warmUp::sent);
        environment.metrics().registerGauge("warm-up.failures", warmUp::failed);
        if (settings.enabled()) {
            environment.lifecycle().addEventListener(new LifeCycle.Listener() {
                @Override
                public void lifeCycleStarting(LifeCycle event) {
                    if (event instanceof Server starting) {
                        // a bean added now starts after the handlers, which the server holds already, and the
                        // server starts its connectors only after all its beans
                        warmUp.server = starting;
                        starting.addBean(warmUp);
                    }
                }
            });
        }
    }

    /** How many warm-up requests were sent. */
    public int sent() {
        return sent.get();
    }

    /** How many of them were not answered 200, or not answered at all. */
    public int failed() {
        return failed.get();
    }

    @Override
    protected void doStart() {
        long started = System.nanoTime();
        compiled = false;
        stop = false;
        try {
            warmUp(started + settings.maxDuration().toNanoseconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Warming up interrupted after {} requests", sent());
        } catch (Exception e) {
            LOG.warn("Warming up stopped after {} requests: {}", sent(), e.toString());
        }
        LOG.info("Warmed up with {} requests in {} ms ({} not answered 200){}", sent(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), failed(),
                compiled ? "; the JIT compilers had nothing left to compile" : "");
    }

    private void warmUp(long deadline) throws Exception {
        if (!(applicationConnector(server) instanceof AbstractConnector application)) {
            LOG.warn("Not warming up: the server has no connector of Jetty's own kind to warm up for");
            return;
        }
        if (!leaveOutOfRequestLog(server.getRequestLog())) {
            LOG.info("The warm-up's requests will show in the request log, which is not logback-access's");
        }
        // started, since a connector that is not closes each connection after one answer; but taking no
        // connection until the warm-up is done
        application.setAccepting(false);
        try {
            application.start();
            warmUpFor(application, deadline);
        } finally {
            application.setAccepting(true);
        }
    }

    private void warmUpFor(Connector application, long deadline) throws Exception {
        // the server's thread pool, scheduler and buffers, which the connector leaves to the server to stop
        ServerConnector connector = new ServerConnector(server, 1, 1, new AsIfAccepted(application));
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        connector.setPort(0);
        connector.start();
        try {
            String page;
            try (Client first = new Client(connector.getLocalPort())) {
                page = first.get(FIRST_PAGE);
            } catch (IOException e) {
                failed.incrementAndGet();
                LOG.warn("Not warming up: {} failed: {}", FIRST_PAGE, e.toString());
                return;
            }
            if (page == null) {
                LOG.warn("Not warming up: {} was not answered 200", FIRST_PAGE);
                return;
            }
            List<String> paths = paths(symbols(page));
            List<Thread> threads = new ArrayList<>();
            AtomicInteger next = new AtomicInteger(1);
            for (int t = 0; t < settings.threads(); t++) {
                Thread thread = new Thread(() -> {
                    Client client = null;
                    for (int i = next.getAndIncrement();
                            i < settings.requests() && !stop && System.nanoTime() < deadline;
                            i = next.getAndIncrement()) {
                        try {
                            if (client == null) {
                                client = new Client(connector.getLocalPort());
                            }
                            client.get(paths.get(i % paths.size()));
                        } catch (IOException | RuntimeException e) {
                            failed.incrementAndGet();
                            client = closeQuietly(client);
                        }
                    }
                    closeQuietly(client);
                }, "warm-up-" + t);
                thread.start();
                threads.add(thread);
            }
            awaitOrStopWhenCompiled(threads);
        } finally {
            try {
                // the last answers are complete on the server's side too before their connections are closed
                connector.shutdown().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.debug("Warm-up connections not closed in order ({}); closing them", e.toString());
            } finally {
                connector.stop();
            }
        }
    }

    /** Waits for the warm-up's threads; when asked to, stops them once the JIT compilers are idle. */
    private void awaitOrStopWhenCompiled(List<Thread> threads) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        CompilerIdleness idleness = settings.stopWhenCompiled() && jit != null
                && jit.isCompilationTimeMonitoringSupported() ? new CompilerIdleness(jit::getTotalCompilationTime)
                : null;
        try {
            for (Thread thread : threads) {
                while (thread.isAlive()) {
                    thread.join(SAMPLE_MILLIS);
                    if (idleness != null && !stop && idleness.idle()) {
                        compiled = true;
                        stop = true;
                    }
                }
            }
        } finally {
            // an interrupted wait ends the requests too
            stop = true;
        }
    }

    /**
     * Whether the JIT compilers have had nothing left to compile: their total compilation time (all compiler threads
     * together) grew by less than a tenth of the time that passed between each two looks for the last two seconds.
     */
    static final class CompilerIdleness {

        static final double IDLE_SHARE = 0.1;
        static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);

        private final LongSupplier compileMillis;
        private final LongSupplier nanoTime;
        private long lastMillis;
        private long lastNanos;
        private long idleSince = -1;

        CompilerIdleness(LongSupplier compileMillis) {
            this(compileMillis, System::nanoTime);
        }

        CompilerIdleness(LongSupplier compileMillis, LongSupplier nanoTime) {
            this.compileMillis = compileMillis;
            this.nanoTime = nanoTime;
            this.lastMillis = compileMillis.getAsLong();
            this.lastNanos = nanoTime.getAsLong();
        }

        /** Looks at the compilers' work since the last call, or since this was made. */
        boolean idle() {
            long millis = compileMillis.getAsLong();
            long nanos = nanoTime.getAsLong();
            boolean quiet = TimeUnit.MILLISECONDS.toNanos(millis - lastMillis) < (nanos - lastNanos) * IDLE_SHARE;
            if (!quiet) {
                idleSince = -1;
            } else if (idleSince < 0) {
                idleSince = lastNanos;
            }
            lastMillis = millis;
            lastNanos = nanos;
            return idleSince >= 0 && nanos - idleSince >= IDLE_NANOS;
        }
    }

    /**
     * The connector whose clients the warm-up's requests pass for: Dropwizard's default server names its
     * application connector "application" (and routes requests by connector); else the server's first one.
     */
    static Connector applicationConnector(Server server) {
        Connector[] connectors = server.getConnectors();
        for (Connector connector : connectors) {
            if (APPLICATION_CONNECTOR.equals(connector.getName())) {
                return connector;
            }
        }
        return connectors.length == 0 ? null : connectors[0];
    }

    /**
     * Makes each warm-up connection as the application's connector makes those it accepts, with the same HTTP
     * settings, and hands it to that connector: so a warm-up request is handled by the server exactly as a
     * client's request on that connector is, down to the classes the JIT compilers see (a request made to look as
     * if it had come in on it, wrapped, had its code compiled for the wrapper and compiled again once clients came).
     * Only the request attribute {@link #ATTRIBUTE} tells the two apart.
     */
    static final class AsIfAccepted extends HttpConnectionFactory {

        private final Connector application;

        AsIfAccepted(Connector application) {
            super(markingWarmUp(httpConfiguration(application)));
            this.application = application;
        }

        @Override
        public Connection newConnection(Connector connector, EndPoint endPoint) {
            return super.newConnection(application, endPoint);
        }

        private static HttpConfiguration httpConfiguration(Connector connector) {
            if (connector instanceof ContainerLifeCycle container) {
                for (HttpConfiguration.ConnectionFactory factory
                        : container.getContainedBeans(HttpConfiguration.ConnectionFactory.class)) {
                    return new HttpConfiguration(factory.getHttpConfiguration());
                }
            }
            return new HttpConfiguration();
        }

        private static HttpConfiguration markingWarmUp(HttpConfiguration http) {
            http.addCustomizer((request, responseHeaders) -> {
                request.setAttribute(ATTRIBUTE, Boolean.TRUE);
                return request;
            });
            return http;
        }
    }

    /**
     * Makes the server's request log leave the warm-up's requests out, when it is logback-access's (Dropwizard's
     * default); tells whether they are left out (as they are when the server has no request log).
     */
    @SuppressWarnings("unchecked")
    static boolean leaveOutOfRequestLog(RequestLog log) {
        if (log instanceof FilterAttachable<?> attachable) {
            FilterAttachable<IAccessEvent> filters = (FilterAttachable<IAccessEvent>) attachable;
            if (!filters.getCopyOfAttachedFiltersList().contains(NOT_WARM_UP)) {
                filters.addFilter(NOT_WARM_UP);
            }
            return true;
        }
        return log == null;
    }

    private static Client closeQuietly(Client client) {
        if (client != null) {
            client.close();
        }
        return null;
    }

    /** One kept-alive connection to the warm-up connector; Jetty's own parser reads its answers. */
    private final class Client implements AutoCloseable {

        private final Socket socket;
        private final HttpTester.Input in;
        private final OutputStream out;

        Client(int port) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            in = HttpTester.from(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** The body of a 200 answer to {@code GET path}, else null. */
        String get(String path) throws IOException {
            sent.incrementAndGet();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpTester.Response response = HttpTester.parseResponse(in);
            if (response == null) {
                throw new IOException("the connection closed before the answer to " + path + " ended");
            }
            if (response.getStatus() != 200) {
                failed.incrementAndGet();
                LOG.debug("Warm-up {} answered {}", path, response.getStatus());
                return null;
            }
            return response.getContent();
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing was left to send
            }
        }
    }

    /** The canonical symbols on a page of {@code /data}. */
    private List<String> symbols(String page) throws Exception {
        List<String> symbols = new ArrayList<>();
        for (JsonNode asset : mapper.readTree(page).path("data")) {
            if (symbols.size() < MAX_SYMBOLS && asset.path("canonical_symbol").isTextual()) {
                symbols.add(asset.path("canonical_symbol").asText());
            }
        }
        return symbols;
    }

    /**
     * What is sent, in turn: the first page of {@code /data} three times in four, one of its assets the fourth
     * (those whose symbol needs no escaping in a path).
     */
    static List<String> paths(List<String> symbols) {
        List<String> plain = symbols.stream().filter(s -> PLAIN_SYMBOL.matcher(s).matches()).toList();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < Math.max(1, plain.size()); i++) {
            paths.add(FIRST_PAGE);
            paths.add(FIRST_PAGE);
            paths.add("/data");
            paths.add(plain.isEmpty() ? FIRST_PAGE : "/assets/" + plain.get(i));
        }
        return paths;
    }
}

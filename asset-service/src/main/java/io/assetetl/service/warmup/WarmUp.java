package io.assetetl.service.warmup;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the read path's requests through the application before the server takes its first connection, so that
 * its first clients meet code the JIT compilers have already compiled. Started cold, the service answered
 * {@code GET /data} in its first seconds at a tenth of the rate it reached half a minute later, with a p99 over
 * 100 ms.
 *
 * <p>It runs while Jetty starts: after the application's handlers have started and before the connectors take
 * connections (their ports are already bound, so a client that connects meanwhile waits for its answer instead of
 * being refused). The requests go over kept-alive loopback connections to a connector of a server of their own,
 * bound to an ephemeral port of 127.0.0.1 for the warm-up alone and never started itself, whose only handler is the
 * application's servlet context: so they take Jetty's socket path as clients' requests do, but are not in the
 * request log and not counted in the request metrics ({@link #ATTRIBUTE} marks them). They read what any client
 * could: the first page of {@code /data} and the assets on it. Nothing depends on them: a failure is logged, and
 * the server starts all the same.
 */
public final class WarmUp extends AbstractLifeCycle {

    /** The request attribute set on each warm-up request, and on no other. */
    public static final String ATTRIBUTE = WarmUp.class.getName();

    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final String FIRST_PAGE = "/data?limit=50";
    private static final int MAX_SYMBOLS = 50;
    /** Symbols sent as they are: others would need escaping, which some of them (such as %2F) Jetty refuses. */
    private static final Pattern PLAIN_SYMBOL = Pattern.compile("[A-Za-z0-9._~-]+");

    private final WarmUpSettings settings;
    private final Handler application;
    private final ObjectMapper mapper;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile Server server;

    private WarmUp(WarmUpSettings settings, Handler application, ObjectMapper mapper) {
        this.settings = requireNonNull(settings, "settings is null");
        this.application = requireNonNull(application, "application is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * Warms the application of {@code environment} up each time its server starts, as {@code settings} say, and
     * reports it in its metrics ({@code warm-up.requests}, {@code warm-up.failures}).
     */
    public static void install(WarmUpSettings settings, Environment environment) {
        WarmUp warmUp = new WarmUp(settings, environment.getApplicationContext(), environment.getObjectMapper());
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
        try {
            warmUp(started + settings.maxDuration().toNanoseconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Warming up interrupted after {} requests", sent());
        } catch (Exception e) {
            LOG.warn("Warming up stopped after {} requests: {}", sent(), e.toString());
        }
        LOG.info("Warmed up with {} requests in {} ms ({} not answered 200)", sent(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), failed());
    }

    private void warmUp(long deadline) throws Exception {
        Server local = new Server(server.getThreadPool());
        local.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return application.handle(request, response, callback);
            }
        });
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer((request, responseHeaders) -> {
            request.setAttribute(ATTRIBUTE, Boolean.TRUE);
            return request;
        });
        ServerConnector connector = new ServerConnector(local, server.getThreadPool(), server.getScheduler(),
                server.getByteBufferPool(), 1, 1, new HttpConnectionFactory(http));
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
                    for (int i = next.getAndIncrement(); i < settings.requests() && System.nanoTime() < deadline;
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
            for (Thread thread : threads) {
                thread.join();
            }
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

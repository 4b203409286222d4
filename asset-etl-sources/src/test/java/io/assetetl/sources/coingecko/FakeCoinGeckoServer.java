package io.assetetl.sources.coingecko;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on {@code 127.0.0.1} that answers like CoinGecko's v3 API: {@code /api/v3/coins/markets} pages
 * through a list of recorded items ({@code per_page} and {@code page} honoured, {@code []} past the end) and
 * {@code /api/v3/ping} says hello. Faults are scripted: replies queued for a given page, or for whatever request
 * comes next, are served before the normal answer. Every request is recorded with its headers and arrival time.
 *
 * <pre>{@code
 * try (FakeCoinGeckoServer server = FakeCoinGeckoServer.start().withFixture("coingecko/...json")) {
 *     server.scriptPage(2, Reply.rateLimited("1"), Reply.html(503));
 *     config.put("base_url", server.baseUrl());
 * }
 * }</pre>
 */
public final class FakeCoinGeckoServer implements AutoCloseable {

    /** A request as the server saw it. */
    public record RecordedRequest(String method, String path, Map<String, String> query,
            Map<String, String> headers, long receivedNanos) {

        /** A header by case-insensitive name, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public int page() {
            return Integer.parseInt(query.getOrDefault("page", "1"));
        }
    }

    /** One scripted answer. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers, Duration delay,
            boolean chunked) {

        public static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of(), Duration.ZERO, false);
        }

        /** CoinGecko's JSON 429, without {@code Retry-After}. */
        public static Reply rateLimited() {
            return json(429, "{\"status\":{\"error_code\":429,\"error_message\":\"You've exceeded the Rate Limit. "
                    + "Please visit https://www.coingecko.com/en/api/pricing to subscribe to our API plans for "
                    + "higher rate limits.\"}}");
        }

        /** CoinGecko's JSON 429 with a {@code Retry-After} header (seconds or HTTP date). */
        public static Reply rateLimited(String retryAfter) {
            return rateLimited().withHeader("Retry-After", retryAfter);
        }

        /** The plain-text 429 Cloudflare answers with before CoinGecko sees the request. */
        public static Reply cloudflareRateLimited() {
            return new Reply(429, "text/plain; charset=UTF-8", "error code: 1015", Map.of(), Duration.ZERO, false);
        }

        /** An HTML error page such as a gateway returns. */
        public static Reply html(int status) {
            return new Reply(status, "text/html", "<!DOCTYPE html><html><head><title>" + status + " | CoinGecko"
                    + "</title></head><body><h1>Something went wrong</h1></body></html>", Map.of(), Duration.ZERO,
                    false);
        }

        /** A 200 whose JSON array stops in the middle of an item. */
        public static Reply truncated(String json) {
            return new Reply(200, "application/json", json.substring(0, json.length() / 2), Map.of(),
                    Duration.ZERO, true);
        }

        /** CoinGecko's answer to a missing or wrong key. */
        public static Reply unauthorized() {
            return json(401, "{\"status\":{\"error_code\":10002,\"error_message\":\"API Key Missing or invalid\"}}");
        }

        /** This reply after holding the response back for {@code delay}. */
        public Reply delayedBy(Duration wait) {
            return new Reply(status, contentType, body, headers, wait, chunked);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, contentType, body, more, delay, chunked);
        }
    }

    private static final String PREFIX = "/api/v3";

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Map<Integer, Deque<Reply>> pageScripts = new ConcurrentHashMap<>();
    private final Deque<Reply> nextReplies = new ArrayDeque<>();
    private volatile List<String> items = List.of();
    private volatile String requiredKeyHeader;
    private volatile String requiredKey;

    private FakeCoinGeckoServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a server on a free port of the loopback interface. */
    public static FakeCoinGeckoServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-coingecko");
                t.setDaemon(true);
                return t;
            });
            FakeCoinGeckoServer fake = new FakeCoinGeckoServer(http, executor);
            http.createContext("/", fake::handle);
            http.setExecutor(executor);
            http.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake CoinGecko server", e);
        }
    }

    /** The API root to configure as {@code base_url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX;
    }

    /** Serves the items of a recorded {@code /coins/markets} answer on the test class path. */
    public FakeCoinGeckoServer withFixture(String... resources) {
        List<String> all = new ArrayList<>();
        for (String resource : resources) {
            all.addAll(splitArray(resource(resource)));
        }
        return withItems(all);
    }

    /** Serves these item JSON texts, in this order, paged as requested. */
    public FakeCoinGeckoServer withItems(List<String> itemJsons) {
        this.items = List.copyOf(itemJsons);
        return this;
    }

    /** Answers 401 to requests without {@code header: key}. */
    public FakeCoinGeckoServer requireKey(String header, String key) {
        this.requiredKeyHeader = header.toLowerCase(java.util.Locale.ROOT);
        this.requiredKey = key;
        return this;
    }

    /** Replies served, in order, to the next requests of market page {@code page}, before the normal answer. */
    public FakeCoinGeckoServer scriptPage(int page, Reply... replies) {
        pageScripts.computeIfAbsent(page, p -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    /** Replies served, in order, to the next requests whatever they ask for. */
    public FakeCoinGeckoServer scriptNext(Reply... replies) {
        synchronized (nextReplies) {
            nextReplies.addAll(List.of(replies));
        }
        return this;
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The recorded requests of {@code /coins/markets}. */
    public List<RecordedRequest> marketRequests() {
        return requests.stream().filter(r -> r.path().equals("/coins/markets")).toList();
    }

    /** The item JSON texts served, for expectations. */
    public List<String> items() {
        return items;
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** The elements of a JSON array, each as its exact text. */
    public static List<String> splitArray(String json) {
        List<String> elements = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("not a JSON array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                int start = (int) parser.currentTokenLocation().getCharOffset();
                parser.skipChildren();
                elements.add(json.substring(start, (int) parser.currentLocation().getCharOffset()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return elements;
    }

    /** A test resource as text. */
    public static String resource(String name) {
        try (InputStream in = FakeCoinGeckoServer.class.getClassLoader().getResourceAsStream(name)) {
            return new String(Objects.requireNonNull(in, "no test resource " + name).readAllBytes(),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        path = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT),
                String.join(",", v)));
        RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), path, query, headers, received);
        requests.add(request);
        try {
            send(exchange, reply(request));
        } catch (IOException clientGone) {
            // the client timed out and hung up; nothing to answer
        } finally {
            exchange.close();
        }
    }

    private Reply reply(RecordedRequest request) {
        synchronized (nextReplies) {
            if (!nextReplies.isEmpty()) {
                return nextReplies.poll();
            }
        }
        if (requiredKey != null && !requiredKey.equals(request.headers().get(requiredKeyHeader))) {
            return Reply.unauthorized();
        }
        return switch (request.path()) {
            case "/ping" -> Reply.json(200, "{\"gecko_says\":\"(V3) To the Moon!\"}");
            case "/coins/markets" -> {
                Deque<Reply> script = pageScripts.get(request.page());
                Reply scripted = script == null ? null : script.poll();
                yield scripted != null ? scripted : Reply.json(200, page(request));
            }
            default -> Reply.json(404, "{\"error\":\"Incorrect path. Please check https://www.coingecko.com/api/\"}");
        };
    }

    private String page(RecordedRequest request) {
        int perPage = Integer.parseInt(request.query().getOrDefault("per_page", "100"));
        int from = (request.page() - 1) * perPage;
        List<String> all = items;
        if (from >= all.size()) {
            return "[]";
        }
        return "[" + String.join(",", all.subList(from, Math.min(all.size(), from + perPage))) + "]";
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        if (!reply.delay().isZero()) {
            try {
                Thread.sleep(reply.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(reply.status(), reply.chunked() ? 0 : body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value,
                        StandardCharsets.UTF_8));
            }
        }
        return query;
    }
}

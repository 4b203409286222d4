package io.assetetl.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small JSON client for the service under test. */
final class Http {

    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String body, HttpResponse<String> raw) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** The final answer to a request sent over a plain socket. */
    record PlainReply(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(int port) {
        this(port, "");
    }

    /** Requests under {@code prefix} ({@code /api} for a server whose {@code rootPath} is {@code /api/*}). */
    Http(int port, String prefix) {
        this.base = "http://127.0.0.1:" + port + prefix;
    }

    Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), Map.of());
    }

    Reply get(String pathAndQuery, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), headers);
    }

    Reply post(String path, String body, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /**
     * Posts over a plain socket with {@code Expect: 100-continue}, as careful clients send large bodies, and returns
     * the final answer. A server that refuses the request from its headers answers before any of the
     * body is sent, so the answer cannot be lost to the reset of a connection closed while the body was still being
     * written. (The JDK 17 client waits forever when such a request gets a final answer instead of 100.)
     */
    PlainReply postExpectingContinue(String path, String body, Map<String, String> headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nContent-Length: " + bytes.length + "\r\nExpect: 100-continue\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            int status = status(in.readLine());
            if (status == 100) {
                out.write(bytes);
                out.flush();
                skipHeaders(in);
                status = status(in.readLine());
            }
            int length = skipHeaders(in);
            char[] answer = new char[Math.max(length, 0)];
            int read = 0;
            while (read < answer.length) {
                int n = in.read(answer, read, answer.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new PlainReply(status, new String(answer, 0, read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads header lines up to the blank line; returns the Content-Length, or -1. */
    private static int skipHeaders(BufferedReader in) throws IOException {
        int length = -1;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return length;
    }

    private static int status(String statusLine) {
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IllegalStateException("not an HTTP/1.1 status line: " + statusLine);
        }
        return Integer.parseInt(statusLine.substring(9, 12));
    }

    Reply method(String method, String path) {
        return method(method, path, Map.of());
    }

    Reply method(String method, String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()), headers);
    }

    Reply send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a run over HTTP and waits for it to finish; returns the finished run. */
    JsonNode runToEnd(String source) {
        Reply started = post("/runs", "{\"source\":\"" + source + "\"}", Map.of(
                "Authorization", "Bearer " + TestApps.ADMIN_TOKEN, "Content-Type", "application/json"));
        if (started.status() != 202) {
            throw new AssertionError("POST /runs " + source + ": " + started.status() + " " + started.body());
        }
        return awaitFinished(started.json().get("run_id").asText());
    }

    JsonNode awaitFinished(String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode run = get("/runs/" + runId).json();
            if (!run.path("status").asText().equals("running")) {
                return run;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("run " + runId + " did not finish in 120 s");
    }
}

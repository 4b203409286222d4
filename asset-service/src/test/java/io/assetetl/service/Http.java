package io.assetetl.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
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

    Reply method(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.noBody()), Map.of());
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

package io.assetetl.sources.coingecko;

import feign.Client;
import feign.Request;
import feign.Response;
import feign.Util;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.charset.Charset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/**
 * Feign's HTTP client over OkHttp, whose call an interruption of the calling thread stops at once. A blocking socket
 * read does not heed an interruption: made on the calling thread (as feign-okhttp's client makes it), a call to a
 * server that is slow to answer held a run that was being stopped until the call's {@code timeout}, longer than the
 * engine waits for a reader to stop.
 *
 * <p>So OkHttp makes each call on a thread of its own and reads the whole answer there, its body included (at most
 * {@code maxBodyBytes + 1} bytes of it, so that a longer body is seen to be too long; none when its declared length
 * is more than {@code maxBodyBytes}, which is enough to refuse it), while the calling thread waits for it.
 * Interrupted, that thread cancels the call, which closes its connection, and throws an
 * {@link InterruptedIOException} with its interrupt status kept; a thread interrupted before it calls makes no call.
 * A failure to read the body (the call's timeout among them) is thrown when the body is read, as a read from the
 * connection would throw it, so that the answer's status is still seen and counted. Each answer is closed on
 * OkHttp's thread whatever becomes of the call: no connection is left behind. Thread-safe.
 */
final class InterruptibleOkHttpClient implements Client {

    private final OkHttpClient http;
    private final int maxBodyBytes;

    /**
     * @param http         the client's settings (timeouts, retries, pool); its calls run on daemon threads of this
     *                     client's own, which keep no process alive, and none waits in a queue for another to end
     * @param maxBodyBytes the most of a body read
     */
    InterruptibleOkHttpClient(OkHttpClient http, int maxBodyBytes) {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "coingecko-http");
                    t.setDaemon(true);
                    return t;
                });
        Dispatcher dispatcher = new Dispatcher(threads);
        // each calling thread waits for its one call, as it did making the call itself: OkHttp's default of 5 calls
        // a host would queue a sixth, and its timeout would start only once it left the queue
        dispatcher.setMaxRequests(Integer.MAX_VALUE);
        dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
        this.http = http.newBuilder().dispatcher(dispatcher).build();
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted before the call: not made");
        }
        Call call = client(options).newCall(toOkHttp(request));
        CompletableFuture<Response> answer = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, okhttp3.Response response) {
                try (response) {
                    answer.complete(toFeign(response, request));
                } catch (Throwable e) {
                    // completed whatever happens: the calling thread waits for it without a time limit of its own
                    answer.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                answer.completeExceptionally(e);
            }
        });
        try {
            return answer.get();
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the call was cancelled");
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** OkHttp's client with Feign's timeouts and redirect setting for the call, where they differ from its own. */
    private OkHttpClient client(Request.Options options) {
        if (http.connectTimeoutMillis() == options.connectTimeoutMillis()
                && http.readTimeoutMillis() == options.readTimeoutMillis()
                && http.followRedirects() == options.isFollowRedirects()) {
            return http;
        }
        return http.newBuilder()
                .connectTimeout(options.connectTimeoutMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(options.readTimeoutMillis(), TimeUnit.MILLISECONDS)
                .followRedirects(options.isFollowRedirects())
                .build();
    }

    private static okhttp3.Request toOkHttp(Request request) {
        okhttp3.Request.Builder builder = new okhttp3.Request.Builder().url(request.url());
        MediaType contentType = null;
        boolean accept = false;
        for (Map.Entry<String, Collection<String>> header : request.headers().entrySet()) {
            for (String value : header.getValue()) {
                builder.addHeader(header.getKey(), value);
            }
            if (header.getKey().equalsIgnoreCase("Content-Type") && !header.getValue().isEmpty()) {
                contentType = MediaType.parse(header.getValue().iterator().next());
            }
            accept |= header.getKey().equalsIgnoreCase("Accept");
        }
        if (!accept) {
            // what feign-okhttp's client sent: OkHttp adds no Accept of its own
            builder.addHeader("Accept", "*/*");
        }
        byte[] body = request.body();
        boolean needsBody = switch (request.httpMethod()) {
            case POST, PUT, PATCH -> true;
            default -> false;
        };
        if (body == null && needsBody) {
            body = new byte[0];
        }
        return builder.method(request.httpMethod().name(), body == null ? null : RequestBody.create(body, contentType))
                .build();
    }

    /** The answer with its body read, on OkHttp's thread. */
    private Response toFeign(okhttp3.Response response, Request request) {
        Map<String, Collection<String>> headers = new LinkedHashMap<>(response.headers().toMultimap());
        return Response.builder()
                .protocolVersion(Util.enumForName(Request.ProtocolVersion.class, response.protocol()))
                .status(response.code())
                .reason(response.message())
                .request(request)
                .headers(headers)
                .body(body(response.body()))
                .build();
    }

    private Response.Body body(ResponseBody body) {
        long declared = body == null ? 0 : body.contentLength();
        if (declared == 0) {
            return null;
        }
        Integer length = declared < 0 ? null : (int) Math.min(declared, Integer.MAX_VALUE);
        if (declared > maxBodyBytes) {
            return new ReadBody(new byte[0], length, null);
        }
        try {
            return new ReadBody(body.byteStream().readNBytes(maxBodyBytes + 1), length, null);
        } catch (IOException e) {
            return new ReadBody(new byte[0], length, e);
        }
    }

    private static IOException rethrown(Throwable failure) {
        if (failure instanceof IOException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return new IOException(failure);
    }

    /** A body read whole, or the failure its reading met, thrown when it is read. */
    private record ReadBody(byte[] bytes, Integer length, IOException failure) implements Response.Body {

        @Override
        public boolean isRepeatable() {
            return failure == null;
        }

        @Override
        public InputStream asInputStream() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public Reader asReader(Charset charset) throws IOException {
            return new InputStreamReader(asInputStream(), charset);
        }

        @Override
        public void close() {
            // nothing held: the answer was closed once its body was read
        }
    }
}

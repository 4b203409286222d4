package io.assetetl.sources.coingecko;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on {@code 127.0.0.1} with faults a library server cannot make: it drops each connection after
 * reading the request, with a TCP reset or by closing it; or it answers and keeps the connection alive, then closes
 * it once it has been idle a while; or it sends its answer's body a byte at a time; or it never answers. Counts the
 * requests whose head arrived, which is what an upstream counts against a budget, and notes each connection the
 * client hung up on while the server still held it open (waiting to answer, or answering).
 */
final class RawHttpServer implements AutoCloseable {

    private enum Fault { RESET, CLOSE, IDLE_CLOSE, TRICKLE, SILENT }

    private final Fault fault;
    private final byte[] body;
    private final Duration pause;
    private final ServerSocket socket;
    private final AtomicInteger requests = new AtomicInteger();
    private final Semaphore arrivals = new Semaphore(0);
    private final Semaphore hangUps = new Semaphore(0);
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private final Thread acceptor;

    private RawHttpServer(Fault fault, String body, Duration pause) {
        this.fault = fault;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        this.pause = pause;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::accept, "raw-http-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with a TCP reset. */
    static RawHttpServer resetting() {
        return new RawHttpServer(Fault.RESET, "", Duration.ZERO);
    }

    /** Closes every connection once it has read the request. */
    static RawHttpServer closing() {
        return new RawHttpServer(Fault.CLOSE, "", Duration.ZERO);
    }

    /** Answers every request with {@code body} (JSON, 200) and closes a connection idle for {@code idle}. */
    static RawHttpServer closingIdleConnections(String body, Duration idle) {
        return new RawHttpServer(Fault.IDLE_CLOSE, body, idle);
    }

    /** Answers every request with {@code body} (JSON, 200), sending a byte of it every {@code perByte}. */
    static RawHttpServer trickling(String body, Duration perByte) {
        return new RawHttpServer(Fault.TRICKLE, body, perByte);
    }

    /** Reads every request and never answers, holding the connection open until the client hangs up. */
    static RawHttpServer silent() {
        return new RawHttpServer(Fault.SILENT, "", Duration.ZERO);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/api/v3";
    }

    /** The requests whose head arrived. */
    int requests() {
        return requests.get();
    }

    /** Waits for the head of one more request to arrive; false if none did within {@code wait}. */
    boolean awaitRequest(Duration wait) throws InterruptedException {
        return arrivals.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Waits for the client to hang up on one more connection the server held open (silent, or trickling its
     * answer); false if it did not within {@code wait}.
     */
    boolean awaitHangUp(Duration wait) throws InterruptedException {
        return hangUps.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                Thread handler = new Thread(() -> serve(connection), "raw-http-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        open.add(connection);
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            if (fault == Fault.IDLE_CLOSE) {
                connection.setSoTimeout((int) pause.toMillis());
            }
            while (readHead(in)) {
                requests.incrementAndGet();
                arrivals.release();
                switch (fault) {
                    case RESET -> {
                        connection.setSoLinger(true, 0);
                        return;
                    }
                    case CLOSE -> {
                        return;
                    }
                    case IDLE_CLOSE -> answer(connection.getOutputStream(), Duration.ZERO);
                    case TRICKLE -> {
                        try {
                            answer(connection.getOutputStream(), pause);
                        } catch (IOException clientGone) {
                            hungUp();
                        }
                        return;
                    }
                    case SILENT -> {
                        awaitHangUp(connection);
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException idleTooLong) {
            // closed by the try-with-resources: the connection was idle for the given time
        } catch (IOException | InterruptedException clientGone) {
            // the client hung up, or the server was closed
        } finally {
            open.remove(connection);
        }
    }

    /** Reads what the client may still send until it closes the connection (end of stream) or resets it. */
    private void awaitHangUp(Socket connection) {
        try {
            while (connection.getInputStream().read() >= 0) {
                // nothing else is expected from a client waiting for its answer
            }
        } catch (IOException reset) {
            // a reset, or the server's own close
        }
        hungUp();
    }

    private void hungUp() {
        if (!closed) {
            hangUps.release();
        }
    }

    /** Reads a request's head; false at the end of the connection. */
    private static boolean readHead(BufferedReader in) throws IOException {
        String line = in.readLine();
        if (line == null) {
            return false;
        }
        while (line != null && !line.isEmpty()) {
            line = in.readLine();
        }
        return true;
    }

    private void answer(OutputStream out, Duration perByte) throws IOException, InterruptedException {
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (perByte.isZero()) {
            out.write(body);
        } else {
            for (byte b : body) {
                out.flush();
                Thread.sleep(perByte.toMillis());
                out.write(b);
            }
        }
        out.flush();
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        try {
            socket.close();
            for (Socket connection : open) {
                // a client still waiting for its answer is not left to its timeout
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.join();
    }
}

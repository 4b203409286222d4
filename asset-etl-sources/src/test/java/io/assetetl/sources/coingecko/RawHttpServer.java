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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on {@code 127.0.0.1} with faults a library server cannot make: it drops each connection after
 * reading the request, with a TCP reset or by closing it; or it answers and keeps the connection alive, then closes
 * it once it has been idle a while; or it sends its answer's body a byte at a time. Counts the requests whose head
 * arrived, which is what an upstream counts against a budget.
 */
final class RawHttpServer implements AutoCloseable {

    private enum Fault { RESET, CLOSE, IDLE_CLOSE, TRICKLE }

    private final Fault fault;
    private final byte[] body;
    private final Duration pause;
    private final ServerSocket socket;
    private final AtomicInteger requests = new AtomicInteger();
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

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/api/v3";
    }

    /** The requests whose head arrived. */
    int requests() {
        return requests.get();
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
        try (connection) {
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            if (fault == Fault.IDLE_CLOSE) {
                connection.setSoTimeout((int) pause.toMillis());
            }
            while (readHead(in)) {
                requests.incrementAndGet();
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
                        answer(connection.getOutputStream(), pause);
                        return;
                    }
                }
            }
        } catch (SocketTimeoutException idleTooLong) {
            // closed by the try-with-resources: the connection was idle for the given time
        } catch (IOException | InterruptedException clientGone) {
            // the client hung up, or the server was closed
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
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor.join();
    }
}

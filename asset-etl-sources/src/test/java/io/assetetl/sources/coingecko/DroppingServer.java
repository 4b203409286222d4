package io.assetetl.sources.coingecko;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server on {@code 127.0.0.1} that reads each request's head and then drops the connection without a byte of
 * answer: with a TCP reset, or by closing it. Counts the requests that reached it, which is what an upstream
 * counts against a budget.
 */
final class DroppingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final boolean reset;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    private DroppingServer(boolean reset) {
        this.reset = reset;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::serve, "dropping-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers every request with a TCP reset. */
    static DroppingServer resetting() {
        return new DroppingServer(true);
    }

    /** Closes every connection once it has read the request. */
    static DroppingServer closing() {
        return new DroppingServer(false);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/api/v3";
    }

    /** The requests whose head arrived. */
    int requests() {
        return requests.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket connection = socket.accept()) {
                BufferedReader head = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String line = head.readLine();
                if (line == null) {
                    continue;
                }
                while (line != null && !line.isEmpty()) {
                    line = head.readLine();
                }
                requests.incrementAndGet();
                if (reset) {
                    connection.setSoLinger(true, 0);
                }
            } catch (IOException closedOrClientGone) {
                // the server was closed, or the client hung up first: nothing to count
            }
        }
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

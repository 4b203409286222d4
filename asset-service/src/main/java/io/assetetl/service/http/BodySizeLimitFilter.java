package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

/**
 * Refuses request bodies over a limit with 413 before anything parses them, whether or not the client declared a
 * length, and bodies that cannot be read whole with 400 or 408. The API's bodies are a few bytes, so the accepted body
 * is simply buffered.
 *
 * <p>It runs once the request is matched to a resource method (matching reads no body), so that {@code /metrics}
 * records a 413 under its route, and last of the request filters, as the one that reads the body: a request to an
 * {@link AdminOnly} method without a valid token is refused from its headers alone. A request that matches nothing is
 * answered 404 or 405 without its body being read.
 */
@Priority(Priorities.ENTITY_CODER)
public final class BodySizeLimitFilter implements ContainerRequestFilter {

    private final int maxBytes;

    public BodySizeLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > maxBytes) {
            request.abortWith(tooLarge());
            return;
        }
        if (!request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body;
        try {
            body = in.readNBytes(maxBytes + 1);
        } catch (IOException e) {
            request.abortWith(unreadable(e));
            return;
        }
        if (body.length > maxBytes) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    /**
     * A body the client did not finish sending: it stalled until the idle timeout (408), or ended before its declared
     * length or with a broken chunk (400). The client's doing, not the server's.
     */
    private static jakarta.ws.rs.core.Response unreadable(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException) {
                return ErrorResponses.of(408, "request body did not arrive in time").build();
            }
        }
        return ErrorResponses.of(400, "request body ended early or is malformed").build();
    }

    private jakarta.ws.rs.core.Response tooLarge() {
        return ErrorResponses.of(413, "request body is larger than " + maxBytes + " bytes").build();
    }
}

package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeoutException;

/**
 * Refuses request bodies over a limit with 413 before anything parses them, whether or not the client declared a
 * length, and bodies that cannot be read whole with 400 or 408. The API's bodies are a few bytes, so the accepted body
 * is simply buffered, before anything answers: a request answered without its body having been read (a small body
 * may arrive after its headers) can leave its connection closed under the client's next request.
 *
 * <p>The body is read before the request is matched, but a body found too large is refused by {@link Refusal}, once
 * the request is matched (matching reads no body), so that {@code /metrics} records the 413 under its route. A
 * request with a body too large that matches nothing is answered 404 or 405.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
public final class BodySizeLimitFilter implements ContainerRequestFilter {

    private static final String TOO_LARGE = BodySizeLimitFilter.class.getName() + ".tooLarge";

    private final int maxBytes;

    public BodySizeLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > maxBytes) {
            refuseOnceMatched(request);
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
            refuseOnceMatched(request);
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private void refuseOnceMatched(ContainerRequestContext request) {
        request.setProperty(TOO_LARGE, "request body is larger than " + maxBytes + " bytes");
        request.setEntityStream(InputStream.nullInputStream());
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

    /** Answers 413 to a matched request whose body {@link BodySizeLimitFilter} found too large, before any other. */
    @Priority(Priorities.AUTHENTICATION - 50)
    public static final class Refusal implements ContainerRequestFilter {

        @Override
        public void filter(ContainerRequestContext request) {
            if (request.getProperty(TOO_LARGE) instanceof String message) {
                request.abortWith(ErrorResponses.of(413, message).build());
            }
        }
    }
}

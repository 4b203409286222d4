package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses request bodies over a limit with 413 before anything parses them, whether or not the client declared a
 * length. The API's bodies are a few bytes, so the accepted body is simply buffered.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 50)
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
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            request.abortWith(tooLarge());
            return;
        }
        request.setEntityStream(new ByteArrayInputStream(body));
    }

    private jakarta.ws.rs.core.Response tooLarge() {
        return ErrorResponses.of(413, "request body is larger than " + maxBytes + " bytes").build();
    }
}

package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * Refuses with 415 a request to a {@link JsonBody} method whose body is declared as anything but
 * {@code application/json} (parameters such as the charset aside); a body without a {@code Content-Type} is read as
 * JSON. It runs after {@link AdminTokenFilter}, so that a request without a valid token learns nothing else. (A
 * {@code Content-Type} that does not parse is a 400 from Jersey while it matches the request, whatever the path.)
 */
@JsonBody
@Priority(Priorities.HEADER_DECORATOR)
public final class JsonBodyFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type == null) {
            // declared here, as Jersey would otherwise read the body as application/octet-stream and refuse it
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            return;
        }
        if (!(type.getType().equalsIgnoreCase("application")
                && type.getSubtype().equalsIgnoreCase("json"))) {
            request.abortWith(ErrorResponses.of(415, "unsupported media type; the body must be application/json")
                    .build());
        }
    }
}

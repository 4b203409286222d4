package io.assetetl.service.http;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The framework's own errors (unknown path 404, 405, 406, 415, ...) in the API's error shape, keeping headers such
 * as {@code Allow}. The framework's messages name only the status, never the request's content.
 */
@Provider
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = original.getStatusInfo();
        String message = status == 404 ? "not found" : type.getReasonPhrase().toLowerCase(java.util.Locale.ROOT);
        Response.ResponseBuilder response = ErrorResponses.of(status, message);
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }
}

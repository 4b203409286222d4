package io.assetetl.service.http;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The framework's own errors (unknown path 404, 405, 406, 415, ...) in the API's error shape, keeping headers such
 * as {@code Allow}. The framework's messages name only the status, never the request's content. A 405's
 * {@code Allow} names {@code HEAD} where the route answers {@code GET}, as Jersey does (and as its {@code OPTIONS}
 * says), and lists the methods as {@link RouteMethods} does for the 405s the web server answers itself.
 */
@Provider
public final class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        Response original = e.getResponse();
        int status = original.getStatus();
        Response.StatusType type = original.getStatusInfo();
        String message = status == 404 ? "not found" : type.getReasonPhrase().toLowerCase(Locale.ROOT);
        Response.ResponseBuilder response = ErrorResponses.of(status, message);
        original.getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase(HttpHeaders.ALLOW) && status == 405) {
                response.header(name, allow(values));
            } else if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    /** Jersey's {@code Allow} values ({@code "POST,GET,OPTIONS"}) with {@code HEAD} beside {@code GET}, in order. */
    private static String allow(List<Object> values) {
        Set<String> methods = new TreeSet<>();
        for (Object value : values) {
            for (String method : String.valueOf(value).split(",")) {
                if (!method.isBlank()) {
                    methods.add(method.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        return String.join(", ", methods);
    }
}

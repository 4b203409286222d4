package io.assetetl.service.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that the web server answers before the API sees the request (an undecodable or ambiguous path, a header
 * too large, a method the server does not allow such as {@code TRACE}) in the API's one error shape,
 * {@code {"code":N,"message":"…"}}, with only the status's reason, and the {@code X-Request-Id} every response
 * carries (the caller's when it is a plain token, as {@link RequestContextFilter} gives the API's own).
 */
public final class JsonErrorHandler extends ErrorHandler {

    private final RouteMethods routes;

    /** For the server as a whole (the admin port's requests included): a 405 names no method. */
    public JsonErrorHandler() {
        this(null);
    }

    /**
     * For the API's context: a 405, which the server answers only for a method it allows nowhere, carries the
     * {@code Allow} header that names the methods of the route the request was for.
     */
    public JsonErrorHandler(RouteMethods routes) {
        this.routes = routes;
    }

    /**
     * Every method gets the error body. Jetty's default writes one only for GET, POST and HEAD, so that the 405 of
     * Dropwizard's allowed-methods filter to {@code TRACE} or an unknown method had no body and no type.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** The request's path, still percent-encoded, less its context's path ({@code /application}, say). */
    private static String pathInContext(Request request) {
        String path = request.getHttpURI().getPath();
        String context = request.getContext() == null ? null : request.getContext().getContextPath();
        if (context != null && !context.equals("/") && path.startsWith(context)) {
            return path.substring(context.length());
        }
        return path;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) throws IOException {
        String reason = HttpStatus.getMessage(code).toLowerCase(Locale.ROOT);
        String body = "{\"code\":" + code + ",\"message\":\"" + reason.replace("\"", "'") + "\"}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        if (code == HttpStatus.METHOD_NOT_ALLOWED_405 && routes != null
                && !response.getHeaders().contains(HttpHeader.ALLOW)) {
            response.getHeaders().put(HttpHeader.ALLOW, routes.allow(pathInContext(request)));
        }
        if (!response.getHeaders().contains(RequestContextFilter.HEADER)) {
            response.getHeaders().put(RequestContextFilter.HEADER,
                    RequestContextFilter.idFor(request.getHeaders().get(RequestContextFilter.HEADER)));
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}

package io.assetetl.service.http;

import jakarta.ws.rs.core.Response;

/**
 * A request the API answers with an error status and a message that is safe to show. Thrown by resources and
 * mapped to {@code {"code":N,"message":"…"}} by {@link ApiExceptionMapper}.
 */
public class ApiException extends RuntimeException {

    private final int status;

    public ApiException(Response.Status status, String message) {
        this(status.getStatusCode(), message);
    }

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 400 for a query or path parameter; the message names the parameter. */
    public static ApiException badParameter(String name, String problem) {
        return new ApiException(Response.Status.BAD_REQUEST, name + " " + problem);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Response.Status.NOT_FOUND, message);
    }
}

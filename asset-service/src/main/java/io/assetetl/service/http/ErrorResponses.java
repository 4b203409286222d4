package io.assetetl.service.http;

import io.assetetl.service.api.ErrorResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds the one error shape of the API. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static Response.ResponseBuilder of(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new ErrorResponse(status, message));
    }
}

package io.assetetl.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request body that is not the JSON an endpoint expects: 400, without echoing the parser's details. */
@Provider
public final class JsonProcessingExceptionMapper implements ExceptionMapper<JsonProcessingException> {

    @Override
    public Response toResponse(JsonProcessingException e) {
        return ErrorResponses.of(400, "request body is not valid JSON for this endpoint").build();
    }
}

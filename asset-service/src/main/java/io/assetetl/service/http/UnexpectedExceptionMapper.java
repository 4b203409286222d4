package io.assetetl.service.http;

import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything else: logged with its stack trace under an error id, answered 500 with that id and nothing more, so
 * that no internal detail (SQL, class names, connection strings) reaches the client.
 */
@Provider
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Throwable e) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("request failed, error id {}", errorId, e);
        return ErrorResponses.of(500, "internal error; reference " + errorId).build();
    }
}

package io.assetetl.service.http;

import io.assetetl.store.DatabaseFailures;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Anything else: logged with its stack trace under an error id, answered 500 with that id and nothing more, so
 * that no internal detail (SQL, class names, connection strings) reaches the client. A database that cannot be
 * reached is not the request's fault nor a bug: 503, with a {@code Retry-After}.
 */
@Provider
public final class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedExceptionMapper.class);
    /** The {@code Retry-After} of every 503 the service answers while its database is unreachable. */
    public static final int RETRY_AFTER_SECONDS = 5;

    @Override
    public Response toResponse(Throwable e) {
        if (DatabaseFailures.isUnavailable(e)) {
            // the health check says the same; one line, as every request says it while the database is away
            LOG.warn("request failed: database unavailable ({})", e.getClass().getSimpleName());
            return ErrorResponses.of(503, "database unavailable; try again later")
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.error("request failed, error id {}", errorId, e);
        return ErrorResponses.of(500, "internal error; reference " + errorId).build();
    }
}

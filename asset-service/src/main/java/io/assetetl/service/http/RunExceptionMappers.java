package io.assetetl.service.http;

import io.assetetl.run.RunRefusedException;
import io.assetetl.run.UnknownSourceException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The library's refusals, as HTTP statuses. */
public final class RunExceptionMappers {

    private RunExceptionMappers() {
    }

    /** A run of that source is in progress somewhere: 409. */
    @Provider
    public static final class Refused implements ExceptionMapper<RunRefusedException> {
        @Override
        public Response toResponse(RunRefusedException e) {
            return ErrorResponses.of(409, "a run of source " + e.source() + " is already in progress").build();
        }
    }

    /** No such source is configured: 404. */
    @Provider
    public static final class UnknownSource implements ExceptionMapper<UnknownSourceException> {
        @Override
        public Response toResponse(UnknownSourceException e) {
            return ErrorResponses.of(404, e.getMessage()).build();
        }
    }
}

package io.assetetl.service.http;

import static java.util.Objects.requireNonNull;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Checks the bearer token of {@link AdminOnly} methods before their body is parsed or its content type looked at. */
@AdminOnly
@Priority(Priorities.AUTHENTICATION)
public final class AdminTokenFilter implements ContainerRequestFilter {

    private final AdminToken token;

    public AdminTokenFilter(AdminToken token) {
        this.token = requireNonNull(token, "token is null");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        token.check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    }
}

package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.List;
import java.util.Map;

/**
 * Refuses with 400 a request that gives a query parameter more than once ({@code ?source=csv&source=coingecko}):
 * every parameter of the API takes one value, and reading the first alone answered for a filter the client did not
 * mean. Runs once the request is matched, so an unknown path is still 404.
 */
@Priority(Priorities.USER - 100)
public final class RepeatedQueryParameterFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> parameter : request.getUriInfo().getQueryParameters().entrySet()) {
            int times = parameter.getValue().size();
            if (times > 1) {
                request.abortWith(ErrorResponses.of(400, "query parameter '" + parameter.getKey() + "' is given "
                        + times + " times; give it once").build());
                return;
            }
        }
    }
}

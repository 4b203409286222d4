package io.assetetl.service.http;

import static java.util.Objects.requireNonNull;

import io.assetetl.service.metrics.ServiceMetrics;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;

/**
 * What {@link RequestContextFilter} does for the API's resources, for a plain servlet on the application port
 * ({@code /metrics}, Prometheus' own servlet, which negotiates the exposition format itself and which Jersey's
 * filters never see): the response carries the request's {@code X-Request-Id}, and the request is counted in
 * {@code http_request_duration_seconds} under the servlet's one route. A request that fails with an exception counts
 * as a 500, which is what the server then answers.
 *
 * <p>This filter runs before Dropwizard's own, which refuses the methods the server does not allow: such a method
 * is counted as {@code OTHER}, as a label that took any token a client sent would grow the scrape without bound.
 * The web server picks the servlet by the path with its encoded dot segments resolved ({@code /assets/%2E%2E/metrics}
 * is {@code /metrics} to it), which the application's connectors accept for symbols such as {@code ..} (see
 * {@link EncodedPathSegments}); the servlet answers its own path alone, as written, and any other is a 404, as it is
 * for the API's routes, so that a proxy's rule on the path cannot be walked around.
 */
public final class ServletRequestContextFilter implements Filter {

    static final String OTHER_METHOD = "OTHER";
    private static final String UNMATCHED = "unmatched";

    private final ServiceMetrics metrics;
    private final String route;
    private final Set<String> allowedMethods;

    /**
     * Counts the requests of the servlet mapped at {@code route} (its path, which has no template).
     *
     * @param allowedMethods the methods the server lets through ({@code server.allowedMethods})
     */
    public ServletRequestContextFilter(ServiceMetrics metrics, String route, Collection<String> allowedMethods) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.route = requireNonNull(route, "route is null");
        this.allowedMethods = Set.copyOf(allowedMethods);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)) {
            chain.doFilter(request, response);
            return;
        }
        long started = System.nanoTime();
        answer.setHeader(RequestContextFilter.HEADER,
                RequestContextFilter.idFor(http.getHeader(RequestContextFilter.HEADER)));
        String method = allowedMethods.contains(http.getMethod()) ? http.getMethod() : OTHER_METHOD;
        if (!http.getRequestURI().equals(http.getContextPath() + route)) {
            answer.sendError(HttpServletResponse.SC_NOT_FOUND);
            metrics.request(method, UNMATCHED, HttpServletResponse.SC_NOT_FOUND,
                    Duration.ofNanos(System.nanoTime() - started));
            return;
        }
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain.doFilter(request, response);
            status = answer.getStatus();
        } finally {
            metrics.request(method, route, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}

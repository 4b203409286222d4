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

/**
 * What {@link RequestContextFilter} does for the API's resources, for a plain servlet on the application port
 * ({@code /metrics}, Prometheus' own servlet, which negotiates the exposition format itself and which Jersey's
 * filters never see): the response carries the request's {@code X-Request-Id}, and the request is counted in
 * {@code http_request_duration_seconds} under the servlet's one route. A request that fails with an exception counts
 * as a 500, which is what the server then answers.
 */
public final class ServletRequestContextFilter implements Filter {

    private final ServiceMetrics metrics;
    private final String route;

    /** Counts the requests of the servlet mapped at {@code route} (its path, which has no template). */
    public ServletRequestContextFilter(ServiceMetrics metrics, String route) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.route = requireNonNull(route, "route is null");
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
        int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        try {
            chain.doFilter(request, response);
            status = answer.getStatus();
        } finally {
            metrics.request(http.getMethod(), route, status, Duration.ofNanos(System.nanoTime() - started));
        }
    }
}

package io.assetetl.service.http;

import static java.util.Objects.requireNonNull;

import io.assetetl.service.metrics.ServiceMetrics;
import io.assetetl.service.warmup.WarmUp;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.RuntimeResource;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is a plain token, else a new UUID), sends it
 * back as {@code X-Request-Id}, and records the request's latency by route template ({@link WarmUp}'s requests apart,
 * where {@code /metrics} does not show them).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public final class RequestContextFilter implements ContainerRequestFilter, ContainerResponseFilter {

    public static final String HEADER = "X-Request-Id";
    private static final String ID = RequestContextFilter.class.getName() + ".id";
    private static final String STARTED = RequestContextFilter.class.getName() + ".started";
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<Integer> METHOD_SELECTION_STATUSES = Set.of(405, 406, 415);

    private final ServiceMetrics metrics;

    public RequestContextFilter(ServiceMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
        request.setProperty(ID, idFor(request.getHeaderString(HEADER)));
    }

    /** The id of a request that came with {@code given} as its {@code X-Request-Id}: it, when a plain token. */
    static String idFor(String given) {
        return given != null && SAFE_ID.matcher(given).matches() ? given : newId().toString();
    }

    /**
     * A random (version 4) UUID from this thread's generator. {@link UUID#randomUUID()} draws from one shared
     * {@code SecureRandom}, whose lock made concurrent requests queue for tens of milliseconds under load; a
     * request id needs to be unique, not unguessable.
     */
    static UUID newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000_0000_0000_0000L)) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, requestId(request));
        Object started = request.getProperty(STARTED);
        if (started instanceof Long nanos) {
            String route = route(request.getUriInfo(), response.getStatus());
            Duration latency = Duration.ofNanos(System.nanoTime() - nanos);
            if (request.getProperty(WarmUp.ATTRIBUTE) == null) {
                metrics.request(request.getMethod(), route, response.getStatus(), latency);
            } else {
                metrics.warmUpRequest(request.getMethod(), route, response.getStatus(), latency);
            }
        }
    }

    /** This request's id. */
    public static String requestId(ContainerRequestContext request) {
        Object id = request.getProperty(ID);
        return id == null ? "unknown" : id.toString();
    }

    /** Milliseconds since this request arrived. */
    public static long elapsedMillis(ContainerRequestContext request) {
        Object started = request.getProperty(STARTED);
        return started instanceof Long nanos ? Duration.ofNanos(System.nanoTime() - nanos).toMillis() : 0;
    }

    /**
     * The matched route template. A request refused while its method was being chosen (405, 406, or 415 for a
     * method that declares what it consumes) matched its resource's path but no method, so Jersey has no template
     * for it yet: its route is the matched resource's path. Other statuses are never taken from a resource alone, as
     * a path that only begins like a resource's (a 404) matches that resource too.
     */
    private static String route(UriInfo uriInfo, int status) {
        if (uriInfo instanceof ExtendedUriInfo extended) {
            List<UriTemplate> templates = extended.getMatchedTemplates();
            if (!templates.isEmpty()) {
                List<String> parts = new ArrayList<>();
                for (int i = templates.size() - 1; i >= 0; i--) {
                    parts.add(templates.get(i).getTemplate());
                }
                return path(parts);
            }
            List<RuntimeResource> resources = extended.getMatchedRuntimeResources();
            if (METHOD_SELECTION_STATUSES.contains(status) && !resources.isEmpty()
                    && !resources.get(0).getResources().isEmpty()) {
                Deque<String> parts = new ArrayDeque<>();
                for (Resource r = resources.get(0).getResources().get(0); r != null; r = r.getParent()) {
                    parts.addFirst(r.getPath());
                }
                return path(parts);
            }
        }
        return "unmatched";
    }

    /** The templates of a route, outermost first, as one path. */
    private static String path(Iterable<String> parts) {
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isEmpty() && !part.equals("/")) {
                path.append(part.startsWith("/") ? "" : "/").append(part);
            }
        }
        return path.length() == 0 ? "/" : path.toString();
    }
}

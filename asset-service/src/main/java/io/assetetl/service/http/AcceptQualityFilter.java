package io.assetetl.service.http;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Refuses with 406 a request whose {@code Accept} header gives every type the matched endpoint produces a quality of
 * 0 ({@code application/json;q=0}, {@code application/*;q=0}, {@code *}{@code /*;q=0}): such a range says the client
 * does not accept the type (RFC 9110, 12.5.1), but Jersey chose the endpoint's type all the same and answered 200.
 * Each type is judged by the most specific range that matches it, so {@code *}{@code /*;q=0, application/json} still
 * takes JSON. A header Jersey could not read, or one that matches none of the types, is left to Jersey (400 or 406).
 * Runs once the request is matched, so an unknown path is still 404.
 */
@Priority(Priorities.USER - 100)
public final class AcceptQualityFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        if (accept == null || accept.isEmpty() || !(request.getUriInfo() instanceof ExtendedUriInfo uriInfo)) {
            return;
        }
        ResourceMethod method = uriInfo.getMatchedResourceMethod();
        List<Range> ranges = ranges(accept);
        if (method == null || ranges == null || method.getProducedTypes().isEmpty()
                || method.getProducedTypes().stream().anyMatch(t -> t.isWildcardType() || t.isWildcardSubtype())) {
            return;
        }
        boolean matched = false;
        for (MediaType produced : method.getProducedTypes()) {
            Range range = mostSpecific(ranges, produced);
            if (range != null && range.quality > 0) {
                return;
            }
            matched |= range != null;
        }
        if (matched) {
            request.abortWith(ErrorResponses.of(406, "the Accept header gives quality 0 to every type this endpoint"
                    + " answers with (" + describe(method) + ")").build());
        }
    }

    /** The header's media ranges, or null when one of them cannot be read (Jersey answers that request itself). */
    static List<Range> ranges(List<String> headers) {
        List<Range> ranges = new ArrayList<>();
        for (String header : headers) {
            for (String element : header.split(",")) {
                if (element.isBlank()) {
                    continue;
                }
                try {
                    MediaType type = MediaType.valueOf(element.trim());
                    String q = type.getParameters().get("q");
                    double quality = q == null ? 1 : Double.parseDouble(q.trim());
                    if (!(quality >= 0 && quality <= 1)) {
                        return null;
                    }
                    ranges.add(new Range(type, quality));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return ranges;
    }

    /**
     * The range that decides for {@code produced}: of those that match it, the most specific (a type and subtype,
     * then a type and {@code *}, then {@code *}{@code /*}); of equally specific ones, the one with the highest
     * quality. Null when none matches.
     */
    static Range mostSpecific(List<Range> ranges, MediaType produced) {
        Range best = null;
        for (Range range : ranges) {
            if (!matches(range.type, produced)) {
                continue;
            }
            if (best == null || range.specificity() > best.specificity()
                    || range.specificity() == best.specificity() && range.quality > best.quality) {
                best = range;
            }
        }
        return best;
    }

    private static boolean matches(MediaType range, MediaType produced) {
        return (range.isWildcardType() || range.getType().equalsIgnoreCase(produced.getType()))
                && (range.isWildcardSubtype() || range.getSubtype().equalsIgnoreCase(produced.getSubtype()));
    }

    private static String describe(ResourceMethod method) {
        return method.getProducedTypes().stream().map(t -> (t.getType() + "/" + t.getSubtype())
                .toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /** One media range of an {@code Accept} header and its quality. */
    record Range(MediaType type, double quality) {

        int specificity() {
            return type.isWildcardType() ? 0 : type.isWildcardSubtype() ? 1 : 2;
        }
    }
}

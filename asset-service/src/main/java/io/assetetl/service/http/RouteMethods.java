package io.assetetl.service.http;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.server.model.RuntimeResource;
import org.glassfish.jersey.server.monitoring.ApplicationEvent;
import org.glassfish.jersey.server.monitoring.ApplicationEventListener;
import org.glassfish.jersey.server.monitoring.RequestEvent;
import org.glassfish.jersey.server.monitoring.RequestEventListener;

/**
 * The methods each of the API's routes answers, read from Jersey's resource model once Jersey has built it, for the
 * {@code Allow} header of a 405 that the web server answers before Jersey sees the request: Dropwizard refuses a
 * method it does not allow at all ({@code TRACE}, or one it has never heard of) in a filter in front of Jersey, and
 * Jersey, which names a route's methods in its own 405s, never learns of that request. A route's methods are those
 * its resource declares, {@code HEAD} where it answers {@code GET}, and {@code OPTIONS}, which Jersey answers on
 * every route; of those, only the ones the server lets through. The application's plain servlets
 * ({@code /metrics}) are added by hand, with the methods they answer.
 */
public final class RouteMethods implements ApplicationEventListener {

    private record Route(Pattern path, String allow) {
    }

    private final Set<String> allowed;
    private final String jerseyPrefix;
    private final List<Route> servlets = new CopyOnWriteArrayList<>();
    private volatile List<Route> resources = List.of();

    /**
     * @param allowed      the methods the server lets through to the API (Dropwizard's {@code allowedMethods})
     * @param jerseyPrefix where the API's routes begin in the application's context ({@code server.rootPath} less
     *                     its {@code /*}: empty by default, {@code /api} for {@code /api/*})
     */
    public RouteMethods(Collection<String> allowed, String jerseyPrefix) {
        this.allowed = Set.copyOf(requireNonNull(allowed, "allowed is null"));
        this.jerseyPrefix = requireNonNull(jerseyPrefix, "jerseyPrefix is null");
    }

    /** Adds a servlet of the application's context, at {@code path} (no template), answering {@code methods}. */
    public void servlet(String path, String... methods) {
        servlets.add(new Route(Pattern.compile(Pattern.quote(path)), allowHeader(new TreeSet<>(List.of(methods)))));
    }

    /** {@code methods} that the server lets through, as an {@code Allow} header gives them. */
    private String allowHeader(Set<String> methods) {
        methods.retainAll(allowed);
        return String.join(", ", methods);
    }

    /**
     * The methods the route at {@code encodedPath} (the request's path in the application's context as sent, still
     * percent-encoded, as Jersey matches it) answers, in alphabetical order, separated by {@code ", "}; empty when no
     * route matches (the empty {@code Allow} of a resource that allows no method).
     */
    public String allow(String encodedPath) {
        for (List<Route> routes : List.of(servlets, resources)) {
            for (Route route : routes) {
                if (route.path().matcher(encodedPath).matches()) {
                    return route.allow();
                }
            }
        }
        return "";
    }

    @Override
    public void onEvent(ApplicationEvent event) {
        if (event.getType() == ApplicationEvent.Type.INITIALIZATION_FINISHED) {
            List<Route> all = new ArrayList<>();
            for (RuntimeResource resource : event.getResourceModel().getRuntimeResourceModel().getRuntimeResources()) {
                collect(resource, jerseyPrefix.isEmpty() ? "" : Pattern.quote(jerseyPrefix), all);
            }
            resources = List.copyOf(all);
        }
    }

    /**
     * Adds the routes of {@code resource} and its children. Their path regexes are joined here: Jersey's own full
     * path regex of a child of a resource at {@code /} begins with two slashes.
     */
    private void collect(RuntimeResource resource, String parentRegex, List<Route> into) {
        String regex = resource.getRegex();
        String path = parentRegex + (regex == null || regex.equals("/") ? "" : regex);
        Set<String> methods = new TreeSet<>();
        for (ResourceMethod method : resource.getResourceMethods()) {
            methods.add(method.getHttpMethod().toUpperCase(Locale.ROOT));
        }
        if (!methods.isEmpty()) {
            if (methods.contains("GET")) {
                methods.add("HEAD");
            }
            methods.add("OPTIONS");
            into.add(new Route(Pattern.compile(path.isEmpty() ? "/" : path), allowHeader(methods)));
        }
        for (RuntimeResource child : resource.getChildRuntimeResources()) {
            collect(child, path, into);
        }
    }

    @Override
    public RequestEventListener onRequest(RequestEvent requestEvent) {
        return null;
    }
}

package io.assetetl.service.http;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.dropwizard.jetty.MutableServletContextHandler;
import java.util.List;
import org.eclipse.jetty.http.UriCompliance;

/**
 * Lets a path segment carry any symbol, percent-encoded. CoinGecko lists coins such as {@code e/acc}, {@code 1%},
 * {@code a\b}, {@code .} and {@code ..}; {@code /data} lists them, so {@code /assets/{symbol}} has to reach them as
 * {@code /assets/e%2Facc}, {@code /assets/1%25}, {@code /assets/a%5Cb} or {@code /assets/%2E%2E}, which is what a
 * URI builder sends. Jetty refuses such paths by default (400), as ambiguous: a servlet that maps paths to files
 * could read {@code %2F} as a separator or {@code %2E%2E} as a step up. No handler here maps paths to files: Jersey
 * matches its routes against the path as encoded, so an encoded slash stays inside its segment and decodes into the
 * symbol ({@code /assets/e%2Facc%2Fhistory} is the asset {@code E/ACC/HISTORY}, never the history of {@code E/ACC}).
 * Only the application's connectors accept them; the admin port keeps Jetty's default.
 */
public final class EncodedPathSegments {

    /** Jetty's default, plus the encodings a symbol may need. */
    static final UriCompliance COMPLIANCE = UriCompliance.DEFAULT.with("ASSET_SYMBOLS",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
            UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);

    private EncodedPathSegments() {
    }

    /**
     * Has the application's connectors accept encoded separators, percent signs and dot segments, and the
     * application's servlets decode them. Must run before the server is built.
     */
    public static void allow(ServerFactory server, MutableServletContextHandler application) {
        for (ConnectorFactory connector : applicationConnectors(server)) {
            if (connector instanceof HttpConnectorFactory http) {
                http.setUriCompliance(COMPLIANCE);
            }
        }
        application.getServletHandler().setDecodeAmbiguousURIs(true);
    }

    private static List<ConnectorFactory> applicationConnectors(ServerFactory server) {
        if (server instanceof DefaultServerFactory factory) {
            return factory.getApplicationConnectors();
        }
        if (server instanceof SimpleServerFactory factory) {
            // one connector for both: the admin context lies under its own path, and maps no path to a file either
            return List.of(factory.getConnector());
        }
        return List.of();
    }
}

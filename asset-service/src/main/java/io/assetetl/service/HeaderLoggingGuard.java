package io.assetetl.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the JDK's HTTP client, which the CoinGecko client sends its requests through, from logging their headers:
 * at debug level it logs every request's header lines, the API key among them. A level set by configuration or
 * changed at run time (Dropwizard's {@code log-level} task on the root logger) does not lift this; the client's
 * information and warnings still pass.
 */
public final class HeaderLoggingGuard extends TurboFilter {

    /** The loggers of the JDK's {@code HttpURLConnection} and the classes it logs through. */
    static final String JDK_HTTP_LOGGERS = "sun.net.www.protocol.http.";

    private HeaderLoggingGuard() {
    }

    /**
     * Adds the guard to the logging context, once: call it after the logging configuration is applied, which starts
     * the context afresh.
     */
    public static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(HeaderLoggingGuard.class::isInstance)) {
            HeaderLoggingGuard guard = new HeaderLoggingGuard();
            guard.setName("jdk-http-header-guard");
            guard.setContext(context);
            guard.start();
            context.addTurboFilter(guard);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level != null && !level.isGreaterOrEqual(Level.INFO) && logger.getName().startsWith(JDK_HTTP_LOGGERS)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}

package io.assetetl.service.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.assetetl.run.ExpectedFailures;
import io.assetetl.store.EmbeddedDatabase;
import java.net.BindException;
import java.sql.SQLException;
import java.util.Arrays;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps the stack traces of expected failures off a command's stderr: a log line that carries one keeps its level,
 * logger, message and MDC, and loses its trace, unless its logger is at {@code DEBUG}. The engine logs such failures
 * of a run in one line itself; the libraries around it log theirs with traces (the connection pool's {@code Unable
 * to create initial connections}, a migration's failure), which suits a server's log but buries a command's
 * one-line reason.
 *
 * <p>Expected failures are those of the run's surroundings, which the user fixes without a code change
 * ({@link #isExpected}). Anything else (a {@code NullPointerException}, an SQL error in a statement) is a bug and
 * keeps its trace.
 */
final class ExpectedFailureTraces extends TurboFilter {

    private static final String FQCN = ExpectedFailureTraces.class.getName();

    /** Adds the filter to the logging context of the process: call it after the logging configuration is applied. */
    static ExpectedFailureTraces install() {
        ExpectedFailureTraces filter = new ExpectedFailureTraces();
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            filter.setName("expected-failure-traces");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
        return filter;
    }

    /** Takes the filter out of its context again, so that a server later started in the same JVM logs traces. */
    void uninstall() {
        if (getContext() instanceof LoggerContext context) {
            context.getTurboFilterList().remove(this);
        }
        stop();
    }

    /**
     * Whether {@code failure}, or one of its causes, is a failure of the run's surroundings rather than a bug: one
     * the engine expects ({@link ExpectedFailures}), credentials the database refuses, an embedded database whose
     * folder another process uses, or a port another process listens on.
     */
    static boolean isExpected(Throwable failure) {
        return ExpectedFailures.isExpected(failure) || ExpectedFailures.anyCause(failure,
                t -> t instanceof EmbeddedDatabase.DataDirectoryInUseException || t instanceof BindException
                // class 28: invalid authorization (a wrong user or password)
                || t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("28"));
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        // a line below the logger's level is not logged at all; at DEBUG the trace is wanted
        if (format == null || level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())
                || Level.DEBUG.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;
        }
        // SLF4J passes the throwable of ("message {}", arg, throwable) as the last parameter
        Object[] arguments = params == null ? new Object[0] : params;
        Throwable failure = t;
        if (failure == null && arguments.length > 0 && arguments[arguments.length - 1] instanceof Throwable last) {
            failure = last;
            arguments = Arrays.copyOf(arguments, arguments.length - 1);
        }
        if (failure == null || !isExpected(failure)) {
            return FilterReply.NEUTRAL;
        }
        String message = MessageFormatter.arrayFormat(format, arguments).getMessage();
        String reason = failure.getMessage();
        LoggingEvent withoutTrace = reason == null || message.contains(reason)
                ? new LoggingEvent(FQCN, logger, level, format, null, arguments)
                // the trace was the only place that said why
                : new LoggingEvent(FQCN, logger, level, "{} ({})", null, new Object[] {message, reason});
        if (marker != null) {
            withoutTrace.addMarker(marker);
        }
        // to the appenders directly: logging it again would come back through this filter
        logger.callAppenders(withoutTrace);
        return FilterReply.DENY;
    }
}

package io.assetetl.service;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the request log's own status messages through the application's logging instead of letting the request
 * log print them to standard output.
 *
 * <p>Logback's access log prints its status list to standard output when it starts, in logback's own text format
 * whatever {@code LOG_FORMAT} says: a log shipper reading one JSON object a line gets six lines that are not. In the
 * fat jar those lines are also two warnings about nothing: its version check reads the access module's version from
 * the jar's one merged manifest, and looks for the access module's dependency versions in a file that this logback
 * release names differently. So the request log is made quiet, and its statuses are logged here: errors (an
 * appender that failed, for instance) as errors, anything else at debug.
 */
final class RequestLogStatus implements StatusListener {

    private static final Logger LOG = LoggerFactory.getLogger("io.dropwizard.request.logging");

    private RequestLogStatus() {
    }

    /** Quiets the request log of each server {@code lifecycle} starts, and logs its statuses from then on. */
    static void install(LifecycleEnvironment lifecycle) {
        lifecycle.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                if (event instanceof Server server && server.getRequestLog() instanceof RequestLogImpl requestLog) {
                    quiet(requestLog);
                }
            }
        });
    }

    /** Makes {@code requestLog} print nothing itself when it starts, and logs its statuses from now on. */
    static void quiet(RequestLogImpl requestLog) {
        requestLog.setQuiet(true);
        requestLog.getStatusManager().add(new RequestLogStatus());
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getLevel() == Status.ERROR) {
            LOG.error("request log: {}", status.getMessage(), status.getThrowable());
        } else {
            LOG.debug("request log: {}", status.getMessage(), status.getThrowable());
        }
    }
}

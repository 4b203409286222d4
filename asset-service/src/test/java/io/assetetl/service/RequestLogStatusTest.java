package io.assetetl.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.access.jetty.RequestLogImpl;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.ErrorStatus;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.setup.LifecycleEnvironment;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RequestLogStatusTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger("io.dropwizard.request.logging");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level levelBefore;

    @BeforeEach
    void listen() {
        levelBefore = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(logged);
        logger.setLevel(levelBefore);
    }

    @Test
    void aStartingServersRequestLogPrintsNothingItselfAndItsStatusesAreLogged() throws Exception {
        LifecycleEnvironment lifecycle = new LifecycleEnvironment(new MetricRegistry());
        RequestLogStatus.install(lifecycle);
        Server server = new Server();
        RequestLogImpl requestLog = (RequestLogImpl) new LogbackAccessRequestLogFactory().build("test");
        server.setRequestLog(requestLog);
        lifecycle.attach(server);

        server.start();
        try {
            assertThat(requestLog.isQuiet()).as("prints no status list to standard output").isTrue();
            assertThat(logged.list).as("the start's version check, at debug only")
                    .anyMatch(e -> e.getFormattedMessage().startsWith("request log: Found logback-core version"))
                    .allMatch(e -> e.getLevel() == Level.DEBUG);

            requestLog.getStatusManager().add(new ErrorStatus("appender [console] failed", requestLog));
            assertThat(logged.list).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("request log: appender [console] failed");
        } finally {
            server.stop();
        }
    }
}

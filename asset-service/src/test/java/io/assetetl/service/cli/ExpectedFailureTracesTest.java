package io.assetetl.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.assetetl.run.RunRefusedException;
import io.assetetl.spi.SourceException;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ExpectedFailureTracesTest {

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger log = context.getLogger("io.assetetl.run.RunEngine");

    @BeforeEach
    void setUp() {
        context.setMDCAdapter(MDC.getMDCAdapter());
        ExpectedFailureTraces filter = new ExpectedFailureTraces();
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
    }

    @Test
    void aSourceFailureIsLoggedWithoutItsStackTraceButWithItsRunContext() {
        MDC.put("run_id", "r-1");
        try {
            log.error("run failed: {}", "empty.csv is empty", new SourceException("empty.csv is empty"));

            assertThat(appender.list).singleElement().satisfies(event -> {
                assertThat(event.getLevel()).isEqualTo(Level.ERROR);
                assertThat(event.getFormattedMessage()).isEqualTo("run failed: empty.csv is empty");
                assertThat(event.getThrowableProxy()).isNull();
                assertThat(event.getLoggerName()).isEqualTo("io.assetetl.run.RunEngine");
                assertThat(event.getMDCPropertyMap()).containsEntry("run_id", "r-1");
            });
        } finally {
            MDC.remove("run_id");
        }
    }

    @Test
    void anUnreachableDatabaseIsLoggedWithoutItsStackTraceAndTheMessageSaysWhy() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5999 refused.", "08001");

        context.getLogger("org.apache.tomcat.jdbc.pool.ConnectionPool")
                .error("Unable to create initial connections of pool.", refused);

        assertThat(appender.list).singleElement().satisfies(event -> {
            assertThat(event.getFormattedMessage())
                    .isEqualTo("Unable to create initial connections of pool. (Connection to 127.0.0.1:5999 refused.)");
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void aMissingDatabaseAndARefusedRunAreExpectedFailures() {
        assertThat(ExpectedFailureTraces.isExpected(new IllegalStateException("schema migration failed",
                new SQLException("FATAL: database \"x\" does not exist", "3D000")))).isTrue();
        assertThat(ExpectedFailureTraces.isExpected(new SQLException("password authentication failed", "28P01")))
                .isTrue();
        assertThat(ExpectedFailureTraces.isExpected(new RunRefusedException("csv"))).isTrue();
    }

    @Test
    void aBugKeepsItsStackTrace() {
        NullPointerException bug = new NullPointerException("price is null");

        log.error("run failed: {}", "price is null", bug);

        assertThat(ExpectedFailureTraces.isExpected(bug)).isFalse();
        assertThat(ExpectedFailureTraces.isExpected(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(appender.list).singleElement().satisfies(event ->
                assertThat(event.getThrowableProxy().getClassName()).isEqualTo(NullPointerException.class.getName()));
    }

    @Test
    void atDebugLevelAnExpectedFailureKeepsItsStackTrace() {
        context.getLogger("io.assetetl").setLevel(Level.DEBUG);

        log.error("run failed: {}", "empty.csv is empty", new SourceException("empty.csv is empty"));

        assertThat(appender.list).singleElement().satisfies(event ->
                assertThat(event.getThrowableProxy().getClassName()).isEqualTo(SourceException.class.getName()));
    }

    @Test
    void aLineWithoutAnExceptionPassesUnchanged() {
        log.info("run started");

        assertThat(appender.list).singleElement()
                .satisfies(event -> assertThat(event.getFormattedMessage()).isEqualTo("run started"));
    }
}

package io.assetetl.store;

import java.util.logging.Level;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import org.slf4j.LoggerFactory;

/**
 * Liquibase's log through SLF4J, like the rest of the library's: a program that embeds the library decides about
 * it with its own logging set-up (or hears nothing, without an SLF4J provider), rather than getting Liquibase's
 * lines on stderr from {@code java.util.logging}'s default console handler. Levels: {@code SEVERE} is error,
 * {@code WARNING} warn, {@code INFO} info, {@code CONFIG} and {@code FINE} debug, finer ones trace; each Liquibase
 * class logs under its own name ({@code liquibase.*}).
 */
final class Slf4jLogService extends AbstractLogService {

    @Override
    public int getPriority() {
        return PRIORITY_SPECIALIZED;
    }

    @Override
    public Logger getLog(Class clazz) {
        return new Slf4jLogger(LoggerFactory.getLogger(clazz));
    }

    private static final class Slf4jLogger extends AbstractLogger {
        private final org.slf4j.Logger log;

        Slf4jLogger(org.slf4j.Logger log) {
            this.log = log;
        }

        @Override
        public void log(Level level, String message, Throwable e) {
            if (level == null || level == Level.OFF) {
                // what Liquibase is configured not to log (its analytics messages, by default)
                return;
            }
            int value = level.intValue();
            if (value >= Level.SEVERE.intValue()) {
                log.error(message, e);
            } else if (value >= Level.WARNING.intValue()) {
                log.warn(message, e);
            } else if (value >= Level.INFO.intValue()) {
                log.info(message, e);
            } else if (value >= Level.FINE.intValue()) {
                log.debug(message, e);
            } else {
                log.trace(message, e);
            }
        }
    }
}

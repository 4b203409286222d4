package io.assetetl.sources.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * What an action logged at {@code WARN} through one class's logger, beside what it returned.
 *
 * @param result   what the action returned
 * @param messages the warnings, formatted, in the order they were logged
 */
public record Warnings<T>(T result, List<String> messages) {

    /** Runs {@code action} while the logger of {@code loggingClass} is listened to. */
    public static <T> Warnings<T> of(Class<?> loggingClass, Supplier<T> action) {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger logger = (Logger) LoggerFactory.getLogger(loggingClass);
        logs.start();
        logger.addAppender(logs);
        T result;
        try {
            result = action.get();
        } finally {
            logger.detachAppender(logs);
        }
        return new Warnings<>(result, logs.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList());
    }
}

package io.assetetl.service.cli;

import io.assetetl.run.EtlMetrics;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import java.time.Clock;
import java.util.ServiceLoader;

/**
 * Refuses a source whose settings its factory refuses, as a usage error (exit code 2) before any database is started
 * or any run recorded: a source's factory checks its settings when it creates the source, which the engine does at
 * the start of each run, so that {@code COINGECKO_PAGES=0} was a failed run (exit code 1), and a server with it
 * started and failed every scheduled run. A factory's {@code create} makes no call and opens nothing but the source
 * object (the SPI asks it to validate eagerly), which is closed at once.
 */
public final class SourceSettingsCheck {

    private SourceSettingsCheck() {
    }

    /**
     * @throws CommandExit ({@link CommandExit#USAGE}) naming the source and the setting when its factory refuses it;
     *                     a source whose type has no factory is left to the library, which refuses it when built
     */
    public static void check(SourceDefinition definition) {
        for (SourceFactory factory : ServiceLoader.load(SourceFactory.class)) {
            if (factory.type().equals(definition.type())) {
                try (Source source = factory.create(definition.name(), definition.config(),
                        new SourceContext(Clock.systemUTC(), EtlMetrics.NOOP))) {
                    return;
                } catch (InvalidSourceConfigException e) {
                    throw new CommandExit(CommandExit.USAGE, "source " + definition.name() + ": " + e.getMessage(),
                            e);
                }
            }
        }
    }
}

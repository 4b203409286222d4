package io.assetetl.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The fat jar as a user runs it: a JVM of its own, started from the repository's root, where the sample files are. */
final class PackagedJar {

    static final Path JAR = Path.of("target", "asset-service.jar").toAbsolutePath();
    static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    private PackagedJar() {
    }

    /**
     * {@code java -Xmx384m -jar asset-service.jar ARGUMENTS}, writing its stdout and stderr to {@code log}, with the
     * variables {@code unset} taken out of the environment it inherits.
     */
    static ProcessBuilder command(Path log, List<String> unset, String... arguments) {
        List<String> line = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar",
                JAR.toString()));
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line)
                .directory(REPOSITORY.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        unset.forEach(builder.environment()::remove);
        return builder;
    }

    /** Waits up to two minutes for {@code condition}, which may throw while the process is still starting. */
    static void awaitTrue(Process process, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // the process is still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the process ended or never got there (alive: " + process.isAlive() + ")");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

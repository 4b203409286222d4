package io.assetetl.service.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.testing.TableDigests;
import io.assetetl.testing.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real {@code ingest} command as a child process on a 200,000-row CSV, SIGKILLs it at seeded random
 * moments, then lets it finish, and compares every table with an uninterrupted run. {@code -Dstress} kills more.
 */
class CrashResumeIT {

    private static final long SEED = 42;
    private static final int ROWS = 200_000;
    private static final int KILLS = Boolean.getBoolean("stress") ? 40 : 12;
    private static final Path JAR = Path.of("target", "asset-service.jar");

    @TempDir
    Path dir;

    @Test
    void killedIngestsResumeWithNothingLostAndNothingDoubled() throws Exception {
        assertThat(JAR).as("the fat jar is built in the package phase").exists();
        Path csv = QuotesFile.write(dir.resolve("quotes.csv"), ROWS, 2000, SEED);

        TestDatabase reference = TestDatabase.createEmpty();
        assertThat(ingest(reference, csv).exitCode).isZero();
        Map<String, String> expected = TableDigests.of(reference);
        assertThat(expected.get("asset_quotes#rows")).isEqualTo(Integer.toString(ROWS));

        TestDatabase db = TestDatabase.createEmpty();
        Random random = new Random(SEED);
        int kills = 0;
        int attempts = 0;
        while (kills < KILLS && attempts++ < KILLS * 3) {
            // wait for 0..2 committed chunks, then a little more, so kills land in start-up, mid-chunk and between
            int chunks = random.nextInt(3);
            long extraMillis = random.nextInt(400);
            Child child = start(db, csv);
            if (child.awaitProgress(chunks, 60) && child.process.isAlive()) {
                Thread.sleep(extraMillis);
                child.process.destroyForcibly();
                child.process.waitFor(30, TimeUnit.SECONDS);
                kills++;
            } else {
                child.process.waitFor(60, TimeUnit.SECONDS);
            }
        }
        Result last = ingest(db, csv);

        assertThat(last.exitCode).as("final run: %s", last.summary).isZero();
        Map<String, String> actual = TableDigests.of(db);
        assertThat(actual).isEqualTo(expected);
        long abandoned = count(db, "SELECT count(*) FROM etl_runs WHERE status = 'abandoned'");
        assertThat(count(db, "SELECT count(*) FROM etl_runs WHERE status = 'running'")).isZero();
        assertThat(abandoned).as("killed runs are marked abandoned").isGreaterThanOrEqualTo(1);
        assertThat(kills).isGreaterThanOrEqualTo(10);
        System.out.printf("crash-resume: %d kills, %d runs abandoned, 0 lost, 0 doubled (%d rows, asset_quotes %s,"
                + " raw_csv_assets %s, seed %d)%n", kills, abandoned, ROWS, actual.get("asset_quotes#rows"),
                actual.get("raw_csv_assets#rows"), SEED);
    }

    private static long count(TestDatabase db, String sql) {
        return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private record Result(int exitCode, String summary) {
    }

    private Result ingest(TestDatabase db, Path csv) throws Exception {
        Child child = start(db, csv);
        assertThat(child.process.waitFor(5, TimeUnit.MINUTES)).as("ingest finished").isTrue();
        child.drained.join(10_000);
        return new Result(child.process.exitValue(), child.lastStdout);
    }

    private Child start(TestDatabase db, Path csv) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", JAR.toString(), "ingest", "csv", "--file", csv.toString(), "--batch-size", "20000");
        Map<String, String> env = builder.environment();
        env.put("DATABASE_URL", db.jdbcUrl());
        env.put("DATABASE_USER", db.user());
        env.put("DATABASE_PASSWORD", "");
        env.put("ASSET_ETL_HOME", dir.resolve("home").toString());
        env.put("ETL_INTERVAL", "off");
        env.remove("ETL_FAIL_AFTER_RECORDS");
        builder.redirectErrorStream(false);
        return new Child(builder.start());
    }

    /** A child process whose stderr progress lines are counted and whose stdout's last line is kept. */
    private static final class Child {
        final Process process;
        final AtomicInteger progressLines = new AtomicInteger();
        final Thread drained;
        volatile String lastStdout = "";

        Child(Process process) {
            this.process = process;
            Thread err = new Thread(() -> drain(process.getErrorStream(), true));
            err.setDaemon(true);
            err.start();
            this.drained = new Thread(() -> drain(process.getInputStream(), false));
            drained.setDaemon(true);
            drained.start();
        }

        private void drain(java.io.InputStream in, boolean stderr) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    if (stderr && line.matches(".*\\d+ rows.*")) {
                        progressLines.incrementAndGet();
                    } else if (!stderr && !line.isBlank()) {
                        lastStdout = line;
                    }
                }
            } catch (IOException ignored) {
                // the process was killed
            }
        }

        boolean awaitProgress(int lines, int timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (progressLines.get() < lines && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return progressLines.get() >= lines;
        }
    }
}

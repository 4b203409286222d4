package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.assetetl.model.Checkpoint;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class PrefetchingReaderTest {

    /** Gives {@code batches} empty batches, then fails (or ends). */
    private static SourceReader reader(int batches, boolean fail, AtomicBoolean closed) {
        AtomicInteger served = new AtomicInteger();
        return new SourceReader() {
            @Override
            public Optional<Batch> next() {
                if (served.get() == batches) {
                    if (fail) {
                        throw new SourceException("upstream gave up");
                    }
                    return Optional.empty();
                }
                return Optional.of(Batch.of(List.of(), Checkpoint.of("{\"n\":" + served.incrementAndGet() + "}")));
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
    }

    @Test
    void aFailureAfterTheLastBatchReachesTheCallerEvenWhenTheQueueIsFull() {
        AtomicBoolean closed = new AtomicBoolean();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            AtomicInteger prepared = new AtomicInteger();
            PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(2, true, closed), b -> {
                prepared.incrementAndGet();
                return b;
            }, 1, "full");
            // the first batch fills the queue; the reading thread waits with the second, the failure behind it
            awaitWaitingAfter("full", prepared, 2);
            assertThat(prefetching.next()).isPresent();
            assertThat(prefetching.next()).isPresent();
            assertThatThrownBy(prefetching::next).isInstanceOf(SourceException.class).hasMessage("upstream gave up");
            prefetching.close();
        });
        assertThat(closed).isTrue();
    }

    @Test
    void withoutDepthTheReadingThreadPreparesOneBatchAheadOfTheOneTakenAndWaits() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        AtomicInteger prepared = new AtomicInteger();
        PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(5, false, closed), b -> {
            prepared.incrementAndGet();
            return b;
        }, 0, "ahead");
        try {
            assertThat(prefetching.next()).isPresent();
            awaitWaitingAfter("ahead", prepared, 2);
            assertThat(prepared).hasValue(2);
            assertThat(prefetching.next()).isPresent();
            awaitWaitingAfter("ahead", prepared, 3);
            assertThat(prepared).hasValue(3);
        } finally {
            prefetching.close();
        }
        assertThat(closed).isTrue();
    }

    /**
     * A run stopped by SIGTERM or the library's close is interrupted while it writes a batch (in a JDBC call, which
     * leaves the flag set); the next batch is usually ready by then, and a hand-over queue gives a waiting item
     * without looking at the flag: the run went on to the end of its file.
     */
    @Test
    void anInterruptedCallerGetsNoFurtherBatchEvenWhenOneIsReady() throws Exception {
        for (int depth : new int[] {0, 1}) {
            AtomicBoolean closed = new AtomicBoolean();
            AtomicInteger prepared = new AtomicInteger();
            PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(5, false, closed), b -> {
                prepared.incrementAndGet();
                return b;
            }, depth, "interrupted-" + depth);
            try {
                assertThat(prefetching.next()).isPresent();
                awaitWaitingAfter("interrupted-" + depth, prepared, 2 + depth);

                Thread.currentThread().interrupt();
                assertThatThrownBy(prefetching::next).isInstanceOf(SourceException.class)
                        .hasMessage("interrupted while waiting for the next batch");
                assertThat(Thread.currentThread().isInterrupted()).as("the interruption kept").isTrue();
            } finally {
                Thread.interrupted();
                prefetching.close();
            }
        }
    }

    @Test
    void withoutDepthAFailureAfterTheLastBatchStillReachesTheCaller() {
        AtomicBoolean closed = new AtomicBoolean();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(2, true, closed), b -> b, 0, "test");
            assertThat(prefetching.next()).isPresent();
            assertThat(prefetching.next()).isPresent();
            assertThatThrownBy(prefetching::next).isInstanceOf(SourceException.class).hasMessage("upstream gave up");
            prefetching.close();
        });
        assertThat(closed).isTrue();
    }

    /**
     * Waits, for at most ten seconds, until {@code count} batches are prepared and the reading thread of the reader
     * named {@code name} then waits (for the queue to take what it holds): a wait seen before the count is reached
     * may be the one it was woken from.
     */
    private static void awaitWaitingAfter(String name, AtomicInteger prepared, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (prepared.get() >= count) {
                for (Thread t : Thread.getAllStackTraces().keySet()) {
                    if (t.getName().equals("asset-etl-read-" + name) && t.getState() == Thread.State.WAITING) {
                        return;
                    }
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the reading thread did not come to wait after " + count + " batches");
    }

    @Test
    void closingFromAnInterruptedThreadStillWaitsForTheReaderToStopAndKeepsTheInterruption() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        AtomicBoolean readerClosed = new AtomicBoolean();
        SourceReader slowToStop = new SourceReader() {
            @Override
            public Optional<Batch> next() {
                reading.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException stop) {
                    // winds down for a while before it returns, as a reader finishing its I/O does
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
                return Optional.empty();
            }

            @Override
            public void close() {
                readerClosed.set(true);
            }
        };
        PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(slowToStop, b -> b, 1, "test");
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();

        Thread.currentThread().interrupt(); // as the library's close or the process's end does to a run
        try {
            prefetching.close();
            assertThat(Thread.currentThread().isInterrupted()).as("the interruption is kept").isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(prefetching.stopped()).as("the reader stopped before close returned").isTrue();
        assertThat(readerClosed).isTrue();
    }

    @Test
    void whatTheReadingThreadLogsCarriesTheRunAndSourceOfTheThreadThatStartedIt() {
        AtomicBoolean closed = new AtomicBoolean();
        MDC.put("source", "csv");
        try {
            PrefetchingReader<String> prefetching = new PrefetchingReader<>(reader(1, false, closed),
                    b -> MDC.get("source"), 1, "test");
            assertThat(prefetching.next()).contains("csv");
            prefetching.close();
        } finally {
            MDC.remove("source");
        }
    }

    @Test
    void aReaderThatFailsToCloseAfterItsLastBatchIsLoggedWithTheRunsContextAndTheReadStillEnds() {
        Logger logger = (Logger) LoggerFactory.getLogger(PrefetchingReader.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        MDC.put("source", "plugged");
        try {
            SourceReader failingClose = new SourceReader() {
                private boolean served;

                @Override
                public Optional<Batch> next() {
                    if (served) {
                        return Optional.empty();
                    }
                    served = true;
                    return Optional.of(Batch.of(List.of(), Checkpoint.of("{\"n\":1}")));
                }

                @Override
                public void close() {
                    throw new IllegalStateException("socket already gone");
                }
            };
            PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(failingClose, b -> b, 0, "plugged");
            assertThat(prefetching.next()).isPresent();
            assertThat(prefetching.next()).isEmpty();
            prefetching.close();

            assertThat(prefetching.stopped()).isTrue();
            assertThat(logs.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).isEqualTo(
                        "closing the source's reader failed: java.lang.IllegalStateException: socket already gone");
                assertThat(e.getThrowableProxy().getMessage()).isEqualTo("socket already gone");
                assertThat(e.getMDCPropertyMap()).containsEntry("source", "plugged");
            });
        } finally {
            MDC.remove("source");
            logger.detachAppender(logs);
        }
    }

    @Test
    void batchesArriveInOrderAndTheEndStaysTheEnd() {
        AtomicBoolean closed = new AtomicBoolean();
        PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(3, false, closed), b -> b, 1, "test");
        for (int i = 1; i <= 3; i++) {
            assertThat(prefetching.next()).get().extracting(b -> b.checkpoint().position())
                    .isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(prefetching.next()).isEmpty();
        assertThat(prefetching.next()).isEmpty();
        prefetching.close();
        prefetching.close();
        assertThat(closed).isTrue();
    }

    @Test
    void closingEarlyStopsTheReadingThreadAndClosesTheReader() {
        AtomicBoolean closed = new AtomicBoolean();
        PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(1000, false, closed), b -> b, 1, "test");
        assertThat(prefetching.next()).isPresent();
        prefetching.close();
        assertThat(closed).isTrue();
    }

    @Test
    void preparesEachBatchOnTheReadingThreadAndPassesAFailureToPrepareToTheCaller() {
        AtomicBoolean closed = new AtomicBoolean();
        PrefetchingReader<String> prefetching = new PrefetchingReader<>(reader(3, false, closed), batch -> {
            if (batch.checkpoint().position().equals("{\"n\":2}")) {
                throw new IllegalStateException("cannot prepare batch 2");
            }
            return Thread.currentThread().getName() + " " + batch.checkpoint().position();
        }, 1, "test");
        assertThat(prefetching.next()).contains("asset-etl-read-test {\"n\":1}");
        assertThatThrownBy(prefetching::next).isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot prepare batch 2");
        assertThat(prefetching.next()).isEmpty();
        prefetching.close();
        assertThat(closed).isTrue();
    }
    @Test
    void aReaderThatDoesNotHeedBeingStoppedIsWaitedForBoundedlyAndItsEndIsAwaitable() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch let = new CountDownLatch(1);
        AtomicBoolean closed = new AtomicBoolean();
        SourceReader deaf = new SourceReader() {
            @Override
            public Optional<Batch> next() {
                inside.countDown();
                while (true) {
                    try {
                        if (let.await(30, TimeUnit.SECONDS)) {
                            return Optional.empty();
                        }
                    } catch (InterruptedException ignored) {
                        // deaf to it, as some adapters are
                    }
                }
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(deaf, b -> b, 1, "test", Duration.ofMillis(50));
        assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

        prefetching.close();
        CountDownLatch ended = new CountDownLatch(1);
        prefetching.whenStopped(ended::countDown);

        assertThat(prefetching.stopped()).as("still reading after the bounded wait").isFalse();
        assertThat(ended.getCount()).isEqualTo(1);
        let.countDown();
        assertThat(ended.await(10, TimeUnit.SECONDS)).as("the action ran when the reader stopped").isTrue();
        assertThat(prefetching.stopped()).isTrue();
        assertThat(closed).isTrue();
    }
}

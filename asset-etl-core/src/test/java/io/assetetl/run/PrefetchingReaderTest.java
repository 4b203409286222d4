package io.assetetl.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.assetetl.model.Checkpoint;
import io.assetetl.spi.Batch;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceReader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
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
            PrefetchingReader<Batch> prefetching = new PrefetchingReader<>(reader(2, true, closed), b -> b, 1, "test");
            Thread.sleep(100); // let the reading thread fill the queue and fail behind it
            assertThat(prefetching.next()).isPresent();
            assertThat(prefetching.next()).isPresent();
            assertThatThrownBy(prefetching::next).isInstanceOf(SourceException.class).hasMessage("upstream gave up");
            prefetching.close();
        });
        assertThat(closed).isTrue();
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
}

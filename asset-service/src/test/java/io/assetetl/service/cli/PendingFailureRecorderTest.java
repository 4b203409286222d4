package io.assetetl.service.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingFailureRecorderTest {

    /** A clock that moves only when the recorder sleeps. */
    private static final class FakeTime implements PendingFailureRecorder.Time {
        long nanos;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) {
            sleeps.add(duration);
            nanos += duration.toNanos();
        }
    }

    @Test
    void triesAgainWithGrowingPausesUntilTheDatabaseAnswers() {
        FakeTime time = new FakeTime();
        AtomicInteger attempts = new AtomicInteger();

        boolean recorded = new PendingFailureRecorder(Duration.ofSeconds(15), time).record(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IllegalStateException("Connection refused");
            }
            return true;
        });

        assertThat(recorded).isTrue();
        assertThat(attempts).hasValue(4);
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    }

    @Test
    void givesUpWhenTheDatabaseStaysAwayForItsWholePatienceWithoutSleepingPastIt() {
        FakeTime time = new FakeTime();
        AtomicInteger attempts = new AtomicInteger();

        boolean recorded = new PendingFailureRecorder(Duration.ofSeconds(5), time).record(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("Connection refused");
        });

        assertThat(recorded).isFalse();
        assertThat(time.nanos).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(time.sleeps).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                Duration.ofSeconds(2), Duration.ofMillis(1250));
        assertThat(attempts).as("one last attempt at the end of the patience").hasValue(6);
    }

    @Test
    void nothingPendingMeansNoWait() {
        FakeTime time = new FakeTime();

        assertThat(new PendingFailureRecorder(Duration.ofSeconds(15), time).record(() -> true)).isTrue();
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void anInterruptionEndsTheWaitAndIsKept() {
        PendingFailureRecorder.Time interrupted = new PendingFailureRecorder.Time() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                throw new InterruptedException();
            }
        };
        try {
            boolean recorded = new PendingFailureRecorder(Duration.ofSeconds(15), interrupted).record(() -> {
                throw new IllegalStateException("Connection refused");
            });

            assertThat(recorded).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}

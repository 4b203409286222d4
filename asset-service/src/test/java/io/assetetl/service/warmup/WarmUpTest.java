package io.assetetl.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void threeRequestsInFourReadTheFirstPageAndTheFourthOneOfItsAssets() {
        List<String> paths = WarmUp.paths(List.of("BTC", "ETH"));

        assertThat(paths).containsExactly(
                "/data?limit=50", "/data?limit=50", "/data", "/assets/BTC",
                "/data?limit=50", "/data?limit=50", "/data", "/assets/ETH");
    }

    @Test
    void aSymbolThatWouldNeedEscapingInAPathIsLeftOut() {
        assertThat(WarmUp.paths(List.of("A/B", "C D", "USDC.E"))).containsOnly(
                "/data?limit=50", "/data", "/assets/USDC.E");
    }

    @Test
    void anEmptyFirstPageLeavesOnlyPagesToRead() {
        assertThat(WarmUp.paths(List.of())).containsOnly("/data?limit=50", "/data");
    }

    @Test
    void compilersCountAsIdleOnlyAfterTwoSecondsOfLittleCompiling() {
        AtomicLong compileMillis = new AtomicLong(5_000);
        AtomicLong now = new AtomicLong();
        WarmUp.CompilerIdleness idleness = new WarmUp.CompilerIdleness(compileMillis::get, now::get);

        // busy: 400 ms of compiling in 500 ms
        advance(now, compileMillis, 400);
        assertThat(idleness.idle()).isFalse();
        // quiet (under a tenth of the time) for 1.5 s: not yet
        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 40);
            assertThat(idleness.idle()).isFalse();
        }
        // two seconds quiet
        advance(now, compileMillis, 0);
        assertThat(idleness.idle()).isTrue();
    }

    @Test
    void aBurstOfCompilingStartsTheQuietTimeAgain() {
        AtomicLong compileMillis = new AtomicLong();
        AtomicLong now = new AtomicLong();
        WarmUp.CompilerIdleness idleness = new WarmUp.CompilerIdleness(compileMillis::get, now::get);

        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 0);
            assertThat(idleness.idle()).isFalse();
        }
        advance(now, compileMillis, 50); // exactly a tenth is not quiet
        assertThat(idleness.idle()).isFalse();
        for (int i = 0; i < 3; i++) {
            advance(now, compileMillis, 10);
            assertThat(idleness.idle()).isFalse();
        }
        advance(now, compileMillis, 10);
        assertThat(idleness.idle()).isTrue();
    }

    /** Half a second passes, {@code compiled} milliseconds of it spent compiling. */
    private static void advance(AtomicLong now, AtomicLong compileMillis, long compiled) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        compileMillis.addAndGet(compiled);
    }
}

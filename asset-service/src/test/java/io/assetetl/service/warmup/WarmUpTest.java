package io.assetetl.service.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
}

package io.assetetl.spi;

import io.assetetl.testing.AdapterContractTest;
import io.assetetl.testing.ListSourceFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The kit's own fake source keeps the contract (and so shows the kit works). */
class ListSourceContractIT extends AdapterContractTest {

    @Override
    protected SourceFactory factory() {
        return new ListSourceFactory();
    }

    @Override
    protected SourceConfig fixtureConfig(Path workDir) {
        ListSourceFactory.dataset("contract", List.of(
                "BTC,,60000,1700000000", "ETH,,3000,1700000000", "SOL,,n/a,1700000000",
                "BTC,,60100,1700000060", "ETH,,3010,1700000060", "ADA,,0.5,1700000060",
                "BTC,,60200,1700000120"));
        return SourceConfig.of(Map.of("dataset", "contract", "batch_size", "2"));
    }
}

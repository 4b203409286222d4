package io.assetetl.spi;

import io.assetetl.testing.ListSourceFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The kit holds an adapter whose record keys have a character PostgreSQL cannot store (a NUL: the list source keys
 * its records by its data set's name) to the contract as any other: such a key is stored marked, and the kit finds
 * the records it read under their keys as stored.
 */
class UnstorableKeyListSourceContractIT extends ListSourceContractIT {

    @Override
    protected SourceConfig fixtureConfig(Path workDir) {
        ListSourceFactory.dataset("nul\0keys", List.of("BTC,,60000,1700000000", "ETH,,3000,1700000000",
                "SOL,,n/a,1700000000", "BTC,,60100,1700000060"));
        return SourceConfig.of(Map.of("dataset", "nul\0keys", "batch_size", "2"));
    }
}

package io.assetetl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.run.RunEngine;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.SourceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class AssetEtlTest {

    @Test
    void aSourceOfATypeNoFactoryMakesIsRefusedWhenBuilding() {
        AssetEtl.Builder builder = AssetEtl.builder().dataSource(new PGSimpleDataSource()).discoverFactories(false)
                .source(SourceDefinition.of("prices", "nosuchtype", SourceConfig.of(Map.of())));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no source factory of type 'nosuchtype' for source 'prices'; known types: []");
    }

    @Test
    void aClosedLibraryStartsNoRunOfAnyKind() {
        // the data source points nowhere: a run that got as far as the database would fail differently
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {1});
        AssetEtl etl = AssetEtl.builder().dataSource(nowhere).discoverFactories(false).build();
        etl.close();

        assertThatThrownBy(() -> etl.run(RunRequest.of("prices"))).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
        assertThatThrownBy(() -> etl.start(RunRequest.of("prices"))).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
        assertThatThrownBy(() -> etl.reprocess("prices")).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
    }
}

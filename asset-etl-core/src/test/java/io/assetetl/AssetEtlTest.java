package io.assetetl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}

package io.assetetl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetetl.run.RunEngine;
import io.assetetl.run.RunRequest;
import io.assetetl.run.SourceDefinition;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void aFactoryWithoutATypeIsRefusedNamingItsClass() {
        SourceFactory untyped = new SourceFactory() {
            @Override
            public String type() {
                return null;
            }

            @Override
            public Source create(String name, SourceConfig config, SourceContext context) {
                throw new UnsupportedOperationException();
            }
        };

        assertThatThrownBy(() -> AssetEtl.builder().factory(untyped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source factory " + untyped.getClass().getName() + " has no type: its type() returned"
                        + " null");
    }

    @Test
    void findingARunOfNoIdIsRefusedBeforeTheDatabaseIsAsked() {
        AssetEtl etl = AssetEtl.builder().dataSource(new PGSimpleDataSource()).discoverFactories(false).build();

        assertThatThrownBy(() -> etl.findRun(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("runId is null");
    }

    @Test
    void everyNullArgumentIsRefusedNamingItBeforeTheDatabaseIsAsked() {
        AssetEtl etl = AssetEtl.builder().dataSource(nowhere()).discoverFactories(false).build();
        AssetEtl.Builder builder = AssetEtl.builder();
        Map<String, org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = new java.util.LinkedHashMap<>();
        calls.put("dataSource is null", () -> AssetEtl.migrate(null));
        calls.put("name is null", () -> etl.source(null));
        calls.put("source is null", () -> etl.checkpoints(null));
        calls.put("source is null (Optional.empty() for every source)",
                () -> etl.runs(10, null, java.util.Optional.empty()));
        calls.put("status is null (Optional.empty() for every status)",
                () -> etl.runs(10, java.util.Optional.empty(), null));
        calls.put("kind is null (Optional.empty() for every kind)",
                () -> etl.runs(10, java.util.Optional.empty(), java.util.Optional.empty(), null));
        calls.put("definitions is null", () -> builder.sources(null));
        calls.put("pins is null", () -> builder.identityPins(null));

        calls.forEach((message, call) -> assertThatThrownBy(call).as(message)
                .isInstanceOf(NullPointerException.class).hasMessage(message));
    }

    @Test
    void aClosedLibraryStartsNoRunOfAnyKind() {
        AssetEtl etl = AssetEtl.builder().dataSource(nowhere()).discoverFactories(false).build();
        etl.close();

        assertThatThrownBy(() -> etl.run(RunRequest.of("prices"))).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
        assertThatThrownBy(() -> etl.start(RunRequest.of("prices"))).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
        assertThatThrownBy(() -> etl.reprocess("prices")).isInstanceOf(IllegalStateException.class)
                .hasMessage(RunEngine.CLOSED);
    }

    @Test
    void twoFactoriesOfOneTypeFoundByServiceLoaderAreRefusedForASourceOfThatTypeNamingBoth(@TempDir Path folder)
            throws IOException {
        AssetEtl.Builder builder = AssetEtl.builder().dataSource(new PGSimpleDataSource())
                .classLoader(providing(folder, VendorACsv.class, VendorBCsv.class))
                .source(SourceDefinition.of("prices", "csv", SourceConfig.of(Map.of())));

        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source 'prices' is of type 'csv', which two source factories found by ServiceLoader"
                        + " make: " + VendorACsv.class.getName() + " and " + VendorBCsv.class.getName()
                        + "; register the one to use with AssetEtl.Builder.factory, or take the other off the"
                        + " classpath");
    }

    @Test
    void aFactoryRegisteredByHandSettlesTwoFoundOfItsTypeAndAnUnusedTypeMayHaveTwo(@TempDir Path folder)
            throws IOException {
        ClassLoader loader = providing(folder, VendorACsv.class, VendorBCsv.class);
        SourceDefinition prices = SourceDefinition.of("prices", "csv", SourceConfig.of(Map.of()));

        AssetEtl settled = AssetEtl.builder().dataSource(new PGSimpleDataSource()).classLoader(loader)
                .factory(new VendorBCsv()).source(prices).build();
        AssetEtl unused = AssetEtl.builder().dataSource(new PGSimpleDataSource()).classLoader(loader).build();

        assertThat(settled.sources()).containsExactly(prices);
        assertThat(unused.sources()).isEmpty();
        settled.close();
        unused.close();
    }

    /** A class loader whose service file for {@link SourceFactory} lists {@code factories}. */
    private static ClassLoader providing(Path folder, Class<?>... factories) throws IOException {
        Path services = Files.writeString(folder.resolve("services"), String.join("\n",
                java.util.Arrays.stream(factories).map(Class::getName).toList()));
        URL url = services.toUri().toURL();
        return new ClassLoader(AssetEtlTest.class.getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return name.equals("META-INF/services/" + SourceFactory.class.getName())
                        ? Collections.enumeration(java.util.List.of(url)) : super.getResources(name);
            }
        };
    }

    /** A factory of type {@code csv} from one vendor. */
    public static class VendorACsv implements SourceFactory {
        @Override
        public String type() {
            return "csv";
        }

        @Override
        public Source create(String name, SourceConfig config, SourceContext context) {
            throw new UnsupportedOperationException("never run here");
        }
    }

    /** Another vendor's factory that names its type {@code csv} too: another class, the same type. */
    public static final class VendorBCsv extends VendorACsv {
    }

    /** A data source that points nowhere: a call that got as far as the database would fail differently. */
    private static PGSimpleDataSource nowhere() {
        PGSimpleDataSource nowhere = new PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {1});
        return nowhere;
    }
}

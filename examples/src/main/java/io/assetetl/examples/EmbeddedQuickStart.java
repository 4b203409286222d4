package io.assetetl.examples;

import io.assetetl.AssetEtl;
import io.assetetl.query.AssetFilter;
import io.assetetl.query.AssetPage;
import io.assetetl.query.AssetQueries;
import io.assetetl.query.AssetView;
import io.assetetl.run.RunRequest;
import io.assetetl.run.RunResult;
import io.assetetl.run.SourceDefinition;
import io.assetetl.sources.BuiltInSources;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Embedding asset-etl in a plain program, no Dropwizard: take (or start) a PostgreSQL, migrate it, ingest the two
 * sample CSV files through the library, and print every asset with its consensus price.
 *
 * <p>Arguments: the folder holding {@code assets.csv} and {@code assets_weird.csv} (default {@code examples/data}).
 */
public final class EmbeddedQuickStart {

    private EmbeddedQuickStart() {
    }

    public static void main(String[] args) {
        Path samples = Path.of(args.length > 0 ? args[0] : "examples/data");
        try (ExampleDatabase db = ExampleDatabase.open()) {
            quickStart(db.dataSource(), samples, System.out);
        }
    }

    static void quickStart(DataSource dataSource, Path samples, PrintStream out) {
        AssetEtl.migrate(dataSource);
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CSV_SOURCE_PATH", samples.resolve("assets.csv").toString());
        env.put("CSV_WEIRD_SOURCE_PATH", samples.resolve("assets_weird.csv").toString());
        List<SourceDefinition> sources = BuiltInSources.fromEnvironment(env);

        try (AssetEtl etl = AssetEtl.builder().dataSource(dataSource).sources(sources).build()) {
            for (String source : List.of(BuiltInSources.CSV, BuiltInSources.CSV_WEIRD)) {
                RunResult run = etl.run(RunRequest.of(source));
                out.printf("%-9s %s: processed=%d loaded=%d rejected=%d%n", source, run.status().code(),
                        run.processed(), run.loaded(), run.rejected());
            }

            AssetQueries assets = etl.assets();
            Optional<String> after = Optional.empty();
            do {
                AssetPage page = assets.page(AssetFilter.ALL, after, 100);
                for (AssetView asset : page.assets()) {
                    out.printf("%-8s %-22s consensus=%s sources=%d%s%n", asset.symbol(), asset.name(),
                            asset.consensus().median().map(Object::toString).orElse("-"), asset.sources().size(),
                            asset.consensus().divergent().isEmpty() ? "" : " divergent=" + asset.consensus().divergent());
                }
                after = page.lastSymbol();
            } while (after.isPresent());
        }
    }
}

package io.assetetl.sources.csv;

import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;

/**
 * The {@code csv} source type: a clean, comma-delimited UTF-8 file with the headers {@code symbol}, {@code name},
 * {@code price_usd} (or {@code price}), {@code market_cap_usd}, {@code volume_24h_usd} and {@code timestamp}.
 * Settings: see {@link CsvSourceConfig}.
 */
public final class CsvSourceFactory implements SourceFactory {

    public static final String TYPE = "csv";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Source create(String name, SourceConfig config, SourceContext context) {
        CsvSourceConfig settings = CsvSourceConfig.from(config);
        return new CsvSource(name, settings.path(), settings.batchSize(), settings.batchBytes(),
                new CleanCsvFlavor(), context.clock());
    }
}

package io.assetetl.sources.csv;

import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;

/**
 * The {@code csv_weird} source type: CSV files as they come from the field — unknown delimiter and encoding,
 * renamed headers, currency signs, suffixes, null markers, comments. Settings: see {@link WeirdCsvSourceConfig}.
 */
public final class WeirdCsvSourceFactory implements SourceFactory {

    public static final String TYPE = "csv_weird";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Source create(String name, SourceConfig config, SourceContext context) {
        WeirdCsvSourceConfig settings = WeirdCsvSourceConfig.from(config);
        return new CsvSource(name, settings.path(), settings.batchSize(), settings.batchBytes(),
                new WeirdCsvFlavor(settings.fuzzyThreshold(), settings.dateOrder(), settings.decimalMark(),
                        settings.timeZone()), context.clock());
    }
}

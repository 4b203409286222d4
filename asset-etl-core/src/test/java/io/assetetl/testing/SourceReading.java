package io.assetetl.testing;

import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a source from its start without a database, as adapter tests look at what it hands out. */
public final class SourceReading {

    private SourceReading() {
    }

    /** Every batch a new source of {@code factory} hands out from the start, then closes it. */
    public static List<Batch> readAll(SourceFactory factory, String name, SourceConfig config,
            SourceContext context) {
        List<Batch> batches = new ArrayList<>();
        try (Source source = factory.create(name, config, context);
             SourceReader reader = source.open(Optional.empty())) {
            for (Optional<Batch> batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                batches.add(batch.get());
            }
        }
        return batches;
    }
}

package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Settings of a {@code csv} source.
 *
 * @param path      the file to read (setting {@code path}, default {@value #DEFAULT_PATH})
 * @param batchSize records per batch, that is per committed chunk (setting {@code batch_size}, default
 *                  {@value #DEFAULT_BATCH_SIZE})
 */
public record CsvSourceConfig(Path path, int batchSize) {

    public static final String DEFAULT_PATH = "examples/data/assets.csv";
    public static final int DEFAULT_BATCH_SIZE = 50_000;
    static final int MAX_BATCH_SIZE = 1_000_000;

    public CsvSourceConfig {
        requireNonNull(path, "path is null");
        checkBatchSize(batchSize);
    }

    /**
     * Reads the settings of a {@code csv} source.
     *
     * @throws InvalidSourceConfigException when a setting is invalid
     */
    public static CsvSourceConfig from(SourceConfig config) {
        return new CsvSourceConfig(path(config, DEFAULT_PATH), config.getInt("batch_size", DEFAULT_BATCH_SIZE));
    }

    static Path path(SourceConfig config, String defaultPath) {
        String path = config.get("path", defaultPath);
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new InvalidSourceConfigException("setting 'path' is not a file path: " + path);
        }
    }

    static void checkBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new InvalidSourceConfigException("setting 'batch_size' must be between 1 and " + MAX_BATCH_SIZE
                    + ": " + batchSize);
        }
    }
}

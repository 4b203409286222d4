package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import io.assetetl.sources.KnownSettings;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Settings of a {@code csv} source.
 *
 * @param path       the file to read (setting {@code path}, default {@value #DEFAULT_PATH})
 * @param batchSize  records per batch, that is per committed chunk (setting {@code batch_size}, default
 *                   {@value #DEFAULT_BATCH_SIZE})
 * @param batchBytes bytes of the file per batch, at most: a batch ends at the record that reaches it, so that wide
 *                   rows make smaller batches, not a larger heap (setting {@code batch_bytes}, default
 *                   {@value #DEFAULT_BATCH_BYTES}, 8 MiB)
 */
public record CsvSourceConfig(Path path, int batchSize, int batchBytes) {

    public static final String DEFAULT_PATH = "examples/data/assets.csv";
    public static final int DEFAULT_BATCH_SIZE = 50_000;
    public static final int DEFAULT_BATCH_BYTES = 8 << 20;
    public static final int MAX_BATCH_SIZE = 1_000_000;
    static final int MAX_BATCH_BYTES = 1 << 30;
    /** The settings a {@code csv} source has; any other is refused. */
    static final Set<String> SETTINGS = Set.of("path", "batch_size", "batch_bytes");

    public CsvSourceConfig {
        requireNonNull(path, "path is null");
        checkBatchSize(batchSize);
        checkBatchBytes(batchBytes);
    }

    /**
     * Reads the settings of a {@code csv} source.
     *
     * @throws InvalidSourceConfigException when a setting is invalid
     */
    public static CsvSourceConfig from(SourceConfig config) {
        KnownSettings.check(config, CsvSourceFactory.TYPE, SETTINGS);
        return new CsvSourceConfig(path(config, DEFAULT_PATH), config.getInt("batch_size", DEFAULT_BATCH_SIZE),
                config.getInt("batch_bytes", DEFAULT_BATCH_BYTES));
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

    static void checkBatchBytes(int batchBytes) {
        if (batchBytes < 1 || batchBytes > MAX_BATCH_BYTES) {
            throw new InvalidSourceConfigException("setting 'batch_bytes' must be between 1 and " + MAX_BATCH_BYTES
                    + ": " + batchBytes);
        }
    }
}

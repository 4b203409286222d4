package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import io.assetetl.sources.KnownSettings;
import io.assetetl.spi.InvalidSourceConfigException;
import io.assetetl.spi.SourceConfig;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * Settings of a {@code csv_weird} source.
 *
 * @param path           the file to read (setting {@code path}, default {@value #DEFAULT_PATH})
 * @param batchSize      records per batch (setting {@code batch_size}, default 50000)
 * @param batchBytes     bytes of the file per batch, at most (setting {@code batch_bytes}, default 8 MiB; see
 *                       {@link CsvSourceConfig})
 * @param dateOrder      how to read dates such as {@code 01/02/2024} (setting {@code date_order}: {@code DMY} or
 *                       {@code MDY}; unset, such dates are rejects with reason {@code ambiguous_value})
 * @param decimalMark    the file's decimal mark (setting {@code decimal_mark}: {@code .} or {@code ,}; unset, each
 *                       number is read by its own shape, see {@link DecimalMark#UNSPECIFIED})
 * @param fuzzyThreshold the confidence (0..1) a header needs to be mapped to a field it does not name exactly
 *                       or by a known alias (setting {@code fuzzy_threshold}, default
 *                       {@value #DEFAULT_FUZZY_THRESHOLD}): its Jaro-Winkler similarity times 0.95, the number
 *                       stored with the drift event, so at 0.8 a header must be 0.843 similar, and above 0.95
 *                       nothing is mapped fuzzily
 * @param timeZone       the time zone of the file's times and dates written without an offset (setting
 *                       {@code time_zone}: a region such as {@code Europe/Berlin} or an offset such as
 *                       {@code +01:00}; default UTC)
 */
public record WeirdCsvSourceConfig(Path path, int batchSize, int batchBytes, DateOrder dateOrder,
        DecimalMark decimalMark, double fuzzyThreshold, ZoneId timeZone) {

    public static final String DEFAULT_PATH = "examples/data/assets_weird.csv";
    public static final double DEFAULT_FUZZY_THRESHOLD = 0.8;
    /** The settings a {@code csv_weird} source has; any other is refused. */
    static final Set<String> SETTINGS = Set.of("path", "batch_size", "batch_bytes", "date_order", "decimal_mark",
            "fuzzy_threshold", "time_zone");

    public WeirdCsvSourceConfig {
        requireNonNull(path, "path is null");
        requireNonNull(dateOrder, "dateOrder is null");
        requireNonNull(decimalMark, "decimalMark is null");
        requireNonNull(timeZone, "timeZone is null");
        CsvSourceConfig.checkBatchSize(batchSize);
        CsvSourceConfig.checkBatchBytes(batchBytes);
        if (!(fuzzyThreshold > 0.0 && fuzzyThreshold <= 1.0)) {
            throw new InvalidSourceConfigException("setting 'fuzzy_threshold' must be within (0, 1]: "
                    + fuzzyThreshold);
        }
    }

    /**
     * Reads the settings of a {@code csv_weird} source.
     *
     * @throws InvalidSourceConfigException when a setting is invalid
     */
    public static WeirdCsvSourceConfig from(SourceConfig config) {
        KnownSettings.check(config, WeirdCsvSourceFactory.TYPE, SETTINGS);
        return new WeirdCsvSourceConfig(CsvSourceConfig.path(config, DEFAULT_PATH),
                config.getInt("batch_size", CsvSourceConfig.DEFAULT_BATCH_SIZE),
                config.getInt("batch_bytes", CsvSourceConfig.DEFAULT_BATCH_BYTES),
                config.get("date_order").map(DateOrder::parse).orElse(DateOrder.UNSPECIFIED),
                config.get("decimal_mark").map(DecimalMark::parse).orElse(DecimalMark.UNSPECIFIED),
                config.getDouble("fuzzy_threshold", DEFAULT_FUZZY_THRESHOLD),
                config.get("time_zone").map(WeirdCsvSourceConfig::timeZone).orElse(ZoneOffset.UTC));
    }

    /** Settings whose file's times without an offset are UTC. */
    public WeirdCsvSourceConfig(Path path, int batchSize, int batchBytes, DateOrder dateOrder,
            DecimalMark decimalMark, double fuzzyThreshold) {
        this(path, batchSize, batchBytes, dateOrder, decimalMark, fuzzyThreshold, ZoneOffset.UTC);
    }

    private static ZoneId timeZone(String setting) {
        try {
            return ZoneId.of(setting.strip());
        } catch (DateTimeException e) {
            throw new InvalidSourceConfigException("setting 'time_zone' must be a time zone such as Europe/Berlin,"
                    + " UTC or +01:00: " + setting);
        }
    }
}

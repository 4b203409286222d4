package io.assetetl.sources.csv;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

/**
 * The messy {@code csv_weird} format: UTF-8 with or without a byte-order mark, where each byte that is not UTF-8
 * is read as Windows-1252 ({@link Utf8OrWindows1252}: a Windows-1252 file reads as such); the delimiter
 * detected among {@code , ; tab |}; {@code #} comment lines; headers mapped by {@link HeaderMapper}; cells cleaned
 * by {@link ValueCleaner}.
 */
final class WeirdCsvFlavor implements CsvFlavor {

    private final HeaderMapper mapper;
    private final DateOrder dateOrder;
    private final DecimalMark decimalMark;
    private final ZoneId timeZone;

    WeirdCsvFlavor(double fuzzyThreshold, DateOrder dateOrder, DecimalMark decimalMark, ZoneId timeZone) {
        this.mapper = new HeaderMapper(fuzzyThreshold);
        this.dateOrder = dateOrder;
        this.decimalMark = decimalMark;
        this.timeZone = timeZone;
    }

    @Override
    public FileFormat format(Path path, FileScan scan) {
        Charset charset = scan.validUtf8() ? StandardCharsets.UTF_8 : Utf8OrWindows1252.INSTANCE;
        int bom = scan.hasUtf8Bom() ? 3 : 0;
        byte[] head = scan.head();
        String text = new String(Arrays.copyOfRange(head, bom, head.length), charset);
        return new FileFormat(charset, bom, DelimiterDetector.detect(text), true);
    }

    @Override
    public ColumnMapping map(List<String> keys) {
        return mapper.map(keys);
    }

    @Override
    public RowInterpreter newInterpreter() {
        return new WeirdRowInterpreter(dateOrder, decimalMark, timeZone);
    }
}

package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileFormatDetectionTest {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '@', textBlock = """
            comma           @ symbol,name,price\\nBTC,Bitcoin,1\\n                               @ ,
            semicolon       @ symbol;name;price\\nBTC;Bitcoin;2 310,55\\nETH;Ether;1,5\\n           @ ;
            tab             @ symbol\\tname\\tprice\\nBTC\\tBit, coin\\t1\\n                        @ \\t
            pipe            @ symbol|name|price\\nBTC|Bitcoin|1,5\\n                            @ |
            quoted commas   @ symbol;name\\nBTC;"a,b,c,d"\\n                                      @ ;
            comments first  @ # a, b, c, d, e\\n\\nsymbol;price\\nBTC;1\\n                        @ ;
            commas in data  @ ticker,price\\nbtc,"$87,000"\\neth,"4,800"\\n                        @ ,
            one column      @ symbol\\nBTC\\n                                                     @ ,
            rank column     @ #;Name;Symbol;Price\\n1;Bitcoin;BTC;50000,5\\n                       @ ;
            signed ranks    @ # by rank, then name\\n#1\\tBitcoin\\tBTC\\n#2\\tEther, Eth\\tETH\\n         @ \\t
            """)
    void detectsTheDelimiterFromTheHeaderAndTheLinesAfterIt(String name, String text, String expected) {
        String unescaped = text.replace("\\n", "\n").replace("\\t", "\t");

        assertThat(DelimiterDetector.detect(unescaped)).isEqualTo(expected.replace("\\t", "\t").charAt(0));
    }

    @Test
    void prefersTheDelimiterThatSplitsLinesConsistently() {
        String text = "a,b;c;d\n1,5;2;3\n2,5;3;4\n";

        assertThat(DelimiterDetector.detect(text)).isEqualTo(';');
    }

    private FileFormat weird(byte[] content) throws Exception {
        Path file = dir.resolve("w.csv");
        Files.write(file, content);
        return new WeirdCsvFlavor(0.8, DateOrder.UNSPECIFIED, DecimalMark.UNSPECIFIED, ZoneOffset.UTC)
                .format(file, FileScan.of(file, -1));
    }

    @Test
    void readsUtf8WithAndWithoutByteOrderMark() throws Exception {
        byte[] plain = "symbol;name\nXMR;Monéro\n".getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream withBom = new ByteArrayOutputStream();
        withBom.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        withBom.writeBytes(plain);

        assertThat(weird(plain)).isEqualTo(new FileFormat(StandardCharsets.UTF_8, 0, ';', true));
        assertThat(weird(withBom.toByteArray())).isEqualTo(new FileFormat(StandardCharsets.UTF_8, 3, ';', true));
    }

    @Test
    void readsWhatIsNotUtf8AsWindows1252WhenTheFileIsNotUtf8() throws Exception {
        byte[] content = "symbol|name\nXMR|Monéro\nEUR|€uro\n".getBytes(CP1252);

        FileFormat format = weird(content);

        assertThat(format.charset()).isEqualTo(Utf8OrWindows1252.INSTANCE);
        assertThat(format.delimiter()).isEqualTo('|');
    }

    @Test
    void theCleanFormatReadsWhatIsNotUtf8AsWindows1252WhenTheFileIsNotUtf8() throws Exception {
        Path file = dir.resolve("c.csv");
        Files.write(file, "symbol,name\nXMR,Monéro\n".getBytes(CP1252));

        FileFormat format = new CleanCsvFlavor().format(file, FileScan.of(file, -1));

        assertThat(format).isEqualTo(new FileFormat(Utf8OrWindows1252.INSTANCE, 0, ',', false));
        assertThat(FileScan.of(file, -1).firstInvalidUtf8()).isEqualTo(19);
    }

    @Test
    void validatesUtf8AcrossChunkBoundariesAndRejectsOverlongsSurrogatesAndTruncation() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        Utf8Validator split = new Utf8Validator();
        split.update(euro, 0, 1);
        split.update(euro, 1, 3);
        split.finish();
        assertThat(split.firstInvalid()).isEqualTo(-1);

        assertThat(firstInvalid(new byte[] {'a', (byte) 0xC0, (byte) 0x80})).isEqualTo(1);
        assertThat(firstInvalid(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo(0);
        assertThat(firstInvalid(new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82})).isEqualTo(2);
        assertThat(firstInvalid(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isEqualTo(0);
        assertThat(firstInvalid("ok 🚀".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    private static long firstInvalid(byte[] bytes) {
        Utf8Validator v = new Utf8Validator();
        v.update(bytes, 0, bytes.length);
        v.finish();
        return v.firstInvalid();
    }
}

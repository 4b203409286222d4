package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelimitedFileReaderTest {

    private static final FileFormat CSV = new FileFormat(StandardCharsets.UTF_8, 0, ',', false);

    @TempDir
    Path dir;

    private List<DelimitedFileReader.Record> readAll(byte[] content, FileFormat format, long offset, long lines)
            throws Exception {
        Path file = dir.resolve("f.csv");
        Files.write(file, content);
        List<DelimitedFileReader.Record> records = new ArrayList<>();
        try (OpenFile open = OpenFile.open(file); DelimitedFileReader reader = DelimitedFileReader.open(open, format,
                offset, content.length, lines, false)) {
            for (DelimitedFileReader.Record r = reader.next(); r != null; r = reader.next()) {
                records.add(r);
            }
        }
        return records;
    }

    @Test
    void givesEachRecordItsLineAndTheByteOffsetAfterIt() throws Exception {
        byte[] content = "h1,h2\na,b\nc,d\n".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(1L, 2L, 3L);
        assertThat(records).extracting(DelimitedFileReader.Record::endOffset).containsExactly(6L, 10L, 14L);
        assertThat(records).allMatch(DelimitedFileReader.Record::terminated);
        assertThat(records.get(1).values()).containsExactly("a", "b");
    }

    @Test
    void readsCrLfLineBreaksWithoutLeavingCarriageReturnsInValues() throws Exception {
        byte[] content = "h1,h2\r\na,b\r\nc,d\n e , f \r\n".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records).extracting(r -> String.join("|", r.values()))
                .containsExactly("h1|h2", "a|b", "c|d", "e|f");
        assertThat(records).extracting(DelimitedFileReader.Record::endOffset).containsExactly(7L, 12L, 16L, 25L);
    }

    @Test
    void readsAQuotedValueSpanningLinesAsOneRecordStartingOnItsFirstLine() throws Exception {
        byte[] content = "h1,h2\r\n\"multi\r\nline, with comma\",x\r\nlast,y".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records).hasSize(3);
        assertThat(records.get(1).values()).containsExactly("multi\nline, with comma", "x");
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(records.get(1).lastLine()).isEqualTo(3);
        assertThat(records.get(2).line()).isEqualTo(4);
    }

    @Test
    void tellsARecordWhoseQuotedValueIsOpenWhereTheInputEndsFromOneThatClosesIt() throws Exception {
        List<String> open = new ArrayList<>();
        for (String text : List.of("a,\"Bit\n", "a,\"Bit\r\n", "a,\"Bit\nx,y,z\n", "a,\"Bit\ncoin\",1\n",
                "a,\"Bit\n\",1\n", "a,\"Bit\n\"\n", "a,b\"c,d\n", "\"x\ny\",1\na,b\n")) {
            List<DelimitedFileReader.Record> records = readAll(("h1,h2,h3\n" + text).getBytes(StandardCharsets.UTF_8),
                    CSV, 0, 0);
            open.add(records.stream().map(r -> r.quoteOpen() ? "open " + r.line() : "closed").toList().toString());
        }

        assertThat(open).containsExactly("[closed, open 2]", "[closed, open 2]", "[closed, open 2]",
                "[closed, closed]", "[closed, closed]", "[closed, closed]", "[closed, closed]",
                "[closed, closed, closed]");
    }

    @Test
    void tellsAQuotedValueOpenWhereTheInputEndsWhateverTheDelimiterLineBreaksOrByteOrderMark() throws Exception {
        List<String> open = new ArrayList<>();
        for (String text : List.of("\uFEFFh1;h2\r\na;\"Bit\r\n", "h1\th2\na\t\"Bit\n", "h1|h2\na|\"Bit\ncoin\"|1\n",
                "h1;h2\na;\"Bit\"\"\n", "h1;h2\na;\"Bit\"\"\";1\n", "h1;h2\na;\"Bit\n\"\"\n", "h1;h2\na;\"Bi\rt\";1\n",
                "h1;h2\na;\"Bi\rt\n", "h1;\"h2\n", "h1;h2\n\na;\"Bit\n\n")) {
            char delimiter = text.contains("\t") ? '\t' : text.contains("|") ? '|' : ';';
            FileFormat format = new FileFormat(StandardCharsets.UTF_8, text.startsWith("\uFEFF") ? 3 : 0, delimiter,
                    true);
            List<DelimitedFileReader.Record> records = readAll(text.getBytes(StandardCharsets.UTF_8), format, 0, 0);
            open.add(records.stream().map(r -> r.quoteOpen() ? "open " + r.line() : "closed").toList().toString());
        }

        assertThat(open).containsExactly("[closed, open 2]", "[closed, open 2]", "[closed, closed]",
                "[closed, open 2]", "[closed, closed]", "[closed, open 2]", "[closed, closed]", "[closed, open 2]",
                "[open 1]", "[closed, open 3]");
    }

    @Test
    void tellsAQuotedValueOpenWhereTheReadingEndsNotWhereTheFileDoes() throws Exception {
        // the end of the readable part, the file's last line break, falls inside the quotes
        String text = "h1,h2\nx,y\na,\"Bit\ncoin\",1";
        Path file = dir.resolve("f.csv");
        Files.writeString(file, text);
        List<String> open = new ArrayList<>();
        try (OpenFile f = OpenFile.open(file);
                DelimitedFileReader reader = DelimitedFileReader.open(f, CSV, 6, text.indexOf("coin"), 1, true)) {
            for (DelimitedFileReader.Record r = reader.next(); r != null; r = reader.next()) {
                open.add(r.line() + (r.quoteOpen() ? " open" : " closed"));
            }
        }

        assertThat(open).containsExactly("2 closed", "3 open");
    }

    @Test
    void readsALastLineWithoutLineBreakAsUnterminated() throws Exception {
        byte[] content = "h1,h2\na,b".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records.get(1).terminated()).isFalse();
        assertThat(records.get(1).endOffset()).isEqualTo(content.length);
        assertThat(records.get(1).lastLine()).isEqualTo(2);
    }

    @Test
    void skipsTheByteOrderMarkAndCountsOffsetsInBytesOfMultiByteCharacters() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        out.writeBytes("symbol,name\nXMR,Monéro 🚀\nBTC,Bitcoin\n".getBytes(StandardCharsets.UTF_8));
        byte[] content = out.toByteArray();

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 3, ',', false), 0, 0);

        assertThat(records.get(0).values()).containsExactly("symbol", "name");
        assertThat(records.get(1).values()).containsExactly("XMR", "Monéro 🚀");
        assertThat(records.get(0).endOffset()).isEqualTo(3 + 12);
        assertThat(records.get(1).endOffset()).isEqualTo(3 + 12 + "XMR,Monéro 🚀\n".getBytes(StandardCharsets.UTF_8).length);
        assertThat(records.get(2).endOffset()).isEqualTo(content.length);
    }

    @Test
    void continuesFromAByteOffsetWithLineNumbersCarriedOn() throws Exception {
        byte[] content = "h1,h2\na,b\nc,d\ne,f\n".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 10, 2);

        assertThat(records).extracting(r -> r.values()[0]).containsExactly("c", "e");
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(3L, 4L);
    }

    @Test
    void skipsBlankAndCommentLinesKeepingPhysicalLineNumbers() throws Exception {
        byte[] content = "# comment, with \"quote\n\nh1;h2\n\n   \n  # indented comment\na;b\n;\n#end"
                .getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ';', true), 0, 0);

        assertThat(records).extracting(r -> String.join("|", r.values())).containsExactly("h1|h2", "a|b");
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(3L, 7L);
    }

    @Test
    void readsAHashHeaderAndHashRanksAsRecordsAndOtherHashLinesAsComments() throws Exception {
        byte[] content = ("# exported 2024-01-01\n#,Name,Symbol,Price\n1,Bitcoin,BTC,1\n#2,Ethereum,ETH,2\n"
                + "# note, prices in USD\n  #4,Solana,SOL,4,\n#Cardano,ADA,0.5,x\n3,Tether,USDT,1\n")
                .getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ',', true), 0, 0);

        assertThat(records).extracting(r -> Arrays.toString(r.values()))
                .containsExactly("[#, Name, Symbol, Price]", "[1, Bitcoin, BTC, 1]", "[#2, Ethereum, ETH, 2]",
                        "[#4, Solana, SOL, 4, null]", "[3, Tether, USDT, 1]");
        assertThat(records).extracting(DelimitedFileReader.Record::line).as("a row commented out stays out")
                .containsExactly(2L, 3L, 4L, 6L, 8L);
    }

    @Test
    void readsARowStartingWithARankWhateverItsWidthAndWithAValueOverTwoLines() throws Exception {
        byte[] content = "#,Name,Symbol,Price,\n#1,\"Doge\ncoin\",DOGE,0.1\n#2,Ethereum,ETH,50\n"
                .getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ',', true), 0, 0);

        assertThat(records).extracting(r -> Arrays.toString(r.values())).containsExactly(
                "[#, Name, Symbol, Price, null]", "[#1, Doge\ncoin, DOGE, 0.1]", "[#2, Ethereum, ETH, 50]");
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(1L, 2L, 4L);
    }

    @Test
    void endsACommentThatOpensAQuoteAtItsOwnLine() throws Exception {
        byte[] content = "h1,h2\n#x,\"open\na,b\n# \"\nc,d\n".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ',', true), 0, 0);

        assertThat(records).extracting(r -> String.join("|", r.values())).containsExactly("h1|h2", "a|b", "c|d");
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(1L, 3L, 5L);
        assertThat(records).extracting(DelimitedFileReader.Record::endOffset)
                .containsExactly(6L, 19L, (long) content.length);
    }

    @Test
    void skipsACommentWhoseOpenQuoteRunsPastTheLongestValue() throws Exception {
        byte[] content = ("h1,h2\n#x,\"" + "y".repeat(DelimitedFileReader.MAX_CHARS_PER_VALUE + 10) + "\na,b\n")
                .getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ',', true), 0, 0);

        assertThat(records).extracting(r -> String.join("|", r.values())).containsExactly("h1|h2", "a|b");
        assertThat(records).extracting(DelimitedFileReader.Record::problem).containsOnlyNulls();
    }

    @Test
    void aRowStartingWithARankThatCannotBeSplitIsAProblemNotASkippedComment() throws Exception {
        byte[] content = ("#;Name;Price\n#1\t;\"" + "y".repeat(DelimitedFileReader.MAX_CHARS_PER_VALUE + 10)
                + "\n#2;Ethereum;50\n").getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ';', true), 0, 0);

        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(1L, 2L, 3L);
        assertThat(records.get(1).problem()).startsWith("line cannot be split into fields");
        assertThat(records.get(2).values()).containsExactly("#2", "Ethereum", "50");
    }

    @Test
    void keepsHashesAsDataWhenCommentsAreOff() throws Exception {
        List<DelimitedFileReader.Record> records = readAll("h1,h2\n#a,b\n".getBytes(StandardCharsets.UTF_8), CSV, 0,
                0);

        assertThat(records).extracting(r -> r.values()[0]).containsExactly("h1", "#a");
    }

    @Test
    void readsWindows1252() throws Exception {
        byte[] content = "symbol;name\nXMR;Monéro\n".getBytes(Charset.forName("windows-1252"));

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(Charset.forName("windows-1252"), 0, ';', true), 0, 0);

        assertThat(records.get(1).values()).containsExactly("XMR", "Monéro");
        assertThat(records.get(1).endOffset()).isEqualTo(content.length);
    }

    @Test
    void readsUtf8AndWindows1252LinesOfOneFileEachAsWritten() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("symbol;name\nXMR;Monéro\n".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("ADA;Cardanö €\n".getBytes(Charset.forName("windows-1252")));
        out.writeBytes("BTC;Bitcoin ₿".getBytes(StandardCharsets.UTF_8));
        byte[] content = out.toByteArray();

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(Utf8OrWindows1252.INSTANCE, 0, ';', true), 0, 0);

        assertThat(records).extracting(r -> r.values()[1]).containsExactly("name", "Monéro", "Cardanö €", "Bitcoin ₿");
        assertThat(records.get(3).endOffset()).isEqualTo(content.length);
        assertThat(records.get(3).terminated()).isFalse();
    }

    @Test
    void knowsTheExactByteOffsetOfEveryRecordOfAFileMixingUtf8AndWindows1252() throws Exception {
        Random random = new Random(7);
        Charset cp1252 = Charset.forName("windows-1252");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> expectedEnds = new ArrayList<>();
        List<Long> expectedLines = new ArrayList<>();
        List<String> expectedValues = new ArrayList<>();
        long line = 1;
        for (int i = 0; i < 5000; i++) {
            boolean windows1252 = random.nextInt(3) == 0;
            // no Windows-1252 byte of these is a UTF-8 continuation byte, so no run of them is UTF-8 by chance
            String alphabet = windows1252 ? "aéö×x" : "aé€🚀x";
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                value.appendCodePoint(alphabet.codePoints().toArray()[random.nextInt(5)]);
            }
            boolean quoted = random.nextInt(10) == 0;
            String record = "r" + i + "," + value + (quoted ? ",\"in\r\nside\"" : ",v")
                    + (random.nextBoolean() ? "\r\n" : "\n");
            out.writeBytes(record.getBytes(windows1252 ? cp1252 : StandardCharsets.UTF_8));
            expectedLines.add(line);
            expectedValues.add(value.toString());
            line += quoted ? 2 : 1;
            expectedEnds.add((long) out.size());
        }
        byte[] content = out.toByteArray();
        FileFormat format = new FileFormat(Utf8OrWindows1252.INSTANCE, 0, ',', false);

        List<DelimitedFileReader.Record> records = readAll(content, format, 0, 0);
        int middle = 2500;
        List<DelimitedFileReader.Record> rest = readAll(content, format, expectedEnds.get(middle - 1),
                expectedLines.get(middle) - 1);

        assertThat(records).extracting(DelimitedFileReader.Record::endOffset).containsExactlyElementsOf(expectedEnds);
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactlyElementsOf(expectedLines);
        assertThat(records).extracting(r -> r.values()[1] == null ? "" : r.values()[1])
                .containsExactlyElementsOf(expectedValues);
        assertThat(rest).extracting(DelimitedFileReader.Record::endOffset)
                .containsExactlyElementsOf(expectedEnds.subList(middle, expectedEnds.size()));
        assertThat(rest).extracting(DelimitedFileReader.Record::line)
                .containsExactlyElementsOf(expectedLines.subList(middle, expectedLines.size()));
    }

    @Test
    void replacesNulCharactersWhichJsonbCannotStore() throws Exception {
        List<DelimitedFileReader.Record> records = readAll("h\nBT\0C\n".getBytes(StandardCharsets.UTF_8), CSV, 0, 0);

        assertThat(records.get(1).values()[0]).isEqualTo("BT\uFFFDC");
    }

    @Test
    void turnsALineWithAValueLongerThanTheLimitIntoAProblemAndReadsOn() throws Exception {
        byte[] content = ("h1,h2\na,\"" + "x".repeat(DelimitedFileReader.MAX_CHARS_PER_VALUE + 10) + "\n\nb,c\n")
                .getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records).hasSize(3);
        assertThat(records.get(1).problem()).contains("longer than");
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(records.get(2).values()).containsExactly("b", "c");
        assertThat(records.get(2).line()).isEqualTo(4);
        assertThat(records.get(2).endOffset()).isEqualTo(content.length);
    }

    @Test
    void turnsALineWithTooManyValuesIntoAProblemAndReadsOn() throws Exception {
        String wide = "v,".repeat(DelimitedFileReader.MAX_COLUMNS + 5) + "v";
        byte[] content = ("h1,h2\r\n" + wide + "\r\n# comment\r\nb,c").getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content,
                new FileFormat(StandardCharsets.UTF_8, 0, ',', true), 0, 0);

        assertThat(records).extracting(DelimitedFileReader.Record::problem)
                .containsExactly(null, "line cannot be split into fields: more than 2048 fields", null);
        assertThat(records.get(2).line()).isEqualTo(4);
        assertThat(records.get(2).terminated()).isFalse();
    }

    @Test
    void givesAQuoteLeftOpenToTheEndOfTheFileTheLineItStartsOn() throws Exception {
        byte[] content = "h1,h2\na,b\nc,\"open\n".getBytes(StandardCharsets.UTF_8);

        List<DelimitedFileReader.Record> records = readAll(content, CSV, 0, 0);

        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactly(1L, 2L, 3L);
        assertThat(records.get(2).values()).containsExactly("c", "open\n");
        assertThat(records.get(2).endOffset()).isEqualTo(content.length);
    }

    @Test
    void knowsTheExactByteOffsetOfEveryRecordWhateverTheLineBreaksAndBufferBoundaries() throws Exception {
        Random random = new Random(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> expectedEnds = new ArrayList<>();
        List<Long> expectedLines = new ArrayList<>();
        long line = 1;
        for (int i = 0; i < 5000; i++) {
            StringBuilder record = new StringBuilder("r" + i + ",");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                record.append("aé€🚀x".charAt(random.nextInt(5)));
            }
            boolean quoted = random.nextInt(10) == 0;
            String value = quoted ? ",\"in\r\nside\"" : ",v";
            String lineBreak = random.nextBoolean() ? "\r\n" : "\n";
            out.writeBytes((record + value + lineBreak).getBytes(StandardCharsets.UTF_8));
            expectedLines.add(line);
            line += quoted ? 2 : 1;
            expectedEnds.add((long) out.size());
        }

        List<DelimitedFileReader.Record> records = readAll(out.toByteArray(), CSV, 0, 0);

        assertThat(records).extracting(DelimitedFileReader.Record::endOffset).containsExactlyElementsOf(expectedEnds);
        assertThat(records).extracting(DelimitedFileReader.Record::line).containsExactlyElementsOf(expectedLines);
    }
}

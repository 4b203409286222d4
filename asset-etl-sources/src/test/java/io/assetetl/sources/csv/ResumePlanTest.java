package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumePlanTest {

    private static final FileFormat CSV = new FileFormat(StandardCharsets.UTF_8, 0, ',', false);

    @TempDir
    Path dir;

    private static String sha(String content) {
        return HexFormat.of().formatHex(FileScan.newDigest().digest(content.getBytes(StandardCharsets.UTF_8)));
    }

    private ResumePlan plan(String fileContent, CsvCheckpoint checkpoint) throws Exception {
        Path file = dir.resolve("f.csv");
        Files.writeString(file, fileContent);
        return ResumePlan.decide(Optional.ofNullable(checkpoint), FileScan.of(file,
                checkpoint == null ? -1 : checkpoint.offset()), CSV);
    }

    private static CsvCheckpoint after(String ingested, long line, boolean terminated) {
        return new CsvCheckpoint(sha(ingested), line, ingested.getBytes(StandardCharsets.UTF_8).length, terminated,
                "UTF-8", ",");
    }

    @Test
    void readsFromTheStartWithoutCheckpoint() throws Exception {
        assertThat(plan("h\na\n", null)).isEqualTo(ResumePlan.FROM_START);
    }

    @Test
    void readsNothingOfAnUnchangedFile() throws Exception {
        ResumePlan plan = plan("h\na\nb\n", after("h\na\nb\n", 3, true));

        assertThat(plan.kind()).isEqualTo(ResumePlan.Kind.UP_TO_DATE);
    }

    @Test
    void continuesAfterTheIngestedPrefixOfAFileThatGrew() throws Exception {
        ResumePlan plan = plan("h\na\nb\nc\n", after("h\na\nb\n", 3, true));

        assertThat(plan).isEqualTo(new ResumePlan(ResumePlan.Kind.CONTINUE, 6, 3));
    }

    @Test
    void continuesAfterAnUnterminatedLastLineWhenTheAppendStartsWithALineBreak() throws Exception {
        assertThat(plan("h\na\r\nb\n", after("h\na", 2, false)))
                .isEqualTo(new ResumePlan(ResumePlan.Kind.CONTINUE, 3, 1));
        assertThat(plan("h\nab\n", after("h\na", 2, false))).isEqualTo(ResumePlan.FROM_START);
    }

    @Test
    void readsARewrittenTruncatedOrReEncodedFileFromTheStart() throws Exception {
        assertThat(plan("h\nX\nb\nc\n", after("h\na\nb\n", 3, true))).isEqualTo(ResumePlan.FROM_START);
        assertThat(plan("h\na\n", after("h\na\nb\n", 3, true))).isEqualTo(ResumePlan.FROM_START);
        CsvCheckpoint otherDelimiter = new CsvCheckpoint(sha("h\na\n"), 2, 4, true, "UTF-8", ";");
        assertThat(plan("h\na\nb\n", otherDelimiter)).isEqualTo(ResumePlan.FROM_START);
    }

    @Test
    void continuesAcrossUtf8AndItsWindows1252FallbackButNotFromAReadInWindows1252Throughout() throws Exception {
        Path file = dir.resolve("f.csv");
        Files.writeString(file, "h\na\nb\n");
        FileScan scan = FileScan.of(file, 4);
        FileFormat mixed = new FileFormat(Utf8OrWindows1252.INSTANCE, 0, ',', false);
        CsvCheckpoint utf8 = after("h\na\n", 2, true);
        CsvCheckpoint withFallback = new CsvCheckpoint(sha("h\na\n"), 2, 4, true, Utf8OrWindows1252.NAME, ",");
        CsvCheckpoint windows1252 = new CsvCheckpoint(sha("h\na\n"), 2, 4, true, "windows-1252", ",");

        ResumePlan continued = new ResumePlan(ResumePlan.Kind.CONTINUE, 4, 2);
        assertThat(ResumePlan.decide(Optional.of(utf8), scan, mixed)).isEqualTo(continued);
        assertThat(ResumePlan.decide(Optional.of(withFallback), scan, CSV)).isEqualTo(continued);
        assertThat(ResumePlan.decide(Optional.of(windows1252), scan, mixed)).isEqualTo(ResumePlan.FROM_START);
    }

    @Test
    void checkpointsSurviveTheirJsonFormAndForeignPositionsAreIgnored() {
        CsvCheckpoint checkpoint = new CsvCheckpoint(sha("x"), 12, 345, false, "windows-1252", "\t");

        assertThat(CsvCheckpoint.parse(checkpoint.toCheckpoint("/data/a.csv"))).contains(checkpoint);
        assertThat(checkpoint.toCheckpoint("/data/a.csv").position()).contains("\"file_sha256\":\"" + sha("x") + "\"")
                .contains("\"line\":12").contains("\"offset\":345");
        assertThat(CsvCheckpoint.parse(Checkpoint.of("{\"page\":3}"))).isEmpty();
        assertThat(CsvCheckpoint.parse(Checkpoint.of("[\"not\", \"an object\"]"))).isEmpty();
    }
}

package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetetl.model.Checkpoint;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CheckpointStreamTest {

    @Test
    void aFilesCheckpointsAreOfTheStreamOfItsAbsolutePathHoweverItIsWritten() {
        Path cwd = Path.of("").toAbsolutePath();

        assertThat(CsvSource.streamOf(Path.of("data/../data/./assets.csv")))
                .isEqualTo(cwd.resolve("data/assets.csv").toString())
                .isEqualTo(CsvSource.streamOf(cwd.resolve("data/assets.csv")));
        assertThat(CsvSource.streamOf(Path.of("/srv/feeds/a.csv"))).isEqualTo("/srv/feeds/a.csv");
    }

    @Test
    void aPathTooLongForAStreamsNameIsNamedByItsHash() {
        Path deep = Path.of("/" + "d".repeat(200), "e".repeat(200), "f".repeat(200) + ".csv");

        String stream = CsvSource.streamOf(deep);

        assertThat(stream).matches("path-sha256:[0-9a-f]{64}").hasSizeLessThanOrEqualTo(Checkpoint.MAX_STREAM_LENGTH)
                .isEqualTo(CsvSource.streamOf(deep)).isNotEqualTo(CsvSource.streamOf(deep.resolveSibling("g.csv")));
        assertThat(CsvSource.streamOf(Path.of("/" + "d".repeat(Checkpoint.MAX_STREAM_LENGTH - 1))))
                .as("the longest path kept as it is").hasSize(Checkpoint.MAX_STREAM_LENGTH);
    }
}

package io.assetetl.sources.csv;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.model.Checkpoint;
import java.util.Optional;

/**
 * Where reading a CSV file stood after a batch, as stored in {@code etl_checkpoints}:
 * {@code {"file_sha256": "…", "line": 1200, "offset": 53211, "terminated": true, "encoding": "UTF-8",
 * "delimiter": ","}}.
 *
 * @param fileSha256 SHA-256 (hex) of the file's first {@code offset} bytes: the part already ingested
 * @param line       physical line number of the last line ingested
 * @param offset     byte offset right after the last record ingested
 * @param terminated whether that record ended with a line break (if not, it was the file's unterminated last line
 *                   and an append must start with a line break to be an append)
 * @param encoding   the character encoding the file was read with
 * @param delimiter  the field delimiter the file was read with
 */
record CsvCheckpoint(String fileSha256, long line, long offset, boolean terminated, String encoding,
        String delimiter) {

    private static final ObjectMapper JSON = new ObjectMapper();

    CsvCheckpoint {
        requireNonNull(fileSha256, "fileSha256 is null");
        requireNonNull(encoding, "encoding is null");
        requireNonNull(delimiter, "delimiter is null");
        if (line < 0 || offset < 0) {
            throw new IllegalArgumentException("line and offset must not be negative");
        }
    }

    /** This place as the checkpoint of {@code stream}, the file's ({@link CsvSource#streamOf}). */
    Checkpoint toCheckpoint(String stream) {
        ObjectNode node = JSON.createObjectNode()
                .put("file_sha256", fileSha256)
                .put("line", line)
                .put("offset", offset)
                .put("terminated", terminated)
                .put("encoding", encoding)
                .put("delimiter", delimiter);
        return new Checkpoint(stream, node.toString());
    }

    /** The checkpoint a stored position describes; empty when it is not one of ours (then reading starts over). */
    static Optional<CsvCheckpoint> parse(Checkpoint checkpoint) {
        try {
            JsonNode node = JSON.readTree(checkpoint.position());
            if (node == null || !node.path("file_sha256").isTextual() || !node.path("offset").canConvertToLong()
                    || !node.path("line").canConvertToLong()) {
                return Optional.empty();
            }
            return Optional.of(new CsvCheckpoint(node.get("file_sha256").asText(), node.get("line").asLong(),
                    node.get("offset").asLong(), node.path("terminated").asBoolean(true),
                    node.path("encoding").asText("UTF-8"), node.path("delimiter").asText(",")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package io.assetetl.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetetl.model.Checkpoint;
import io.assetetl.model.Interpretation;
import io.assetetl.model.Observation;
import io.assetetl.model.RawRecord;
import io.assetetl.model.RejectReason;
import io.assetetl.model.Rejection;
import io.assetetl.spi.Batch;
import io.assetetl.spi.Source;
import io.assetetl.spi.SourceConfig;
import io.assetetl.spi.SourceContext;
import io.assetetl.spi.SourceException;
import io.assetetl.spi.SourceFactory;
import io.assetetl.spi.SourceReader;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A complete custom source: a JSON-lines price feed, one object a line such as
 * {@code {"ticker":"BTC","usd":64000.5,"ts":"2024-05-01T00:00:00Z"}}. Type {@code jsonl}, settings {@code path}
 * and {@code batch_size}; checkpoint {@code {"line":N,"first":"<hash of the first line>"}}, so that lines appended
 * are read from where the last run ended and a file replaced by another is read afresh. A record's key is the hash
 * of its line: equal lines are one input, different lines never share a key. Registered in META-INF/services.
 */
public final class JsonLinesSourceFactory implements SourceFactory {

    /** Numbers as written: through a double, 1234567890.123456789 lost digits and 1e400 became infinite. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Override
    public String type() {
        return "jsonl";
    }

    @Override
    public Source create(String name, SourceConfig config, SourceContext context) {
        Path path = Path.of(config.require("path"));
        int batchSize = config.getInt("batch_size", 1000);
        return new Source() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public SourceReader open(Optional<Checkpoint> checkpoint) {
                try {
                    String first;
                    try (BufferedInputStream head = new BufferedInputStream(Files.newInputStream(path))) {
                        byte[] line = readLine(head);
                        first = hash(line == null ? "null".getBytes(StandardCharsets.UTF_8) : line);
                    }
                    long skip = checkpoint.map(c -> parse(c.position()))
                            .filter(position -> position.path("first").asText().equals(first))
                            .map(position -> position.path("line").asLong()).orElse(0L);
                    BufferedInputStream lines = new BufferedInputStream(Files.newInputStream(path));
                    return new SourceReader() {
                        long lineNo;

                        @Override
                        public Optional<Batch> next() {
                            List<Interpretation> records = new ArrayList<>();
                            try {
                                for (byte[] line; records.size() < batchSize && (line = readLine(lines)) != null; ) {
                                    if (++lineNo > skip) {
                                        raw(line).map(r -> interpret(r)).ifPresent(records::add);
                                    }
                                }
                            } catch (IOException e) {
                                throw new SourceException("cannot read " + path + ": " + e.getMessage(), e);
                            }
                            return records.isEmpty() ? Optional.empty()
                                    : Optional.of(Batch.of(records, Checkpoint.of(JSON.createObjectNode()
                                            .put("line", lineNo).put("first", first).toString())));
                        }

                        @Override
                        public void close() {
                            try {
                                lines.close();
                            } catch (IOException ignored) {
                                // nothing left to release
                            }
                        }
                    };
                } catch (IOException e) {
                    throw new SourceException("cannot open " + path + ": " + e.getMessage(), e);
                }
            }

            /**
             * A line's raw record, keyed by the hash of its bytes; none for a blank line. A line that is not UTF-8
             * keeps its text with U+FFFD for the bytes that are not, and says so: it is rejected, when read and when
             * replayed, rather than loaded with a symbol its source never wrote.
             */
            private Optional<RawRecord> raw(byte[] line) {
                ObjectNode payload = JSON.createObjectNode();
                try {
                    payload.put("line", StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString());
                } catch (CharacterCodingException e) {
                    payload.put("line", new String(line, StandardCharsets.UTF_8)).put("not_utf8", true);
                }
                return payload.path("line").asText().isBlank() ? Optional.empty()
                        : Optional.of(new RawRecord.Keyed(hash(line), payload.toString()));
            }

            @Override
            public Interpretation interpret(RawRecord raw) {
                JsonNode line = parse(raw.payload());
                if (line.path("not_utf8").asBoolean()) {
                    return Rejection.of(RejectReason.UNPARSEABLE_ROW, "line is not UTF-8", raw);
                }
                JsonNode row = parse(line.path("line").asText());
                if (row == null || !row.isObject()) {
                    return Rejection.of(RejectReason.UNPARSEABLE_ROW, "line is not a JSON object", raw);
                }
                if (!row.path("ticker").isTextual()) {
                    // a blank ticker goes to the engine, which rejects it as missing_symbol too
                    return Rejection.of(RejectReason.MISSING_SYMBOL, "ticker must be a string", raw);
                }
                if (!row.path("usd").isNumber()) {
                    return Rejection.of(RejectReason.INVALID_PRICE, "usd must be a number", raw);
                }
                try {
                    // read as written (the mapper keeps decimals): the engine rejects a price that is not positive
                    // or beyond any asset's
                    return new Observation(row.get("ticker").asText(), null, null, row.get("usd").decimalValue(),
                            null, null, Instant.parse(row.path("ts").asText()), raw);
                } catch (java.time.format.DateTimeParseException e) {
                    return Rejection.of(RejectReason.INVALID_TIMESTAMP, "ts is not an ISO instant", raw);
                }
            }
        };
    }

    /**
     * The next line's bytes, without its line break ({@code \n}, {@code \r} or {@code \r\n}, as
     * {@link java.io.BufferedReader#readLine} reads them); {@code null} at the end. Read as bytes, not text: a byte
     * that is not UTF-8 spoils its own line, not the read.
     */
    private static byte[] readLine(BufferedInputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n' && b != '\r') {
            line.write(b);
        }
        if (b == '\r') {
            in.mark(1);
            if (in.read() != '\n') {
                in.reset();
            }
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /** SHA-256 of a line's bytes, in hex. */
    private static String hash(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}

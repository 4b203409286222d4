package io.assetetl.service.api;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.util.RawValue;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code GET /data} as it is written: {@link DataResponse} whose assets arrive already rendered as JSON objects of
 * the {@link AssetSummary} shape, and are copied into the body as they are, already encoded as UTF-8.
 *
 * @param data the assets, a JSON array: text, or a {@link SerializableString} such as {@link #array} gives
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RenderedDataResponse(RawValue data, DataResponse.Pagination pagination, Meta meta) {

    private static final byte[] DATA_FIELD = "{\"data\":".getBytes(StandardCharsets.US_ASCII);

    public RenderedDataResponse {
        requireNonNull(data, "data is null");
        if (!(data.rawValue() instanceof SerializableString) && !(data.rawValue() instanceof String)) {
            throw new IllegalArgumentException("data must be JSON text, not " + data.rawValue().getClass());
        }
    }

    /** What follows the assets in a body: written by Jackson as the same fields of this response are. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Tail(DataResponse.Pagination pagination, Meta meta) {
    }

    /**
     * The body as it is sent, the same bytes as {@code writer.writeValueAsBytes(this)} of an {@link ObjectWriter}
     * for this type: the assets as they are kept, after the object's opening and before its tail, which alone goes
     * through Jackson. Written whole by Jackson, each request copied the page into a chain of growing buffers and
     * then out of them into an array: for a page of 50 assets, 26 of the 68 KB {@code GET /data} allocated per
     * request.
     *
     * @param tailWriter an {@link ObjectWriter} for {@link Tail}
     */
    public Body body(ObjectWriter tailWriter) throws JsonProcessingException {
        return new Body(utf8(data), tailWriter.writeValueAsBytes(new Tail(pagination, meta)));
    }

    /** A body of known length: {@code {"data":}, the assets, then the tail's fields (if any) and closing brace. */
    public static final class Body implements StreamingOutput {
        private final byte[] assets;
        private final byte[] tail;

        private Body(byte[] assets, byte[] tail) {
            this.assets = assets;
            this.tail = tail;
        }

        /** How many bytes {@link #write} writes. */
        public int length() {
            return DATA_FIELD.length + assets.length + (tailHasFields() ? tail.length : tail.length - 1);
        }

        @Override
        public void write(OutputStream out) throws IOException {
            out.write(DATA_FIELD);
            out.write(assets);
            if (tailHasFields()) {
                out.write(',');
            }
            out.write(tail, 1, tail.length - 1);
        }

        /** Whether the tail is more than {@code {}} (a writer may leave out null fields). */
        private boolean tailHasFields() {
            return tail.length > 2;
        }
    }

    /** @param items JSON objects, one per asset */
    public static RenderedDataResponse of(List<String> items, DataResponse.Pagination pagination, Meta meta) {
        return new RenderedDataResponse(array(items), pagination, meta);
    }

    /** The JSON array of {@code items}, encoded to UTF-8 now, once, for as many responses as carry it. */
    public static RawValue array(List<String> items) {
        return new RawValue(new Utf8Json("[" + String.join(",", items) + "]"));
    }

    /** How many bytes {@code data} takes in a body (and about as many again in memory, as text). */
    public static int encodedLength(RawValue data) {
        return utf8(data).length;
    }

    /** The bytes of {@code data} in a body: those {@link #array} encoded once, else its text encoded now. */
    private static byte[] utf8(RawValue data) {
        return data.rawValue() instanceof SerializableString json ? json.asUnquotedUTF8()
                : String.valueOf(data.rawValue()).getBytes(StandardCharsets.UTF_8);
    }
}

package io.assetetl.service.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * JSON text encoded to UTF-8 once, by the JDK, which a Jackson generator copies into its output as it is (through
 * {@link com.fasterxml.jackson.databind.util.RawValue}). A raw {@code String} is instead re-encoded by the generator
 * a character at a time, which cost a third of {@code /data}'s time under load. The quoted forms, which a raw value
 * never uses, come from a {@link SerializedString} of the same text.
 */
final class Utf8Json implements SerializableString {

    private final SerializedString text;
    private final byte[] utf8;

    Utf8Json(String json) {
        this.text = new SerializedString(json);
        this.utf8 = json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String getValue() {
        return text.getValue();
    }

    @Override
    public int charLength() {
        return text.charLength();
    }

    @Override
    public char[] asQuotedChars() {
        return text.asQuotedChars();
    }

    /** The encoded text itself, as {@link SerializedString} hands out its own; callers only read it. */
    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
        return text.asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return text.appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return text.appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return text.appendUnquoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return text.writeQuotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
        return text.putQuotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) throws IOException {
        if (utf8.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(utf8);
        return utf8.length;
    }

    @Override
    public String toString() {
        return text.getValue();
    }
}

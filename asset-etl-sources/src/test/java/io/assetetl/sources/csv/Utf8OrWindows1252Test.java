package io.assetetl.sources.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8OrWindows1252Test {

    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static byte[] mixed() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Café 🚀 €;".getBytes(StandardCharsets.UTF_8));
        out.writeBytes("Monéro – 5 €;".getBytes(CP1252));
        out.writeBytes("Ω".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void readsUtf8AsUtf8AndEveryOtherByteAsWindows1252() {
        assertThat(new String(mixed(), Utf8OrWindows1252.INSTANCE)).isEqualTo("Café 🚀 €;Monéro – 5 €;Ω");
        assertThat(new String(new byte[] {'a', (byte) 0x81, 'b', (byte) 0x9D}, Utf8OrWindows1252.INSTANCE))
                .as("bytes Windows-1252 leaves undefined").isEqualTo("a\uFFFDb\uFFFD");
        String windows1252 = "Ünïcödé ÀÉÎÕÜ àéîõü ßæø œŒ šŠ ž „“” ‰ ™ ¼½¾";
        assertThat(new String(windows1252.getBytes(CP1252), Utf8OrWindows1252.INSTANCE)).isEqualTo(windows1252);
    }

    @Test
    void readsTheSameTextWhateverTheBuffersTheBytesArriveIn() {
        byte[] bytes = mixed();
        for (int inSize = 1; inSize <= 5; inSize++) {
            // two characters at least: a character beyond the Basic Multilingual Plane is two
            for (int outSize = 2; outSize <= 4; outSize++) {
                assertThat(decodeInPieces(bytes, inSize, outSize)).as("%d bytes in, %d chars out", inSize, outSize)
                        .isEqualTo("Café 🚀 €;Monéro – 5 €;Ω");
            }
        }
    }

    private static String decodeInPieces(byte[] bytes, int inSize, int outSize) {
        CharsetDecoder decoder = Utf8OrWindows1252.INSTANCE.newDecoder();
        ByteBuffer in = ByteBuffer.allocate(bytes.length);
        in.flip();
        CharBuffer out = CharBuffer.allocate(outSize);
        StringBuilder text = new StringBuilder();
        int fed = 0;
        CoderResult result = CoderResult.UNDERFLOW;
        while (fed < bytes.length || !result.isUnderflow()) {
            if (result.isUnderflow()) {
                // the decoder wants more: give it the next piece, after what it left unread
                in.compact();
                int n = Math.min(inSize, bytes.length - fed);
                in.put(bytes, fed, n);
                fed += n;
                in.flip();
            }
            result = decoder.decode(in, out, fed == bytes.length);
            text.append(out.flip());
            out.clear();
        }
        decoder.flush(out);
        return text.append(out.flip()).toString();
    }

    @Test
    void readsUtf8ItsNameAndUtf8AlikeAndDecodesOnly() {
        assertThat(Utf8OrWindows1252.readsAlike("UTF-8", Utf8OrWindows1252.INSTANCE)).isTrue();
        assertThat(Utf8OrWindows1252.readsAlike(Utf8OrWindows1252.NAME, StandardCharsets.UTF_8)).isTrue();
        assertThat(Utf8OrWindows1252.readsAlike("UTF-8", StandardCharsets.UTF_8)).isTrue();
        assertThat(Utf8OrWindows1252.readsAlike("windows-1252", Utf8OrWindows1252.INSTANCE))
                .as("a file read as Windows-1252 throughout read its UTF-8 lines otherwise").isFalse();
        assertThat(Utf8OrWindows1252.INSTANCE.canEncode()).isFalse();
        assertThatThrownBy(Utf8OrWindows1252.INSTANCE::newEncoder).isInstanceOf(UnsupportedOperationException.class);
    }
}

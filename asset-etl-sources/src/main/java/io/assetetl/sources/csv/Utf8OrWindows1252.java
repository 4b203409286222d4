package io.assetetl.sources.csv;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The encoding of a file that is mostly UTF-8 but not all: each byte sequence that is UTF-8 is read as UTF-8, and
 * each byte that is not is read as the Windows-1252 character it stands for ({@code é} for {@code E9}; the five
 * bytes Windows-1252 leaves undefined become U+FFFD). A file saved in Windows-1252 reads as it did when such a file
 * was read as Windows-1252 throughout (its accented letters are not UTF-8), a UTF-8 file reads as UTF-8, and a file
 * that mixes the two, as files appended to by more than one program do, keeps the UTF-8 lines' text as written:
 * the decoding of a byte never depends on the rest of the file, so an append cannot change the text of the lines
 * before it. A multi-byte sequence cut short by the end of the file reads as U+FFFD. Decoding only.
 */
final class Utf8OrWindows1252 extends Charset {

    static final Utf8OrWindows1252 INSTANCE = new Utf8OrWindows1252();

    /** The name written in checkpoints. */
    static final String NAME = "UTF-8+windows-1252";

    private static final char[] WINDOWS_1252 = windows1252();

    private Utf8OrWindows1252() {
        super(NAME, new String[0]);
    }

    /** Each byte's Windows-1252 character; U+FFFD for the five it leaves undefined. */
    private static char[] windows1252() {
        byte[] bytes = new byte[256];
        for (int b = 0; b < 256; b++) {
            bytes[b] = (byte) b;
        }
        return new String(bytes, Charset.forName("windows-1252")).toCharArray();
    }

    /**
     * Whether text read from the same bytes with one encoding reads the same with the other: true for the same
     * name, and for UTF-8 and this encoding, which read the bytes of a UTF-8 file alike (bytes that are not UTF-8
     * are read with this encoding whichever of the two is named).
     */
    static boolean readsAlike(String encoding, Charset charset) {
        String other = charset.name();
        return encoding.equals(other) || (isUtf8Family(encoding) && isUtf8Family(other));
    }

    private static boolean isUtf8Family(String name) {
        return name.equals(NAME) || name.equals(StandardCharsets.UTF_8.name());
    }

    @Override
    public boolean contains(Charset cs) {
        return cs.equals(this);
    }

    @Override
    public boolean canEncode() {
        return false;
    }

    @Override
    public CharsetDecoder newDecoder() {
        return new Decoder(this);
    }

    @Override
    public CharsetEncoder newEncoder() {
        throw new UnsupportedOperationException(NAME + " is for reading files only");
    }

    private static final class Decoder extends CharsetDecoder {
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

        Decoder(Charset charset) {
            super(charset, 1.0f, 1.0f);
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (true) {
                // never at the end of input here: a sequence cut short at the end of a buffer waits for the rest
                CoderResult result = utf8.decode(in, out, false);
                if (!result.isError()) {
                    return result;
                }
                for (int i = 0; i < result.length(); i++) {
                    if (!out.hasRemaining()) {
                        return CoderResult.OVERFLOW;
                    }
                    out.put(WINDOWS_1252[in.get() & 0xFF]);
                }
            }
        }

        @Override
        protected void implReset() {
            utf8.reset();
        }
    }
}

package io.assetetl.sources.csv;

/**
 * Checks, chunk by chunk, that bytes are well-formed UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF), remembering the offset of the first byte that is not.
 */
final class Utf8Validator {

    private long offset;
    private long firstInvalid = -1;
    private int pending;
    private long sequenceStart;
    private int low = 0x80;
    private int high = 0xBF;

    void update(byte[] bytes, int from, int to) {
        if (firstInvalid >= 0) {
            return;
        }
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (pending == 0) {
                if (b < 0x80) {
                    continue;
                }
                low = 0x80;
                high = 0xBF;
                sequenceStart = offset + i - from;
                if (b >= 0xC2 && b <= 0xDF) {
                    pending = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    pending = 2;
                    if (b == 0xE0) {
                        low = 0xA0;
                    } else if (b == 0xED) {
                        high = 0x9F;
                    }
                } else if (b >= 0xF0 && b <= 0xF4) {
                    pending = 3;
                    if (b == 0xF0) {
                        low = 0x90;
                    } else if (b == 0xF4) {
                        high = 0x8F;
                    }
                } else {
                    firstInvalid = offset + i - from;
                    return;
                }
            } else {
                if (b < low || b > high) {
                    firstInvalid = sequenceStart;
                    return;
                }
                low = 0x80;
                high = 0xBF;
                pending--;
            }
        }
        offset += to - from;
    }

    /** Ends the input: an incomplete sequence at the end is invalid. */
    void finish() {
        if (firstInvalid < 0 && pending > 0) {
            firstInvalid = sequenceStart;
        }
    }

    /** Offset of the first byte of the first malformed sequence, or -1 when all bytes so far were well-formed. */
    long firstInvalid() {
        return firstInvalid;
    }
}

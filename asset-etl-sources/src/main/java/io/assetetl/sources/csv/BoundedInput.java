package io.assetetl.sources.csv;

import java.io.IOException;
import java.io.InputStream;

/** At most a given number of bytes of an input: a file is read as long as it was when scanned. */
final class BoundedInput extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInput(InputStream in, long remaining) {
        this.in = in;
        this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int b = in.read();
        if (b >= 0) {
            remaining--;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n > 0) {
            remaining -= n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

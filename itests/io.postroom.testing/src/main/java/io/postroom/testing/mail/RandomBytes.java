package io.postroom.testing.mail;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/** Streams pseudo-random bytes (xorshift, fast) base64-encoded: attachments of any size in constant memory. */
final class RandomBytes {

    private RandomBytes() {
    }

    /**
     * Writes {@code magic} followed by random bytes, {@code size} bytes in all, as base64 lines of
     * 76 characters, ending with CRLF. Never closes {@code out}.
     */
    static void base64(OutputStream out, byte[] magic, long size, long seed) throws IOException {
        try (OutputStream encoder = Base64.getMimeEncoder().wrap(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        })) {
            write(encoder, magic, size, seed);
        }
        MimeText.crlf(out);
    }

    /** Writes {@code magic} then random bytes, {@code size} bytes in all. */
    static void write(OutputStream out, byte[] magic, long size, long seed) throws IOException {
        int head = (int) Math.min(magic.length, size);
        out.write(magic, 0, head);
        long remaining = size - head;
        byte[] buffer = new byte[8192];
        long state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        while (remaining > 0) {
            int n = (int) Math.min(buffer.length, remaining);
            for (int i = 0; i < n; i += 8) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                long value = state;
                for (int j = i; j < Math.min(i + 8, n); j++) {
                    buffer[j] = (byte) value;
                    value >>>= 8;
                }
            }
            out.write(buffer, 0, n);
            remaining -= n;
        }
    }
}

package io.postroom.mime.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lenient streaming uudecoder (x-uuencode): lines before {@code begin} are skipped, decoding stops at
 * {@code end} or a zero-length line; a body without {@code begin} decodes to nothing and is remembered
 * in {@link #hadErrors()}.
 */
public final class UuDecoder extends FilterInputStream implements LenientDecoder {
    private static final int MAX_LINE = 1024;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    private byte[] decoded = new byte[0];
    private int pos;
    private boolean begun;
    private boolean done;
    private boolean errors;

    public UuDecoder(InputStream encoded) {
        super(encoded);
    }

    @Override
    public boolean hadErrors() {
        return errors;
    }

    @Override
    public int read() throws IOException {
        while (pos >= decoded.length) {
            if (done || !nextLine()) {
                return -1;
            }
        }
        return decoded[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pos >= decoded.length) {
            if (done || !nextLine()) {
                return -1;
            }
        }
        int n = Math.min(len, decoded.length - pos);
        System.arraycopy(decoded, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Reads and decodes one line; false at the end of input. */
    private boolean nextLine() throws IOException {
        line.reset();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.size() < MAX_LINE) {
                line.write(c);
            }
        }
        if (c < 0 && line.size() == 0) {
            if (!begun) {
                errors = true;
            }
            done = true;
            return false;
        }
        byte[] l = line.toByteArray();
        int len = l.length;
        if (len > 0 && l[len - 1] == '\r') {
            len--;
        }
        decoded = new byte[0];
        pos = 0;
        if (!begun) {
            String text = new String(l, 0, Math.min(len, 6), StandardCharsets.ISO_8859_1);
            begun = text.startsWith("begin ");
            return true;
        }
        if (len == 0) {
            return true;
        }
        String start = new String(l, 0, Math.min(len, 3), StandardCharsets.ISO_8859_1);
        if (start.equals("end") && len == 3) {
            done = true;
            return false;
        }
        int count = (l[0] - 32) & 0x3F;
        if (count == 0) {
            done = true;
            return false;
        }
        byte[] out = new byte[count];
        int o = 0;
        for (int i = 1; i + 3 < len + 3 && o < count; i += 4) {
            int c0 = value(l, i, len);
            int c1 = value(l, i + 1, len);
            int c2 = value(l, i + 2, len);
            int c3 = value(l, i + 3, len);
            int q = c0 << 18 | c1 << 12 | c2 << 6 | c3;
            if (o < count) {
                out[o++] = (byte) (q >> 16);
            }
            if (o < count) {
                out[o++] = (byte) (q >> 8);
            }
            if (o < count) {
                out[o++] = (byte) q;
            }
            if (i + 4 > len) {
                break;
            }
        }
        if (o < count) {
            errors = true;
            byte[] shorter = new byte[o];
            System.arraycopy(out, 0, shorter, 0, o);
            out = shorter;
        }
        decoded = out;
        return true;
    }

    private static int value(byte[] l, int i, int len) {
        return i < len ? (l[i] - 32) & 0x3F : 0;
    }
}

package io.postroom.mime.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

/**
 * Lenient streaming quoted-printable decoder (RFC 2045 §6.7): {@code =XX} in either case, soft line
 * breaks ({@code =} before CRLF or LF, also with white space between), trailing white space on
 * lines removed; a stray {@code =} is kept as it is and remembered in {@link #hadErrors()}.
 */
public final class QuotedPrintableDecoder extends FilterInputStream implements LenientDecoder {
    private static final int MAX_PENDING_SPACE = 4096;
    /** The bytes {@link #decode(byte[], int, int)} must look at: '=', space and tab. */
    private static final boolean[] SPECIAL = new boolean[256];

    /** Hex digit values, -1 for other bytes. */
    private static final byte[] HEX = new byte[256];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = 0; c < 256; c++) {
            int v = EncodedWords.hex((char) c);
            if (v >= 0) {
                HEX[c] = (byte) v;
            }
        }
        SPECIAL['='] = true;
        SPECIAL[' '] = true;
        SPECIAL['\t'] = true;
    }

    private final PushbackInputStream source;
    private final byte[] space = new byte[MAX_PENDING_SPACE];
    private int spaceCount;
    private int spacePos = -1; // >= 0 while pending white space is being emitted
    private boolean errors;

    public QuotedPrintableDecoder(InputStream encoded) {
        this(new PushbackInputStream(encoded, 4));
    }

    private QuotedPrintableDecoder(PushbackInputStream source) {
        super(source);
        this.source = source;
    }

    @Override
    public boolean hadErrors() {
        return errors;
    }

    /**
     * Decodes a whole body held in memory in one pass: exactly the bytes (and {@link #hadErrors()})
     * that reading it through this stream gives, without a method call per byte.
     */
    public static Decoded decode(byte[] data, int offset, int length) {
        byte[] out = new byte[length];
        int o = 0;
        boolean errors = false;
        int i = offset;
        int end = offset + length;
        while (i < end) {
            // most bytes stand for themselves: copy the run up to the next '=', space or tab at once
            int plain = i;
            while (plain < end && !SPECIAL[data[plain] & 0xFF]) {
                plain++;
            }
            if (plain > i) {
                System.arraycopy(data, i, out, o, plain - i);
                o += plain - i;
                i = plain;
                if (i >= end) {
                    break;
                }
            }
            byte b = data[i];
            if (b == ' ' || b == '\t') {
                // white space is dropped at a line end (and at the end); held back at most MAX_PENDING_SPACE at a time
                int j = i + 1;
                while (j < end && (data[j] == ' ' || data[j] == '\t')) {
                    j++;
                }
                int run = j - i;
                int flushed = run / MAX_PENDING_SPACE * MAX_PENDING_SPACE;
                boolean lineEnd = j >= end || data[j] == '\r' || data[j] == '\n';
                int kept = lineEnd ? flushed : run;
                System.arraycopy(data, i, out, o, kept);
                o += kept;
                i = j;
                continue;
            }
            if (b != '=') {
                out[o++] = b;
                i++;
                continue;
            }
            if (i + 1 >= end) {
                break; // "=" at the very end (a cut part): dropped
            }
            int c1 = data[i + 1] & 0xFF;
            if (i + 2 < end && (HEX[c1] | HEX[data[i + 2] & 0xFF]) >= 0) {
                // the common case first: "=XX", and in non-Latin text usually many in a row
                do {
                    out[o++] = (byte) (HEX[data[i + 1] & 0xFF] << 4 | HEX[data[i + 2] & 0xFF]);
                    i += 3;
                } while (i + 2 < end && data[i] == '=' && (HEX[data[i + 1] & 0xFF] | HEX[data[i + 2] & 0xFF]) >= 0);
                continue;
            }
            if (c1 == '\n') {
                i += 2; // soft line break
                continue;
            }
            if (c1 == '\r') {
                i += 2;
                if (i < end && data[i] == '\n') {
                    i++;
                }
                continue;
            }
            if (c1 == ' ' || c1 == '\t') {
                // "=" then white space up to the line end is a soft break too
                int p = i + 1;
                int c2 = c1;
                int skipped = 0;
                while ((c2 == ' ' || c2 == '\t') && skipped < MAX_PENDING_SPACE) {
                    p++;
                    c2 = p < end ? data[p] & 0xFF : -1;
                    skipped++;
                }
                if (c2 < 0) {
                    break;
                }
                if (c2 == '\n') {
                    i = p + 1;
                    continue;
                }
                if (c2 == '\r') {
                    i = p + 1;
                    if (i < end && data[i] == '\n') {
                        i++;
                    }
                    continue;
                }
                errors = true;
                out[o++] = '=';
                out[o++] = (byte) c1; // "=" and one space, like the input (extra spaces collapse)
                i = p;
                continue;
            }
            // "=XX" was taken above: a lone hex digit at the very end is a cut part, anything else a stray "="
            if (i + 2 >= end && HEX[c1] >= 0) {
                break; // "=4" at the very end of a cut part
            }
            errors = true;
            out[o++] = '=';
            i++;
        }
        return new Decoded(o == out.length ? out : java.util.Arrays.copyOf(out, o), errors);
    }

    @Override
    public int read() throws IOException {
        while (true) {
            if (spacePos >= 0) {
                if (spacePos < spaceCount) {
                    return space[spacePos++] & 0xFF;
                }
                spacePos = -1;
                spaceCount = 0;
            }
            int c = source.read();
            if (c == ' ' || c == '\t') {
                // hold white space until we know whether the line ends after it
                space[spaceCount++] = (byte) c;
                if (spaceCount == MAX_PENDING_SPACE) {
                    spacePos = 0;
                }
                continue;
            }
            if (spaceCount > 0) {
                if (c == '\r' || c == '\n' || c < 0) {
                    spaceCount = 0; // trailing white space: dropped
                } else {
                    source.unread(c);
                    spacePos = 0;
                    continue;
                }
            }
            if (c != '=') {
                return c;
            }
            int c1 = source.read();
            if (c1 == '\n') {
                continue; // soft line break
            }
            if (c1 == '\r') {
                int c2 = source.read();
                if (c2 != '\n' && c2 >= 0) {
                    source.unread(c2);
                }
                continue;
            }
            if (c1 == ' ' || c1 == '\t') {
                // "=" then white space up to the line end is a soft break too
                int skipped = 0;
                int c2 = c1;
                while ((c2 == ' ' || c2 == '\t') && skipped < MAX_PENDING_SPACE) {
                    c2 = source.read();
                    skipped++;
                }
                if (c2 == '\n' || c2 < 0) {
                    continue;
                }
                if (c2 == '\r') {
                    int c3 = source.read();
                    if (c3 != '\n' && c3 >= 0) {
                        source.unread(c3);
                    }
                    continue;
                }
                errors = true;
                source.unread(c2);
                space[0] = (byte) c1; // keep "=" and one space, like the input (extra spaces collapse)
                spaceCount = 1;
                spacePos = 0;
                return '=';
            }
            if (c1 < 0) {
                return -1; // "=" at the very end (a cut part): dropped
            }
            int c2 = source.read();
            int h1 = EncodedWords.hex((char) c1);
            int h2 = c2 < 0 ? -1 : EncodedWords.hex((char) c2);
            if (h1 >= 0 && h2 >= 0) {
                return h1 << 4 | h2;
            }
            if (c2 < 0 && h1 >= 0) {
                return -1; // "=4" at the very end of a cut part
            }
            errors = true;
            if (c2 >= 0) {
                source.unread(c2);
            }
            source.unread(c1);
            return '=';
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        while (n < len) {
            int c = read();
            if (c < 0) {
                return n == 0 ? -1 : n;
            }
            b[off + n++] = (byte) c;
            if (n > 0 && source.available() <= 0 && spacePos < 0) {
                break;
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public int available() {
        return 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

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

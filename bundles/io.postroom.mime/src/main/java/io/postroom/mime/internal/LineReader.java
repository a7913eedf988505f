package io.postroom.mime.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream as line segments without ever holding more than one buffer: a line longer than
 * {@link #MAX_SEGMENT} comes in several segments, only the first of which is at a line start.
 * Tracks the absolute position of every segment, so callers measure sizes without counting.
 */
final class LineReader {
    static final int MAX_SEGMENT = 8192;

    private final InputStream in;
    private final byte[] buf = new byte[2 * MAX_SEGMENT + 4];
    private int pos;
    private int limit;
    private long bufferStart; // absolute position of buf[0]
    private boolean eof;
    private boolean lineStart = true;
    private boolean pushedBack;
    private long lines;

    // the current segment
    int start;
    int length;
    int eolLength;
    boolean atLineStart;
    boolean complete;
    long segmentPosition;

    LineReader(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return buf;
    }

    /** Absolute position after the current segment (and its line end). */
    long position() {
        return segmentPosition + length + eolLength;
    }

    /** Line ends read so far, including the current segment's. */
    long lines() {
        return lines;
    }

    /** Whether the current segment is a whole line (it ends with a line end, or the input ends). */
    boolean wholeLine() {
        return atLineStart && complete;
    }

    /** Makes the next {@link #next()} return the current segment again. */
    void pushBack() {
        pushedBack = true;
    }

    /** Reads the next segment; false at the end of input. */
    boolean next() throws IOException {
        if (pushedBack) {
            pushedBack = false;
            return true;
        }
        int scanFrom = pos;
        while (true) {
            int lf = -1;
            int scanTo = Math.min(limit, pos + MAX_SEGMENT + 2);
            for (int i = scanFrom; i < scanTo; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            if (lf >= 0) {
                int contentEnd = lf > pos && buf[lf - 1] == '\r' ? lf - 1 : lf;
                if (contentEnd - pos <= MAX_SEGMENT) {
                    return emit(contentEnd - pos, lf + 1 - contentEnd, true);
                }
            }
            if (limit - pos >= MAX_SEGMENT + 2 || (eof && limit > pos)) {
                int len = Math.min(MAX_SEGMENT, limit - pos);
                if (!eof && len > 0 && buf[pos + len - 1] == '\r') {
                    len--; // never split CR from LF
                }
                return emit(len, 0, false);
            }
            if (eof) {
                return false;
            }
            fill();
            scanFrom = pos; // rescan after compaction: cheap, segments are short
        }
    }

    private boolean emit(int len, int eol, boolean endsLine) {
        start = pos;
        length = len;
        eolLength = eol;
        atLineStart = lineStart;
        segmentPosition = bufferStart + pos;
        pos += len + eol;
        complete = endsLine || eof && pos == limit;
        lineStart = endsLine;
        if (endsLine) {
            lines++;
        }
        return true;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            bufferStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < buf.length) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
                return;
            }
            if (n == 0) {
                continue;
            }
            limit += n;
            if (limit - pos >= MAX_SEGMENT + 2) {
                return;
            }
        }
    }

    /** Whether the current segment starts with the given bytes at offset {@code from}. */
    boolean regionEquals(int from, byte[] bytes) {
        if (from + bytes.length > length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (buf[start + from + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    byte at(int i) {
        return buf[start + i];
    }
}

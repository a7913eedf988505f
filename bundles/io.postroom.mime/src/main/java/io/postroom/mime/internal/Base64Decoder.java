package io.postroom.mime.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Lenient streaming base64 decoder: characters outside the alphabet (line breaks, spaces, junk)
 * are skipped, padding ends a quantum early and decoding goes on after it (concatenated base64
 * bodies), an incomplete last quantum is dropped. Junk is remembered in {@link #hadErrors()}.
 */
public final class Base64Decoder extends FilterInputStream implements LenientDecoder {
    private static final byte[] VALUES = new byte[256];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
        // base64url, seen in the wild
        VALUES['-'] = 62;
        VALUES['_'] = 63;
    }

    private final byte[] in = new byte[8192];
    private final byte[] out = new byte[8192 / 4 * 3 + 3];
    private int outPos;
    private int outLimit;
    private int quantum;
    private int count;
    private boolean eof;
    private boolean errors;

    public Base64Decoder(InputStream encoded) {
        super(encoded);
    }

    /** Decodes a short text (an encoded word). */
    public static LenientDecoder.Decoded decode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 3 / 4 + 3);
        int quantum = 0;
        int count = 0;
        boolean invalid = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int v = c < 256 ? VALUES[c] : -1;
            if (v < 0) {
                if (c == '=') {
                    count = flushQuantum(quantum, count, out);
                    quantum = 0;
                } else if (!Character.isWhitespace(c)) {
                    invalid = true;
                }
                continue;
            }
            quantum = quantum << 6 | v;
            if (++count == 4) {
                out.write(quantum >> 16);
                out.write(quantum >> 8);
                out.write(quantum);
                quantum = 0;
                count = 0;
            }
        }
        if (count == 1) {
            invalid = true;
        }
        flushQuantum(quantum, count, out);
        return new LenientDecoder.Decoded(out.toByteArray(), invalid);
    }

    /**
     * Decodes a whole body held in memory in one pass: exactly the bytes (and errors) that reading
     * it through this stream gives.
     */
    public static LenientDecoder.Decoded decode(byte[] data, int offset, int length) {
        byte[] out = new byte[length / 4 * 3 + 3];
        int o = 0;
        int quantum = 0;
        int count = 0;
        boolean errors = false;
        for (int i = offset, end = offset + length; i < end; i++) {
            int c = data[i] & 0xFF;
            int v = VALUES[c];
            if (v < 0) {
                if (c == '=') {
                    o = flushQuantum(quantum, count, out, o);
                    quantum = 0;
                    count = 0;
                } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                    errors = true;
                }
                continue;
            }
            quantum = quantum << 6 | v;
            if (++count == 4) {
                out[o++] = (byte) (quantum >> 16);
                out[o++] = (byte) (quantum >> 8);
                out[o++] = (byte) quantum;
                quantum = 0;
                count = 0;
            }
        }
        if (count == 1) {
            errors = true;
        }
        o = flushQuantum(quantum, count, out, o);
        return new LenientDecoder.Decoded(java.util.Arrays.copyOf(out, o), errors);
    }

    /** The bytes of an incomplete last quantum (2 or 3 characters), written at {@code o}; the new end. */
    private static int flushQuantum(int quantum, int count, byte[] out, int o) {
        if (count == 2) {
            out[o++] = (byte) (quantum >> 4);
        } else if (count == 3) {
            out[o++] = (byte) (quantum >> 10);
            out[o++] = (byte) (quantum >> 2);
        }
        return o;
    }

    private static int flushQuantum(int quantum, int count, ByteArrayOutputStream out) {
        if (count == 2) {
            out.write(quantum >> 4);
        } else if (count == 3) {
            out.write(quantum >> 10);
            out.write(quantum >> 2);
        }
        return 0;
    }

    @Override
    public boolean hadErrors() {
        return errors;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos >= outLimit) {
            if (eof) {
                return -1;
            }
            fill();
        }
        int n = Math.min(len, outLimit - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    private void fill() throws IOException {
        outPos = 0;
        outLimit = 0;
        int n = super.read(in, 0, in.length);
        if (n < 0) {
            eof = true;
            if (count == 1) {
                errors = true;
            }
            emitPartial();
            return;
        }
        for (int i = 0; i < n; i++) {
            int c = in[i] & 0xFF;
            int v = VALUES[c];
            if (v < 0) {
                if (c == '=') {
                    emitPartial();
                } else if (c != '\r' && c != '\n' && c != ' ' && c != '\t') {
                    errors = true;
                }
                continue;
            }
            quantum = quantum << 6 | v;
            if (++count == 4) {
                out[outLimit++] = (byte) (quantum >> 16);
                out[outLimit++] = (byte) (quantum >> 8);
                out[outLimit++] = (byte) quantum;
                quantum = 0;
                count = 0;
            }
        }
    }

    private void emitPartial() {
        if (count == 2) {
            out[outLimit++] = (byte) (quantum >> 4);
        } else if (count == 3) {
            out[outLimit++] = (byte) (quantum >> 10);
            out[outLimit++] = (byte) (quantum >> 2);
        }
        quantum = 0;
        count = 0;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[4096];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        return outLimit - outPos;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}

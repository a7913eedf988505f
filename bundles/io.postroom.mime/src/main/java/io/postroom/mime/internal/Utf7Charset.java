package io.postroom.mime.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;

/**
 * UTF-7 (RFC 2152) decoding, which the JDK lacks. Only decoding: Postroom never writes UTF-7.
 * Direct characters pass through; {@code +...-} runs are modified base64 of UTF-16 code units;
 * {@code +-} is a plus sign. Bytes above 0x7F are malformed.
 */
public final class Utf7Charset extends Charset {
    public static final Utf7Charset INSTANCE = new Utf7Charset();

    private static final byte[] BASE64 = new byte[128];

    static {
        java.util.Arrays.fill(BASE64, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            BASE64[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Utf7Charset() {
        super("x-postroom-utf-7", new String[0]);
    }

    @Override
    public boolean contains(Charset cs) {
        return false;
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
        throw new UnsupportedOperationException("UTF-7 is only decoded");
    }

    private static final class Decoder extends CharsetDecoder {
        private boolean shifted;
        private boolean justShifted;
        private int bits;
        private int bitCount;

        Decoder(Charset cs) {
            super(cs, 1.0f, 1.0f);
        }

        @Override
        protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
            while (in.hasRemaining()) {
                int b = in.get(in.position()) & 0xFF;
                if (b >= 0x80) {
                    return CoderResult.malformedForLength(1);
                }
                if (shifted) {
                    int value = BASE64[b];
                    if (value >= 0) {
                        bits = (bits << 6) | value;
                        bitCount += 6;
                        justShifted = false;
                        if (bitCount >= 16) {
                            if (!out.hasRemaining()) {
                                // undo: the unit is produced again on the next call
                                bits >>= 6;
                                bitCount -= 6;
                                return CoderResult.OVERFLOW;
                            }
                            bitCount -= 16;
                            out.put((char) ((bits >> bitCount) & 0xFFFF));
                            bits &= (1 << bitCount) - 1;
                        }
                        in.position(in.position() + 1);
                        continue;
                    }
                    // end of the base64 run: "+-" is a plus sign; a "+" followed by anything
                    // else is ill-formed and kept as a plus sign
                    if (justShifted) {
                        if (!out.hasRemaining()) {
                            return CoderResult.OVERFLOW;
                        }
                        out.put('+');
                    }
                    shifted = false;
                    justShifted = false;
                    bits = 0;
                    bitCount = 0;
                    if (b == '-') {
                        in.position(in.position() + 1);
                        continue;
                    }
                }
                if (b == '+') {
                    shifted = true;
                    justShifted = true;
                    bits = 0;
                    bitCount = 0;
                    in.position(in.position() + 1);
                    continue;
                }
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put((char) b);
                in.position(in.position() + 1);
            }
            return CoderResult.UNDERFLOW;
        }

        @Override
        protected CoderResult implFlush(CharBuffer out) {
            if (shifted && justShifted) {
                // a lone '+' at the end: keep it
                if (!out.hasRemaining()) {
                    return CoderResult.OVERFLOW;
                }
                out.put('+');
            }
            shifted = false;
            justShifted = false;
            return CoderResult.UNDERFLOW;
        }

        @Override
        protected void implReset() {
            shifted = false;
            justShifted = false;
            bits = 0;
            bitCount = 0;
        }
    }
}

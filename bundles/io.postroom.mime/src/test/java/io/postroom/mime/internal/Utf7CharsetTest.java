package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.mime.ParseProblem;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 2152 examples and edge cases. */
class Utf7CharsetTest {

    private static String decode(String utf7) {
        return new String(utf7.getBytes(StandardCharsets.US_ASCII), Utf7Charset.INSTANCE);
    }

    @Test
    void rfc2152Examples() {
        assertThat(decode("A+ImIDkQ.")).isEqualTo("A\u2262\u0391.");
        assertThat(decode("Hi Mom -+Jjo--!")).isEqualTo("Hi Mom -\u263A-!");
        assertThat(decode("+ZeVnLIqe-")).isEqualTo("\u65E5\u672C\u8A9E");
        assertThat(decode("Item 3 is +AKM-1.")).isEqualTo("Item 3 is \u00A31.");
    }

    @Test
    void plusMinusIsAPlusAndRunsEndWithoutMinus() {
        assertThat(decode("1 +- 1 = 2")).isEqualTo("1 + 1 = 2");
        assertThat(decode("+AOk.")).isEqualTo("\u00E9.");
        assertThat(decode("+AOk")).isEqualTo("\u00E9");
        assertThat(decode("a + b")).isEqualTo("a + b"); // ill-formed, kept
        assertThat(decode("+2D3cAQ-")).isEqualTo("\uD83D\uDC01"); // a surrogate pair
    }

    @Test
    void eightBitInputIsMalformed() {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        String text = TextDecoder.decode(new byte[] {'a', (byte) 0xE9}, "utf-7", false, problems);
        assertThat(problems).contains(ParseProblem.UNDECODABLE_CHARSET);
        assertThat(text).startsWith("a");
    }

    @Test
    void decodesAcrossSmallBuffers() {
        CharsetDecoder decoder = Utf7Charset.INSTANCE.newDecoder();
        ByteBuffer in = ByteBuffer.wrap("x+ZeVnLIqe-y".getBytes(StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder();
        CharBuffer small = CharBuffer.allocate(1);
        while (true) {
            CoderResult r = decoder.decode(in, small, true);
            small.flip();
            out.append(small);
            small.clear();
            if (r.isUnderflow()) {
                break;
            }
        }
        decoder.flush(small);
        small.flip();
        out.append(small);
        assertThat(out.toString()).isEqualTo("x\u65E5\u672C\u8A9Ey");
    }

    @Test
    void labelsResolveAndEncodingIsRefused() {
        assertThat(Charsets.lookup("unicode-1-1-utf-7")).contains(Utf7Charset.INSTANCE);
        assertThat(Charsets.lookup("UTF-7")).contains(Utf7Charset.INSTANCE);
        assertThat(Utf7Charset.INSTANCE.canEncode()).isFalse();
        assertThatThrownBy(Utf7Charset.INSTANCE::newEncoder).isInstanceOf(UnsupportedOperationException.class);
    }
}

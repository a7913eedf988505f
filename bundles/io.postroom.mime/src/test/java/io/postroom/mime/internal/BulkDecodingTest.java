package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.ParseProblem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one-pass decoders the parser uses on downloaded parts give exactly what the streaming
 * decoders (and the slower, strict charset path) give, including on broken input.
 */
class BulkDecodingTest {
    private static final byte[] QP_ALPHABET = "= \t\r\n\r\nAb4Ff09Zz=3D=\t ".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] B64_ALPHABET = "AZaz09+/=-_ \r\n*\u00e9QQQQ".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void quotedPrintableInOnePassEqualsTheStream() throws IOException {
        Random random = new Random(42);
        for (int n = 0; n < 20_000; n++) {
            byte[] input = randomBytes(random, QP_ALPHABET, random.nextInt(n % 100 == 0 ? 3000 : 40));
            assertSameQuotedPrintable(input);
        }
    }

    @Test
    void quotedPrintableEdgeCases() throws IOException {
        List<String> cases = List.of("", "=", "==", "=4", "=4G", "=G4", "=\r", "=\r\n", "=\n", "= ", "=  \r\nx", "= x",
                "=\t\t\n", "a \r\nb", "a \t", " ", "caf=C3=A9 =\r\nau lait=3d=3D", "1 = 2 =ZZ", "=\r=", "=3",
                "x" + " ".repeat(4096) + "\r\n", " ".repeat(4097), " ".repeat(8192) + "y", "=" + " ".repeat(4100) + "z",
                "=" + " ".repeat(4095) + "\n", "=" + " ".repeat(4096) + "\n", "=" + " ".repeat(4097));
        for (String c : cases) {
            assertSameQuotedPrintable(c.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] longLines = new byte[20_000];
        new Random(3).nextBytes(longLines);
        assertSameQuotedPrintable(longLines);
    }

    @Test
    void base64InOnePassEqualsTheStream() throws IOException {
        Random random = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            byte[] input = randomBytes(random, B64_ALPHABET, random.nextInt(n % 100 == 0 ? 30_000 : 60));
            LenientDecoder.Decoded bulk = Base64Decoder.decode(input, 0, input.length);
            Base64Decoder stream = new Base64Decoder(new ByteArrayInputStream(input));
            byte[] streamed = stream.readAllBytes();
            assertThat(bulk.bytes()).as("base64 of %s", Arrays.toString(input)).isEqualTo(streamed);
            assertThat(bulk.hadErrors()).isEqualTo(stream.hadErrors());
        }
    }

    @Test
    void aSliceOfAnArrayIsDecodedAlone() {
        byte[] data = "xx=41=42yy".getBytes(StandardCharsets.US_ASCII);
        assertThat(QuotedPrintableDecoder.decode(data, 2, 6).bytes()).isEqualTo("AB".getBytes(StandardCharsets.US_ASCII));
        byte[] b64 = "**SGk=**".getBytes(StandardCharsets.US_ASCII);
        LenientDecoder.Decoded d = Base64Decoder.decode(b64, 2, 4);
        assertThat(d.bytes()).isEqualTo("Hi".getBytes(StandardCharsets.US_ASCII));
        assertThat(d.hadErrors()).isFalse();
    }

    @Test
    void theFastStrictDecodeAgreesWithTheStrictDecoder() {
        Random random = new Random(11);
        List<Charset> charsets = List.of(StandardCharsets.UTF_8, Charset.forName("windows-1252"), StandardCharsets.ISO_8859_1,
                Charset.forName("KOI8-U"), Charset.forName("windows-1251"), Charset.forName("ISO-2022-JP"),
                Charset.forName("windows-31j"), Charset.forName("GB18030"), Charset.forName("ISO-8859-7"),
                StandardCharsets.UTF_16, Charset.forName("EUC-KR"));
        List<String> samples = List.of("plain ascii", "café au lait", "Привіт, світе", "日本語のテキスト", "中文文本",
                "Καλημέρα", "mixed ü 日 \uFFFD replacement");
        for (Charset cs : charsets) {
            for (String sample : samples) {
                byte[] good = sample.getBytes(cs);
                for (boolean truncated : new boolean[] {false, true}) {
                    assertSameStrict(good, cs, truncated);
                    for (int cut = 1; cut < Math.min(4, good.length); cut++) {
                        assertSameStrict(Arrays.copyOf(good, good.length - cut), cs, truncated);
                    }
                    for (int k = 0; k < 30; k++) {
                        byte[] broken = good.clone();
                        broken[random.nextInt(broken.length)] = (byte) random.nextInt(256);
                        assertSameStrict(broken, cs, truncated);
                    }
                }
            }
        }
    }

    @Test
    void lineEndsAreNormalisedAndNulRemoved() {
        Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
        assertThat(MessageAssembler.normalise("a\r\nb\rc\nd\r\r\n", problems)).isEqualTo("a\nb\nc\nd\n\n");
        assertThat(problems).isEmpty();
        assertThat(MessageAssembler.normalise("x\r\0\ny\0", problems)).isEqualTo("x\n\ny");
        assertThat(problems).containsExactly(ParseProblem.CONTROL_CHARACTERS);
        assertThat(MessageAssembler.normalise("日本\r\n語", EnumSet.noneOf(ParseProblem.class))).isEqualTo("日本\n語");
    }

    @Test
    void normalisingEqualsTheCharacterLoop() {
        Random random = new Random(5);
        char[] alphabet = {'\r', '\n', '\0', 'a', 'é', '日', ' '};
        for (int n = 0; n < 20_000; n++) {
            char[] c = new char[random.nextInt(30)];
            for (int i = 0; i < c.length; i++) {
                c[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String text = new String(c);
            Set<ParseProblem> expectedProblems = EnumSet.noneOf(ParseProblem.class);
            Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
            assertThat(MessageAssembler.normalise(text, problems)).isEqualTo(normaliseByCharacter(text, expectedProblems));
            assertThat(problems).isEqualTo(expectedProblems);
        }
    }

    @Test
    void normalisingTheBytesEqualsNormalisingTheText() {
        Random random = new Random(7);
        String[] alphabet = {"\r", "\n", "\0", "a", "é", "日", " ", "\uD83D\uDE00"};
        for (Charset cs : List.of(StandardCharsets.UTF_8, Charset.forName("windows-1252"), Charset.forName("Shift_JIS"))) {
            for (int n = 0; n < 5_000; n++) {
                StringBuilder b = new StringBuilder();
                for (int i = random.nextInt(30); i > 0; i--) {
                    String c = alphabet[random.nextInt(alphabet.length)];
                    if (cs.newEncoder().canEncode(c)) {
                        b.append(c);
                    }
                }
                String text = b.toString();
                byte[] bytes = text.getBytes(cs);
                Set<ParseProblem> expectedProblems = EnumSet.noneOf(ParseProblem.class);
                Set<ParseProblem> problems = EnumSet.noneOf(ParseProblem.class);
                int length = MessageAssembler.normaliseBytes(bytes, bytes.length, problems);
                assertThat(new String(bytes, 0, length, cs)).as("%s in %s", text, cs)
                        .isEqualTo(MessageAssembler.normalise(text, expectedProblems));
                assertThat(problems).isEqualTo(expectedProblems);
            }
        }
    }

    @Test
    void trimmingLinesDropsLeadingBlankLinesAndTrailingWhiteSpace() {
        assertThat(MessageAssembler.trimLines(" \n\t\n  Hello\n  world \n\n")).isEqualTo("  Hello\n  world");
        assertThat(MessageAssembler.trimLines("Hello")).isEqualTo("Hello");
        assertThat(MessageAssembler.trimLines(" \n \n")).isEmpty();
        assertThat(MessageAssembler.trimLines("")).isEmpty();
    }

    @Test
    void trimmingTheBytesFirstLeavesTrimLinesNothingToCut() {
        Random random = new Random(11);
        String[] alphabet = {"\n", " ", "\t", "\u000B", "\f", "\u001F", "a", "é", "\u3000"};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                b.append(alphabet[random.nextInt(alphabet.length)]);
            }
            String text = b.toString();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            int start = MessageAssembler.blankLinesBefore(bytes, bytes.length);
            int end = MessageAssembler.whiteSpaceAfter(bytes, start, bytes.length);
            String cut = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            assertThat(MessageAssembler.trimLines(cut)).as("[%s]", text).isEqualTo(MessageAssembler.trimLines(text));
        }
    }

    /** Line ends as it was written first: one character at a time. */
    private static String normaliseByCharacter(String text, Set<ParseProblem> problems) {
        StringBuilder sb = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                sb.append('\n');
                if (i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\0') {
                problems.add(ParseProblem.CONTROL_CHARACTERS);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static void assertSameQuotedPrintable(byte[] input) throws IOException {
        LenientDecoder.Decoded bulk = QuotedPrintableDecoder.decode(input, 0, input.length);
        QuotedPrintableDecoder stream = new QuotedPrintableDecoder(new ByteArrayInputStream(input));
        byte[] streamed = stream.readAllBytes();
        assertThat(bulk.bytes()).as("quoted-printable of [%s]", new String(input, StandardCharsets.ISO_8859_1))
                .isEqualTo(streamed);
        assertThat(bulk.hadErrors()).as("errors of [%s]", new String(input, StandardCharsets.ISO_8859_1))
                .isEqualTo(stream.hadErrors());
    }

    /** The strict decode as it was before the fast path: the charset's decoder reporting every error. */
    private static String reference(byte[] data, Charset cs, boolean allowIncompleteEnd) {
        var decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        var in = java.nio.ByteBuffer.wrap(data);
        var out = java.nio.CharBuffer.allocate(data.length * 4 + 16);
        var result = decoder.decode(in, out, !allowIncompleteEnd);
        if (result.isError()) {
            if (!(allowIncompleteEnd && result.isMalformed() && in.remaining() <= 6
                    && in.position() + result.length() >= in.limit())) {
                return null;
            }
        } else if (!allowIncompleteEnd) {
            decoder.flush(out);
        } else if (in.remaining() > 6) {
            return null;
        }
        out.flip();
        return out.toString();
    }

    private static void assertSameStrict(byte[] data, Charset cs, boolean truncated) {
        assertThat(TextDecoder.strict(data, 0, data.length, cs, truncated))
                .as("%s (truncated %s) of %s", cs, truncated, Arrays.toString(data))
                .isEqualTo(reference(data, cs, truncated));
    }

    private static byte[] randomBytes(Random random, byte[] alphabet, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = random.nextInt(10) == 0 && length > 100
                    ? (random.nextBoolean() ? (byte) ' ' : (byte) '\t') : alphabet[random.nextInt(alphabet.length)];
        }
        if (length > 200 && random.nextInt(4) == 0) {
            int at = random.nextInt(length);
            int run = Math.min(length - at, 4090 + random.nextInt(12));
            Arrays.fill(b, at, at + run, (byte) ' ');
        }
        return b;
    }
}

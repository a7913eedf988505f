package io.postroom.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated hostile mail: every message is stored, flagged, bounded in memory, never thrown. */
class HostileMailTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    private static byte[] crlf(String... lines) {
        return (String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private ParsedMessage parse(byte[] raw) throws IOException {
        return parser.parse(new ByteArrayInputStream(raw));
    }

    private static final String[] HEADERS = {
        "From: Ann <ann@example.com>", "To: bob@example.com", "Subject: hostile", "Date: Mon, 6 Jun 2005 22:21:22 +0200",
        "Message-ID: <hostile@example.com>", "MIME-Version: 1.0"};

    private static byte[] message(String contentType, String... body) {
        String[] lines = Arrays.copyOf(HEADERS, HEADERS.length + 2 + body.length);
        lines[HEADERS.length] = "Content-Type: " + contentType;
        lines[HEADERS.length + 1] = "";
        System.arraycopy(body, 0, lines, HEADERS.length + 2, body.length);
        return crlf(lines);
    }

    @Test
    void boundaryThatNeverAppearsKeepsTheBodyAsText() throws IOException {
        ParsedMessage m = parse(message("multipart/mixed; boundary=\"abc\"",
                "--xyz", "Content-Type: text/plain", "", "hello there", "--xyz--"));
        assertThat(m.problems()).contains(ParseProblem.BROKEN_MIME);
        assertThat(m.structure().mimeType()).isEqualTo("text/plain");
        assertThat(m.text()).contains("hello there");
    }

    @Test
    void missingClosingBoundaryKeepsEveryPart() throws IOException {
        ParsedMessage m = parse(message("multipart/alternative; boundary=b1",
                "--b1", "Content-Type: text/plain; charset=utf-8", "", "plain text",
                "--b1", "Content-Type: text/html; charset=utf-8", "", "<p>html <b>text</b></p>"));
        assertThat(m.problems()).contains(ParseProblem.BROKEN_MIME);
        assertThat(m.structure().parts()).hasSize(2);
        assertThat(m.text()).isEqualTo("plain text");
        assertThat(m.html()).isEqualTo("<p>html <b>text</b></p>");
    }

    @Test
    void outerBoundaryClosesAnUnclosedInnerMultipart() throws IOException {
        ParsedMessage m = parse(message("multipart/mixed; boundary=outer",
                "--outer", "Content-Type: multipart/alternative; boundary=inner", "",
                "--inner", "Content-Type: text/plain", "", "inner text",
                "--outer", "Content-Type: application/pdf; name=a.pdf", "Content-Transfer-Encoding: base64", "", "JVBERi0=",
                "--outer--"));
        assertThat(m.problems()).contains(ParseProblem.BROKEN_MIME);
        assertThat(m.text()).isEqualTo("inner text");
        assertThat(m.attachments()).extracting(AttachmentInfo::fileName).containsExactly("a.pdf");
        assertThat(m.attachments().get(0).partNumber()).isEqualTo("2");
    }

    @Test
    void unknownCharsetIsReadAsUtf8OrWindows1252() throws IOException {
        byte[] utf8 = message("text/plain; charset=x-klingon", "Grüße aus Köln");
        ParsedMessage m = parse(utf8);
        assertThat(m.problems()).contains(ParseProblem.UNKNOWN_CHARSET);
        assertThat(m.text()).isEqualTo("Grüße aus Köln");

        byte[] latin1 = replace(utf8, "Grüße aus Köln", "Grüße aus Köln", StandardCharsets.ISO_8859_1);
        assertThat(parse(latin1).text()).isEqualTo("Grüße aus Köln");
    }

    @Test
    void invalidBytesInTheDeclaredCharsetAreFlagged() throws IOException {
        byte[] raw = message("text/plain; charset=utf-8", "caf\u00e9");
        raw = replace(raw, "caf\u00e9", "caf\u00e9", StandardCharsets.ISO_8859_1);
        ParsedMessage m = parse(raw);
        assertThat(m.problems()).contains(ParseProblem.UNDECODABLE_CHARSET);
        assertThat(m.text()).isEqualTo("caf\uFFFD");
    }

    @Test
    void eightBitSubjectUsesTheMessageCharsetAsFallback() throws IOException {
        byte[] raw = ("From: a@example.com\r\nSubject: Привет, мир\r\nContent-Type: text/plain; charset=koi8-r\r\n"
                + "\r\nтело\r\n").getBytes(Charset.forName("KOI8-R"));
        ParsedMessage m = parse(raw);
        assertThat(m.headers().subject()).isEqualTo("Привет, мир");
        assertThat(m.text()).isEqualTo("тело");
        assertThat(m.problems()).contains(ParseProblem.EIGHT_BIT_HEADER);

        MessageHeaders viaHeaderPath = parser.parseHeaders(Arrays.copyOf(raw, raw.length - 6));
        assertThat(viaHeaderPath.subject()).isEqualTo("Привет, мир");
    }

    @Test
    void missingDateAndMessageIdAreFlaggedAndTheFingerprintIdentifiesTheMessage() throws IOException {
        byte[] raw = crlf("From: a@example.com", "To: b@example.com", "Subject: no ids", "", "body");
        ParsedMessage m = parse(raw);
        assertThat(m.problems()).contains(ParseProblem.MISSING_DATE, ParseProblem.MISSING_MESSAGE_ID);
        assertThat(m.headers().date()).isNull();
        assertThat(m.headers().messageId()).isNull();
        assertThat(parse(raw).fingerprint()).isEqualTo(m.fingerprint());
        // LF line ends and a mbox From_ line do not change it; another header does
        byte[] lf = ("From a@example.com Mon Jun  6 22:21:22 2005\n" + new String(raw, StandardCharsets.UTF_8)
                .replace("\r\n", "\n")).getBytes(StandardCharsets.UTF_8);
        assertThat(parse(lf).fingerprint()).isEqualTo(m.fingerprint());
        assertThat(parser.parseHeaders(Arrays.copyOf(raw, raw.length - 4)).fingerprint()).isEqualTo(m.fingerprint());
        byte[] other = crlf("From: a@example.com", "To: b@example.com", "Subject: no ids!", "", "body");
        assertThat(parse(other).fingerprint()).isNotEqualTo(m.fingerprint());
    }

    @Test
    void nestedMessagesAreAttachmentsWithTheirSubject() throws IOException {
        ParsedMessage m = parse(message("multipart/mixed; boundary=o",
                "--o", "Content-Type: text/plain", "", "see the forwarded message",
                "--o", "Content-Type: message/rfc822", "",
                "From: Carol <carol@example.com>", "Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=",
                "Date: Tue, 7 Jun 2005 10:00:00 +0000", "Message-ID: <inner@example.com>",
                "Content-Type: multipart/mixed; boundary=i", "",
                "--i", "Content-Type: text/plain", "", "inner body",
                "--i", "Content-Type: message/rfc822", "", "Subject: deepest", "", "deepest body",
                "--i--",
                "--o--"));
        assertThat(m.problems()).doesNotContain(ParseProblem.BROKEN_MIME);
        assertThat(m.text()).isEqualTo("see the forwarded message");
        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.partNumber()).isEqualTo("2");
            assertThat(a.subject()).isEqualTo("Grüße");
            assertThat(a.displayName()).isEqualTo("Grüße.eml");
        });
        BodyPart forwarded = m.structure().parts().get(1);
        assertThat(forwarded.message().messageId()).isEqualTo("inner@example.com");
        BodyPart innerBody = forwarded.parts().get(0);
        assertThat(innerBody.partNumber()).isEqualTo("2");
        assertThat(innerBody.parts()).extracting(BodyPart::partNumber).containsExactly("2.1", "2.2");
        assertThat(innerBody.parts().get(1).parts().get(0).partNumber()).isEqualTo("2.2.1");
    }

    @Test
    void hundredLevelsOfNestingNeitherOverflowNorLoseTheMessage() throws IOException {
        byte[] raw = nested(100);
        ParsedMessage m = parse(raw);
        assertThat(m.problems()).contains(ParseProblem.MIME_NESTING_TOO_DEEP);
        assertThat(m.headers().subject()).isEqualTo("hostile");

        ParsedMessage deep = MimeParser.create(ParseOptions.defaults().withMaxDepth(128))
                .parse(new ByteArrayInputStream(raw));
        assertThat(deep.problems()).doesNotContain(ParseProblem.MIME_NESTING_TOO_DEEP);
        assertThat(deep.text()).isEqualTo("deep down");
    }

    @Test
    void tenThousandLevelsOfNestingAreBoundedToo() throws IOException {
        ParsedMessage m = parse(nested(10_000));
        assertThat(m.problems()).contains(ParseProblem.MIME_NESTING_TOO_DEEP);
        assertThat(m.headers().subject()).isEqualTo("hostile");
    }

    private static byte[] nested(int depth) {
        StringBuilder sb = new StringBuilder();
        for (String h : HEADERS) {
            sb.append(h).append("\r\n");
        }
        sb.append("Content-Type: multipart/mixed; boundary=b0\r\n\r\n");
        for (int i = 0; i < depth; i++) {
            sb.append("--b").append(i).append("\r\n");
            sb.append("Content-Type: multipart/mixed; boundary=b").append(i + 1).append("\r\n\r\n");
        }
        sb.append("--b").append(depth).append("\r\nContent-Type: text/plain\r\n\r\ndeep down\r\n");
        for (int i = depth; i >= 0; i--) {
            sb.append("--b").append(i).append("--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void veryLongHeaderLinesAreCut() throws IOException {
        String longSubject = "x".repeat(200_000);
        ParsedMessage m = parse(crlf("From: a@example.com", "Subject: " + longSubject, "", "body"));
        assertThat(m.problems()).contains(ParseProblem.TRUNCATED_HEADER);
        assertThat(m.headers().subject()).hasSize(ParseOptions.DEFAULT_MAX_HEADER_VALUE_CHARS);
        assertThat(m.text()).isEqualTo("body");

        // a header block beyond the limit: the rest is skipped, the body still read
        String junk = "y".repeat(3 << 20);
        ParsedMessage huge = parse(crlf("From: a@example.com", "Subject: first", "X-Junk: " + junk, "", "body"));
        assertThat(huge.problems()).contains(ParseProblem.TRUNCATED_HEADER);
        assertThat(huge.headers().subject()).isEqualTo("first");
        assertThat(huge.text()).isEqualTo("body");
    }

    @Test
    void longTextIsCutAtTheLimitAndFlagged() throws IOException {
        String line = "0123456789".repeat(10) + "\r\n";
        ParsedMessage m = parse(message("text/plain; charset=us-ascii", line.repeat(30_000)));
        assertThat(m.problems()).contains(ParseProblem.TRUNCATED_TEXT);
        // 1 MiB of the part, less the CRs of its line ends
        assertThat(m.text().length()).isBetween(ParseOptions.DEFAULT_MAX_TEXT_BYTES * 98 / 100,
                ParseOptions.DEFAULT_MAX_TEXT_BYTES);

        // one 5 MB line without a line end
        ParsedMessage oneLine = parse(message("text/plain", "z".repeat(5 << 20)));
        assertThat(oneLine.problems()).contains(ParseProblem.TRUNCATED_TEXT);
        assertThat(oneLine.text()).hasSize(ParseOptions.DEFAULT_MAX_TEXT_BYTES);
    }

    @Test
    void nulBytesAreRemovedAndFlagged() throws IOException {
        byte[] raw = crlf("From: a@example.com", "Subject: a\0b", "Content-Type: text/plain", "", "te\0xt", "more");
        ParsedMessage m = parse(raw);
        assertThat(m.problems()).contains(ParseProblem.CONTROL_CHARACTERS);
        assertThat(m.headers().subject()).isEqualTo("ab");
        assertThat(m.text()).isEqualTo("text\nmore");
    }

    @Test
    void emptyAndGarbageInputStillYieldAMessage() throws IOException {
        ParsedMessage empty = parse(new byte[0]);
        assertThat(empty.problems()).contains(ParseProblem.MISSING_FROM, ParseProblem.MISSING_DATE,
                ParseProblem.MISSING_MESSAGE_ID);
        assertThat(empty.text()).isEmpty();

        byte[] garbage = new byte[2 << 20];
        new Random(42).nextBytes(garbage);
        ParsedMessage noise = parse(garbage);
        assertThat(noise).isNotNull();
        assertThat(noise.fingerprint()).matches("[0-9a-f]{64}");
    }

    @Test
    void tooManyPartsAreNotAllListed() throws IOException {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            body.append("--p\r\nContent-Type: application/octet-stream; name=f").append(i).append(".bin\r\n\r\nx\r\n");
        }
        body.append("--p--");
        ParsedMessage m = parse(message("multipart/mixed; boundary=p", body.toString()));
        assertThat(m.problems()).contains(ParseProblem.TOO_MANY_PARTS);
        assertThat(m.attachments()).hasSize(ParseOptions.DEFAULT_MAX_PARTS);
    }

    @Test
    void aFiftyMegabyteAttachmentIsStreamedNotLoaded(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.eml");
        long attachmentBytes = 50L << 20;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            out.write(message("multipart/mixed; boundary=big", "--big", "Content-Type: text/plain; charset=utf-8", "",
                    "see attachment", "--big", "Content-Type: application/octet-stream; name=big.bin",
                    "Content-Disposition: attachment; filename=big.bin", "Content-Transfer-Encoding: base64", ""));
            byte[] chunk = new byte[57 * 1000];
            new Random(7).nextBytes(chunk);
            String encoded = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(chunk);
            byte[] lines = (encoded + "\r\n").getBytes(StandardCharsets.US_ASCII);
            for (long written = 0; written < attachmentBytes; written += chunk.length) {
                out.write(lines);
            }
            out.write(crlf("--big--"));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ParsedMessage m;
        try (InputStream in = Files.newInputStream(file)) {
            m = parser.parse(in);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(m.text()).isEqualTo("see attachment");
        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("big.bin");
            assertThat(a.size()).isGreaterThan(attachmentBytes * 4 / 3);
            assertThat(a.approximateDecodedSize()).isGreaterThan(attachmentBytes);
        });
        // the 67 MB of encoded attachment pass through a small buffer: loosely, far less than its size
        assertThat(allocated).as("bytes allocated while parsing").isLessThan(16L << 20);
    }

    @Test
    void readFailuresAreTheOnlyExceptions() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> parser.parse(failing)).isInstanceOf(IOException.class).hasMessage("connection reset");
    }

    private static byte[] replace(byte[] raw, String find, String replacement, Charset charset) {
        String s = new String(raw, StandardCharsets.UTF_8);
        int at = s.indexOf(find);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(s.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(replacement.getBytes(charset));
        out.writeBytes(s.substring(at + find.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}

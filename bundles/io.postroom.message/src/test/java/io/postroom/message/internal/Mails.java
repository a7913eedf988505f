package io.postroom.message.internal;

import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Raw RFC 5322 messages for tests, with attachments in the transfer encodings a test asks for. */
final class Mails {
    private static final DateTimeFormatter RFC_DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    static final String BOUNDARY = "=-postroom-test-boundary-=";

    private Mails() {
    }

    /**
     * An attachment.
     *
     * @param encoding Content-Transfer-Encoding to write it with: base64, quoted-printable, 7bit, 8bit
     */
    record Attachment(String fileName, String contentType, String encoding, byte[] content) {
    }

    /** A message; multipart/mixed when it has attachments. {@code messageId} without angle brackets, null for none. */
    static byte[] message(String messageId, String from, String subject, Instant date, String inReplyTo, String text,
                          List<Attachment> attachments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeHeader(out, messageId, from, subject, date, inReplyTo, !attachments.isEmpty());
            if (attachments.isEmpty()) {
                ascii(out, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
                out.write(crlf(text).getBytes(StandardCharsets.UTF_8));
                return out.toByteArray();
            }
            ascii(out, "--" + BOUNDARY + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
            out.write(crlf(text).getBytes(StandardCharsets.UTF_8));
            for (Attachment a : attachments) {
                writeAttachmentHeader(out, a.fileName(), a.contentType(), a.encoding());
                try (OutputStream encoder = MimeUtility.encode(new NonClosing(out), a.encoding())) {
                    encoder.write(a.content());
                }
                ascii(out, "\r\n");
            }
            ascii(out, "--" + BOUNDARY + "--\r\n");
            return out.toByteArray();
        } catch (IOException | jakarta.mail.MessagingException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    static void writeHeader(OutputStream out, String messageId, String from, String subject, Instant date, String inReplyTo,
                            boolean multipart) throws IOException {
        StringBuilder h = new StringBuilder();
        h.append("From: ").append(address(from)).append("\r\n");
        h.append("To: Anna Koval <anna@postroom.test>\r\n");
        h.append("Subject: ").append(MimeUtility.encodeText(subject, "UTF-8", "B")).append("\r\n");
        h.append("Date: ").append(RFC_DATE.format(date.atOffset(ZoneOffset.UTC))).append("\r\n");
        if (messageId != null) {
            h.append("Message-ID: <").append(messageId).append(">\r\n");
        }
        if (inReplyTo != null) {
            h.append("In-Reply-To: <").append(inReplyTo).append(">\r\nReferences: <").append(inReplyTo).append(">\r\n");
        }
        h.append("MIME-Version: 1.0\r\n");
        if (multipart) {
            h.append("Content-Type: multipart/mixed; boundary=\"").append(BOUNDARY).append("\"\r\n\r\n");
            h.append("This is a multi-part message in MIME format.\r\n");
        }
        ascii(out, h.toString());
    }

    /** "Name <address>" with the name encoded as RFC 2047 asks when it is not ASCII. */
    static String address(String nameAndAddress) {
        try {
            jakarta.mail.internet.InternetAddress a = new jakarta.mail.internet.InternetAddress(nameAndAddress);
            return a.getPersonal() == null ? a.getAddress()
                    : new jakarta.mail.internet.InternetAddress(a.getAddress(), a.getPersonal(), "UTF-8").toString();
        } catch (jakarta.mail.internet.AddressException | java.io.UnsupportedEncodingException e) {
            throw new IllegalArgumentException(nameAndAddress, e);
        }
    }

    static void writeAttachmentHeader(OutputStream out, String fileName, String contentType, String encoding) throws IOException {
        ascii(out, "--" + BOUNDARY + "\r\nContent-Type: " + contentType + "; name=\"" + fileName + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + fileName + "\"\r\n"
                + "Content-Transfer-Encoding: " + encoding + "\r\n\r\n");
    }

    static void ascii(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /** Lets an encoder flush its last line without closing the message. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}

package io.postroom.testing.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * Deliberately broken or hostile messages that a sync must still accept (store, maybe flag, never
 * drop, never crash, never hang). Each case streams its bytes; each has its own Message-ID
 * ({@code <hostile-NAME@postroom.test>}) except {@link #MISSING_DATE_AND_MESSAGE_ID}.
 *
 * <p>{@link #HUGE_ATTACHMENT} is 50 MB: leave it out of quick loops ({@link #small()}).
 */
public enum HostileMail implements Mail {

    /** The Content-Type boundary is not the one the parts use: no part is found. */
    BROKEN_BOUNDARY {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/mixed; boundary=\"expected-boundary\"");
            line(out, "");
            line(out, "--actual-boundary");
            line(out, "Content-Type: text/plain");
            line(out, "");
            line(out, "This part is behind a boundary the header does not declare.");
            line(out, "--actual-boundary--");
        }
    },

    /** The closing boundary ({@code --b--}) never comes: the message ends inside the last part. */
    MISSING_FINAL_BOUNDARY {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/mixed; boundary=\"b1\"");
            line(out, "");
            line(out, "--b1");
            line(out, "Content-Type: text/plain; charset=us-ascii");
            line(out, "");
            line(out, "First part.");
            line(out, "--b1");
            line(out, "Content-Type: application/octet-stream; name=\"cut.bin\"");
            line(out, "Content-Transfer-Encoding: base64");
            line(out, "");
            line(out, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKiss");
        }
    },

    /** A charset nobody knows, in the body and in an encoded word of the Subject. */
    UNKNOWN_CHARSET {
        @Override
        String subject() {
            return "=?x-klingon-2024?Q?Qapla=27_=F0=9F=96=96?=";
        }

        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: text/plain; charset=\"x-klingon-2024\"");
            header(out, "Content-Transfer-Encoding: 8bit");
            line(out, "");
            out.write("nuqneH \u00e4\u00f6\u00fc \u0436\u0437\u0438\r\n".getBytes(StandardCharsets.UTF_8));
        }
    },

    /** Raw 8-bit bytes in headers (UTF-8 in Subject, Latin-1 in From), no MIME declaration at all. */
    UNDECLARED_8BIT_HEADERS {
        @Override
        void headers(OutputStream out) throws IOException {
            out.write("From: J\u00fcrgen M\u00fcller <juergen@firma.example>\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write("To: \u041e\u043b\u0435\u043d\u0430 <olena@kompaniya.example>\r\n".getBytes(StandardCharsets.UTF_8));
            out.write("Subject: Gr\u00fc\u00dfe aus K\u00f6ln \u2013 \u0437\u0432\u0456\u0442\r\n".getBytes(StandardCharsets.UTF_8));
            date(out);
            messageIdHeader(out);
        }

        @Override
        void body(OutputStream out) throws IOException {
            line(out, "");
            out.write("Sch\u00f6ne Gr\u00fc\u00dfe (Latin-1)\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write("\u0414\u044f\u043a\u0443\u044e (UTF-8)\r\n".getBytes(StandardCharsets.UTF_8));
        }
    },

    /** Neither Date nor Message-ID: the sync must invent a stable identity. */
    MISSING_DATE_AND_MESSAGE_ID {
        @Override
        public String messageId() {
            return null;
        }

        @Override
        void headers(OutputStream out) throws IOException {
            header(out, "From: someone@acme.example");
            header(out, "To: anna@postroom.test");
            header(out, "Subject: no date, no id");
        }

        @Override
        void body(OutputStream out) throws IOException {
            line(out, "");
            line(out, "A message without Date and Message-ID.");
        }
    },

    /** A 50 MB attachment (base64, about 68 MB on the wire), streamed. */
    HUGE_ATTACHMENT {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/mixed; boundary=\"huge\"");
            line(out, "");
            line(out, "--huge");
            line(out, "Content-Type: text/plain; charset=us-ascii");
            line(out, "");
            line(out, "A 50 MB attachment follows.");
            line(out, "--huge");
            line(out, "Content-Type: application/zip; name=\"backup.zip\"");
            line(out, "Content-Disposition: attachment; filename=\"backup.zip\"");
            line(out, "Content-Transfer-Encoding: base64");
            line(out, "");
            RandomBytes.base64(out, new byte[] {'P', 'K', 3, 4}, HUGE_ATTACHMENT_BYTES, 0x50_0573_00L);
            line(out, "--huge--");
        }
    },

    /** Multiparts nested {@value #NESTING_DEPTH} levels deep (recursive parsers overflow their stack). */
    DEEPLY_NESTED_MULTIPARTS {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/mixed; boundary=\"n0\"");
            line(out, "");
            for (int level = 1; level <= NESTING_DEPTH; level++) {
                line(out, "--n" + (level - 1));
                line(out, "Content-Type: multipart/mixed; boundary=\"n" + level + "\"");
                line(out, "");
            }
            line(out, "--n" + NESTING_DEPTH);
            line(out, "Content-Type: text/plain");
            line(out, "");
            line(out, "The bottom.");
            for (int level = NESTING_DEPTH; level >= 0; level--) {
                line(out, "--n" + level + "--");
            }
        }
    },

    /** A 20,000-character header line and a 1 MB body line (RFC 5322 allows 998). */
    VERY_LONG_LINES {
        @Override
        String subject() {
            return "long " + "x".repeat(20_000);
        }

        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: text/plain; charset=us-ascii");
            line(out, "");
            byte[] chunk = "0123456789abcdef".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 64; i++) {
                out.write(chunk);
            }
            line(out, "");
        }
    },

    /** NUL bytes in a header and in the body. */
    NUL_BYTES {
        @Override
        String subject() {
            return "nul\0inside";
        }

        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: text/plain; charset=us-ascii");
            line(out, "");
            out.write(new byte[] {'a', 0, 'b', 0, 0, 'c', '\r', '\n'});
        }
    },

    /** An unknown Content-Transfer-Encoding, base64 with garbage in it, and quoted-printable with bad escapes. */
    GARBAGE_TRANSFER_ENCODING {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/mixed; boundary=\"g\"");
            line(out, "");
            line(out, "--g");
            line(out, "Content-Type: text/plain; charset=utf-8");
            line(out, "Content-Transfer-Encoding: x-rot13-deluxe");
            line(out, "");
            line(out, "Uryyb jbeyq");
            line(out, "--g");
            line(out, "Content-Type: application/pdf; name=\"broken.pdf\"");
            line(out, "Content-Transfer-Encoding: base64");
            line(out, "");
            line(out, "JVBERi0xLjQK!!!not*base64###");
            line(out, "====AAAA=A=");
            line(out, "--g");
            line(out, "Content-Type: text/plain; charset=iso-8859-1");
            line(out, "Content-Transfer-Encoding: quoted-printable");
            line(out, "");
            line(out, "broken =ZZ escape =4 and a soft break at the end=");
            line(out, "--g--");
        }
    },

    /** Only LF line ends (as some scripts send), no CR anywhere. */
    BARE_LF_LINE_ENDS {
        @Override
        void headers(OutputStream out) throws IOException {
            out.write(("From: script@acme.example\nTo: anna@postroom.test\nSubject: LF only\n"
                    + "Date: Mon, 4 Mar 2024 10:00:00 +0000\nMessage-ID: " + messageId() + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        void body(OutputStream out) throws IOException {
            out.write("Content-Type: text/plain\n\nline one\nline two\n".getBytes(StandardCharsets.US_ASCII));
        }
    },

    /** An encoded word that decodes to CR LF and a Bcc header: must never reach an outgoing header. */
    ENCODED_CRLF_IN_SUBJECT {
        @Override
        String subject() {
            return "=?utf-8?q?Invoice=0D=0ABcc:_attacker@evil.example?=";
        }

        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: text/plain; charset=us-ascii");
            line(out, "");
            line(out, "Replying to this must not add a Bcc.");
        }
    },

    /** A multipart Content-Type without a boundary parameter. */
    MULTIPART_WITHOUT_BOUNDARY {
        @Override
        void body(OutputStream out) throws IOException {
            header(out, "Content-Type: multipart/alternative");
            line(out, "");
            line(out, "--");
            line(out, "Content-Type: text/plain");
            line(out, "");
            line(out, "Where does this part end?");
        }
    },

    /** Header fields only: no blank line and no body. */
    HEADERS_ONLY {
        @Override
        void body(OutputStream out) {
            // nothing after the header
        }
    },

    /** Addresses no parser likes: empty group, nested brackets, unbalanced quotes, a comment. */
    MALFORMED_ADDRESSES {
        @Override
        void headers(OutputStream out) throws IOException {
            header(out, "From: \"Unbalanced <<broken@@acme.example>>");
            header(out, "To: undisclosed-recipients:;");
            header(out, "Cc: (comment) <>, ,,, a@b@c.example, \"x\" <y");
            header(out, "Reply-To: <mailto:reply@acme.example>");
            header(out, "Subject: malformed addresses");
            date(out);
            messageIdHeader(out);
        }

        @Override
        void body(OutputStream out) throws IOException {
            line(out, "");
            line(out, "Hello.");
        }
    };

    /** Size of the {@link #HUGE_ATTACHMENT}'s attachment before base64. */
    public static final long HUGE_ATTACHMENT_BYTES = 50L * 1024 * 1024;
    static final int NESTING_DEPTH = 100;

    /** All cases except {@link #HUGE_ATTACHMENT}. */
    public static Set<HostileMail> small() {
        return EnumSet.complementOf(EnumSet.of(HUGE_ATTACHMENT));
    }

    @Override
    public String messageId() {
        return "<hostile-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "@postroom.test>";
    }

    @Override
    public void writeTo(OutputStream target) throws IOException {
        java.io.BufferedOutputStream out = new java.io.BufferedOutputStream(new java.io.FilterOutputStream(target) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        }, 16 * 1024);
        headers(out);
        body(out);
        out.flush();
    }

    /** The common header; cases with odd headers override this. */
    void headers(OutputStream out) throws IOException {
        header(out, "From: Hostile Sender <hostile@acme.example>");
        header(out, "To: Anna Koval <anna@postroom.test>");
        out.write(("Subject: " + subject() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        date(out);
        messageIdHeader(out);
        header(out, "MIME-Version: 1.0");
    }

    String subject() {
        return "hostile: " + name().toLowerCase(java.util.Locale.ROOT);
    }

    abstract void body(OutputStream out) throws IOException;

    void date(OutputStream out) throws IOException {
        header(out, "Date: Mon, 4 Mar 2024 10:00:00 +0000");
    }

    void messageIdHeader(OutputStream out) throws IOException {
        if (messageId() != null) {
            header(out, "Message-ID: " + messageId());
        }
    }

    static void header(OutputStream out, String line) throws IOException {
        line(out, line);
    }

    static void line(OutputStream out, String line) throws IOException {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }
}

package io.postroom.testing.mail;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One message of a {@link MailGenerator}: its facts (cheap) and its bytes ({@link #writeTo},
 * streamed; attachments are never held in memory).
 */
public final class GeneratedMail implements Mail {

    /** The MIME structure of a generated message. */
    public enum Kind {
        /** A single text/plain part. */
        PLAIN,
        /** multipart/alternative: text/plain and text/html (the HTML sometimes multipart/related with an inline image). */
        ALTERNATIVE,
        /** multipart/mixed: the text (plain or alternative) and 1-3 attachments. */
        MIXED
    }

    static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    private final MailGenerator generator;
    private final Plan plan;

    GeneratedMail(MailGenerator generator, Plan plan) {
        this.generator = generator;
        this.plan = plan;
    }

    /** Its position in the generator (0 = oldest). */
    public int index() {
        return plan.index;
    }

    @Override
    public String messageId() {
        return plan.messageId;
    }

    /** The Date header's instant, or null when the message has no Date header. */
    public Instant date() {
        return plan.hasDate ? plan.date : null;
    }

    /** When the server received it (a few minutes after its date): stored as INTERNALDATE. */
    @Override
    public Instant receivedAt() {
        return plan.receivedAt;
    }

    @Override
    public Set<String> flags() {
        return plan.flags;
    }

    /** The subject as a reader sees it (decoded). */
    public String subject() {
        return plan.subject;
    }

    public Person from() {
        return plan.from;
    }

    public List<Person> to() {
        return List.copyOf(plan.to);
    }

    public List<Person> cc() {
        return List.copyOf(plan.cc);
    }

    /** In-Reply-To, or null when it starts a thread. */
    public String inReplyTo() {
        return plan.inReplyTo;
    }

    /** References, oldest first (empty when it starts a thread). */
    public List<String> references() {
        return List.copyOf(plan.references);
    }

    public Kind kind() {
        return plan.kind;
    }

    /** Number of attachments (MIXED only). */
    public int attachmentCount() {
        return plan.attachments.size();
    }

    /** A newsletter (List-Id, List-Unsubscribe, Precedence: bulk). */
    public boolean isNewsletter() {
        return plan.category == 1;
    }

    /** An auto-reply (Auto-Submitted: auto-replied). */
    public boolean isAutoReply() {
        return plan.category == 2;
    }

    @Override
    public void writeTo(OutputStream target) throws IOException {
        BufferedOutputStream out = new BufferedOutputStream(new FilterOutputStream(target) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }
        }, 16 * 1024);
        new Writer(out, new SplittableRandom(plan.bodySeed)).write();
        out.flush();
    }

    @Override
    public String toString() {
        return "GeneratedMail[" + plan.index + ", " + plan.messageId + ", " + plan.kind + ", " + plan.attachments.size()
                + " attachments, seed " + generator.seed() + "]";
    }

    // ------------------------------------------------------------------ plan

    static final class Plan {
        int index;
        long bodySeed;
        Language language;
        String messageId;
        Instant date;
        boolean hasDate;
        String zone;
        Instant receivedAt;
        int category;
        String inReplyTo;
        List<String> references;
        Person parentCorrespondent;
        String subject;
        Person from;
        List<Person> to;
        List<Person> cc;
        Charset headerCharset;
        boolean headerBase64;
        boolean rawUtf8Headers;
        Kind kind;
        int textLength;
        Charset bodyCharset;
        String bodyEncoding;
        boolean htmlInMixed;
        int inlineImage;
        List<Attachment> attachments;
        Set<String> flags;
    }

    record Attachment(String type, String name, byte[] magic, int size, long seed) {

        private static final String[][] TYPES = {
            {"application/pdf", "pdf"}, {"image/png", "png"}, {"image/jpeg", "jpg"}, {"application/zip", "zip"},
            {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"}, {"message/rfc822", "eml"},
        };
        private static final String[] ASCII_NAMES = {"Invoice 2024-03", "report_Q1", "scan0042", "contract-final-v3",
            "photo", "Screenshot 2024-05-02 at 10.15.33", "offer", "presentation"};
        private static final String[] NATIVE_NAMES = {"Übersicht Lieferungen", "Звіт за березень", "スクリーンショット",
            "合同草案", "Facture n°123", "Σύμβαση"};

        static Attachment pick(SplittableRandom random, int size, Language language) {
            int roll = random.nextInt(100);
            int type = roll < 35 ? 0 : roll < 55 ? 1 : roll < 70 ? 2 : roll < 80 ? 3 : roll < 92 ? 4 : 5;
            String base = random.nextInt(100) < 25 && language != Language.ENGLISH
                    ? NATIVE_NAMES[random.nextInt(NATIVE_NAMES.length)]
                    : ASCII_NAMES[random.nextInt(ASCII_NAMES.length)];
            byte[] magic = switch (TYPES[type][1]) {
                case "pdf" -> "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n".getBytes(StandardCharsets.ISO_8859_1);
                case "png" -> new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
                case "jpg" -> new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
                case "zip", "docx" -> new byte[] {'P', 'K', 3, 4};
                default -> new byte[0];
            };
            return new Attachment(TYPES[type][0], base + "." + TYPES[type][1], magic, size, random.nextLong());
        }
    }

    // ------------------------------------------------------------------ writing

    private final class Writer {
        private final OutputStream out;
        private final SplittableRandom random;
        private int boundaries;
        private Charset charset;
        private String encoding;

        Writer(OutputStream out, SplittableRandom random) {
            this.out = out;
            this.random = random;
        }

        void write() throws IOException {
            writeHeaders();
            switch (plan.kind) {
                case PLAIN -> writeTextPart(text(), false, true);
                case ALTERNATIVE -> writeAlternative(text(), true);
                case MIXED -> writeMixed();
            }
        }

        private void writeHeaders() throws IOException {
            String fromDomain = domain(plan.from.address());
            Instant received = plan.receivedAt;
            MimeText.header(out, "Return-Path", "<" + plan.from.address() + ">");
            MimeText.header(out, "Received", "from mail." + fromDomain + " (mail." + fromDomain + " [" + testIp() + "])"
                    + " by mx.postroom.test (Postfix) with ESMTPS id " + Long.toHexString(random.nextLong()).toUpperCase(Locale.ROOT)
                    + " for <" + plan.to.get(0).address() + ">; " + format(received, "+0000"));
            if (random.nextBoolean()) {
                MimeText.header(out, "Received", "from [" + testIp() + "] by mail." + fromDomain + " with ESMTPSA id "
                        + Long.toHexString(random.nextLong()) + "; " + format(received.minusSeconds(1 + random.nextInt(5)), plan.zone));
            }
            MimeText.header(out, "From", address(plan.from));
            MimeText.header(out, "To", addresses(plan.to));
            if (!plan.cc.isEmpty()) {
                MimeText.header(out, "Cc", addresses(plan.cc));
            }
            MimeText.header(out, "Subject", text(plan.subject));
            if (plan.hasDate) {
                MimeText.header(out, "Date", format(plan.date, plan.zone));
            }
            if (plan.messageId != null) {
                MimeText.header(out, "Message-ID", plan.messageId);
            }
            if (plan.inReplyTo != null) {
                MimeText.header(out, "In-Reply-To", plan.inReplyTo);
                MimeText.header(out, "References", String.join(" ", plan.references));
            }
            MimeText.header(out, "MIME-Version", "1.0");
            String[] agents = {"Microsoft Outlook 16.0", "Mozilla Thunderbird 115.8.1", "Apple Mail (2.3774.500.171)", "Roundcube Webmail/1.6.5"};
            MimeText.header(out, random.nextBoolean() ? "X-Mailer" : "User-Agent", agents[random.nextInt(agents.length)]);
            if (plan.category == 1) {
                String listDomain = domain(plan.from.address());
                MimeText.header(out, "List-Id", "News <news." + listDomain + ">");
                MimeText.header(out, "List-Unsubscribe", "<mailto:unsubscribe@" + listDomain + ">, <https://" + listDomain
                        + "/unsubscribe?u=" + Integer.toHexString(plan.index) + ">");
                MimeText.header(out, "List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                MimeText.header(out, "Precedence", "bulk");
            } else if (plan.category == 2) {
                MimeText.header(out, "Auto-Submitted", "auto-replied");
                MimeText.header(out, "X-Auto-Response-Suppress", "All");
            }
        }

        private void writeMixed() throws IOException {
            String boundary = boundary();
            MimeText.header(out, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
            MimeText.crlf(out);
            MimeText.ascii(out, "This is a multi-part message in MIME format.\r\n");
            open(boundary);
            if (plan.htmlInMixed) {
                writeAlternative(text(), false);
            } else {
                writeTextPart(text(), false, false);
            }
            for (Attachment attachment : plan.attachments) {
                open(boundary);
                writeAttachment(attachment);
            }
            close(boundary);
        }

        private void writeAlternative(String text, boolean topLevel) throws IOException {
            String boundary = boundary();
            MimeText.header(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            MimeText.crlf(out);
            if (topLevel) {
                MimeText.ascii(out, "This is a multi-part message in MIME format.\r\n");
            }
            open(boundary);
            writeTextPart(text, false, false);
            open(boundary);
            if (plan.inlineImage > 0) {
                String related = boundary();
                MimeText.header(out, "Content-Type", "multipart/related; boundary=\"" + related + "\"; type=\"text/html\"");
                MimeText.crlf(out);
                open(related);
                String cid = "img" + plan.index + "." + Long.toHexString(random.nextLong()) + "@postroom.test";
                writeTextPart(html(text, cid), true, false);
                open(related);
                MimeText.header(out, "Content-Type", "image/png; name=\"logo.png\"");
                MimeText.header(out, "Content-Disposition", "inline; filename=\"logo.png\"");
                MimeText.header(out, "Content-ID", "<" + cid + ">");
                MimeText.header(out, "Content-Transfer-Encoding", "base64");
                MimeText.crlf(out);
                RandomBytes.base64(out, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, plan.inlineImage, random.nextLong());
                close(related);
            } else {
                writeTextPart(html(text, null), true, false);
            }
            close(boundary);
        }

        private void writeTextPart(String text, boolean html, boolean topLevel) throws IOException {
            Charset charset = charset();
            String encoding = this.encoding;
            if (html && (encoding.equals("7bit") || encoding.equals("8bit")) && !charset.name().equals("ISO-2022-JP")) {
                encoding = "quoted-printable";
            }
            MimeText.header(out, "Content-Type", (html ? "text/html" : "text/plain") + "; charset=\""
                    + charset.name().toLowerCase(Locale.ROOT) + "\"" + (html || random.nextInt(4) > 0 ? "" : "; format=flowed"));
            MimeText.header(out, "Content-Transfer-Encoding", encoding);
            if (!topLevel && random.nextInt(3) == 0) {
                MimeText.header(out, "Content-Language", plan.language.code);
            }
            MimeText.crlf(out);
            byte[] bytes = MimeText.encode(text, charset);
            switch (encoding) {
                case "quoted-printable" -> MimeText.quotedPrintable(bytes, out);
                case "base64" -> MimeText.base64(bytes, out);
                default -> {
                    out.write(bytes);
                    MimeText.crlf(out);
                }
            }
        }

        private void writeAttachment(Attachment attachment) throws IOException {
            String name = attachment.name();
            boolean ascii = MimeText.isAscii(name);
            int style = random.nextInt(3);
            String nameParam;
            String filenameParam;
            if (ascii) {
                nameParam = "name=\"" + name + "\"";
                filenameParam = "filename=\"" + name + "\"";
            } else if (style == 0) {
                String encoded = String.join(" ", MimeText.encodedWords(name, StandardCharsets.UTF_8, true));
                nameParam = "name=\"" + encoded + "\"";
                filenameParam = "filename*=" + MimeText.rfc2231(name);
            } else if (style == 1) {
                nameParam = "name*=" + MimeText.rfc2231(name);
                filenameParam = "filename*=" + MimeText.rfc2231(name);
            } else {
                String encoded = String.join(" ", MimeText.encodedWords(name, StandardCharsets.UTF_8, false));
                nameParam = "name=\"" + encoded + "\"";
                filenameParam = "filename=\"" + encoded + "\"";
            }
            if (attachment.type().equals("message/rfc822")) {
                MimeText.header(out, "Content-Type", "message/rfc822; " + nameParam);
                MimeText.header(out, "Content-Disposition", "attachment; " + filenameParam);
                MimeText.crlf(out);
                writeForwarded(attachment);
                return;
            }
            MimeText.header(out, "Content-Type", attachment.type() + "; " + nameParam);
            MimeText.header(out, "Content-Disposition", "attachment; " + filenameParam + "; size=" + attachment.size());
            MimeText.header(out, "Content-Transfer-Encoding", "base64");
            MimeText.crlf(out);
            RandomBytes.base64(out, attachment.magic(), attachment.size(), attachment.seed());
        }

        /** A small forwarded message (7bit) as the body of a message/rfc822 part. */
        private void writeForwarded(Attachment attachment) throws IOException {
            Person sender = Person.correspondent(Math.floorMod(attachment.seed(), MailGenerator.CORRESPONDENTS));
            MimeText.header(out, "From", MimeText.mailbox(sender, StandardCharsets.UTF_8, true));
            MimeText.header(out, "To", plan.from.address());
            MimeText.header(out, "Subject", "Forwarded: " + Language.ENGLISH.words(random, 4));
            MimeText.header(out, "Date", format(plan.date.minusSeconds(86_400 + random.nextInt(86_400 * 30)), "+0000"));
            MimeText.header(out, "Message-ID", "<fwd." + Long.toHexString(attachment.seed()) + "." + plan.index + "@"
                    + domain(sender.address()) + ">");
            MimeText.header(out, "MIME-Version", "1.0");
            MimeText.header(out, "Content-Type", "text/plain; charset=\"us-ascii\"");
            MimeText.header(out, "Content-Transfer-Encoding", "7bit");
            MimeText.crlf(out);
            String body = Language.ENGLISH.paragraphs(random, Math.max(200, attachment.size() / 10));
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            MimeText.crlf(out);
        }

        /** The declared charset, or UTF-8 when the text has characters the planned one lacks. */
        private Charset charset() {
            return charset;
        }

        private String text() {
            String text = composeText();
            charset = MimeText.canEncode(plan.bodyCharset, text) ? plan.bodyCharset : StandardCharsets.UTF_8;
            encoding = plan.bodyEncoding;
            if (charset != plan.bodyCharset && encoding.equals("7bit")) {
                encoding = "quoted-printable";
            }
            return text;
        }

        private String composeText() {
            StringBuilder text = new StringBuilder();
            Person recipient = plan.to.get(0);
            String greeting = switch (plan.language) {
                case GERMAN -> "Hallo ";
                case FRENCH -> "Bonjour ";
                case UKRAINIAN -> "Добрий день, ";
                case JAPANESE -> "お世話になっております。";
                case CHINESE -> "您好，";
                case GREEK -> "Γεια σας ";
                default -> "Hi ";
            };
            text.append(greeting).append(recipient.name() != null ? recipient.name() : "").append(",\r\n\r\n");
            text.append(plan.language.paragraphs(random, plan.textLength));
            text.append("\r\n\r\n");
            if (plan.inReplyTo != null) {
                text.append("On ").append(format(plan.date.minusSeconds(3600 + random.nextInt(86_400)), "+0000"))
                    .append(", ").append(plan.to.get(0).address()).append(" wrote:\r\n");
                String quoted = plan.language.paragraphs(random, Math.min(2000, plan.textLength / 2 + 100));
                for (String line : quoted.split("\r\n", -1)) {
                    text.append("> ").append(line).append("\r\n");
                }
                text.append("\r\n");
            }
            // signature; "-- " with its trailing space, as mail clients write it
            text.append("-- \r\n").append(plan.from.name() != null ? plan.from.name() : plan.from.address()).append("\r\n")
                .append(domain(plan.from.address())).append("\r\n");
            return text.toString();
        }

        private String html(String text, String inlineCid) {
            StringBuilder html = new StringBuilder("<!DOCTYPE html>\r\n<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=")
                    .append(charset.name().toLowerCase(Locale.ROOT)).append("\">\r\n<style>p{margin:0 0 1em}</style></head>\r\n<body>\r\n");
            if (inlineCid != null) {
                html.append("<img src=\"cid:").append(inlineCid).append("\" alt=\"logo\">\r\n");
            }
            for (String paragraph : text.split("\r\n\r\n")) {
                html.append("<p>").append(MimeText.escapeHtml(paragraph).replace("\r\n", "<br>\r\n")).append("</p>\r\n");
            }
            if (plan.category == 1) {
                String domain = domain(plan.from.address());
                html.append("<p><a href=\"https://").append(domain).append("/offer?utm_source=newsletter\">Read more</a></p>\r\n")
                    .append("<img src=\"https://track.").append(domain).append("/open.gif?m=").append(plan.index)
                    .append("\" width=\"1\" height=\"1\" alt=\"\">\r\n");
            }
            return html.append("</body></html>").toString();
        }

        private String text(String value) {
            if (MimeText.isAscii(value)) {
                return value;
            }
            if (plan.rawUtf8Headers) {
                return value;
            }
            return String.join(" ", MimeText.encodedWords(value, plan.headerCharset, plan.headerBase64));
        }

        private String address(Person person) {
            if (plan.rawUtf8Headers && person.name() != null && !MimeText.isAscii(person.name())) {
                return "\"" + person.name().replace("\"", "\\\"") + "\" <" + person.address() + ">";
            }
            return MimeText.mailbox(person, plan.headerCharset, plan.headerBase64);
        }

        private String addresses(List<Person> people) {
            List<String> parts = new ArrayList<>();
            for (Person person : people) {
                parts.add(address(person));
            }
            return String.join(", ", parts);
        }

        private String boundary() {
            return "----=_Part_" + plan.index + "_" + (boundaries++) + "." + Long.toHexString(random.nextLong());
        }

        private void open(String boundary) throws IOException {
            MimeText.ascii(out, "\r\n--" + boundary + "\r\n");
        }

        private void close(String boundary) throws IOException {
            MimeText.ascii(out, "\r\n--" + boundary + "--\r\n");
        }

        private String testIp() {
            String[] nets = {"192.0.2.", "198.51.100.", "203.0.113."};
            return nets[random.nextInt(nets.length)] + (1 + random.nextInt(254));
        }
    }

    static String format(Instant instant, String zone) {
        return RFC_5322.format(instant.atOffset(ZoneOffset.of(zone)));
    }

    private static String domain(String address) {
        return address.substring(address.indexOf('@') + 1);
    }
}

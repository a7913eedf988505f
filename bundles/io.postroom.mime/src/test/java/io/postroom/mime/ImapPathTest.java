package io.postroom.mime;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sync path (header block + BODYSTRUCTURE + selected parts, as a server sends them) gives the
 * same message as the whole-message path. A GreenMail server gets each corpus message by APPEND;
 * the test then fetches {@code BODYSTRUCTURE BODY.PEEK[HEADER]} and the selected text parts with
 * Angus, exactly as the sync will.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImapPathTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());
    private GreenMail greenMail;
    private Store store;
    private IMAPFolder inbox;

    /**
     * Corpus messages of every shape that GreenMail stores faithfully (it re-parses messages with
     * Jakarta Mail and answers FETCH with nothing for raw UTF-8 header fields, so those are covered
     * by the whole-message tests only; and it reads the first body lines of a part without header
     * fields as header fields, unlike RFC 2046 and Dovecot, so such reports are left out too).
     */
    static Stream<String> messages() {
        return Stream.of(
                "plain_emails/basic_email.eml",
                "plain_emails/raw_email.eml",
                "plain_emails/raw_email_reply.eml",
                "plain_emails/raw_email_quoted_with_0d0a.eml",
                "plain_emails/raw_email_with_partially_quoted_subject.eml",
                "plain_emails/raw_email_with_at_display_name.eml",
                "multi_charset/japanese.eml",
                "multi_charset/japanese_iso_2022.eml",
                "multi_charset/japanese_shift_jis.eml",
                "multi_charset/ks_c_5601-1987.eml",
                "multi_charset/japanese_attachment.eml",
                "multi_charset/japanese_attachment_long_name.eml",
                "attachment_emails/attachment_content_location.eml",
                "error_emails/cant_parse_from.eml",
                "plain_emails/raw_email_trailing_dot.eml",
                "attachment_emails/attachment_content_disposition.eml",
                "attachment_emails/attachment_with_quoted_filename.eml",
                "attachment_emails/attachment_with_base64_encoded_name.eml",
                "attachment_emails/attachment_message_rfc822.eml",
                "attachment_emails/attachment_nonascii_filename.eml",
                "mime_emails/email_with_similar_boundaries.eml",
                "mime_emails/raw_email7.eml",
                "mime_emails/raw_email_with_nested_attachment.eml",
                "mime_emails/raw_email_encoded_stack_level_too_deep.eml",
                "mime_emails/sig_only_email.eml",
                "mime_emails/two_from_in_message.eml",
                "multipart_report_emails/report_422.eml",
                "multipart_report_emails/multi_address_bounce1.eml",
                "rfc2822/example03.eml",
                "rfc2822/example10.eml",
                "rfc2822/example14.eml",
                "error_emails/empty_group_lists.eml",
                "error_emails/multiple_content_types.eml");
    }

    @BeforeAll
    void startServer() throws Exception {
        Path corpus = Corpus.mailGem();
        assertThat(corpus).isDirectory();
        greenMail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        greenMail.setUser("sync@example.com", "sync", "secret");
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "10000");
        store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", greenMail.getImap().getPort(), "sync", "secret");
        inbox = (IMAPFolder) store.getFolder("INBOX");
        inbox.open(Folder.READ_WRITE);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (inbox != null && inbox.isOpen()) {
            inbox.close(false);
        }
        if (store != null) {
            store.close();
        }
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void headerAndStructurePathEqualsWholeMessagePath(String file) throws Exception {
        byte[] raw = Corpus.bytes(file);
        ParsedMessage whole = parser.parse(new ByteArrayInputStream(raw));

        int msgno = append(raw);
        Fetched fetched = fetch(msgno);
        MessageHeaders headers = parser.parseHeaders(fetched.header);
        BodyPart structure = parser.structure(fetched.structure);
        TextSelection selection = parser.selectText(structure);
        Map<String, byte[]> parts = new HashMap<>();
        for (TextPart part : selection.parts()) {
            parts.put(part.partNumber(), fetchPart(msgno, part));
        }
        Map<String, byte[]> asFetched = new HashMap<>();
        parts.forEach((k, v) -> asFetched.put(k, v.clone()));
        ParsedMessage synced = parser.assemble(headers, structure, parts);
        // the parser mends line ends on its own copies: the fetched bytes stay as they came
        assertThat(parts).hasSameSizeAs(asFetched);
        parts.forEach((k, v) -> assertThat(v).as("part %s", k).isEqualTo(asFetched.get(k)));

        MessageHeaders a = whole.headers();
        MessageHeaders b = synced.headers();
        assertThat(b.subject()).isEqualTo(a.subject());
        assertThat(b.from()).isEqualTo(a.from());
        assertThat(b.to()).isEqualTo(a.to());
        assertThat(b.cc()).isEqualTo(a.cc());
        assertThat(b.replyTo()).isEqualTo(a.replyTo());
        assertThat(b.date()).isEqualTo(a.date());
        assertThat(b.messageId()).isEqualTo(a.messageId());
        assertThat(b.inReplyTo()).isEqualTo(a.inReplyTo());
        assertThat(b.references()).isEqualTo(a.references());
        assertThat(synced.normalisedSubject()).isEqualTo(whole.normalisedSubject());
        assertThat(synced.fingerprint()).isEqualTo(whole.fingerprint());
        assertThat(synced.text()).isEqualTo(whole.text());
        assertThat(synced.html()).isEqualTo(whole.html());
        assertThat(synced.hasProblem(ParseProblem.TEXT_PART_MISSING)).isFalse();
        assertThat(summary(synced.attachments())).isEqualTo(summary(whole.attachments()));
        assertThat(partNumbers(structure)).isEqualTo(partNumbers(whole.structure()));
    }

    private static List<String> summary(List<AttachmentInfo> attachments) {
        List<String> list = new ArrayList<>();
        for (AttachmentInfo a : attachments) {
            list.add(a.partNumber() + " " + a.contentType() + " " + a.fileName() + " " + a.contentId() + " "
                    + a.inline() + " " + a.subject());
        }
        return list;
    }

    private static List<String> partNumbers(BodyPart part) {
        List<String> list = new ArrayList<>();
        list.add(part.partNumber() + " " + part.mimeType());
        for (BodyPart child : part.parts()) {
            list.addAll(partNumbers(child));
        }
        return list;
    }

    private record Fetched(byte[] header, BODYSTRUCTURE structure) {
    }

    private int append(byte[] raw) throws Exception {
        inbox.doCommand(p -> {
            ((IMAPProtocol) p).append("INBOX", null, null, new Literal() {
                @Override
                public int size() {
                    return raw.length;
                }

                @Override
                public void writeTo(OutputStream os) throws java.io.IOException {
                    os.write(raw);
                }
            });
            return null;
        });
        return (Integer) inbox.doCommand(p -> {
            ((IMAPProtocol) p).noop();
            return ((IMAPProtocol) p).select("INBOX").total;
        });
    }

    private Fetched fetch(int msgno) throws Exception {
        return (Fetched) inbox.doCommand(p -> {
            Response[] responses = ((IMAPProtocol) p).fetch(msgno, "UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER]");
            byte[] header = null;
            BODYSTRUCTURE structure = null;
            for (Response r : responses) {
                if (r instanceof FetchResponse fr && fr.getNumber() == msgno) {
                    BODY body = fr.getItem(BODY.class);
                    if (body != null) {
                        header = body.getByteArray().getNewBytes();
                    }
                    if (fr.getItem(BODYSTRUCTURE.class) != null) {
                        structure = fr.getItem(BODYSTRUCTURE.class);
                    }
                }
            }
            p.notifyResponseHandlers(responses);
            return new Fetched(header, structure);
        });
    }

    private byte[] fetchPart(int msgno, TextPart part) throws Exception {
        return (byte[]) inbox.doCommand(p -> {
            BODY body = part.truncated()
                    ? ((IMAPProtocol) p).peekBody(msgno, part.partNumber(), 0, (int) part.fetchLimit())
                    : ((IMAPProtocol) p).peekBody(msgno, part.partNumber());
            return body == null ? new byte[0] : body.getByteArray().getNewBytes();
        });
    }
}

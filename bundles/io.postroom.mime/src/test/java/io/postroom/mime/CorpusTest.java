package io.postroom.mime;

import static io.postroom.mime.ParseProblem.BAD_DATE;
import static io.postroom.mime.ParseProblem.BAD_TRANSFER_ENCODING;
import static io.postroom.mime.ParseProblem.BROKEN_MIME;
import static io.postroom.mime.ParseProblem.DUPLICATE_HEADER;
import static io.postroom.mime.ParseProblem.EIGHT_BIT_HEADER;
import static io.postroom.mime.ParseProblem.EIGHT_BIT_TEXT;
import static io.postroom.mime.ParseProblem.MALFORMED_HEADER;
import static io.postroom.mime.ParseProblem.MISSING_DATE;
import static io.postroom.mime.ParseProblem.MISSING_FROM;
import static io.postroom.mime.ParseProblem.MISSING_MESSAGE_ID;
import static io.postroom.mime.ParseProblem.UNDECODABLE_CHARSET;
import static io.postroom.mime.ParseProblem.UNKNOWN_CHARSET;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of the mail-gem corpus is accepted: parsed without exception into a message with
 * headers, structure and fingerprint, broken ones flagged. Charset files decode to their text.
 */
class CorpusTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    /** What the deliberately broken messages must be flagged with (at least). */
    private static final Map<String, Set<ParseProblem>> EXPECTED = Map.ofEntries(
            Map.entry("error_emails/bad_date_header.eml", EnumSet.of(BAD_DATE, MISSING_MESSAGE_ID)),
            Map.entry("error_emails/bad_date_header2.eml", EnumSet.of(BAD_DATE, BROKEN_MIME)),
            Map.entry("error_emails/bad_encoded_subject.eml", EnumSet.of(UNKNOWN_CHARSET, MISSING_FROM, MISSING_DATE,
                    MISSING_MESSAGE_ID)),
            Map.entry("error_emails/bad_subject.eml", EnumSet.of(MISSING_MESSAGE_ID)),
            Map.entry("error_emails/content_transfer_encoding_7-bit.eml", EnumSet.of(BAD_TRANSFER_ENCODING)),
            Map.entry("error_emails/content_transfer_encoding_empty.eml", EnumSet.of(MALFORMED_HEADER, MISSING_DATE,
                    UNDECODABLE_CHARSET)),
            Map.entry("error_emails/content_transfer_encoding_plain.eml", EnumSet.of(BAD_TRANSFER_ENCODING, EIGHT_BIT_TEXT)),
            Map.entry("error_emails/content_transfer_encoding_qp_with_space.eml", EnumSet.of(BAD_TRANSFER_ENCODING)),
            Map.entry("error_emails/content_transfer_encoding_spam.eml", EnumSet.of(BAD_TRANSFER_ENCODING)),
            Map.entry("error_emails/content_transfer_encoding_text-html.eml", EnumSet.of(BAD_TRANSFER_ENCODING,
                    MISSING_MESSAGE_ID)),
            Map.entry("error_emails/content_transfer_encoding_with_8bits.eml", EnumSet.of(BAD_TRANSFER_ENCODING)),
            Map.entry("error_emails/content_transfer_encoding_with_semi_colon.eml", EnumSet.of(BAD_TRANSFER_ENCODING)),
            Map.entry("error_emails/empty_in_reply_to.eml", EnumSet.of(BROKEN_MIME)),
            Map.entry("error_emails/invalid_subject_characters.eml", EnumSet.of(EIGHT_BIT_HEADER, MISSING_DATE)),
            Map.entry("error_emails/missing_body.eml", EnumSet.of(BROKEN_MIME)),
            Map.entry("error_emails/multiple_content_types.eml", EnumSet.of(DUPLICATE_HEADER)),
            Map.entry("error_emails/multiple_invalid_content_dispositions.eml", EnumSet.of(DUPLICATE_HEADER,
                    MALFORMED_HEADER)),
            Map.entry("error_emails/multiple_references_with_one_invalid.eml", EnumSet.of(DUPLICATE_HEADER)),
            Map.entry("error_emails/must_supply_encoding.eml", EnumSet.of(BROKEN_MIME)),
            Map.entry("error_emails/trademark_character_in_subject.eml", EnumSet.of(BAD_DATE)),
            Map.entry("plain_emails/raw_email_bad_time.eml", EnumSet.of(BAD_DATE)),
            Map.entry("plain_emails/raw_email_with_bad_date.eml", EnumSet.of(BAD_DATE)),
            Map.entry("plain_emails/raw_email10.eml", EnumSet.of(UNKNOWN_CHARSET)),
            Map.entry("plain_emails/raw_email5.eml", EnumSet.of(EIGHT_BIT_TEXT)),
            Map.entry("plain_emails/raw_email_incorrect_header.eml", EnumSet.of(MALFORMED_HEADER)),
            Map.entry("plain_emails/raw_email_multiple_from.eml", EnumSet.of(MALFORMED_HEADER)),
            Map.entry("mime_emails/raw_email4.eml", EnumSet.of(BROKEN_MIME)),
            Map.entry("mime_emails/raw_email_with_binary_encoded.eml", EnumSet.of(DUPLICATE_HEADER)),
            Map.entry("rfc2822/example13.eml", EnumSet.of(MALFORMED_HEADER)),
            Map.entry("rfc6532/utf8_headers.eml", EnumSet.of(MISSING_DATE, MISSING_MESSAGE_ID)));

    @TestFactory
    Stream<DynamicTest> everyCorpusMessageIsStoredNeverDropped() {
        Path root = Corpus.mailGem();
        List<Path> files = Corpus.messages();
        assertThat(files).hasSizeGreaterThan(90);
        return files.stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> {
            ParsedMessage message;
            try (InputStream in = Files.newInputStream(file)) {
                message = parser.parse(in);
            }
            assertThat(message).isNotNull();
            assertThat(message.headers()).isNotNull();
            assertThat(message.structure()).isNotNull();
            assertThat(message.text()).isNotNull().doesNotContain("\0").doesNotContain("\r");
            assertThat(message.fingerprint()).matches("[0-9a-f]{64}");
            assertThat(message.normalisedSubject()).isNotNull();
            String relative = root.relativize(file).toString().replace('\\', '/');
            Set<ParseProblem> expected = EXPECTED.get(relative);
            if (expected != null) {
                assertThat(message.problems()).as("problems of %s", relative).containsAll(expected);
            }
            if (relative.startsWith("rfc2822/") && !relative.endsWith("13.eml")) {
                assertThat(message.problems()).as("RFC 2822 examples are valid").doesNotContain(MALFORMED_HEADER,
                        BROKEN_MIME, BAD_DATE);
            }
        }));
    }

    private ParsedMessage parse(String relative) throws IOException {
        try (InputStream in = Files.newInputStream(Corpus.file(relative))) {
            return parser.parse(in);
        }
    }

    @Test
    void japaneseUtf8HeadersAndBase64Body() throws IOException {
        ParsedMessage m = parse("multi_charset/japanese.eml");
        assertThat(m.headers().subject()).isEqualTo("まみむめも");
        assertThat(m.headers().to()).containsExactly(new MailAddress("みける", "raasdnil@gmail.com",
                "=?UTF-8?B?44G/44GR44KL?= <raasdnil@gmail.com>"));
        assertThat(m.text()).startsWith("かきくえこ\n\n-- \nhttp://lindsaar.net/");
    }

    @Test
    void iso2022JpBody() throws IOException {
        assertThat(parse("multi_charset/japanese_iso_2022.eml").text()).isEqualTo("すみません。");
    }

    @Test
    void iso2022JpEncodedWordsAcrossFoldedLines() throws IOException {
        ParsedMessage m = parse("rfc2822/example14.eml");
        assertThat(m.headers().subject()).startsWith("Re: TEST").endsWith(" テストテスト");
        assertThat(m.normalisedSubject()).isEqualTo("test テストテスト");
    }

    @Test
    void shiftJisBody() throws IOException {
        ParsedMessage m = parse("multi_charset/japanese_shift_jis.eml");
        assertThat(m.text()).startsWith("あいうえお\n\nこのメールはテスト用のメールです。");
        assertThat(m.problems()).isEmpty();
    }

    @Test
    void ksc5601BodyIsReadAsWindows949() throws IOException {
        ParsedMessage m = parse("multi_charset/ks_c_5601-1987.eml");
        assertThat(m.text()).isEqualTo("스티해");
        assertThat(m.problems()).isEmpty();
    }

    @Test
    void eucKrEncodedWordSubjectAndBase64Body() throws IOException {
        ParsedMessage m = parse("plain_emails/raw_email.eml");
        assertThat(m.headers().subject()).isEqualTo("NOTE: 한국말로 하는 것");
        assertThat(m.text()).startsWith("대부분의 마찬가지로, 우리는 하나님을 믿습니다.");
    }

    @Test
    void encodedWordsInsideAPartlyEncodedSubject() throws IOException {
        ParsedMessage m = parse("plain_emails/raw_email_with_partially_quoted_subject.eml");
        assertThat(m.headers().subject()).isEqualTo("Re: Test: \"漢字\" mid \"漢字\" tail");
        assertThat(m.normalisedSubject()).isEqualTo("test: \"漢字\" mid \"漢字\" tail");
    }

    @Test
    void undeclared8BitSubjectFallsBackToWindows1252() throws IOException {
        ParsedMessage m = parse("error_emails/invalid_subject_characters.eml");
        assertThat(m.headers().subject())
                .isEqualTo("Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro");
        assertThat(m.headers().from().get(0).name()).isEqualTo("Formação Frenetikpolis");
        assertThat(m.problems()).contains(EIGHT_BIT_HEADER);
    }

    @Test
    void rfc6532Utf8HeadersAreNotAProblem() throws IOException {
        ParsedMessage m = parse("rfc6532/utf8_headers.eml");
        assertThat(m.headers().from()).containsExactly(new MailAddress("Jöhn Doe", "jdöe@mächine.example",
                "\"Jöhn Doe\" <jdöe@mächine.example>"));
        assertThat(m.headers().from().get(0).isValid()).isTrue();
        assertThat(m.headers().subject()).isEqualTo("Säying Hello");
        assertThat(m.problems()).doesNotContain(EIGHT_BIT_HEADER);
    }

    @Test
    void splitBase64EncodedWordsAreJoined() throws IOException {
        ParsedMessage m = parse("error_emails/bad_subject.eml");
        assertThat(m.headers().from().get(0).name()).isEqualTo("MySurvey.com & Carol Adams");
        assertThat(m.headers().subject()).isEqualTo("MySurvey.com:  You have a survey waiting!  91123105");
        assertThat(m.html()).doesNotContain(" src=\"http").contains("data-remote-src=\"http://mailcenterus");
        assertThat(m.remoteImagesBlocked()).isTrue();
    }

    @Test
    void unknownCharsetInEncodedWordStillDecodes() throws IOException {
        ParsedMessage m = parse("error_emails/bad_encoded_subject.eml");
        assertThat(m.headers().subject()).isEqualTo("TEST");
        assertThat(m.headers().rawValues()).containsEntry("subject", "=?NONE?B?VEVTVA=?=");
    }

    @Test
    void attachmentNamesInEveryEncoding() throws IOException {
        assertThat(parse("attachment_emails/attachment_with_quoted_filename.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("Eelanalüüsi päring.jpg");
        assertThat(parse("attachment_emails/attachment_with_base64_encoded_name.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("This is a test.pdf");
        assertThat(parse("attachment_emails/attachment_with_unquoted_name.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("This is a test.txt");
        assertThat(parse("attachment_emails/attachment_nonascii_filename.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("ciële.txt");
        assertThat(parse("attachment_emails/attachment_content_disposition.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("api.rb");
        assertThat(parse("multi_charset/japanese_attachment.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("てすと.txt");
        assertThat(parse("multi_charset/japanese_attachment_long_name.eml").attachments())
                .extracting(AttachmentInfo::fileName).containsExactly("かきくけこかきくけこかきくけこかきくけこかきくけこ.txt");
    }

    @Test
    void enclosedMessageIsAnAttachmentWithItsSubject() throws IOException {
        ParsedMessage m = parse("attachment_emails/attachment_message_rfc822.eml");
        assertThat(m.attachments()).singleElement().satisfies(a -> {
            assertThat(a.contentType()).isEqualTo("message/rfc822");
            assertThat(a.partNumber()).isEqualTo("2");
            assertThat(a.fileName()).isEqualTo("ForwardedMessage.eml");
            assertThat(a.subject()).isEqualTo("Another PDF");
        });
        BodyPart forwarded = m.structure().parts().get(1);
        assertThat(forwarded.message().from()).extracting(MailAddress::address).containsExactly("xxxx@xxxx.com");
        assertThat(forwarded.parts().get(0).parts()).extracting(BodyPart::partNumber).containsExactly("2.1", "2.2");
        assertThat(m.text()).isEqualTo("This is the first part.");
    }

    @Test
    void deliveryReport() throws IOException {
        ParsedMessage m = parse("multipart_report_emails/report_422.eml");
        assertThat(m.headers().autoSubmitted()).isEqualTo("auto-generated (warning-timeout)");
        assertThat(m.text()).contains("THIS IS A WARNING MESSAGE ONLY");
        assertThat(m.attachments()).extracting(AttachmentInfo::contentType)
                .containsExactly("message/delivery-status", "text/rfc822-headers");
        ParsedMessage bounce = parse("mime_emails/raw_email_with_mimepart_without_content_type.eml");
        assertThat(bounce.headers().returnPath()).isEmpty(); // the null reverse-path <>
    }

    @Test
    void obsoleteAndBrokenAddressSyntax() throws IOException {
        assertThat(parse("rfc2822/example10.eml").headers().to()).extracting(MailAddress::address)
                .containsExactly("c@public.example", "joe@example.org", "jdoe@one.test");
        assertThat(parse("rfc2822/example11.eml").headers().to()).extracting(MailAddress::address)
                .containsExactly("mary@example.net", "jdoe@test.example");
        assertThat(parse("rfc2822/example13.eml").headers().messageId()).isEqualTo("1234@local.machine.example");
        assertThat(parse("plain_emails/raw_email_multiple_from.eml").headers().from()).extracting(MailAddress::address)
                .containsExactly("tim@powerupdev.com", "concierge@powerupdev.com");
        assertThat(parse("plain_emails/mix_caps_content_type.eml").headers().from())
                .containsExactly(new MailAddress("Big Bug", "bb@bug.com", "Big Bug bb@bug.com"));
        assertThat(parse("mime_emails/raw_email11.eml").headers().to()).singleElement()
                .satisfies(a -> assertThat(a.isValid()).isFalse()).extracting(MailAddress::address).isEqualTo("matmail");
        assertThat(parse("error_emails/empty_group_lists.eml").headers().to()).isEmpty();
        assertThat(parse("error_emails/multiple_references_with_one_invalid.eml").headers().references())
                .containsExactly("foo@bar.net", "baz@bar.net", "invalid.something@bar.net");
    }

    @Test
    void datesInObsoleteAndBrokenForms() throws IOException {
        assertThat(parse("rfc2822/example12.eml").headers().date()).isEqualTo(Instant.parse("1997-11-21T09:55:06Z"));
        assertThat(parse("rfc2822/example10.eml").headers().date()).isEqualTo(Instant.parse("1969-02-14T03:02:00Z"));
        assertThat(parse("error_emails/bad_date_header2.eml").headers().date()).isNull();
        assertThat(parse("plain_emails/raw_email_bad_time.eml").headers().date()).isNull();
        ParsedMessage guessed = parse("error_emails/trademark_character_in_subject.eml");
        assertThat(guessed.headers().date()).isEqualTo(Instant.parse("2010-10-12T16:21:05Z"));
        assertThat(guessed.headers().rawValues()).containsEntry("date", "Tue, 12 Oct 2010 16:21:05 H0500");
    }

    @Test
    void missingBoundaryParameterIsGuessed() throws IOException {
        ParsedMessage m = parse("error_emails/content_transfer_encoding_qp_with_space.eml");
        assertThat(m.structure().parts()).hasSize(2);
        assertThat(m.text()).startsWith("If you're in need of a good RX site");
        assertThat(m.html()).contains("rel=\"noopener noreferrer nofollow\"");
    }

    @Test
    void lfOnlyMessagesMatchTheirCrlfTwins() throws IOException {
        ParsedMessage crlf = parse("plain_emails/basic_email.eml");
        ParsedMessage lf = parse("plain_emails/basic_email_lf.eml");
        assertThat(lf.text()).isEqualTo(crlf.text());
        assertThat(lf.headers().subject()).isEqualTo(crlf.headers().subject());
        assertThat(lf.fingerprint()).isEqualTo(crlf.fingerprint());
    }
}

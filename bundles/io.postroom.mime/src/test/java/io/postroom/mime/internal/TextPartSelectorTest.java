package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.AttachmentInfo;
import io.postroom.mime.BodyPart;
import io.postroom.mime.EnclosedMessage;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.ParsedMessage;
import io.postroom.mime.TextPart;
import io.postroom.mime.TextSelection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextPartSelectorTest {
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());

    private static BodyPart leaf(String number, String type, String subtype, long size, Map<String, String> params,
                                 String disposition, Map<String, String> dispositionParams, String contentId) {
        return new BodyPart(number, type, subtype, params, disposition, dispositionParams, null, contentId, null, null,
                size, -1, List.of(), null);
    }

    private static BodyPart text(String number, String subtype, long size) {
        return leaf(number, "text", subtype, size, Map.of("charset", "utf-8"), null, Map.of(), null);
    }

    private static BodyPart multi(String number, String subtype, BodyPart... parts) {
        return new BodyPart(number, "multipart", subtype, Map.of(), null, Map.of(), null, null, null, null, -1, -1,
                List.of(parts), null);
    }

    @Test
    void alternativeGivesBothVersionsAndRelatedImagesAreInline() {
        BodyPart root = multi("", "mixed",
                multi("1", "alternative",
                        text("1.1", "plain", 100),
                        multi("1.2", "related",
                                text("1.2.1", "html", 300),
                                leaf("1.2.2", "image", "png", 5000, Map.of("name", "logo.png"), null, Map.of(), "logo@x"))),
                leaf("2", "application", "pdf", 90_000, Map.of(), "attachment", Map.of("filename", "../../etc/report.pdf"),
                        null));
        TextSelection selection = parser.selectText(root);
        assertThat(selection.segments()).singleElement().satisfies(s -> {
            assertThat(s.plain().partNumber()).isEqualTo("1.1");
            assertThat(s.html().partNumber()).isEqualTo("1.2.1");
            assertThat(s.html().fetchItem()).isEqualTo("BODY.PEEK[1.2.1]");
        });
        assertThat(selection.attachments()).extracting(AttachmentInfo::partNumber, AttachmentInfo::fileName,
                        AttachmentInfo::inline)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.2.2", "logo.png", true),
                        org.assertj.core.groups.Tuple.tuple("2", "report.pdf", false));
        assertThat(selection.problems()).isEmpty();
    }

    @Test
    void signedReportAndEnclosedMessages() {
        BodyPart enclosed = new BodyPart("3", "message", "rfc822", Map.of(), null, Map.of(), null, null, null, null,
                2000, 40, List.of(text("3.1", "plain", 100)), new EnclosedMessage("Original", List.of(), null, "id@x"));
        BodyPart root = multi("", "report",
                multi("1", "signed", text("1.1", "plain", 10),
                        leaf("1.2", "application", "pgp-signature", 300, Map.of(), null, Map.of(), null)),
                leaf("2", "message", "delivery-status", 200, Map.of(), null, Map.of(), null),
                enclosed);
        TextSelection selection = parser.selectText(root);
        assertThat(selection.parts()).extracting(TextPart::partNumber).containsExactly("1.1");
        assertThat(selection.attachments()).extracting(AttachmentInfo::partNumber, AttachmentInfo::subject)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1.2", null),
                        org.assertj.core.groups.Tuple.tuple("2", null),
                        org.assertj.core.groups.Tuple.tuple("3", "Original"));
    }

    @Test
    void textFilesAndCalendarInvitationsAreAttachments() {
        BodyPart root = multi("", "mixed",
                multi("1", "alternative", text("1.1", "plain", 10), text("1.2", "html", 20),
                        leaf("1.3", "text", "calendar", 900, Map.of("method", "REQUEST"), null, Map.of(), null)),
                leaf("2", "text", "plain", 50, Map.of("name", "notes.txt"), "inline", Map.of(), null),
                leaf("3", "text", "plain", 50, Map.of(), "attachment", Map.of(), null));
        TextSelection selection = parser.selectText(root);
        assertThat(selection.parts()).extracting(TextPart::partNumber).containsExactly("1.1", "1.2");
        assertThat(selection.attachments()).extracting(AttachmentInfo::partNumber).containsExactly("1.3", "2", "3");
        assertThat(selection.attachments().get(1).displayName()).isEqualTo("notes.txt");
        assertThat(selection.attachments().get(2).displayName()).isEqualTo("part-3.txt");
    }

    @Test
    void longTextIsFetchedPartiallyAndTheTotalIsBounded() {
        long big = 3L << 20;
        BodyPart root = multi("", "mixed", text("1", "plain", big), text("2", "plain", big), text("3", "plain", big),
                text("4", "plain", big), text("5", "plain", big));
        TextSelection selection = parser.selectText(root);
        assertThat(selection.parts()).hasSize(4); // 4 x 1 MiB = the total limit
        assertThat(selection.parts().get(0).fetchItem()).isEqualTo("BODY.PEEK[1]<0.1048576>");
        assertThat(selection.parts().get(0).truncated()).isTrue();
        assertThat(selection.problems()).contains(ParseProblem.TRUNCATED_TEXT);
    }

    @Test
    void assembleFlagsMissingPartsAndCutsOversizedOnes() {
        BodyPart root = multi("", "alternative", text("1", "plain", 10), text("2", "html", 2000));
        MessageHeaders headers = parser.parseHeaders("Subject: Re: hi\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        ParsedMessage missing = parser.assemble(headers, root, Map.of("1", "plain".getBytes(StandardCharsets.US_ASCII)));
        assertThat(missing.problems()).contains(ParseProblem.TEXT_PART_MISSING);
        assertThat(missing.text()).isEqualTo("plain");
        assertThat(missing.html()).isEmpty();
        assertThat(missing.normalisedSubject()).isEqualTo("hi");

        ParsedMessage none = parser.assemble(headers, root, null);
        assertThat(none.text()).isEmpty();
        assertThat(none.problems()).contains(ParseProblem.TEXT_PART_MISSING);
    }

    @Test
    void mixedPlainAndHtmlPartsAreJoinedInOrder() {
        BodyPart root = multi("", "mixed", text("1", "html", 20), text("2", "plain", 20));
        MessageHeaders headers = parser.parseHeaders(new byte[0]);
        ParsedMessage m = parser.assemble(headers, root, Map.of(
                "1", "<p>first</p>".getBytes(StandardCharsets.US_ASCII),
                "2", "second & <last>".getBytes(StandardCharsets.US_ASCII)));
        assertThat(m.text()).isEqualTo("first\n\nsecond & <last>");
        assertThat(m.html()).isEqualTo("<div><p>first</p></div><div style=\"white-space: pre-wrap\">second &amp; &lt;last&gt;</div>");
    }

    @Test
    void flowedTextIsJoined() {
        BodyPart part = leaf("1", "text", "plain", 60, Map.of("charset", "utf-8", "format", "flowed", "delsp", "yes"),
                null, Map.of(), null);
        ParsedMessage m = parser.assemble(parser.parseHeaders(new byte[0]), part,
                Map.of("1", "Hello \r\nworld\r\n> quoted \r\n> text\r\n-- \r\nsig".getBytes(StandardCharsets.US_ASCII)));
        assertThat(m.text()).isEqualTo("Helloworld\n> quotedtext\n-- \nsig");
    }

    @Test
    void fileNamesAreMadeSafe() {
        assertThat(TextPartSelector.safeFileName("C:\\Users\\x\\evil.exe")).isEqualTo("evil.exe");
        assertThat(TextPartSelector.safeFileName("../../.bashrc")).isEqualTo("bashrc");
        assertThat(TextPartSelector.safeFileName("a\r\nb\u202Egpj.exe")).isEqualTo("abgpj.exe");
        assertThat(TextPartSelector.safeFileName("   ")).isNull();
        assertThat(TextPartSelector.safeFileName("x".repeat(300) + ".pdf")).hasSize(255).endsWith(".pdf");
    }
}

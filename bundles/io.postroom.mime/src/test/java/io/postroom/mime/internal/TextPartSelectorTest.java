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
    private static final byte[] HEADER = ("From: bob@example.com\r\nDate: Mon, 4 Mar 2024 10:00:00 +0000\r\n"
            + "Message-ID: <cut@x>\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
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
    void aTextPartOfUnknownSizeIsAlwaysFetchedPartiallyAndCountsAsItsWholeLimit() {
        // a structure without sizes (-1): each part may be of any size, so none is asked whole
        BodyPart root = multi("", "mixed", text("1", "plain", -1), text("2", "plain", -1), text("3", "html", -1),
                text("4", "plain", -1), text("5", "plain", -1), text("6", "plain", 0));
        TextSelection selection = parser.selectText(root);

        assertThat(selection.parts()).extracting(TextPart::fetchItem).containsExactly("BODY.PEEK[1]<0.1048576>",
                "BODY.PEEK[2]<0.1048576>", "BODY.PEEK[3]<0.1048576>", "BODY.PEEK[4]<0.1048576>",
                // an empty part costs nothing and is asked whole
                "BODY.PEEK[6]");
        assertThat(selection.fetchBytes()).as("within maxTotalTextBytes").isEqualTo(4L << 20);
        assertThat(selection.problems()).as("the fifth part is left out").contains(ParseProblem.TRUNCATED_TEXT);
    }

    @Test
    void aSelectionWithinFewerBytesCutsTheLargerPartsAlikeAndKeepsTheSmallOnes() {
        BodyPart root = multi("", "mixed", text("1", "plain", 10_000),
                multi("2", "alternative", text("2.1", "plain", 900_000), text("2.2", "html", 900_000)));
        TextSelection selection = parser.selectText(root);
        assertThat(selection.fetchBytes()).isEqualTo(1_810_000);
        assertThat(selection.within(1_810_000)).as("it fits: the same").isSameAs(selection);

        TextSelection within = selection.within(410_001);

        assertThat(within.parts()).extracting(TextPart::fetchItem)
                .containsExactly("BODY.PEEK[1]", "BODY.PEEK[2.1]<0.200000>", "BODY.PEEK[2.2]<0.200000>");
        assertThat(within.parts()).extracting(TextPart::html).containsExactly(false, false, true);
        assertThat(within.fetchBytes()).isLessThanOrEqualTo(410_001);
        assertThat(within.problems()).containsExactly(ParseProblem.TRUNCATED_TEXT);
        assertThat(within.attachments()).isEqualTo(selection.attachments());
        assertThat(selection.problems()).as("the original unchanged").isEmpty();
        assertThat(selection.within(3).parts()).extracting(TextPart::fetchLimit).containsExactly(1L, 1L, 1L);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> selection.within(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 parts");
    }

    @Test
    void aPartOfUnknownSizeCutByWithinIsFlaggedWhenItComesAsLongAsItsLimit() {
        BodyPart root = multi("", "mixed", text("1", "plain", -1), text("2", "plain", -1));
        TextSelection within = parser.selectText(root).within(20);
        assertThat(within.parts()).extracting(TextPart::fetchItem).containsExactly("BODY.PEEK[1]<0.10>", "BODY.PEEK[2]<0.10>");
        assertThat(within.problems()).as("not known to be cut").isEmpty();
        MessageHeaders headers = parser.parseHeaders(HEADER);

        ParsedMessage m = parser.assemble(headers, root, within, Map.of(
                "1", "short".getBytes(StandardCharsets.US_ASCII), "2", "0123456789".getBytes(StandardCharsets.US_ASCII)));

        assertThat(m.text()).isEqualTo("short\n\n0123456789");
        assertThat(m.problems()).containsExactly(ParseProblem.TRUNCATED_TEXT);
        ParsedMessage whole = parser.assemble(headers, root, within, Map.of(
                "1", "short".getBytes(StandardCharsets.US_ASCII), "2", "012".getBytes(StandardCharsets.US_ASCII)));
        assertThat(whole.problems()).isEmpty();
    }

    @Test
    void assembleWithALoweredSelectionDecodesTheCutTextAsCut() {
        // UTF-8 text and HTML, both cut in the middle of a character
        String plain = "Grüße aus Köln, " + "ä".repeat(50);
        String html = "<p>" + "ö".repeat(60) + "</p>";
        byte[] plainBytes = plain.getBytes(StandardCharsets.UTF_8);
        byte[] htmlBytes = html.getBytes(StandardCharsets.UTF_8);
        BodyPart root = multi("", "alternative", text("1", "plain", plainBytes.length), text("2", "html", htmlBytes.length));
        TextSelection within = parser.selectText(root).within(2 * 41);
        assertThat(within.parts()).extracting(TextPart::fetchLimit).containsExactly(41L, 41L);
        MessageHeaders headers = parser.parseHeaders(HEADER);

        ParsedMessage m = parser.assemble(headers, root, within, Map.of(
                "1", java.util.Arrays.copyOf(plainBytes, 41), "2", java.util.Arrays.copyOf(htmlBytes, 41)));

        assertThat(m.text()).startsWith("Grüße aus Köln, ä").doesNotContain("\uFFFD");
        assertThat(m.html()).startsWith("<p>ööö").doesNotContain("\uFFFD");
        assertThat(m.problems()).as("cut, nothing else").containsExactly(ParseProblem.TRUNCATED_TEXT);
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

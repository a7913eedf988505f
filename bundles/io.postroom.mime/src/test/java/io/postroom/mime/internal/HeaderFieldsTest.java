package io.postroom.mime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.MessageHeaders;
import io.postroom.mime.ParseProblem;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderFieldsTest {

    private static HeaderFields parse(String block) {
        byte[] bytes = block.getBytes(StandardCharsets.UTF_8);
        return HeaderFields.parse(bytes, 0, bytes.length, null, 65536);
    }

    @Test
    void unfoldsAndStopsAtTheBlankLine() {
        HeaderFields fields = parse("Subject: one\r\n two\r\n\tthree\r\nTo: a@b.c\r\n\r\nBody: not a header\r\n");
        assertThat(fields.first("subject")).isEqualTo("one two three");
        assertThat(fields.first("body")).isNull();
        assertThat(fields.problems()).isEmpty();
    }

    @Test
    void mboxLineIsSkippedButAFieldNamedFromIsNot() {
        assertThat(parse("From a@b.c Mon Jun  6 22:21:22 2005\nFrom: x@y.z\n").all("from")).containsExactly("x@y.z");
        assertThat(parse("From  : John <j@x.y>\n").first("from")).isEqualTo("John <j@x.y>");
    }

    @Test
    void brokenLinesAreKeptAndFlagged() {
        HeaderFields fields = parse(" orphan continuation\r\nTo: Mary\r\n__\r\n <m@x.y>\r\nBad Name: v\r\n");
        assertThat(fields.first("to")).isEqualTo("Mary __ <m@x.y>");
        assertThat(fields.first("bad name")).isEqualTo("v");
        assertThat(fields.problems()).containsExactly(ParseProblem.MALFORMED_HEADER);
    }

    @Test
    void typedHeadersForTheAutoresponder() {
        byte[] block = ("From: a@b.c\r\nReturn-Path: <>\r\nAuto-Submitted: auto-replied\r\n"
                + "Precedence: Bulk\r\nList-Id: Friends <friends.example.com>\r\nSender: list@b.c\r\n"
                + "In-Reply-To: <1@x> <2@x>\r\nReferences: <0@x>\r\n <1@x>\r\nReferences: <1@x> <3@x>\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MessageHeaders h = HeaderParser.parse(block, 0, block.length, 65536).headers();
        assertThat(h.returnPath()).isEmpty();
        assertThat(h.autoSubmitted()).isEqualTo("auto-replied");
        assertThat(h.precedence()).isEqualTo("bulk");
        assertThat(h.listId()).isEqualTo("friends.example.com");
        assertThat(h.sender().address()).isEqualTo("list@b.c");
        assertThat(h.inReplyTo()).containsExactly("1@x", "2@x");
        assertThat(h.references()).containsExactly("0@x", "1@x", "3@x");
        assertThat(h.problems()).contains(ParseProblem.DUPLICATE_HEADER, ParseProblem.MISSING_DATE,
                ParseProblem.MISSING_MESSAGE_ID);
    }
}

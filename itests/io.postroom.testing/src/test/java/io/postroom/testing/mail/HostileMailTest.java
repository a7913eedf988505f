package io.postroom.testing.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

class HostileMailTest {

    @Test
    void everySmallCaseIsWrittenTheSameWayTwiceWithItsOwnMessageId() throws Exception {
        Set<String> ids = new HashSet<>();
        for (HostileMail mail : HostileMail.small()) {
            byte[] bytes = mail.toByteArray();
            assertThat(mail.toByteArray()).as(mail.name()).isEqualTo(bytes);
            assertThat(bytes.length).as(mail.name()).isPositive();
            if (mail.messageId() != null) {
                assertThat(ids.add(mail.messageId())).isTrue();
                assertThat(Headers.messageId(bytes)).as(mail.name()).isEqualTo(mail.messageId());
            } else {
                assertThat(Headers.messageId(bytes)).isNull();
            }
        }
        assertThat(HostileMail.small()).doesNotContain(HostileMail.HUGE_ATTACHMENT).hasSize(HostileMail.values().length - 1);
    }

    @Test
    void theCasesAreAsBrokenAsTheySay() throws Exception {
        assertThat(text(HostileMail.NUL_BYTES)).contains("\0");
        assertThat(text(HostileMail.BARE_LF_LINE_ENDS)).doesNotContain("\r");
        assertThat(text(HostileMail.VERY_LONG_LINES).lines().mapToInt(String::length).max().orElse(0)).isGreaterThan(1_000_000);
        assertThat(text(HostileMail.MISSING_DATE_AND_MESSAGE_ID)).doesNotContainIgnoringCase("date:").doesNotContainIgnoringCase("message-id:");
        assertThat(text(HostileMail.MISSING_FINAL_BOUNDARY)).doesNotContain("--b1--");
        assertThat(text(HostileMail.DEEPLY_NESTED_MULTIPARTS)).contains("boundary=\"n100\"");
        assertThat(text(HostileMail.HEADERS_ONLY)).doesNotContain("\r\n\r\n");
        // Angus Mail reads them without throwing (what it makes of them is the parser's business)
        Session session = Session.getInstance(new Properties());
        for (HostileMail mail : HostileMail.small()) {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(mail.toByteArray()));
            assertThat(message.getAllHeaders().hasMoreElements()).as(mail.name()).isTrue();
        }
    }

    @Test
    void theFiftyMegabyteCaseStreams() throws Exception {
        long[] stats = new long[2];
        HostileMail.HUGE_ATTACHMENT.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                stats[0]++;
                stats[1] = Math.max(stats[1], 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                stats[0] += len;
                stats[1] = Math.max(stats[1], len);
            }
        });
        // base64 of 50 MB with CRLF every 76 characters
        assertThat(stats[0]).isGreaterThan(HostileMail.HUGE_ATTACHMENT_BYTES * 4 / 3);
        // written in small pieces, never as one buffer
        assertThat(stats[1]).isLessThanOrEqualTo(128 * 1024);
    }

    private static String text(HostileMail mail) {
        return new String(mail.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}

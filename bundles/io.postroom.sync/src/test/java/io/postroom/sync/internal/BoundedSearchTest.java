package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.junit.jupiter.api.Test;

/**
 * A UID SEARCH answer is one response: when it could hold more UIDs than one response may, the
 * search goes over UID ranges whose answers fit by construction; and how many messages one command
 * may ask about when each response costs so much.
 */
class BoundedSearchTest {
    private static final long MIB = 1 << 20;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final AtomicLong commands = new AtomicLong();

    /** The client of a server that answers with {@code script}, with this response limit (and four times it per answer). */
    private Imap imap(String script, long responseLimit) throws IOException {
        Properties props = new Properties();
        props.setProperty("mail.imap.reusetagprefix", "true");
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(sent, true, StandardCharsets.ISO_8859_1), props, false);
        return new Imap(p, false, commands, responseLimit, 4 * responseLimit);
    }

    @Test
    void theUidsOneSearchResponseHoldsFollowFromTheResponseLimitAndTheLongestUid() throws IOException {
        Imap imap = imap("", MIB);
        // half of the limit (a line Angus's buffer surely reaches), 11 bytes a UID of ten digits
        assertThat(imap.uidsPerSearch(4_000_000_000L)).isEqualTo((MIB / 2 - 64) / 11);
        assertThat(imap.uidsPerSearch(99_999)).isEqualTo((MIB / 2 - 64) / 6);
        assertThat(imap(" ", 64 * MIB).uidsPerSearch(4_000_000_000L)).as("the default: three million")
                .isGreaterThan(3_000_000);
        // a FLAGS response at most 1,536 bytes: 1,365 in half of an answer of 4 MiB
        assertThat(imap.messagesPerAnswer(1536)).isEqualTo(1365);
        assertThat(imap.messagesPerAnswer(100 * MIB)).as("at least one").isEqualTo(1);
        assertThat(new Imap(null, false, commands).uidsPerSearch(4_000_000_000L)).as("unbounded")
                .isGreaterThan(1L << 40);
    }

    @Test
    void aSearchWhoseAnswerCouldExceedOneResponseGoesOverUidRangesOfThatManyMessagesAndTheirUidsAreJoined()
            throws Exception {
        // a limit for 100 UIDs of four digits a response: 2 x (64 + 500) bytes, half of it for the line
        Imap imap = imap(
                // where each run of 100 messages begins: the UIDs of messages 1, 101 and 201 (far apart, high)
                "* SEARCH 5000 7100 9990\r\nA0 OK done\r\n"
                + "* SEARCH 5003 5007\r\nA1 OK done\r\n"
                + "* SEARCH 7100 7150 7150\r\nA2 OK done\r\n"
                // a server may answer in several SEARCH responses, in any order
                + "* SEARCH 9999\r\n* SEARCH 9990\r\nA3 OK done\r\n", 2 * (64 + 500));
        assertThat(imap.uidsPerSearch(9_999)).isEqualTo(100);

        long[] found = imap.uidSearch("SINCE 1-Mar-2024", 1, 9_999, 250);

        assertThat(found).containsExactly(5003, 5007, 7100, 7150, 9990, 9999);
        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("A0 UID SEARCH 1,101,201\r\n"
                + "A1 UID SEARCH UID 5000:7099 SINCE 1-Mar-2024\r\nA2 UID SEARCH UID 7100:9989 SINCE 1-Mar-2024\r\n"
                + "A3 UID SEARCH UID 9990:9999 SINCE 1-Mar-2024\r\n");
        assertThat(commands.get()).isEqualTo(4);
    }

    @Test
    void rangesBeginAtTheUidAskedForAndWithoutMessageNumbersGoByUids() throws Exception {
        Imap imap = imap("* SEARCH 10 60 200\r\nA0 OK done\r\n* SEARCH 150\r\nA1 OK done\r\n"
                + "* SEARCH 205\r\nA2 OK done\r\n"
                // a server that refuses message numbers: ranges of 100 UIDs
                + "A3 BAD no such message\r\n* SEARCH\r\nA4 OK done\r\n* SEARCH 250\r\nA5 OK done\r\n"
                // an empty folder by now
                + "* SEARCH\r\nA6 OK done\r\n", 2 * (64 + 400));

        assertThat(imap.uidSearch("UID 120:*", 120, 250, 250)).containsExactly(150, 205);
        assertThat(imap.uidSearch("ALL", 61, 250, 250)).containsExactly(250);
        assertThat(imap.uidSearch("ALL", 1, 250, 250)).isEmpty();

        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).isEqualTo("A0 UID SEARCH 1,101,201\r\n"
                + "A1 UID SEARCH UID 120:199 UID 120:*\r\nA2 UID SEARCH UID 200:250 UID 120:*\r\n"
                + "A3 UID SEARCH 1,101,201\r\nA4 UID SEARCH UID 61:160 ALL\r\nA5 UID SEARCH UID 161:250 ALL\r\n"
                + "A6 UID SEARCH 1,101,201\r\n");
    }

    @Test
    void aSearchThatFitsIsOneCommandAsItWas() throws Exception {
        Imap imap = imap("* SEARCH 5 900000\r\nA0 OK done\r\n* SEARCH 12\r\nA1 OK done\r\n* SEARCH 13\r\nA2 OK done\r\n",
                2 * (64 + 400));
        // UIDs far apart, but no more messages in the folder than one response holds
        assertThat(imap.uidSearch("ALL", 1, 900_000, 50)).containsExactly(5, 900_000);
        // no new UID range to speak of
        assertThat(imap.uidSearch("UID 12:*", 12, 11, 5_000)).containsExactly(12);
        // UIDNEXT not known
        assertThat(imap.uidSearch("UID 1:*", 1, 0, 5_000)).containsExactly(13);
        assertThat(sent.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("A0 UID SEARCH ALL\r\nA1 UID SEARCH UID 12:*\r\nA2 UID SEARCH UID 1:*\r\n");
    }
}

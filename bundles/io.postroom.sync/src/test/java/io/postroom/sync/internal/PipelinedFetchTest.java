package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.sync.internal.Imap.ImapException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.junit.jupiter.api.Test;

/**
 * The batch round trip of the fetcher (a batch's text parts and the next batch's metadata sent
 * as one pipeline) against a scripted server: answers that arrive interleaved, a refused
 * command, and a connection that breaks before or after the batch's texts are complete.
 */
class PipelinedFetchTest {
    private static final String HEADER = "From: a@example.com\r\nSubject: Hi\r\nMessage-ID: <%d@example.com>\r\n\r\n";
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private final AtomicLong commands = new AtomicLong();

    /** The client of a server that answers with {@code script} (tags A0, A1, ... in the order the client sends). */
    private Fetcher fetcher(String script) throws IOException {
        Properties props = new Properties();
        props.setProperty("mail.imap.reusetagprefix", "true");
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(sent, true, StandardCharsets.ISO_8859_1), props, false);
        return new Fetcher(new Imap(p, false, commands), parser, 8L << 20, io.postroom.sync.SyncSettings.DEFAULT_MAX_HEADER_BYTES);
    }

    private static String meta(long uid) {
        String header = String.format(HEADER, uid);
        return "* " + uid + " FETCH (UID " + uid + " FLAGS (\\Seen) INTERNALDATE \"17-Jul-2026 02:44:25 +0000\""
                + " RFC822.SIZE 200 BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 5 1 NIL NIL NIL NIL)"
                + " BODY[HEADER] {" + header.length() + "}\r\n" + header + ")\r\n";
    }

    private static String text(long uid, String body) {
        return "* " + uid + " FETCH (UID " + uid + " BODY[1] {" + body.length() + "}\r\n" + body + ")\r\n";
    }

    private static String ok(String tag) {
        return tag + " OK Fetch completed.\r\n";
    }

    @Test
    void oneRoundTripBringsTheTextsAndTheNextMetadataEvenInterleaved() throws Exception {
        Fetcher f = fetcher(meta(1) + meta(2) + ok("A0")
                // Dovecot runs pipelined FETCHes together: P1.1's answer begins before A1's tagged result
                + text(1, "Hello") + meta(3) + text(2, "World") + ok("A1") + meta(4) + ok("P1.1"));
        List<Fetched> batch = f.meta(List.of(1L, 2L));
        assertThat(batch).extracting(Fetched::uid).containsExactly(1L, 2L);

        Fetcher.Round round = f.textsAndMeta(batch, List.of(3L, 4L));

        assertThat(round.lost()).isNull();
        assertThat(new String(batch.get(0).texts.get("1"), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThat(new String(batch.get(1).texts.get("1"), StandardCharsets.US_ASCII)).isEqualTo("World");
        assertThat(round.next()).extracting(Fetched::uid).containsExactly(3L, 4L);
        assertThat(round.next()).allSatisfy(m -> {
            assertThat(m.header).isNotNull();
            assertThat(m.structure).isNotNull();
            assertThat(m.selection.parts()).hasSize(1);
        });
        String wire = sent.toString(StandardCharsets.ISO_8859_1);
        assertThat(wire).as("one write, each command on its line").contains(
                "A1 UID FETCH 1:2 (UID BODY.PEEK[1])\r\nP1.1 UID FETCH 3:4 (UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE"
                + " BODY.PEEK[HEADER]<0.1048576>)\r\n");
        assertThat(commands.get()).isEqualTo(3);
    }

    @Test
    void aRefusedTextCommandIsSplitUntilTheFailingMessageIsFoundWhichGoesToQuarantine() throws Exception {
        Fetcher f = fetcher(meta(1) + meta(2) + ok("A0")
                + text(1, "Hello") + "A1 NO Some messages could not be FETCHed\r\n" + meta(3) + ok("P1.1")
                // done again one half at a time: 1 succeeds, 2 is refused on its own
                + text(1, "Hello") + ok("A2") + "A3 NO Message 2 is broken\r\n");
        List<Fetched> batch = f.meta(List.of(1L, 2L));

        Fetcher.Round round = f.textsAndMeta(batch, List.of(3L));

        assertThat(round.lost()).isNull();
        assertThat(new String(batch.get(0).texts.get("1"), StandardCharsets.US_ASCII)).isEqualTo("Hello");
        assertThat(batch.get(0).failure).isNull();
        assertThat(batch.get(1).texts).isEmpty();
        assertThat(batch.get(1).failure).as("quarantined, not stored without its text")
                .startsWith("The server refused to send the message's text").contains("Message 2 is broken");
        assertThat(round.next()).extracting(Fetched::uid).containsExactly(3L);
        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).contains("A2 UID FETCH 1 (UID BODY.PEEK[1])\r\n")
                .contains("A3 UID FETCH 2 (UID BODY.PEEK[1])\r\n");
    }

    @Test
    void aRefusedTextCommandForOneMessageSendsItToQuarantine() throws Exception {
        Fetcher f = fetcher(meta(1) + ok("A0") + "A1 NO Message 1 is broken\r\n" + meta(2) + ok("P1.1"));
        List<Fetched> batch = f.meta(List.of(1L));

        Fetcher.Round round = f.textsAndMeta(batch, List.of(2L));

        assertThat(batch.get(0).failure).startsWith("The server refused to send the message's text")
                .contains("Message 1 is broken");
        assertThat(round.next()).extracting(Fetched::uid).containsExactly(2L);
        assertThat(round.next().get(0).failure).isNull();
    }

    @Test
    void aRefusedMetadataCommandIsSplitAndTheFailingMessageGoesToQuarantine() throws Exception {
        Fetcher f = fetcher(meta(1) + ok("A0")
                + text(1, "Hello") + ok("A1") + "P1.1 BAD Internal error\r\n"
                + meta(2) + ok("A2") + "A3 NO Message 3 is broken\r\n");
        List<Fetched> batch = f.meta(List.of(1L));

        Fetcher.Round round = f.textsAndMeta(batch, List.of(2L, 3L));

        assertThat(round.next()).extracting(Fetched::uid).containsExactly(2L, 3L);
        assertThat(round.next().get(0).failure).isNull();
        assertThat(round.next().get(1).failure).startsWith("The server refused to send the message");
    }

    @Test
    void aConnectionLostAfterTheTextsLeavesACompleteBatch() throws Exception {
        Fetcher f = fetcher(meta(1) + ok("A0") + text(1, "Hello") + ok("A1") + "* 2 FETCH (UID 2 FLA");
        List<Fetched> batch = f.meta(List.of(1L));

        Fetcher.Round round = f.textsAndMeta(batch, List.of(2L));

        assertThat(round.lost()).isNotNull();
        assertThat(round.lost().connectionLost()).isTrue();
        assertThat(round.next()).isEmpty();
        assertThat(new String(batch.get(0).texts.get("1"), StandardCharsets.US_ASCII)).isEqualTo("Hello");
    }

    @Test
    void aConnectionLostBeforeTheTextsAreCompleteFailsTheRound() throws Exception {
        Fetcher f = fetcher(meta(1) + meta(2) + ok("A0") + text(1, "Hello"));
        List<Fetched> batch = f.meta(List.of(1L, 2L));

        assertThatThrownBy(() -> f.textsAndMeta(batch, List.of(3L)))
                .isInstanceOfSatisfying(ImapException.class, e -> assertThat(e.connectionLost()).isTrue());
    }

    @Test
    void messagesGoneMeanwhileAreLeftOutOfTheNextMetadata() throws Exception {
        // 2 is not in the answer: asked once more on its own (A2), it is not there either (expunged meanwhile)
        Fetcher f = fetcher(meta(1) + ok("A0") + text(1, "Hello") + ok("A1") + meta(3) + ok("P1.1") + ok("A2"));
        List<Fetched> batch = f.meta(List.of(1L));

        Fetcher.Round round = f.textsAndMeta(batch, List.of(2L, 3L));

        assertThat(round.next()).extracting(Fetched::uid).containsExactly(3L);
        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).contains("A2 UID FETCH 2 (UID FLAGS INTERNALDATE RFC822.SIZE)");
    }
    @Test
    void aPartialHeaderAnswerIsTakenAndAHeaderCutAtTheCapIsFlagged() throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.imap.reusetagprefix", "true");
        String whole = String.format(HEADER, 1);            // ends with the blank line: complete
        String cut = "From: a@example.com\r\nSubject: Hi\r\nX-Filler: xxxxxxxxxxxxxxxxxxxxxx"; // no blank line: cut
        int cap = cut.length();
        String exact = "From: a@example.com\r\nSubject: " + "y".repeat(cap - 34) + "\r\n\r\n"; // exactly the cap, complete
        assertThat(exact).hasSize(cap);
        String script = partialMeta(1, whole) + partialMeta(2, cut) + partialMeta(3, exact) + ok("A0");
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(script.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(sent, true, StandardCharsets.ISO_8859_1), props, false);
        Fetcher f = new Fetcher(new Imap(p, false, commands), parser, 8L << 20, cap);

        List<Fetched> fetched = f.meta(List.of(1L, 2L, 3L));

        assertThat(sent.toString(StandardCharsets.ISO_8859_1)).contains("BODY.PEEK[HEADER]<0." + cap + ">");
        assertThat(fetched).extracting(Fetched::uid).containsExactly(1L, 2L, 3L);
        assertThat(fetched).allSatisfy(m -> assertThat(m.header).as("BODY[HEADER]<0> is the header").isNotNull());
        assertThat(new String(fetched.get(1).header, StandardCharsets.US_ASCII)).isEqualTo(cut);
        assertThat(fetched.get(0).problems()).isEmpty();
        assertThat(fetched.get(1).problems()).containsExactly("TRUNCATED_HEADER");
        assertThat(fetched.get(2).problems()).isEmpty();
        // the parser reads the cut header as far as it goes; its fingerprint is that of the same bytes each time
        assertThat(parser.parseHeaders(fetched.get(1).header).subject()).isEqualTo("Hi");
        assertThat(parser.parseHeaders(fetched.get(1).header).fingerprint())
                .isEqualTo(parser.parseHeaders(cut.getBytes(StandardCharsets.US_ASCII)).fingerprint());
    }

    @Test
    void theHeaderCapIsTheSmallerOfTheSyncsAndTheParsersLimit() throws Exception {
        MimeParser small = MimeParser.create(new ParseOptions(ParseOptions.DEFAULT_MAX_TEXT_BYTES,
                ParseOptions.DEFAULT_MAX_TOTAL_TEXT_BYTES, ParseOptions.DEFAULT_MAX_DEPTH, ParseOptions.DEFAULT_MAX_PARTS,
                8192, ParseOptions.DEFAULT_MAX_HEADER_VALUE_CHARS, null));
        IMAPProtocol p = new IMAPProtocol(new ByteArrayInputStream(new byte[0]), new PrintStream(sent, true, StandardCharsets.ISO_8859_1),
                new Properties(), false);
        assertThat(new Fetcher(new Imap(p, false, commands), small, 8L << 20, 1 << 20).headerBytes()).isEqualTo(8192);
        assertThat(new Fetcher(new Imap(p, false, commands), small, 8L << 20, 4096).headerItem())
                .isEqualTo("BODY.PEEK[HEADER]<0.4096>");
        assertThat(Fetcher.cut(new byte[0], 4096)).isFalse();
        assertThat(Fetcher.cut("a: b\n\n".getBytes(StandardCharsets.US_ASCII), 6)).as("LF only, complete").isFalse();
    }

    @Test
    void aWholeMessageIsFetchedUpToItsSizeTheBatchAndAtMostEightMebibytes() {
        assertThat(Fetcher.wholeMessageLimit(5_000, 8L << 20)).isEqualTo(5_000);
        assertThat(Fetcher.wholeMessageLimit(0, 8L << 20)).as("size unknown").isEqualTo(8L << 20);
        assertThat(Fetcher.wholeMessageLimit(50L << 20, 64L << 10)).as("a small batch setting").isEqualTo(64L << 10);
        assertThat(Fetcher.wholeMessageLimit(500L << 20, 1L << 30)).as("a batch setting of 1 GiB")
                .isEqualTo(Fetcher.WHOLE_MESSAGE_BYTES);
    }

    /** Metadata with the header as a server answers a partial fetch: {@code BODY[HEADER]<0> {n}}. */
    private static String partialMeta(long uid, String header) {
        return "* " + uid + " FETCH (UID " + uid + " FLAGS () INTERNALDATE \"17-Jul-2026 02:44:25 +0000\""
                + " RFC822.SIZE 200 BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 5 1 NIL NIL NIL NIL)"
                + " BODY[HEADER]<0> {" + header.length() + "}\r\n" + header + ")\r\n";
    }
}

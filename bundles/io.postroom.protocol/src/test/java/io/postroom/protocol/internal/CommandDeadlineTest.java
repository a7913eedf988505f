package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.protocol.FailureClassifier;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/**
 * Which deadline holds when, on a clock the test moves (no waiting): the opening, one per command,
 * pipelined commands in turn, answers of no command, IDLE; and how the socket's reads keep it.
 */
class CommandDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final long T = TIMEOUT.toNanos();

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final CommandDeadline deadline = new CommandDeadline(TIMEOUT, clock::get);

    private void later(Duration d) {
        clock.addAndGet(d.toNanos());
    }

    @Test
    void theOpeningHasOneDeadlineFromTheStartUntilTheFirstCommandAfterTheLogin() {
        long start = clock.get();
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(start + T, null));

        later(Duration.ofMinutes(3));
        CommandDeadline.Command capability = deadline.writing("CAPABILITY", false);
        deadline.written(capability, "A0", "CAPABILITY");
        later(Duration.ofMinutes(3));
        deadline.answered("A0");
        CommandDeadline.Command login = deadline.writing("LOGIN", false);
        deadline.written(login, "A1", "LOGIN");
        deadline.answered("A1");
        assertThat(deadline.due()).as("greeting, CAPABILITY and LOGIN share the opening's time").isEqualTo(new CommandDeadline.Due(start + T, null));

        later(Duration.ofMinutes(1));
        CommandDeadline.Command examine = deadline.writing("EXAMINE", true);
        assertThat(deadline.due()).as("logged in: the first command has a deadline of its own")
                .isEqualTo(new CommandDeadline.Due(clock.get() + T, "EXAMINE"));
        deadline.written(examine, "A2", "EXAMINE");
        later(Duration.ofSeconds(2));
        deadline.answered("A2");
        assertThat(deadline.due()).as("nothing outstanding: no deadline").isNull();
    }

    @Test
    void eachCommandHasItsOwnDeadlineFromWhenItIsWritten() {
        open();
        later(Duration.ofHours(5)); // an idle connection in between costs nothing
        CommandDeadline.Command fetch = deadline.writing("UID FETCH 1:200 (UID FLAGS BODY.PEEK[HEADER]<0.1048576>)", true);
        long sent = clock.get();
        deadline.written(fetch, "A7", "UID FETCH 1:200 (UID FLAGS BODY.PEEK[HEADER]<0.1048576>)");
        later(Duration.ofMinutes(9));
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(sent + T, "UID FETCH"));
    }

    @Test
    void pipelinedCommandsAreAnsweredInTurnEachWithTheTimeoutFromTheAnswerBefore() {
        open();
        String round = "UID FETCH 5,4 (UID BODY.PEEK[1]<0.65536>)\r\nP1.1 UID FETCH 3,2 (UID FLAGS BODYSTRUCTURE)"
                + "\r\nP1.2 UID SEARCH ALL";
        CommandDeadline.Command first = deadline.writing(round, true);
        long sent = clock.get();
        deadline.written(first, "A3", round);
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(sent + T, "UID FETCH"));

        later(Duration.ofMinutes(8));
        deadline.answered("A3");
        long firstAnswered = clock.get();
        assertThat(deadline.due()).as("the second one's turn starts with the first one's answer")
                .isEqualTo(new CommandDeadline.Due(firstAnswered + T, "UID FETCH"));

        later(Duration.ofMinutes(8));
        deadline.answered("X99"); // a tag of no command: a server making up answers to look busy
        deadline.answered("A3"); // answered before
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(firstAnswered + T, "UID FETCH"));

        deadline.answered("P1.1");
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(clock.get() + T, "UID SEARCH"));
        deadline.answered("P1.2");
        assertThat(deadline.due()).isNull();
    }

    @Test
    void anAnswerOutOfTurnLeavesTheFirstCommandsDeadline() {
        open();
        String round = "UID FETCH 1 (UID)\r\nP1.1 UID FETCH 2 (UID)";
        CommandDeadline.Command first = deadline.writing(round, true);
        long sent = clock.get();
        deadline.written(first, "A4", round);
        later(Duration.ofMinutes(1));
        deadline.answered("P1.1");
        assertThat(deadline.due()).isEqualTo(new CommandDeadline.Due(sent + T, "UID FETCH"));
        deadline.answered("A4");
        assertThat(deadline.due()).isNull();
    }

    @Test
    void idleIsNotTimedAndACommandNotWrittenIsNotOutstanding() {
        open();
        assertThat(deadline.writing("IDLE", true)).isNull();
        assertThat(deadline.due()).isNull();

        CommandDeadline.Command noop = deadline.writing("NOOP", true);
        assertThat(deadline.due()).as("timed from before its first byte").isNotNull();
        deadline.notWritten(noop);
        assertThat(deadline.due()).isNull();
    }

    @Test
    void namesNeverCarryArguments() {
        assertThat(CommandDeadline.name("LOGIN anna \"secret-password\"")).isEqualTo("LOGIN");
        assertThat(CommandDeadline.name("uid fetch 1:* (FLAGS)")).isEqualTo("UID FETCH");
        assertThat(CommandDeadline.name("UID  SEARCH SINCE 1-Mar-2024")).isEqualTo("UID SEARCH");
        assertThat(CommandDeadline.name("EXAMINE \"INBOX\"\r\nP1.1 NOOP")).isEqualTo("EXAMINE");
        assertThat(CommandDeadline.name("X".repeat(100))).hasSize(32);
    }

    @Test
    void theFailureSaysWhichLimitAndHowToChangeItAndIsATimeout() {
        open();
        CommandDeadline.Command fetch = deadline.writing("UID FETCH 1:* (FLAGS)", true);
        deadline.written(fetch, "A5", "UID FETCH 1:* (FLAGS)");
        CommandTimeoutException e = deadline.expired(deadline.due(), null);
        assertThat(deadline.timedOut()).isSameAs(e);
        assertThat(e.timeout()).isEqualTo(TIMEOUT);
        assertThat(e.getMessage()).isEqualTo("The mail server had not finished answering the IMAP command UID FETCH after"
                + " 10 minutes, the limit set by commandTimeoutSeconds of io.postroom.protocol; the connection was closed."
                + " Only an overloaded or broken server, or a very slow network, takes this long. If this server is that"
                + " slow by nature, ask the administrator to raise the limit.");

        CommandTimeoutException opening = new CommandDeadline(Duration.ofSeconds(90), clock::get)
                .expired(new CommandDeadline.Due(0, null), null);
        assertThat(opening.getMessage()).startsWith("The mail server had not finished opening the connection (greeting,"
                + " TLS and login) after 90 seconds, the limit set by commandTimeoutSeconds of io.postroom.protocol;");

        // however Angus and the JDK wrap it: a timeout, with Postroom's words whole (not cut at the detail's length)
        for (Throwable wrapped : List.of(e, handshake(e),
                new ConnectionException(null, Response.byeResponse(e)), new jakarta.mail.MessagingException("closed", e))) {
            ConnectionFailure f = FailureClassifier.classify(Protocol.IMAP, Step.FETCH, "imap.example.com", 993, wrapped);
            assertThat(f.kind()).as(wrapped.toString()).isEqualTo(Kind.TIMEOUT);
            assertThat(f.kind().isTransient()).isTrue();
            assertThat(f.detail()).isEqualTo(e.getMessage());
        }
        ConnectionFailure atOpening = FailureClassifier.classify(Protocol.IMAP, Step.CONNECT, "imap.example.com", 993,
                handshake(opening));
        assertThat(atOpening.kind()).as("not a TLS failure: the server was too slow").isEqualTo(Kind.TIMEOUT);
        assertThat(atOpening.step()).isEqualTo(Step.CONNECT);
    }

    // ------------------------------------------------------------------ an SMTP session

    private static final String SMTP_SESSION_MESSAGE = "The mail server had not finished the SMTP session (greeting, TLS,"
            + " login and sending) after 10 minutes, the limit set by commandTimeoutSeconds of io.postroom.protocol for a"
            + " whole SMTP session; the connection was closed. Only an overloaded or broken server, or a very slow"
            + " network, takes this long. If this server is that slow by nature, ask the administrator to raise the limit.";

    @Test
    void anSmtpSessionHasOneDeadlineFromItsStartToItsClose() {
        long start = clock.get();
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT, clock::get);
        assertThat(session.coversSession()).isTrue();
        assertThat(deadline.coversSession()).as("an IMAP connection's").isFalse();
        assertThat(session.due()).isEqualTo(new CommandDeadline.Due(start + T, null));

        later(Duration.ofMinutes(9));
        // nothing moves it: not a command noted as if logged in, not an answer
        assertThat(session.writing("MAIL FROM:<anna@example.com>", true)).isNull();
        session.answered("A1");
        assertThat(session.due()).isEqualTo(new CommandDeadline.Due(start + T, null));
    }

    @Test
    void anSmtpSessionPastItsDeadlineFailsItsNextReadInPostroomsWordsAndClosesTheSocket() throws IOException {
        CommandDeadline session = CommandDeadline.smtpSession(TIMEOUT, clock::get);
        FakeSocket socket = new FakeSocket();
        DeadlineInputStream in = new DeadlineInputStream(new Server(), session, socket);
        byte[] b = new byte[4];
        assertThat(in.read(b, 0, b.length)).isEqualTo(1);
        assertThat(socket.waits).last().as("far from the deadline: the read timeout").isEqualTo(60_000);

        later(TIMEOUT.minusSeconds(20));
        in.read(b, 0, b.length);
        assertThat(socket.waits).last().as("20 s left").isEqualTo(20_000);

        later(Duration.ofSeconds(20));
        CommandTimeoutException e = null;
        try {
            in.read(b, 0, b.length);
        } catch (CommandTimeoutException late) {
            e = late;
        }
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo(SMTP_SESSION_MESSAGE);
        assertThat(e.timeout()).isEqualTo(TIMEOUT);
        assertThat(session.timedOut()).isSameAs(e);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void anSmtpSessionPastItsDeadlineIsATimeoutAtTheStepItWasIn() {
        CommandTimeoutException e = CommandDeadline.smtpSession(TIMEOUT, clock::get).expired(new CommandDeadline.Due(0, null), null);
        // as Angus reports a read that failed: the greeting or EHLO, STARTTLS's handshake, AUTH, a command of a send
        jakarta.mail.MessagingException read = new jakarta.mail.MessagingException("Exception reading response", e);
        jakarta.mail.MessagingException tls = new jakarta.mail.MessagingException("Could not convert socket to TLS", handshake(e));
        jakarta.mail.MessagingException login = new jakarta.mail.AuthenticationFailedException("", read);
        for (Object[] c : List.of(new Object[] {read, Step.CONNECT, Step.CONNECT}, new Object[] {tls, Step.CONNECT, Step.CONNECT},
                new Object[] {login, Step.CONNECT, Step.LOGIN}, new Object[] {read, Step.SEND, Step.SEND})) {
            ConnectionFailure f = FailureClassifier.classify(Protocol.SMTP, (Step) c[1], "smtp.example.com", 587, (Throwable) c[0]);
            assertThat(f.kind()).as(c[0].toString()).isEqualTo(Kind.TIMEOUT);
            assertThat(f.step()).as(c[0].toString()).isEqualTo(c[2]);
            assertThat(f.detail()).isEqualTo(SMTP_SESSION_MESSAGE);
        }
    }

    /** As the JDK reports a handshake whose read timed out. */
    private static SSLHandshakeException handshake(Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException("Couldn't kickstart handshaking");
        e.initCause(cause);
        return e;
    }

    @Test
    void humanDurations() {
        assertThat(CommandTimeoutException.human(Duration.ofMinutes(1))).isEqualTo("1 minute");
        assertThat(CommandTimeoutException.human(Duration.ofMinutes(10))).isEqualTo("10 minutes");
        assertThat(CommandTimeoutException.human(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(CommandTimeoutException.human(Duration.ofSeconds(90))).isEqualTo("90 seconds");
        assertThat(CommandTimeoutException.human(Duration.ofMillis(1500))).isEqualTo("1,500 ms");
    }

    // ------------------------------------------------------------------ the socket's reads

    /** The socket side of a {@link DeadlineInputStream}: what it was told. */
    private static final class FakeSocket implements DeadlineInputStream.Control {
        final List<Integer> waits = new ArrayList<>();
        int readTimeout = 60_000;
        boolean closed;

        @Override
        public int readTimeout() {
            return readTimeout;
        }

        @Override
        public void waitAtMost(int millis) {
            waits.add(millis);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Bytes, or a read timeout when {@code silent}; the clock moves by {@code perRead} at every read. */
    private final class Server extends InputStream {
        private final InputStream bytes = new ByteArrayInputStream("* OK ready\r\n".repeat(100).getBytes(StandardCharsets.US_ASCII));
        Duration perRead = Duration.ZERO;
        boolean silent;

        @Override
        public int read() throws IOException {
            later(perRead);
            if (silent) {
                throw new SocketTimeoutException("Read timed out");
            }
            return bytes.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            later(perRead);
            if (silent) {
                throw new SocketTimeoutException("Read timed out");
            }
            return bytes.read(b, off, Math.min(len, 1)); // a byte at a time, as a dripping server sends
        }
    }

    /** Logged in, the opening over: a first command after the login, answered. */
    private void open() {
        CommandDeadline.Command capability = deadline.writing("CAPABILITY", true);
        deadline.written(capability, "A0", "CAPABILITY");
        deadline.answered("A0");
        assertThat(deadline.due()).isNull();
    }

    @Test
    void readsWaitAtMostUntilTheDeadlineAndFailOnceItPassed() throws IOException {
        FakeSocket socket = new FakeSocket();
        Server server = new Server();
        DeadlineInputStream in = new DeadlineInputStream(server, deadline, socket);
        CommandDeadline.Command fetch = deadline.writing("UID FETCH 1 (BODY.PEEK[])", true);
        deadline.written(fetch, "A1", "UID FETCH 1 (BODY.PEEK[])");
        byte[] b = new byte[16];

        // far from the deadline: the read timeout as configured
        assertThat(in.read(b, 0, b.length)).isEqualTo(1);
        assertThat(socket.waits).last().isEqualTo(60_000);

        // 30 s left: a silent server is waited for 30 s, not 60
        later(TIMEOUT.minusSeconds(30));
        in.read(b, 0, b.length);
        assertThat(socket.waits).last().isEqualTo(30_000);
        assertThat(socket.closed).isFalse();

        // the server drips on: once the deadline passed, the next read fails without waiting and closes the socket
        server.perRead = Duration.ofSeconds(20);
        in.read(b, 0, b.length);
        in.read(b, 0, b.length); // the clock is past the deadline after this one
        int waitsBefore = socket.waits.size();
        assertThatThrownBy(() -> in.read(b, 0, b.length)).isInstanceOfSatisfying(CommandTimeoutException.class,
                e -> assertThat(e.getMessage()).contains("UID FETCH").contains("10 minutes"));
        assertThat(socket.waits).as("no further wait").hasSize(waitsBefore);
        assertThat(socket.closed).isTrue();
        // and every later read of the connection says the same
        assertThatThrownBy(in::read).isInstanceOf(CommandTimeoutException.class);
    }

    @Test
    void aSilentServerFailsAtTheDeadlineInPostroomsWordsAndAReadTimeoutBeforeItStaysOne() {
        FakeSocket socket = new FakeSocket();
        Server server = new Server();
        server.silent = true;
        DeadlineInputStream in = new DeadlineInputStream(server, deadline, socket);
        CommandDeadline.Command list = deadline.writing("LIST \"\" *", true);
        deadline.written(list, "A1", "LIST \"\" *");

        // silent for the read timeout, far from the deadline: the read timeout as ever
        server.perRead = Duration.ofSeconds(60);
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isExactlyInstanceOf(SocketTimeoutException.class);
        assertThat(socket.closed).isFalse();

        // silent until the deadline: the command timeout
        later(TIMEOUT.minusSeconds(90));
        server.perRead = Duration.ofSeconds(30);
        assertThatThrownBy(() -> in.read(new byte[4], 0, 4)).isInstanceOfSatisfying(CommandTimeoutException.class, e -> {
            assertThat(e.getMessage()).contains("LIST");
            assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
        });
        assertThat(socket.waits).last().isEqualTo(30_000);
        assertThat(socket.closed).isTrue();
    }

    @Test
    void withoutACommandOutstandingReadsUseTheReadTimeout() throws IOException {
        FakeSocket socket = new FakeSocket();
        DeadlineInputStream in = new DeadlineInputStream(new Server(), deadline, socket);
        CommandDeadline.Command noop = deadline.writing("NOOP", true);
        deadline.written(noop, "A1", "NOOP");
        deadline.answered("A1");
        later(Duration.ofDays(1));
        assertThat(in.read()).isEqualTo('*');
        assertThat(socket.waits).containsExactly(60_000);
        assertThat(socket.closed).isFalse();
    }
}

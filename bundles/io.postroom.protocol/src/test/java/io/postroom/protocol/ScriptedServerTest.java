package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.mailbox.Security;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replies and TLS upgrades GreenMail cannot give, and servers that drip their answers or stay silent,
 * from a scripted server on loopback.
 */
class ScriptedServerTest {
    private final MailConnector connector = MailConnectors.create(TestGreenMail.loopbackConfig());
    private ScriptedServer.Smtp smtp;
    private ScriptedServer.Imap imap;

    @BeforeEach
    void start() throws Exception {
        smtp = new ScriptedServer.Smtp();
        imap = new ScriptedServer.Imap();
    }

    @AfterEach
    void stop() throws Exception {
        smtp.close();
        imap.close();
    }

    private static MimeMessage message(SmtpConnection c) throws Exception {
        MimeMessage m = new MimeMessage(c.session());
        m.setFrom(new InternetAddress(TestGreenMail.USER));
        m.setRecipients(Message.RecipientType.TO, "bob@example.com");
        m.setSubject("Offer");
        m.setText("Hello");
        return m;
    }

    @Test
    void smtpStarttlsWithAVerifiedCertificate() throws Exception {
        TestTls tls = TestTls.localhost();
        smtp.tls = tls.serverContext();
        TestTls.withDefaultTrust(tls.keyStore, () -> {
            try (SmtpConnection c = connector.openSmtp(smtp.endpoint(Security.STARTTLS), TestGreenMail.credentials())) {
                c.send(message(c));
            }
            return null;
        });
        assertThat(smtp.messages).isEqualTo(1);
        assertThat(smtp.indexOfLineStartingWith("STARTTLS")).isNotNegative()
                .isLessThan(smtp.indexOfLineStartingWith("AUTH"));
    }

    @Test
    void smtpStarttlsWithAnUntrustedCertificateNeverSendsThePassword() throws Exception {
        smtp.tls = TestTls.localhost().serverContext();
        assertThatThrownBy(() -> connector.openSmtp(smtp.endpoint(Security.STARTTLS), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                });
        assertThat(smtp.receivedStartingWith("STARTTLS")).isTrue();
        assertThat(smtp.receivedStartingWith("AUTH")).isFalse();
    }

    @Test
    void smtpStarttlsToATrustedHost() throws Exception {
        smtp.tls = TestTls.localhost().serverContext();
        MailConnector trusting = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1"));
        try (SmtpConnection c = trusting.openSmtp(smtp.endpoint(Security.STARTTLS), TestGreenMail.credentials())) {
            c.send(message(c));
        }
        assertThat(smtp.messages).isEqualTo(1);
    }

    @Test
    void busyGreetingIsThrottled() {
        smtp.greeting = "421 4.3.2 Too many connections, try again later";
        assertThatThrownBy(() -> connector.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.failure().step()).isEqualTo(Step.CONNECT);
                    assertThat(e.failure().detail()).isEqualTo("421 4.3.2 Too many connections, try again later");
                    assertThat(e.failure().kind().isTransient()).isTrue();
                });
    }

    @Test
    void temporaryAuthenticationFailureIsThrottled() {
        smtp.authReply = "454 4.7.0 Temporary authentication failure";
        assertThatThrownBy(() -> connector.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                });
    }

    @Test
    void aServerWithoutAuthCannotCheckThePassword() {
        smtp.offerAuth = false;
        assertThatThrownBy(() -> connector.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                    assertThat(e.failure().detail()).contains("no authentication");
                });
    }

    @Test
    void permanentRecipientRefusalFailsTheSendWithTheServersText() throws Exception {
        smtp.rcptReply = "550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown";
        try (SmtpConnection c = connector.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials())) {
            MimeMessage m = message(c);
            assertThatThrownBy(() -> c.send(m))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.failure().protocol()).isEqualTo(Protocol.SMTP);
                        assertThat(e.failure().step()).isEqualTo(Step.SEND);
                        assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
                        assertThat(e.failure().kind().isTransient()).isFalse();
                        assertThat(e.failure().detail()).isEqualTo(smtp.rcptReply);
                        assertThat(e.getMessage()).contains("User unknown");
                    });
        }
        assertThat(smtp.messages).isZero();
    }

    @Test
    void transientSenderRefusalIsThrottled() throws Exception {
        smtp.mailReply = "451 4.7.1 Greylisted, try again later";
        try (SmtpConnection c = connector.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials())) {
            MimeMessage m = message(c);
            assertThatThrownBy(() -> c.send(m))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.failure().kind()).isEqualTo(Kind.THROTTLED);
                        assertThat(e.failure().kind().isTransient()).isTrue();
                        assertThat(e.failure().detail()).contains("451 4.7.1");
                    });
        }
        assertThat(smtp.messages).isZero();
    }

    @Test
    void imapByeUnavailableIsThrottled() {
        imap.greeting = "* BYE [UNAVAILABLE] Maximum number of connections from user+IP exceeded";
        assertThatThrownBy(() -> connector.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.failure().detail()).contains("Maximum number of connections");
                });
    }

    @Test
    void imapLoginUnavailableIsThrottledAtLogin() {
        imap.loginReply = "NO [UNAVAILABLE] Temporary authentication failure";
        assertThatThrownBy(() -> connector.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.THROTTLED);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                });
        imap.loginReply = "NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)";
        assertThatThrownBy(() -> connector.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
                    assertThat(e.failure().detail()).isEqualTo("[AUTHENTICATIONFAILED] Invalid credentials (Failure)");
                });
    }
    // ------------------------------------------------------------------ responses larger than the limit

    private static final int SMALL_LIMIT = 256 * 1024;
    private final MailConnector bounded = MailConnectors.create(TestGreenMail.loopbackConfig().withMaxResponseBytes(SMALL_LIMIT));

    private static void isResponseTooLarge(ConnectionFailedException e, Step step) {
        assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(e.failure().kind().isTransient()).isFalse();
        assertThat(e.failure().step()).isEqualTo(step);
        assertThat(e.failure().detail())
                .startsWith("The server sent a response of more than 262,144 bytes (")
                .contains("Postroom stopped reading it and closed the connection")
                .contains("maxResponseMegabytes of io.postroom.protocol")
                .doesNotContain("scripted-secret-text")
                .doesNotEndWith("...");
    }

    @Test
    void aGreetingAnnouncingTwoGigabytesIsRefusedBeforeTheyAreAllocated() {
        imap.greeting = "* OK scripted-secret-text {2000000000}";
        assertThatThrownBy(() -> bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    isResponseTooLarge(e, Step.CONNECT);
                    // refused while growing the buffer, i.e. before the 2 GB array: the size it would have needed
                    assertThat(e.failure().detail()).contains("it needed at least 2,000,000,");
                });
        assertThat(imap.received).as("no command sent after the greeting").isEmpty();
    }

    @Test
    void aLiteralTooLargeForAngusToCountIsRefusedToo() {
        // 2,147,483,640 + Angus's 16 bytes of slack overflow an int: Angus skips growing and fails another way
        imap.greeting = "* OK {2147483640}";
        assertThatThrownBy(() -> bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    isResponseTooLarge(e, Step.CONNECT);
                    assertThat(e.failure().detail()).contains("it announced a literal of 2 GB or more");
                });
    }

    @Test
    void aListAnswerAnnouncingTwoGigabytesFailsListFoldersAsAProtocolFailure() {
        imap.listReply = (c, tag) -> c.send("* LIST () \"/\" {2000000000}");
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> isResponseTooLarge(e, Step.LIST_FOLDERS));
        }
    }

    @Test
    void aLineWithoutEndFailsListFoldersOnceItPassesTheLimit() {
        imap.listReply = (c, tag) -> c.sendEndless("* LIST () \"/\" scripted-secret-text", 32L * SMALL_LIMIT);
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> isResponseTooLarge(e, Step.LIST_FOLDERS));
        }
    }

    @Test
    void answersWithinTheLimitAreReadAsBefore() {
        // a folder name as a literal of 100 KB: below the limit of 256 KiB
        String name = "f".repeat(100_000);
        imap.listReply = (c, tag) -> c.send("* LIST () \"/\" {" + name.length() + "}", name, tag + " OK done");
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThat(connection.listFolders()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo(name));
        }
    }
    /** Untagged lines in blocks of a thousand until {@code lines} are sent or the client hangs up, then the tagged OK. */
    private static void flood(ScriptedServer.Conversation c, String tag, String prefix, int lines) throws IOException {
        String[] block = new String[1000];
        for (int sent = 0; sent < lines; sent += block.length) {
            for (int i = 0; i < block.length; i++) {
                block[i] = prefix.replace("#", Integer.toString(sent + i + 1));
            }
            c.send(block);
        }
        c.send(tag + " OK done");
    }

    @Test
    void endlessSmallUntaggedResponsesFailTheCommandOnceItsAnswerHoldsFourTimesTheLimit() {
        // each line is far below the limit; together they would fill the heap within the command's deadline
        imap.listReply = (c, tag) -> flood(c, tag, "* OK scripted-secret-text #", 1_000_000);
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                assertThat(e.failure().kind()).isEqualTo(Kind.PROTOCOL);
                assertThat(e.failure().step()).isEqualTo(Step.LIST_FOLDERS);
                assertThat(e.failure().detail())
                        .startsWith("The server's answer to one command came to more than 1 MB (")
                        .contains(" responses); Postroom stopped reading it and closed the connection")
                        .contains("maxResponseMegabytes of io.postroom.protocol (one answer may hold four times that)")
                        .doesNotContain("scripted-secret-text");
            });
        }
    }

    /** {@code count} untagged lines, each far below Angus's first buffer of 128 bytes, then the tagged OK. */
    private static void lines(ScriptedServer.Conversation c, String tag, int count) throws IOException {
        String[] lines = new String[count + 1];
        for (int i = 0; i < count; i++) {
            lines[i] = "* OK line " + (i + 1);
        }
        lines[count] = tag + " OK done";
        c.send(lines);
    }

    @Test
    void theConnectionTellsHowMuchOneAnswerMayHoldAndThatIsTheBoundItEnforces() {
        try (ImapConnection defaults = connector.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThat(defaults.answerLimitBytes()).as("four times the default response limit of 64 MiB")
                    .isEqualTo(256L << 20);
            assertThat(defaults.responseLimitBytes()).as("the default response limit").isEqualTo(64L << 20);
        }
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThat(connection.answerLimitBytes()).as("four times the response limit").isEqualTo(4L * SMALL_LIMIT);
            assertThat(connection.responseLimitBytes()).as("the response limit").isEqualTo(SMALL_LIMIT);
        }
        // as documented: each response counts its buffer (Angus's first, 128 bytes, for these short lines) and 512 bytes
        long perLine = 128 + 512;
        int fitting = (int) (4L * SMALL_LIMIT / perLine);
        imap.listReply = (c, tag) -> lines(c, tag, fitting);
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThat(connection.listFolders()).as("an answer of %,d bytes counted", fitting * perLine).isEmpty();
        }
        imap.listReply = (c, tag) -> lines(c, tag, fitting + 1);
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> assertThat(e.failure().detail()).startsWith("The server's answer to one command came to more than 1 MB ("
                            + String.format(java.util.Locale.ROOT, "%,d", fitting + 1) + " responses)"));
        }
    }

    @Test
    void responsesTakenAsTheyArriveAreNotHeldAndTheOthersStillAre() throws Exception {
        // 100,000 FETCH responses: over 60 MB if held, taken one by one instead; the few others are held as usual
        imap.listReply = (c, tag) -> {
            c.send("* OK [ALERT] kept", "* 7 EXISTS");
            flood(c, tag, "* # FETCH (UID # FLAGS (\\Seen))", 100_000);
        };
        try (ImapConnection connection = bounded.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            IMAPFolder root = (IMAPFolder) connection.store().getDefaultFolder();
            long[] taken = new long[2]; // how many, the sum of their UIDs
            Object answer = root.doCommand(p -> {
                StreamedResponses s = (StreamedResponses) p;
                s.streamTo(r -> {
                    if (r instanceof FetchResponse f) {
                        taken[0]++;
                        taken[1] += f.getItem(UID.class).uid;
                        return true;
                    }
                    return false;
                });
                try {
                    return p.command("LIST \"\" \"*\"", null);
                } finally {
                    s.streamTo(null);
                }
            });
            Response[] held = (Response[]) answer;
            assertThat(taken[0]).isEqualTo(100_000);
            assertThat(taken[1]).isEqualTo(100_000L * 100_001 / 2);
            assertThat(held).extracting(Response::toString)
                    .containsExactly("* OK [ALERT] kept", "* 7 EXISTS", held[2].toString());
            assertThat(held[2].isTagged() && held[2].isOK()).isTrue();
            // the same answer without a taker is refused
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> assertThat(e.failure().detail()).startsWith("The server's answer to one command came to more than 1 MB"));
        }
    }

    // ------------------------------------------------------------------ servers that drip their answers

    /** Short, so the tests are quick; the read timeout (10 s) is far longer: only the command timeout can fire. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(1500);
    /** A pause between two dripped bytes: far below the read timeout, so each read gets its byte in time. */
    private static final long DRIP_MILLIS = 100;
    private final MailConnector impatient = MailConnectors.create(TestGreenMail.loopbackConfig().withCommandTimeout(COMMAND_TIMEOUT));

    private static void isCommandTimeout(ConnectionFailedException e, Step step, String what) {
        assertThat(e.failure().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.failure().kind().isTransient()).isTrue();
        assertThat(e.failure().step()).isEqualTo(step);
        assertThat(e.failure().detail())
                .startsWith("The mail server had not finished " + what + " after 1,500 ms, the limit set by"
                        + " commandTimeoutSeconds of io.postroom.protocol; the connection was closed.")
                .contains("ask the administrator to raise the limit")
                .doesNotEndWith("...");
    }

    @Test
    void aGreetingDrippedForLongerThanTheCommandTimeoutFailsTheOpening() {
        imap.greeting = "* OK [CAPABILITY IMAP4rev1] scripted server, a byte at a time, for many seconds";
        imap.greetingDripMillis = DRIP_MILLIS;
        assertThatThrownBy(() -> impatient.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> isCommandTimeout(e, Step.CONNECT, "opening the connection (greeting, TLS and login)"));
        assertThat(imap.received).as("nothing sent: the greeting never ended").isEmpty();
    }

    @Test
    void aLoginAnswerDrippedPastTheOpeningsTimeFailsTheOpening() {
        imap.loginReply = "OK [CAPABILITY IMAP4rev1] Logged in, slowly, very slowly, a byte at a time";
        imap.loginDripMillis = DRIP_MILLIS;
        assertThatThrownBy(() -> impatient.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    // past the greeting: the step is the login's, the deadline the whole opening's
                    isCommandTimeout(e, Step.LOGIN, "opening the connection (greeting, TLS and login)");
                    assertThat(e.failure().describe()).startsWith("IMAP login to ");
                    assertThat(e.failure().detail()).doesNotContain(TestGreenMail.credentials().password().reveal());
                });
        synchronized (imap.received) {
            assertThat(imap.received).as("the greeting came in time; LOGIN was sent").anyMatch(l -> l.contains(" LOGIN "));
        }
    }

    @Test
    void aListAnswerDrippedPastTheCommandTimeoutFailsAndClosesTheConnection() {
        imap.listReply = (c, tag) -> c.drip("* LIST () \"/\" INBOX\r\n* LIST () \"/\" Archive\r\n" + tag + " OK done\r\n",
                DRIP_MILLIS);
        try (ImapConnection connection = impatient.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> isCommandTimeout(e, Step.LIST_FOLDERS, "answering the IMAP command LIST"));
            assertThat(connection.store().isConnected()).as("closed under the command").isFalse();
        }
    }

    @Test
    void aServerSilentUntilTheCommandTimeoutFailsThenNotAtTheReadTimeout() {
        imap.listReply = (c, tag) -> { }; // never answers; the read timeout (10 s) is far away
        try (ImapConnection connection = impatient.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> isCommandTimeout(e, Step.LIST_FOLDERS, "answering the IMAP command LIST"));
        }
    }

    @Test
    void commandsThatTakeTheirTimeWithinTheCommandTimeoutAreNotCut() {
        // each LIST answer takes about 0.5 s of the 3 s each may take; all of them together take longer than 3 s
        MailConnector patient = MailConnectors.create(TestGreenMail.loopbackConfig().withCommandTimeout(Duration.ofSeconds(3)));
        imap.listReply = (c, tag) -> c.drip("* LIST () \"/\" INBOX\r\n" + tag + " OK\r\n", 20);
        try (ImapConnection connection = patient.openImap(imap.endpoint(Security.NONE), TestGreenMail.credentials())) {
            for (int i = 0; i < 7; i++) {
                assertThat(connection.listFolders()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("INBOX"));
            }
        }
    }

    @Test
    void underTlsTheDeadlineHoldsAsInPlainText() throws Exception {
        // the JDK's TLS socket reads Postroom's plain socket underneath: each TLS record is read under the deadline
        imap.tls = TestTls.localhost().serverContext();
        MailConnector tlsImpatient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1")
                .withCommandTimeout(COMMAND_TIMEOUT));
        imap.listReply = (c, tag) -> c.drip("* LIST () \"/\" INBOX\r\n* LIST () \"/\" Archive\r\n" + tag + " OK done\r\n",
                DRIP_MILLIS);
        try (ImapConnection connection = tlsImpatient.openImap(imap.endpoint(Security.SSL), TestGreenMail.credentials())) {
            assertThatThrownBy(connection::listFolders).isInstanceOfSatisfying(ConnectionFailedException.class,
                    e -> isCommandTimeout(e, Step.LIST_FOLDERS, "answering the IMAP command LIST"));
        }

        imap.greetingDripMillis = DRIP_MILLIS;
        assertThatThrownBy(() -> tlsImpatient.openImap(imap.endpoint(Security.SSL), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> isCommandTimeout(e, Step.CONNECT, "opening the connection (greeting, TLS and login)"));
    }

    @Test
    void aTlsHandshakeTheServerNeverAnswersFailsTheOpeningAsATimeout() throws Exception {
        imap.tls = TestTls.localhost().serverContext();
        imap.quietHandshake = true;
        MailConnector tlsImpatient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1")
                .withCommandTimeout(COMMAND_TIMEOUT));
        assertThatThrownBy(() -> tlsImpatient.openImap(imap.endpoint(Security.SSL), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> isCommandTimeout(e, Step.CONNECT, "opening the connection (greeting, TLS and login)"));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Security.class, names = {"NONE", "SSL"})
    void abortBreaksOffACommandInProgressAtOnceWithoutWaitingForItsLocks(Security security) throws Exception {
        if (security == Security.SSL) {
            // under TLS the plain socket is closed beneath the JDK's TLS socket: its read fails too
            imap.tls = TestTls.localhost().serverContext();
        }
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        imap.listReply = (c, tag) -> asked.countDown(); // and never answers
        // neither the command timeout (10 minutes) nor the read timeout (10 s) is what ends the command here
        MailConnector patient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1"));
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (ImapConnection connection = patient.openImap(imap.endpoint(security), TestGreenMail.credentials())) {
            java.util.concurrent.Future<?> listing = other.submit(connection::listFolders);
            asked.await();

            connection.abort(); // while the other thread waits in LIST, holding Angus's locks

            Throwable failure = org.assertj.core.api.Assertions.catchThrowable(listing::get).getCause();
            assertThat(failure).isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                assertThat(e.failure().kind()).as("a dropped connection, not a timeout").isEqualTo(Kind.NETWORK);
                assertThat(e.failure().step()).isEqualTo(Step.LIST_FOLDERS);
            });
            assertThat(connection.store().isConnected()).isFalse();
        } finally {
            other.shutdownNow();
        }
    }
    // ------------------------------------------------------------------ SMTP servers that drip their answers

    /**
     * The whole SMTP session, from the socket's creation to its close, is under the command timeout
     * (1.5 s here); the read timeout (10 s) is far longer, so only the session's limit can fire.
     */
    private static void isSmtpSessionTimeout(ConnectionFailedException e, Step step) {
        assertThat(e.failure().protocol()).isEqualTo(Protocol.SMTP);
        assertThat(e.failure().kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.failure().kind().isTransient()).isTrue();
        assertThat(e.failure().step()).isEqualTo(step);
        assertThat(e.failure().detail())
                .isEqualTo("The mail server had not finished the SMTP session (greeting, TLS, login and sending) after"
                        + " 1,500 ms, the limit set by commandTimeoutSeconds of io.postroom.protocol for a whole SMTP session;"
                        + " the connection was closed. Only an overloaded or broken server, or a very slow network, takes"
                        + " this long. If this server is that slow by nature, ask the administrator to raise the limit.");
        passwordNowhereIn(e);
    }

    /** Neither the password nor AUTH PLAIN's encoding of it in the exception, its detail or any cause. */
    private static void passwordNowhereIn(ConnectionFailedException e) {
        String password = TestGreenMail.PASSWORD;
        String plain = Base64.getEncoder().encodeToString(("\0" + TestGreenMail.USER + "\0" + password).getBytes(StandardCharsets.UTF_8));
        assertThat(e.failure().detail()).doesNotContain(password).doesNotContain(plain);
        for (Throwable t : FailureClassifier.chain(e)) {
            assertThat(String.valueOf(t.getMessage())).as(t.getClass().getName()).doesNotContain(password).doesNotContain(plain);
            assertThat(t.toString()).doesNotContain(password).doesNotContain(plain);
        }
    }

    /** The client closed its connection (the server saw it hang up while it dripped or kept quiet). */
    private static void hungUp(ScriptedServer server) throws InterruptedException {
        // a bound for a broken build, not a measure: the server notices within a dripped byte or two
        assertThat(server.hangUps.tryAcquire(30, TimeUnit.SECONDS)).as("the client closed the connection").isTrue();
    }

    @Test
    void anSmtpGreetingDrippedPastTheSessionTimeoutFailsTheConnection() throws Exception {
        smtp.greeting = "220 scripted ESMTP, a byte at a time, for many seconds";
        smtp.drip.put("GREETING", DRIP_MILLIS);
        assertThatThrownBy(() -> impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.CONNECT));
        hungUp(smtp);
        assertThat(smtp.received).as("nothing sent: the greeting never ended").isEmpty();
    }

    @Test
    void anEhloAnswerDrippedPastTheSessionTimeoutFailsTheConnection() throws Exception {
        smtp.drip.put("EHLO", DRIP_MILLIS);
        assertThatThrownBy(() -> impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.CONNECT));
        hungUp(smtp);
        assertThat(smtp.receivedStartingWith("EHLO")).isTrue();
        assertThat(smtp.receivedStartingWith("AUTH")).as("no password sent").isFalse();
    }

    @Test
    void anSmtpServerSilentAfterEhloFailsAtTheSessionTimeoutNotAtTheReadTimeout() throws Exception {
        smtp.silentOn = "EHLO";
        assertThatThrownBy(() -> impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.CONNECT));
        hungUp(smtp);
    }

    @Test
    void anAuthAnswerDrippedPastTheSessionTimeoutFailsTheLogin() throws Exception {
        smtp.authReply = "235 2.7.0 Authentication successful, a byte at a time";
        smtp.drip.put("AUTH", DRIP_MILLIS);
        assertThatThrownBy(() -> impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.LOGIN));
        hungUp(smtp);
        assertThat(smtp.receivedStartingWith("AUTH PLAIN")).isTrue();
    }

    @Test
    void underStarttlsTheSessionTimeoutHoldsAsInPlainText() throws Exception {
        // the JDK's TLS socket reads Postroom's plain socket underneath: each TLS record is read under the deadline
        smtp.tls = TestTls.localhost().serverContext();
        smtp.authReply = "235 2.7.0 Authentication successful, a byte at a time";
        smtp.drip.put("AUTH", DRIP_MILLIS);
        MailConnector tlsImpatient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1")
                .withCommandTimeout(COMMAND_TIMEOUT));
        assertThatThrownBy(() -> tlsImpatient.openSmtp(smtp.endpoint(Security.STARTTLS), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.LOGIN));
        hungUp(smtp);
        assertThat(smtp.indexOfLineStartingWith("STARTTLS")).isNotNegative().isLessThan(smtp.indexOfLineStartingWith("AUTH"));
    }

    @Test
    void overSslFromTheFirstByteTheSessionTimeoutHoldsToo() throws Exception {
        smtp.tls = TestTls.localhost().serverContext();
        smtp.sslFromStart = true;
        smtp.greeting = "220 scripted ESMTP, a byte at a time, for many seconds";
        smtp.drip.put("GREETING", DRIP_MILLIS);
        MailConnector tlsImpatient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1")
                .withCommandTimeout(COMMAND_TIMEOUT));
        assertThatThrownBy(() -> tlsImpatient.openSmtp(smtp.endpoint(Security.SSL), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.CONNECT));
        hungUp(smtp);
        assertThat(smtp.received).as("nothing sent: the greeting never ended").isEmpty();
    }

    @Test
    void aTlsHandshakeAfterStarttlsTheServerNeverAnswersFailsTheConnectionAsATimeout() throws Exception {
        smtp.tls = TestTls.localhost().serverContext();
        smtp.quietHandshake = true;
        MailConnector tlsImpatient = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1")
                .withCommandTimeout(COMMAND_TIMEOUT));
        assertThatThrownBy(() -> tlsImpatient.openSmtp(smtp.endpoint(Security.STARTTLS), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.CONNECT));
        hungUp(smtp);
        assertThat(smtp.receivedStartingWith("AUTH")).as("no password sent").isFalse();
    }

    @Test
    void theAnswerToAMessageDrippedPastTheSessionTimeoutFailsTheSendAndClosesTheConnection() throws Exception {
        smtp.queuedReply = "250 2.0.0 Ok: queued as 4Fz9Xq1Bc2, a byte at a time";
        smtp.drip.put(".", DRIP_MILLIS);
        try (SmtpConnection c = impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials())) {
            MimeMessage m = message(c);
            assertThatThrownBy(() -> c.send(m))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.SEND));
            hungUp(smtp);
            // closed under the send: a second one is refused as such, without a word to the server
            assertThatThrownBy(() -> c.send(message(c))).isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                assertThat(e.failure().kind()).isEqualTo(Kind.NETWORK);
                assertThat(e.failure().detail()).isEqualTo("the connection is closed; open a new one");
            });
        }
        assertThat(smtp.receivedStartingWith("DATA")).isTrue();
        assertThat(smtp.receivedStartingWith("QUIT")).as("closed already, no QUIT").isFalse();
    }

    @Test
    void theSessionTimeoutCoversTheWholeSessionNotEachAnswer() throws Exception {
        // the greeting takes about 0.4 s and the answer to MAIL about 1.3 s: each within the 1.5 s, together not
        smtp.drip.put("GREETING", 20L);
        smtp.drip.put("MAIL", DRIP_MILLIS);
        try (SmtpConnection c = impatient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials())) {
            MimeMessage m = message(c);
            assertThatThrownBy(() -> c.send(m))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> isSmtpSessionTimeout(e, Step.SEND));
        }
        hungUp(smtp);
        assertThat(smtp.messages).isZero();
        assertThat(smtp.receivedStartingWith("RCPT")).isFalse();
    }

    @Test
    void aSteadySessionWithinTheSessionTimeoutIsNotCut() {
        // every answer a byte at a time: some 0.4 s in all, of the 2 s the session may take
        MailConnector patient = MailConnectors.create(TestGreenMail.loopbackConfig().withCommandTimeout(Duration.ofSeconds(2)));
        smtp.drip.put("*", 2L);
        try (SmtpConnection c = patient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials())) {
            c.send(message(c));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(smtp.messages).isEqualTo(1);
    }

    @Test
    void closingDoesNotWaitForTheAnswerToQuit() throws Exception {
        // the server drips its answer to QUIT for some 17 minutes, and neither the read timeout nor the session's
        // limit (an hour each) would end a close that waited for it
        MailConnector patient = MailConnectors.create(TestGreenMail.loopbackConfig()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofSeconds(10))
                .withCommandTimeout(Duration.ofHours(1)));
        smtp.quitReply = "221 2.0.0 Bye" + ", slowly".repeat(120);
        smtp.drip.put("QUIT", 1000L);
        SmtpConnection c = patient.openSmtp(smtp.endpoint(Security.NONE), TestGreenMail.credentials());
        c.send(message(c));
        c.close();
        hungUp(smtp);
        assertThat(smtp.receivedStartingWith("QUIT")).isTrue();
        assertThat(smtp.messages).isEqualTo(1);
    }
}

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
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replies and TLS upgrades GreenMail cannot give, from a scripted server on loopback. */
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
                    isCommandTimeout(e, Step.CONNECT, "opening the connection (greeting, TLS and login)");
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
}

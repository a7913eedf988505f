package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.ErrorCode;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connecting, logging in, listing, reading and sending against GreenMail on loopback. */
class GreenMailConnectorTest {
    private static TestGreenMail servers;
    private static MailConnector connector;

    @BeforeAll
    static void start() {
        servers = new TestGreenMail();
        connector = MailConnectors.create(TestGreenMail.loopbackConfig());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @BeforeEach
    void empty() throws Exception {
        servers.greenMail.purgeEmailFromAllMailboxes();
    }

    @Test
    void imapPlainLogsInAndReportsCapabilities() {
        try (ImapConnection imap = connector.openImap(servers.imap(), TestGreenMail.credentials())) {
            assertThat(imap.store().isConnected()).isTrue();
            assertThat(imap.capabilities()).contains("IMAP4REV1", "UIDPLUS", "IDLE", "MOVE")
                    .allSatisfy(c -> assertThat(c).isUpperCase());
            assertThat(imap.hasCapability("uidplus")).isTrue();
            assertThat(imap.hasCapability("CONDSTORE")).isFalse(); // GreenMail has none
        }
    }

    @Test
    void listFoldersPutsInboxFirstThenSortsByName() throws Exception {
        GreenMailUser user = servers.greenMail.getUserManager().getUser(TestGreenMail.USER);
        var manager = servers.greenMail.getManagers().getImapHostManager();
        for (String name : List.of("zeta", "Archive", "beta")) {
            if (manager.getFolder(user, name) == null) {
                manager.createMailbox(user, name);
            }
        }
        try (ImapConnection imap = connector.openImap(servers.imap(), TestGreenMail.credentials())) {
            List<RemoteFolder> folders = imap.listFolders();
            assertThat(folders).extracting(RemoteFolder::name).startsWith("INBOX").containsSubsequence("Archive", "beta", "zeta");
            assertThat(folders.get(0).inbox()).isTrue();
            assertThat(folders).allSatisfy(f -> assertThat(f.selectable()).isTrue());
            // GreenMail announces no SPECIAL-USE: nothing is invented
            assertThat(folders).allSatisfy(f -> assertThat(f.specialUse()).isEmpty());
        }
    }

    @Test
    void sendsThroughSmtpAndTheMessageArrives() throws Exception {
        try (SmtpConnection smtp = connector.openSmtp(servers.smtp(), TestGreenMail.credentials())) {
            MimeMessage message = new MimeMessage(smtp.session());
            message.setFrom(new InternetAddress(TestGreenMail.USER));
            message.setRecipients(Message.RecipientType.TO, "bob@example.com");
            message.setRecipients(Message.RecipientType.BCC, "carol@example.com");
            message.setSubject("Quote 42");
            message.setText("Hello Bob");
            smtp.send(message);
        }
        assertThat(servers.greenMail.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] received = servers.greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        assertThat(received[0].getSubject()).isEqualTo("Quote 42");
        assertThat(received[0].getHeader("Bcc")).as("Bcc never travels in the header").isNull();
    }

    @Test
    void sendingWithoutRecipientsIsRefusedBeforeTalkingToTheServer() throws Exception {
        try (SmtpConnection smtp = connector.openSmtp(servers.smtp(), TestGreenMail.credentials())) {
            MimeMessage message = new MimeMessage(smtp.session());
            message.setFrom(new InternetAddress(TestGreenMail.USER));
            message.setText("nobody");
            assertThatThrownBy(() -> smtp.send(message))
                    .isInstanceOfSatisfying(io.postroom.api.PostroomException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                    .hasMessageContaining("no recipients");
        }
        assertThat(servers.greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendingWithoutSenderOrWithABadAddressIsRefused() throws Exception {
        try (SmtpConnection smtp = connector.openSmtp(servers.smtp(), TestGreenMail.credentials())) {
            MimeMessage noFrom = new MimeMessage(smtp.session());
            noFrom.setRecipients(Message.RecipientType.TO, "bob@example.com");
            noFrom.setText("who sent this?");
            assertThatThrownBy(() -> smtp.send(noFrom))
                    .isInstanceOfSatisfying(io.postroom.api.PostroomException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
                        assertThat(e.details()).containsEntry("field", "from");
                    });
            MimeMessage badTo = new MimeMessage(smtp.session());
            badTo.setFrom(new InternetAddress(TestGreenMail.USER));
            badTo.setHeader("To", "bob@@example..com <");
            badTo.setText("to whom?");
            assertThatThrownBy(() -> smtp.send(badTo))
                    .isInstanceOfSatisfying(io.postroom.api.PostroomException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ADDRESS));
        }
        assertThat(servers.greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void sendingOnAClosedConnectionIsANetworkFailure() throws Exception {
        SmtpConnection smtp = connector.openSmtp(servers.smtp(), TestGreenMail.credentials());
        smtp.close();
        MimeMessage message = new MimeMessage(smtp.session());
        message.setFrom(new InternetAddress(TestGreenMail.USER));
        message.setRecipients(Message.RecipientType.TO, "bob@example.com");
        message.setText("late");
        assertThatThrownBy(() -> smtp.send(message))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.NETWORK);
                    assertThat(e.failure().step()).isEqualTo(Step.SEND);
                });
        assertThat(servers.greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void readingAMessageNeverSetsSeen() throws Exception {
        deliver("Unread until the user reads it");
        try (ImapConnection imap = connector.openImap(servers.imap(), TestGreenMail.credentials())) {
            Folder inbox = imap.store().getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message m = inbox.getMessage(1);
            m.writeTo(new ByteArrayOutputStream());
            assertThat(m.getContent()).asString().contains("Unread");
            inbox.close(false);
        }
        assertThat(serverFlags().contains(Flags.Flag.SEEN)).as("\\Seen on the server after reading").isFalse();
    }

    /** Control for the test above: Angus's defaults do set \Seen, so the check can see it. */
    @Test
    void angusDefaultsWouldSetSeen() throws Exception {
        deliver("Read by a careless client");
        Properties props = new Properties();
        props.setProperty("mail.imap.timeout", "10000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect(TestGreenMail.HOST, servers.imap().port(), TestGreenMail.USER, TestGreenMail.PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            inbox.getMessage(1).writeTo(new ByteArrayOutputStream());
            inbox.close(false);
        } finally {
            store.close();
        }
        assertThat(serverFlags().contains(Flags.Flag.SEEN)).isTrue();
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureAtLogin() {
        Credentials wrong = new Credentials(TestGreenMail.USER, Secret.of("not-the-password"));
        assertThatThrownBy(() -> connector.openImap(servers.imap(), wrong))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                    assertThat(e.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                    assertThat(e.failure().protocol()).isEqualTo(Protocol.IMAP);
                    assertThat(e.getMessage()).doesNotContain("not-the-password");
                });
        assertThatThrownBy(() -> connector.openSmtp(servers.smtp(), wrong))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                    assertThat(e.failure().protocol()).isEqualTo(Protocol.SMTP);
                    assertThat(e.failure().detail()).startsWith("535");
                    assertThat(e.getMessage()).doesNotContain("not-the-password");
                });
    }

    @Test
    void imapWorksWhileSmtpToAClosedPortIsRefused() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(TestGreenMail.HOST))) {
            closed = s.getLocalPort();
        }
        try (ImapConnection imap = connector.openImap(servers.imap(), TestGreenMail.credentials())) {
            assertThat(imap.listFolders()).isNotEmpty();
        }
        Endpoint down = new Endpoint(TestGreenMail.HOST, closed, Security.NONE);
        assertThatThrownBy(() -> connector.openSmtp(down, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().protocol()).isEqualTo(Protocol.SMTP);
                    assertThat(e.failure().kind()).isEqualTo(Kind.CONNECTION_REFUSED);
                    assertThat(e.failure().step()).isEqualTo(Step.CONNECT);
                    assertThat(e.failure().kind().isTransient()).isTrue();
                });
    }

    @Test
    void starttlsIsRequiredNotOptional() {
        // GreenMail offers no STARTTLS: a STARTTLS endpoint must not fall back to plain text
        Endpoint imap = new Endpoint(TestGreenMail.HOST, servers.imap().port(), Security.STARTTLS);
        assertThatThrownBy(() -> connector.openImap(imap, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.TLS_HANDSHAKE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                    assertThat(e.failure().detail()).contains("STARTTLS");
                });
        Endpoint smtp = new Endpoint(TestGreenMail.HOST, servers.smtp().port(), Security.STARTTLS);
        assertThatThrownBy(() -> connector.openSmtp(smtp, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.TLS_HANDSHAKE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                });
    }

    @Test
    void selfSignedCertificatesAreRefusedByDefault() {
        assertThatThrownBy(() -> connector.openImap(servers.imaps(), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                    assertThat(e.failure().kind().isTransient()).isFalse();
                });
        assertThatThrownBy(() -> connector.openSmtp(servers.smtps(), TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                });
    }

    @Test
    void aTrustedIssuerWithTheWrongHostNameIsStillRefused() throws Exception {
        // GreenMail's certificate names no host: trusting its issuer is not enough
        TestTls.withDefaultTrust(TestTls.greenMail(), () -> {
            assertThatThrownBy(() -> connector.openImap(servers.imaps(), TestGreenMail.credentials()))
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE));
            return null;
        });
    }

    @Test
    void selfSignedCertificatesAreAcceptedForTrustedHosts() throws Exception {
        MailConnector trusting = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts(TestGreenMail.HOST));
        try (ImapConnection imap = trusting.openImap(servers.imaps(), TestGreenMail.credentials())) {
            assertThat(imap.capabilities()).contains("IMAP4REV1");
        }
        try (SmtpConnection smtp = trusting.openSmtp(servers.smtps(), TestGreenMail.credentials())) {
            MimeMessage message = new MimeMessage(smtp.session());
            message.setFrom(new InternetAddress(TestGreenMail.USER));
            message.setRecipients(Message.RecipientType.TO, "bob@example.com");
            message.setText("over TLS");
            smtp.send(message);
        }
        assertThat(servers.greenMail.waitForIncomingEmail(5000, 1)).isTrue();
    }

    @Test
    void plainTextIsRefusedForHostsNotListed() throws Exception {
        MailConnector strict = MailConnectors.create(TestGreenMail.loopbackConfig().withPlaintextHosts());
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(TestGreenMail.HOST))) {
            Endpoint plain = new Endpoint(TestGreenMail.HOST, probe.getLocalPort(), Security.NONE);
            assertThatThrownBy(() -> strict.openImap(plain, TestGreenMail.credentials()))
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.OUTBOUND_NOT_ALLOWED);
                        assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED);
                        assertThat(e.failure().detail()).contains("plaintextHosts");
                    });
            assertThatThrownBy(() -> strict.openSmtp(plain, TestGreenMail.credentials()))
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED));
        }
    }

    private static void deliver(String text) throws Exception {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
        m.setFrom("bob@example.com");
        m.setRecipients(Message.RecipientType.TO, TestGreenMail.USER);
        m.setSubject("Hello");
        m.setText(text);
        servers.greenMail.getUserManager().getUser(TestGreenMail.USER).deliver(m);
    }

    private static Flags serverFlags() throws Exception {
        GreenMailUser user = servers.greenMail.getUserManager().getUser(TestGreenMail.USER);
        MailFolder inbox = servers.greenMail.getManagers().getImapHostManager().getInbox(user);
        List<StoredMessage> messages = inbox.getMessages();
        assertThat(messages).hasSize(1);
        return messages.get(0).getFlags();
    }
}

package io.postroom.demo.mailserver.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoMailServerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);

    private final int imapPort = freePort();
    private final int smtpPort = freePort();
    private DemoMailServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void everyAccountStartsWithMessagesInInboxAndSent() throws Exception {
        server = new DemoMailServer(config("alice@example.com, bob@example.com, carol@example.com", true), CLOCK);

        try (Store store = imap("alice@example.com", "alice")) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] received = inbox.getMessages();
            assertThat(received).hasSize(5);
            assertThat(received).extracting(Message::getSubject).containsExactly(
                    "Quarterly figures for the board",
                    "Замовлення № 42: підтвердження доставки",
                    "Your November price list",
                    "Re: Re: Quarterly figures for the board",
                    "Fabrikam: agreed prices");
            assertThat(((InternetAddress) received[0].getFrom()[0]).getAddress()).isEqualTo("bob@example.com");
            assertThat(received[0].getFlags().contains(jakarta.mail.Flags.Flag.SEEN)).isTrue();
            assertThat(received[1].getFlags().contains(jakarta.mail.Flags.Flag.SEEN)).isFalse();
            assertThat(received[2].isMimeType("multipart/alternative")).isTrue();
            assertThat(((Multipart) received[2].getContent()).getBodyPart(1).isMimeType("text/html")).isTrue();
            assertThat(received[3].getHeader("References")[0])
                    .isEqualTo("<board-figures.alice@demo.postroom.io> <board-figures-reply.alice@demo.postroom.io>");
            Part attachment = ((Multipart) received[4].getContent()).getBodyPart(1);
            assertThat(attachment.getFileName()).isEqualTo("fabrikam-prices.csv");
            assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(received[4].getSentDate()).isEqualTo(Instant.parse("2026-11-19T11:20:00Z"));

            Folder sent = store.getFolder("Sent");
            sent.open(Folder.READ_ONLY);
            Message[] written = sent.getMessages();
            assertThat(written).extracting(Message::getSubject)
                    .containsExactly("Re: Quarterly figures for the board", "Proposal for Fabrikam");
            assertThat(written[0].getHeader("In-Reply-To")[0]).isEqualTo("<board-figures.alice@demo.postroom.io>");
            assertThat(written[0].getHeader("Message-ID")[0]).isEqualTo("<board-figures-reply.alice@demo.postroom.io>");
        }
        try (Store store = imap("carol@example.com", "carol")) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(((InternetAddress) inbox.getMessage(1).getFrom()[0]).getAddress()).isEqualTo("alice@example.com");
        }
    }

    @Test
    void withoutSeedTheFoldersAreEmpty() throws Exception {
        server = new DemoMailServer(config("alice@example.com", false), CLOCK);

        try (Store store = imap("alice@example.com", "alice")) {
            assertThat(store.getFolder("INBOX").getMessageCount()).isZero();
            assertThat(store.getFolder("Sent").getMessageCount()).isZero();
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        server = new DemoMailServer(config("alice@example.com:Not-alice", true), CLOCK);

        assertThatThrownBy(() -> imap("alice@example.com", "alice")).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void latestShowsWhatArrivedBySmtpFirst() throws Exception {
        server = new DemoMailServer(config("alice@example.com, bob@example.com", true), CLOCK);
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(smtpPort));
        props.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(props);
        MimeMessage code = new MimeMessage(session);
        code.setFrom("alice@example.com");
        code.setRecipients(Message.RecipientType.TO, "alice@example.com");
        code.setSubject("Your Postroom verification code");
        code.setText("Your code is 482913.\nIt expires in 15 minutes.");
        Transport.send(code, new Address[] {new InternetAddress("alice@example.com")}, "alice@example.com", "alice");

        List<DemoMessage> latest = server.latest("alice@example.com", "INBOX", 2);

        assertThat(latest).hasSize(2);
        assertThat(latest.get(0).subject()).isEqualTo("Your Postroom verification code");
        assertThat(latest.get(0).preview()).isEqualTo("Your code is 482913. It expires in 15 minutes.");
        assertThat(latest.get(1).subject()).isEqualTo("Fabrikam: agreed prices");
        assertThat(latest.get(1).from()).isEqualTo("Erin Evans <erin@example.com>");
        assertThat(server.latest("alice@example.com", "Sent", 10)).extracting(DemoMessage::subject)
                .containsExactly("Proposal for Fabrikam", "Re: Quarterly figures for the board");
    }

    @Test
    void htmlOnlyPreviewHasNoTagsAndUkrainianSubjectIsDecoded() {
        server = new DemoMailServer(config("alice@example.com", true), CLOCK);

        List<DemoMessage> all = server.latest("alice@example.com", "INBOX", 10);

        assertThat(all).hasSize(5);
        assertThat(all.get(3).subject()).isEqualTo("Замовлення № 42: підтвердження доставки");
        assertThat(all.get(3).from()).isEqualTo("Олена Петренко <olena.petrenko@kyiv-logistics.example>");
        assertThat(all.get(2).preview()).startsWith("Northwind Traders - November prices");
        assertThat(all.get(0).from()).isEqualTo("Erin Evans <erin@example.com>");
    }

    @Test
    void unknownAccountOrFolderIsNamed() {
        server = new DemoMailServer(config("alice@example.com, bob@example.com", true), CLOCK);

        assertThatThrownBy(() -> server.latest("mallory@example.com", "INBOX", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("There is no demo account mallory@example.com; the demo accounts are alice@example.com, bob@example.com.");
        assertThatThrownBy(() -> server.latest("alice@example.com", "Archive", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alice@example.com has no folder Archive.");
    }

    @Test
    void stopIsIdempotentAndFreesThePortsForTheNextActivation() throws Exception {
        server = new DemoMailServer(config("alice@example.com", true), CLOCK);
        server.stop();
        server.stop();

        server = new DemoMailServer(config("alice@example.com", true), CLOCK);

        try (Store store = imap("alice@example.com", "alice")) {
            assertThat(store.getFolder("INBOX").getMessageCount()).isEqualTo(5);
        }
        assertThat(server.describe()).isEqualTo("IMAP 127.0.0.1:" + imapPort + ", SMTP 127.0.0.1:" + smtpPort);
    }

    @Test
    void imapsServesTlsWithGreenMailsOwnCertificate() throws Exception {
        int imaps = freePort();
        server = new DemoMailServer(config("alice@example.com", true, imapPort, smtpPort, imaps), CLOCK);
        Properties props = new Properties();
        props.put("mail.imaps.ssl.trust", "*");
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "5000");
        props.put("mail.imaps.timeout", "5000");

        try (Store store = Session.getInstance(props).getStore("imaps")) {
            store.connect("127.0.0.1", imaps, "alice@example.com", "alice");
            assertThat(store.getFolder("INBOX").getMessageCount()).isEqualTo(5);
        }
        assertThat(server.describe()).endsWith("IMAPS 127.0.0.1:" + imaps);
    }

    @Test
    void busyPortSaysWhatToChange() throws Exception {
        try (ServerSocket busy = new ServerSocket(imapPort, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(busy.isBound()).isTrue();
            assertThatThrownBy(() -> new DemoMailServer(config("alice@example.com", true), CLOCK))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not listen on IMAP 127.0.0.1:" + imapPort)
                    .hasMessageContaining("etc/io.postroom.demo.mailserver.cfg");
        }
    }

    @Test
    void noPortIsRefused() {
        assertThatThrownBy(() -> new DemoMailServer(config("alice@example.com", true, 0, 0), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The demo mail server has no port: set imapPort and smtpPort in etc/io.postroom.demo.mailserver.cfg.");
    }

    private Store imap(String user, String password) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "5000");
        props.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect("127.0.0.1", imapPort, user, password);
        return store;
    }

    private DemoMailServer.Config config(String accounts, boolean seed) {
        return config(accounts, seed, imapPort, smtpPort);
    }

    private static DemoMailServer.Config config(String accounts, boolean seed, int imap, int smtp) {
        return config(accounts, seed, imap, smtp, 0);
    }

    private static DemoMailServer.Config config(String accounts, boolean seed, int imap, int smtp, int imaps) {
        return new DemoMailServer.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return DemoMailServer.Config.class;
            }

            @Override
            public String bindAddress() {
                return "127.0.0.1";
            }

            @Override
            public int imapPort() {
                return imap;
            }

            @Override
            public int smtpPort() {
                return smtp;
            }

            @Override
            public int imapsPort() {
                return imaps;
            }

            @Override
            public int smtpsPort() {
                return 0;
            }

            @Override
            public String accounts() {
                return accounts;
            }

            @Override
            public boolean seed() {
                return seed;
            }
        };
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.postroom.testing.dovecot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.postroom.testing.mail.GeneratedMail;
import io.postroom.testing.mail.HostileMail;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import io.postroom.testing.proxy.FaultProxy;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

class DovecotTest {

    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.perClass();

    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-03-01T00:00:00Z");

    private static Dovecot dovecot() {
        return DOVECOT.dovecot();
    }

    private static IMAPStore connect(DovecotUser user, ImapSecurity security) throws MessagingException {
        return connect(dovecot().imapProperties(security), user.name(), user.password());
    }

    private static IMAPStore connect(Properties props, String user, String password) throws MessagingException {
        IMAPStore store = (IMAPStore) Session.getInstance(props).getStore("imap");
        store.connect(user, password);
        return store;
    }

    @Test
    void listensOnLoopbackOnlyAndRunsAsThisUser() throws Exception {
        String config = Files.readString(dovecot().configFile());
        assertThat(config).contains("listen = 127.0.0.1");
        assertThat(dovecot().host()).isEqualTo("127.0.0.1");
        assertThat(dovecot().imapPort()).isNotEqualTo(dovecot().imapsPort());
        assertThat(dovecot().isRunning()).isTrue();
        System.out.println("Dovecot " + Dovecot.version() + ", " + config.lines().skip(1).findFirst().orElse(""));
    }

    @Test
    void plainLoginShowsCondstoreQresyncAndSpecialUse() throws Exception {
        DovecotUser user = dovecot().newUser();
        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            assertThat(store.hasCapability("CONDSTORE")).isTrue();
            assertThat(store.hasCapability("QRESYNC")).isTrue();
            assertThat(store.hasCapability("SPECIAL-USE")).isTrue();
            assertThat(store.hasCapability("UIDPLUS")).isTrue();
            IMAPFolder sent = (IMAPFolder) store.getFolder("Sent");
            assertThat(sent.getAttributes()).contains("\\Sent");
            assertThat(((IMAPFolder) store.getFolder("Junk")).getAttributes()).contains("\\Junk");
            assertThat(((IMAPFolder) store.getFolder("Archive")).getAttributes()).contains("\\Archive");
            assertThat(store.getDefaultFolder().getSeparator()).isEqualTo('/');
        }
        assertThat(dovecot().folders(user.name())).contains("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive");
    }

    @Test
    void starttlsAndImapsWorkWhenTheCertificateIsTrustedAndFailByDefault() throws Exception {
        DovecotUser user = dovecot().newUser();
        try (IMAPStore store = connect(user, ImapSecurity.STARTTLS)) {
            assertThat(store.isConnected()).isTrue();
        }
        try (IMAPStore store = connect(user, ImapSecurity.IMAPS)) {
            assertThat(store.isConnected()).isTrue();
        }
        // untrusted by default: the JDK's trust store does not know the self-signed certificate
        for (ImapSecurity security : List.of(ImapSecurity.STARTTLS, ImapSecurity.IMAPS)) {
            Properties props = dovecot().imapProperties(security);
            props.remove("mail.imap.ssl.socketFactory");
            assertThatThrownBy(() -> connect(props, user.name(), user.password()))
                    .isInstanceOf(MessagingException.class)
                    .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class));
        }
        assertThat(dovecot().certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    }

    @Test
    void deliveredMessageIsFetched() throws Exception {
        DovecotUser user = dovecot().newUser();
        GeneratedMail mail = MailGenerator.builder().seed(1).count(5).dateRange(FROM, TO).build().message(2);
        long uid = dovecot().deliver(user.name(), "INBOX", mail);
        assertThat(uid).isEqualTo(1);
        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            MimeMessage message = (MimeMessage) inbox.getMessageByUID(uid);
            assertThat(message.getMessageID()).isEqualTo(mail.messageId());
            assertThat(message.getSize()).isPositive();
            assertThat(message.getContent()).isNotNull();
            inbox.close();
        }
        assertThat(dovecot().messageIds(user.name(), "INBOX")).containsExactly(mail.messageId());
        assertThat(dovecot().uidOf(user.name(), "INBOX", mail.messageId())).hasValue(uid);
        assertThat(dovecot().status(user.name(), "INBOX").messages()).isEqualTo(1);
    }

    @Test
    void uidValidityChangeIsVisibleToClients() throws Exception {
        DovecotUser user = dovecot().newUser();
        MailGenerator generator = MailGenerator.builder().seed(2).count(6).dateRange(FROM, TO).sizes(SizeProfile.SMALL).build();
        dovecot().bulkLoad(user.name(), "Projects/2024", generator.messages());
        FolderStatus before = dovecot().status(user.name(), "Projects/2024");

        dovecot().setUidValidity(user.name(), "Projects/2024", before.uidValidity() + 1000);
        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            IMAPFolder folder = (IMAPFolder) store.getFolder("Projects/2024");
            folder.open(Folder.READ_ONLY);
            assertThat(folder.getUIDValidity()).isEqualTo(before.uidValidity() + 1000);
            folder.close();
        }

        List<StoredMessage> old = dovecot().messages(user.name(), "Projects/2024");
        FolderStatus after = dovecot().recreateFolder(user.name(), "Projects/2024");
        List<StoredMessage> renumbered = dovecot().messages(user.name(), "Projects/2024");
        assertThat(after.uidValidity()).isNotEqualTo(before.uidValidity() + 1000);
        assertThat(after.messages()).isEqualTo(6);
        assertThat(dovecot().messageIds(user.name(), "Projects/2024")).isEqualTo(generator.messageIds());
        // the same UID now names another message
        assertThat(renumbered.get(0).uid()).isEqualTo(1);
        assertThat(renumbered.get(0).messageId()).isNotEqualTo(old.get(0).messageId());
        // flags survive
        for (StoredMessage message : renumbered) {
            StoredMessage original = old.stream().filter(m -> m.messageId().equals(message.messageId())).findFirst().orElseThrow();
            assertThat(message.flags()).isEqualTo(original.flags());
        }
        // INBOX can be rebuilt too
        dovecot().deliver(user.name(), "INBOX", generator.message(0));
        long inboxValidity = dovecot().status(user.name(), "INBOX").uidValidity();
        assertThat(dovecot().recreateFolder(user.name(), "INBOX").uidValidity()).isNotEqualTo(inboxValidity);
        assertThat(dovecot().messageIds(user.name(), "INBOX")).containsExactly(generator.message(0).messageId());
    }

    @Test
    void flagChangesAndExpungesRaiseModseqAndShowInImap() throws Exception {
        DovecotUser user = dovecot().newUser();
        MailGenerator generator = MailGenerator.builder().seed(3).count(3).dateRange(FROM, TO).sizes(SizeProfile.SMALL).build();
        for (GeneratedMail mail : generator.messages()) {
            dovecot().deliver(user.name(), "INBOX", mail);
        }
        FolderStatus before = dovecot().status(user.name(), "INBOX");
        dovecot().addFlags(user.name(), "INBOX", 2, "\\Flagged", "\\Seen", "$Forwarded");
        dovecot().removeFlags(user.name(), "INBOX", 2, "\\Seen");
        dovecot().expunge(user.name(), "INBOX", 3);
        FolderStatus after = dovecot().status(user.name(), "INBOX");
        assertThat(after.highestModSeq()).isGreaterThan(before.highestModSeq());
        assertThat(after.messages()).isEqualTo(2);

        StoredMessage flagged = dovecot().messages(user.name(), "INBOX").get(1);
        assertThat(flagged.uid()).isEqualTo(2);
        assertThat(flagged.flags()).containsExactlyInAnyOrder("\\Flagged", "$Forwarded");
        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageByUID(2).getFlags().contains(Flags.Flag.FLAGGED)).isTrue();
            assertThat(inbox.getMessageByUID(2).getFlags().contains(Flags.Flag.SEEN)).isFalse();
            assertThat(inbox.getMessageByUID(3)).isNull();
            assertThat(inbox.getHighestModSeq()).isEqualTo(after.highestModSeq());
            inbox.close();
        }
        assertThat(dovecot().messageIds(user.name(), "INBOX"))
                .containsExactly(generator.message(0).messageId(), generator.message(1).messageId());
    }

    @Test
    void restartKeepsPortsUsersAndMail() throws Exception {
        DovecotUser user = dovecot().newUser();
        GeneratedMail mail = MailGenerator.builder().seed(4).count(1).dateRange(FROM, TO).build().message(0);
        dovecot().deliver(user.name(), "INBOX", mail);
        int port = dovecot().imapPort();
        IMAPStore open = connect(user, ImapSecurity.PLAIN);
        Folder inbox = open.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);

        dovecot().restart();

        assertThat(dovecot().imapPort()).isEqualTo(port);
        // the old session is gone
        assertThatThrownBy(() -> noop(inbox)).isInstanceOf(MessagingException.class);
        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            IMAPFolder again = (IMAPFolder) store.getFolder("INBOX");
            again.open(Folder.READ_ONLY);
            assertThat(((MimeMessage) again.getMessage(1)).getMessageID()).isEqualTo(mail.messageId());
            again.close();
        }
        try {
            open.close();
        } catch (MessagingException ignored) {
            // already dropped
        }
    }

    @Test
    void stoppedServerRefusesConnectionsAndStartsAgain() throws Exception {
        DovecotUser user = dovecot().newUser();
        dovecot().stop();
        try {
            assertThat(dovecot().isRunning()).isFalse();
            assertThatThrownBy(() -> connect(user, ImapSecurity.PLAIN)).isInstanceOf(MessagingException.class);
        } finally {
            dovecot().startAgain();
        }
        connect(user, ImapSecurity.PLAIN).close();
    }

    @Test
    void passwordChangeLocksOutTheOldPasswordAndKickDropsSessions() throws Exception {
        DovecotUser user = dovecot().newUser();
        IMAPStore open = connect(user, ImapSecurity.PLAIN);
        Folder inbox = open.getFolder("INBOX");
        inbox.open(Folder.READ_ONLY);

        dovecot().changePassword(user.name(), "n3w:pässword");
        assertThatThrownBy(() -> connect(user, ImapSecurity.PLAIN)).isInstanceOf(AuthenticationFailedException.class);
        connect(dovecot().imapProperties(ImapSecurity.PLAIN), user.name(), "n3w:pässword").close();
        assertThat(inbox.isOpen()).isTrue();

        dovecot().kick(user.name());
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                noop(inbox);
                Thread.sleep(20);
            }
        }).isInstanceOf(MessagingException.class);
        assertThat(dovecot().log()).doesNotContain("n3w:pässword").doesNotContain(user.password());
    }

    @Test
    void bulkLoadKeepsOrderFlagsAndDates() throws Exception {
        DovecotUser user = dovecot().newUser();
        MailGenerator generator = MailGenerator.builder().seed(5).count(1000).dateRange(FROM, TO).build();
        BulkLoad load = dovecot().bulkLoad(user.name(), "INBOX", generator.messages());
        System.out.println("bulk load of 1,000 REALISTIC messages: " + load);

        assertThat(load.messages()).isEqualTo(1000);
        assertThat(load.status().messages()).isEqualTo(1000);
        assertThat(load.status().uidNext()).isEqualTo(1001);
        List<StoredMessage> stored = dovecot().messages(user.name(), "INBOX");
        List<String> expectedOrder = new ArrayList<>();
        List<String> storedOrder = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            GeneratedMail mail = generator.message(i);
            expectedOrder.add(mail.messageId());
            storedOrder.add(stored.get(i).messageId());
            assertThat(stored.get(i).flags()).as("flags of %d", i).isEqualTo(mail.flags());
        }
        assertThat(storedOrder).isEqualTo(expectedOrder);
        assertThat(dovecot().messageIds(user.name(), "INBOX")).isEqualTo(generator.messageIds());

        try (IMAPStore store = connect(user, ImapSecurity.PLAIN)) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            GeneratedMail first = generator.message(0);
            jakarta.mail.Message message = inbox.getMessageByUID(1);
            assertThat(message.getReceivedDate().toInstant()).isEqualTo(first.receivedAt());
            // RFC822.SIZE comes from the file name and must be the real size
            byte[] bytes = first.toByteArray();
            assertThat(message.getSize()).isEqualTo(bytes.length);
            assertThat(new String(((MimeMessage) message).getRawInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .isNotEmpty();
            assertThat(inbox.getUIDNext()).isEqualTo(1001);
            inbox.close();
        }
    }

    @Test
    void bulkLoadOf10000SmallMessages() {
        DovecotUser user = dovecot().newUser();
        MailGenerator generator = MailGenerator.builder().seed(6).count(10_000).dateRange(FROM, TO).sizes(SizeProfile.SMALL).build();
        BulkLoad load = dovecot().bulkLoad(user.name(), "Archive", generator.messages());
        System.out.println("bulk load of 10,000 SMALL messages: " + load);
        assertThat(load.status().messages()).isEqualTo(10_000);
    }

    @Test
    void hostileMailIsStored() {
        DovecotUser user = dovecot().newUser();
        for (HostileMail mail : HostileMail.small()) {
            dovecot().deliver(user.name(), "INBOX", mail);
        }
        Set<String> expected = new java.util.HashSet<>();
        for (HostileMail mail : HostileMail.small()) {
            if (mail.messageId() != null) {
                expected.add(mail.messageId());
            }
        }
        assertThat(dovecot().status(user.name(), "INBOX").messages()).isEqualTo(HostileMail.small().size());
        assertThat(dovecot().messageIds(user.name(), "INBOX")).containsAll(expected);
    }

    @Test
    void foldersAreCreatedRenamedAndDeleted() {
        DovecotUser user = dovecot().newUser();
        dovecot().createFolder(user.name(), "Clients/Ärzte GmbH");
        dovecot().createFolder(user.name(), "Clients/Ärzte GmbH"); // exists: nothing happens
        assertThat(dovecot().folders(user.name())).contains("Clients/Ärzte GmbH");
        dovecot().renameFolder(user.name(), "Clients/Ärzte GmbH", "Clients/Old");
        assertThat(dovecot().folders(user.name())).contains("Clients/Old").doesNotContain("Clients/Ärzte GmbH");
        dovecot().deleteFolder(user.name(), "Clients/Old");
        assertThat(dovecot().folders(user.name())).doesNotContain("Clients/Old");
    }

    @Test
    void mistakesGetClearErrors() {
        DovecotUser user = dovecot().newUser();
        assertThatThrownBy(() -> dovecot().deliver(user.name(), "No such folder", HostileMail.HEADERS_ONLY))
                .isInstanceOf(DovecotException.class)
                .hasMessageContaining("doveadm save")
                .hasMessageContaining("No such folder");
        assertThatThrownBy(() -> dovecot().addUser("bad name", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user names");
        assertThatThrownBy(() -> dovecot().addUser(user.name(), "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> dovecot().changePassword("nobody-here", "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no user");
        assertThatThrownBy(() -> dovecot().expunge(user.name(), "INBOX", "1 OR ALL")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("UID set");
        assertThatThrownBy(() -> dovecot().setUidValidity(user.name(), "INBOX", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dovecot().status(user.name(), "Missing"))
                .isInstanceOf(DovecotException.class).hasMessageContaining("Missing");
        assertThat(dovecot().status(user.name(), "INBOX").messages()).isZero();
        assertThat(user.toString()).doesNotContain(user.password());
    }

    @Test
    void newUsersAreDistinctAndCanLogIn() throws Exception {
        DovecotUser one = dovecot().newUser();
        DovecotUser two = dovecot().newUser();
        assertThat(one.name()).isNotEqualTo(two.name());
        assertThat(one.password()).isNotEqualTo(two.password());
        try (Store store = connect(two, ImapSecurity.IMAPS)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(((UIDFolder) inbox).getUIDValidity()).isPositive();
            inbox.close();
        }
    }

    @Test
    void aConnectionCutMidFetchThroughTheFaultProxyIsSeenByTheClient() throws Exception {
        DovecotUser user = dovecot().newUser();
        MailGenerator generator = MailGenerator.builder().seed(9).count(60).dateRange(FROM, TO).build();
        dovecot().bulkLoad(user.name(), "INBOX", generator.messages());
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            Properties props = dovecot().imapProperties(ImapSecurity.PLAIN);
            props.put("mail.imap.port", Integer.toString(proxy.port()));
            props.put("mail.imap.partialfetch", "false");
            try (IMAPStore store = connect(props, user.name(), user.password())) {
                IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                proxy.cutOnceAfterServerBytes(20_000);
                assertThatThrownBy(() -> {
                    for (int i = 1; i <= 60; i++) {
                        ((MimeMessage) inbox.getMessage(i)).getRawInputStream().readAllBytes();
                    }
                }).isInstanceOf(MessagingException.class);
                assertThat(proxy.cuts()).isEqualTo(1);
            }
            // the cut was once: a new session reads everything
            try (IMAPStore store = connect(props, user.name(), user.password())) {
                IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                assertThat(((MimeMessage) inbox.getMessage(60)).getMessageID()).isEqualTo(generator.message(59).messageId());
                inbox.close();
            }
        }
    }

    @Test
    void isSkippedOnlyWhenTheBinaryIsMissing() {
        String previous = System.setProperty("postroom.dovecot", "/nonexistent/dovecot");
        try {
            assertThat(Dovecot.isAvailable()).isFalse();
            var result = DovecotCondition.evaluate();
            assertThat(result.isDisabled()).isTrue();
            assertThat(result.getReason()).hasValue("Dovecot not installed: apt-get install dovecot-imapd");
            assertThatThrownBy(Dovecot::version).isInstanceOf(DovecotException.class)
                    .hasMessage("Dovecot not installed: apt-get install dovecot-imapd");
        } finally {
            if (previous == null) {
                System.clearProperty("postroom.dovecot");
            } else {
                System.setProperty("postroom.dovecot", previous);
            }
        }
        assertThat(DovecotCondition.evaluate().isDisabled()).isFalse();
    }

    @Test
    void aDirectoryTooLongForUnixSocketsIsRefusedClearly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp) {
        java.nio.file.Path deep = temp.resolve("x".repeat(120));
        assertThatThrownBy(() -> Dovecot.builder().directory(deep).start())
                .isInstanceOf(DovecotException.class).hasMessageContaining("too long");
    }

    private static List<Throwable> causes(Throwable e) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = e; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        return causes;
    }

    private static void noop(Folder folder) throws MessagingException {
        ((IMAPFolder) folder).doCommand(protocol -> {
            protocol.noop();
            return null;
        });
    }
}

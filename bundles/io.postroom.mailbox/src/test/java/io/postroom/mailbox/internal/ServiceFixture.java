package io.postroom.mailbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import io.postroom.testing.host.RecordingEventAdmin;
import io.postroom.testing.host.TestHost;
import io.postroom.testing.time.TestClock;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailbox service over real parts: the JPA store on H2, the AES-GCM cipher, the Angus mail
 * connector (loopback and plain text allowed for 127.0.0.1), GreenMail servers; the host's
 * directory, plans and EventAdmin as a host would write them for a test. Each test gets a tenant
 * of its own and accounts of its own on the shared servers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServiceFixture {
    static final String HOST = "127.0.0.1";
    static final List<String> TABLES = List.of("mailbox", "mailbox_share", "mailbox_allowed_sender", "mailbox_folder",
            "mailbox_verification", "postroom_user");
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();
    private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    TestDatabase db;
    Stores stores;
    MailboxStore store;
    GreenMail mail;
    SecretCipher cipher;
    MailConnector realConnector;

    final TestHost host = new TestHost();
    TenantId tenant;
    RecordingEventAdmin eventAdmin;
    TestClock clock;
    MailboxServiceImpl service;
    MailboxConnectionsImpl connections;

    /** A login on the GreenMail servers. */
    record Account(String address, String password) {
        @Override
        public String toString() {
            return "Account[" + address + "]";
        }
    }

    @BeforeAll
    void startParts(@TempDir Path keyDir) {
        db = TestDatabases.h2();
        stores = Stores.open(db.dataSource());
        store = stores.mailboxes();
        mail = new GreenMail(new ServerSetup[] {
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAPS)});
        mail.start();
        cipher = SecretCiphers.fromKeyFile(keyDir.resolve("postroom.key"));
        realConnector = MailConnectors.create(ConnectorConfig.defaults()
                .withAllowedHosts(HOST)
                .withPlaintextHosts(HOST)
                .withAllowedPorts()
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10)));
    }

    @AfterAll
    void stopParts() {
        if (mail != null) {
            mail.stop();
        }
        if (stores != null) {
            stores.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void newTenantAndService() {
        tenant = host.newTenant("t-" + UUID.randomUUID());
        eventAdmin = new RecordingEventAdmin();
        clock = new TestClock();
        service = new MailboxServiceImpl(store, cipher, connector(), host, host, eventAdmin, MailboxRules.DEFAULTS, clock);
        connections = new MailboxConnectionsImpl(store, cipher, host, host, eventAdmin, MailboxRules.DEFAULTS, clock);
    }

    /** The connector the service uses; tests that break sending override it. */
    MailConnector connector() {
        return realConnector;
    }

    // --- accounts and requests

    Account newAccount(String name) {
        String address = name + "-" + ACCOUNTS.incrementAndGet() + "@example.com";
        String password = "pw-" + UUID.randomUUID();
        mail.setUser(address, address, password);
        return new Account(address, password);
    }

    int imapPort() {
        return mail.getImap().getPort();
    }

    int smtpPort() {
        return mail.getSmtp().getPort();
    }

    ConnectionRequest request(Account a) {
        return new ConnectionRequest("custom", a.address(), null, Secret.of(a.password()), HOST, imapPort(), Security.NONE,
                HOST, smtpPort(), Security.NONE);
    }

    Actor actor(UserId user) {
        return new Actor(tenant, user);
    }

    Mailbox create(UserId owner, Account a) {
        return service.create(actor(owner), new NewMailbox(request(a), null));
    }

    Mailbox create(UserId owner, Account a, SettingsUpdate settings) {
        return service.create(actor(owner), new NewMailbox(request(a), settings));
    }

    Mailbox createVerified(UserId owner, Account a) {
        Mailbox m = create(owner, a);
        return service.verify(actor(owner), m.id(), lastCode(a));
    }

    static SettingsUpdate sharedWith(UserId... users) {
        return new SettingsUpdate(null, null, io.postroom.api.mailbox.AccessLevel.SHARED, java.util.Set.of(users),
                null, null, null, null, null, null, null);
    }

    /** The code in the latest verification message the account received. */
    String lastCode(Account a) {
        try {
            MimeMessage latest = null;
            for (MimeMessage m : mail.getReceivedMessages()) {
                if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(r -> r.toString().contains(a.address()))
                        && VerificationMail.SUBJECT.equals(m.getSubject())) {
                    latest = m;
                }
            }
            assertThat(latest).as("a verification message to " + a.address()).isNotNull();
            Matcher matcher = CODE.matcher(latest.getContent().toString());
            assertThat(matcher.find()).isTrue();
            return matcher.group(1);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a folder in the account over plain IMAP. */
    void addFolder(Account a, String name) throws jakarta.mail.MessagingException {
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        try (jakarta.mail.Store s = session.getStore("imap")) {
            s.connect(HOST, imapPort(), a.address(), a.password());
            s.getFolder(name).create(jakarta.mail.Folder.HOLDS_MESSAGES);
        }
    }

    long messagesTo(Account a) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(r -> r.toString().contains(a.address()));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    // --- "nothing was saved"

    Map<String, Long> rowCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : TABLES) {
            counts.put(t, db.count(t));
        }
        return counts;
    }

    /**
     * Runs a call that must fail with {@code code} (and name {@code field}, when not null), and
     * checks that it saved nothing and posted no event.
     */
    PostroomException assertRefused(ErrorCode code, String field, ThrowingCallable call) {
        Map<String, Long> before = rowCounts();
        int events = eventAdmin.events().size();
        PostroomException[] caught = new PostroomException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(PostroomException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
            if (field != null) {
                assertThat(e.details()).containsEntry("field", field);
            }
            assertThat(e.getMessage()).isNotBlank();
            caught[0] = e;
        });
        assertThat(rowCounts()).as("rows after a refused call").isEqualTo(before);
        assertThat(eventAdmin.events()).as("events after a refused call").hasSize(events);
        return caught[0];
    }
}

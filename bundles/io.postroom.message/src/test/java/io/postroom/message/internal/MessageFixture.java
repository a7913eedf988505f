package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Actor;
import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.MessageId;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mailbox.internal.MailboxConfig;
import io.postroom.mailbox.internal.MailboxConnectionsImpl;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import io.postroom.sync.RunReport;
import io.postroom.sync.SyncEngine;
import io.postroom.sync.SyncEngines;
import io.postroom.sync.SyncSettings;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import io.postroom.testing.ds.ComponentConfig;
import io.postroom.testing.host.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Real parts for message service tests: the stores on H2, the mailbox bundle's own
 * MailboxConnections with the AES cipher, the Angus connector allowed to talk plain text to
 * 127.0.0.1, and the real sync engine putting the messages into the store; the host's directory
 * written as a host would. Subclasses bring the mail server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MessageFixture {
    static final String HOST = "127.0.0.1";
    /** Small ranges, so that tests cross range boundaries with small attachments. */
    static final int RANGE = 4096;
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    TestDatabase db;
    Stores stores;
    SecretCipher cipher;
    MailConnector connector;
    final TestHost host = new TestHost();
    MailboxConnections mailboxes;
    SyncEngine engine;
    MessageServiceImpl service;
    private final List<MessageServiceImpl> started = new CopyOnWriteArrayList<>();

    @BeforeAll
    void openParts(@TempDir Path keyDir) {
        db = TestDatabases.h2();
        stores = Stores.open(db.dataSource());
        cipher = SecretCiphers.fromKeyFile(keyDir.resolve("postroom.key"));
        connector = MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts(HOST).withPlaintextHosts(HOST)
                .withAllowedPorts().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(10)));
        // the mailbox bundle's configuration with its defaults (10 failures deactivate)
        mailboxes = new MailboxConnectionsImpl(stores.mailboxes(), cipher, host, host, NO_EVENTS,
                ComponentConfig.defaults(MailboxConfig.class));
        engine = SyncEngines.builder().connector(connector).mailboxes(mailboxes).stores(stores)
                .settings(SyncSettings.defaults().withNodeId("message-test").withParseThreads(2)).build();
        service = service(RANGE, MessageServiceImpl.MAILBOXES_PER_QUERY);
    }

    MessageServiceImpl service(int rangeBytes, int mailboxesPerQuery) {
        return started(new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, mailboxes, connector, rangeBytes,
                mailboxesPerQuery));
    }

    /** A service the fixture deactivates after the tests, as DS would (each runs a thread that closes idle downloads). */
    MessageServiceImpl started(MessageServiceImpl s) {
        started.add(s);
        return s;
    }

    @AfterAll
    void closeParts() {
        started.forEach(MessageServiceImpl::deactivate);
        if (engine != null) {
            engine.close();
        }
        if (stores != null) {
            stores.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static final EventAdmin NO_EVENTS = new EventAdmin() {
        @Override
        public void postEvent(Event event) {
        }

        @Override
        public void sendEvent(Event event) {
        }
    };

    // ------------------------------------------------------------------ mailboxes

    static String newAddress(String name) {
        return name + "-" + ACCOUNTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + "@postroom.test";
    }

    static MailboxSettings settings(List<String> folders, MessageVisibility visibility, boolean privateMessages) {
        return new MailboxSettings("Anna", "", AccessLevel.SHARED, Set.of(TestHost.BOB), visibility, privateMessages, Set.of(),
                true, KeepPolicy.BOTH, SyncPeriod.DAYS_14, folders);
    }

    /** A mailbox of Anna's, shared with Bob, on an IMAP server at 127.0.0.1:port (plain text). */
    MailboxId mailbox(TenantId tenant, String address, String username, String password, int port, List<String> folders) {
        MailboxRecord r = stores.mailboxes().create(new MailboxDraft(tenant, TestHost.ANNA, EmailAddress.of(address), "custom",
                username, cipher.encrypt(Secret.of(password)), new Endpoint(HOST, port, Security.NONE),
                new Endpoint(HOST, 25, Security.NONE), settings(folders, MessageVisibility.OWNER_ONLY, false), Instant.now()),
                List.of());
        return MailboxId.of(r.id());
    }

    MailboxRecord record(MailboxId id) {
        return stores.mailboxes().find(id.value()).orElseThrow();
    }

    void visibility(MailboxId id, MessageVisibility visibility, boolean privateMessages) {
        MailboxRecord r = record(id);
        stores.mailboxes().update(r.withSettings(settings(r.settings().folders(), visibility, privateMessages)), List.of(), false,
                Instant.now());
    }

    void state(MailboxId id, MailboxState state, String reason) {
        stores.mailboxes().update(record(id).withState(state, reason), List.of(), false, Instant.now());
    }

    /** Runs the real sync engine once and checks it succeeded. */
    RunReport sync(MailboxId id) {
        RunReport r = engine.syncNow(id);
        assertThat(r.outcome()).as(String.valueOf(r.error())).isEqualTo(SyncOutcome.SUCCEEDED);
        return r;
    }

    /** The id of the stored message with this Message-ID (without angle brackets). */
    MessageId stored(MailboxId mailbox, String messageId) {
        return MessageId.of(stores.messages().findByMessageIdHeader(mailbox.value(), messageId)
                .orElseThrow(() -> new AssertionError("not stored: " + messageId)));
    }

    static Actor as(TenantId tenant, UserId user) {
        return new Actor(tenant, user);
    }

    // ------------------------------------------------------------------ content

    /** Reads an attachment to its end and closes it: its bytes. */
    static byte[] read(AttachmentContent content) throws IOException {
        try (content; InputStream in = content.stream()) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

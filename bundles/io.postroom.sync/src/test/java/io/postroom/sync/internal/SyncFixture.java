package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.message.MessageEvents;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mailbox.internal.MailboxConfig;
import io.postroom.mailbox.internal.MailboxConnectionsImpl;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.MailConnectors;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import io.postroom.sync.SyncSettings;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import io.postroom.testing.ds.ComponentConfig;
import io.postroom.testing.host.RecordingEventAdmin;
import io.postroom.testing.host.TestHost;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real parts for sync tests: the stores on H2 (or PostgreSQL, per subclass), the mailbox bundle's
 * own MailboxConnections with the AES cipher, the Angus connector allowed to talk plain text to
 * 127.0.0.1, the real MIME parser; the host's directory and EventAdmin written as a host would.
 * Each test gets a tenant of its own; subclasses bring the mail server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SyncFixture {
    static final String HOST = "127.0.0.1";
    private static final AtomicInteger ACCOUNTS = new AtomicInteger();

    TestDatabase db;
    Stores stores;
    SecretCipher cipher;
    MailConnector connector;
    final TestHost host = new TestHost();
    final RecordingEventAdmin events = new RecordingEventAdmin();
    final MimeParser parser = MimeParser.create(ParseOptions.defaults());
    MailboxConnections mailboxes;
    TenantId tenant;
    final List<Engine> engines = new ArrayList<>();

    DatabaseKind databaseKind() {
        return DatabaseKind.H2;
    }

    /** How long the connector waits for a server answer. */
    Duration readTimeout() {
        return Duration.ofSeconds(20);
    }

    @BeforeAll
    void openParts(@TempDir Path keyDir) {
        db = TestDatabases.create(databaseKind());
        stores = Stores.open(db.dataSource());
        cipher = SecretCiphers.fromKeyFile(keyDir.resolve("postroom.key"));
        connector = MailConnectors.create(connectorConfig());
        mailboxes = mailboxConnections(stores);
    }

    /** Plain text to 127.0.0.1 on any port, the test's read timeout, the default response limit. */
    ConnectorConfig connectorConfig() {
        return ConnectorConfig.defaults().withAllowedHosts(HOST).withPlaintextHosts(HOST)
                .withAllowedPorts().withTimeouts(Duration.ofSeconds(5), readTimeout(), Duration.ofSeconds(10));
    }

    MailboxConnections mailboxConnections(Stores s) {
        return new MailboxConnectionsImpl(s.mailboxes(), cipher, host, host, events, mailboxConfig());
    }

    /** The mailbox bundle's configuration with its defaults (10 failures deactivate). */
    static MailboxConfig mailboxConfig() {
        return ComponentConfig.defaults(MailboxConfig.class);
    }

    @AfterAll
    void closeParts() {
        if (stores != null) {
            stores.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void newTenant() {
        tenant = host.newTenant("t-" + UUID.randomUUID());
        events.clear();
    }

    @AfterEach
    void closeEngines() {
        engines.forEach(Engine::close);
        engines.clear();
    }

    /** Runs {@code action} once, on the first batch the sync commits. */
    void onFirstBatch(Runnable action) {
        events.onFirst(MessageEvents.STORED, action);
    }

    // ------------------------------------------------------------------ engine

    SyncSettings settings() {
        return SyncSettings.defaults().withNodeId("node-test").withParseThreads(2).withBatch(50, 1024 * 1024)
                .withPollInterval(Duration.ofMillis(200)).withTargetsRefresh(Duration.ofMillis(200));
    }

    Engine engine() {
        return engine(settings());
    }

    Engine engine(SyncSettings settings) {
        return engine(settings, stores, mailboxes);
    }

    Engine engine(SyncSettings settings, Stores s, MailboxConnections m) {
        return engine(settings, s, m, connector);
    }

    /** An engine whose IMAP connections come from {@code c} (another response limit, say). */
    Engine engine(SyncSettings settings, MailConnector c) {
        return engine(settings, stores, mailboxes, c);
    }

    private Engine engine(SyncSettings settings, Stores s, MailboxConnections m, MailConnector c) {
        Engine e = new Engine(new SyncParts(c, m, parser, s.messages(), s.folders(), s.schedule(), s.runs(),
                s.quarantine(), events, Clock.systemUTC(), settings));
        engines.add(e);
        return e;
    }

    SyncServiceImpl service(Engine engine) {
        return new SyncServiceImpl(new SyncAccess(host, stores.mailboxes()),
                new SyncParts(connector, mailboxes, parser, stores.messages(), stores.folders(), stores.schedule(),
                        stores.runs(), stores.quarantine(), events, Clock.systemUTC(), settings()), engine);
    }

    // ------------------------------------------------------------------ mailboxes

    static String newAddress(String name) {
        return name + "-" + ACCOUNTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + "@postroom.test";
    }

    static MailboxSettings mailboxSettings(List<String> folders, SyncPeriod period, KeepPolicy keep, Set<UserId> sharedWith) {
        return new MailboxSettings("Anna", "", sharedWith.isEmpty() ? AccessLevel.PERSONAL : AccessLevel.SHARED, sharedWith,
                MessageVisibility.OWNER_ONLY, false, Set.of(), true, keep, period, folders);
    }

    /** A mailbox of Anna's on an IMAP server at 127.0.0.1:port (plain text). */
    MailboxId mailbox(String address, String username, String password, int port, MailboxSettings settings) {
        MailboxRecord r = stores.mailboxes().create(new MailboxDraft(tenant, TestHost.ANNA, EmailAddress.of(address), "custom",
                username, cipher.encrypt(Secret.of(password)), new Endpoint(HOST, port, Security.NONE),
                new Endpoint(HOST, 25, Security.NONE), settings, Instant.now()), List.of());
        return MailboxId.of(r.id());
    }

    MailboxRecord record(MailboxId id) {
        return stores.mailboxes().find(id.value()).orElseThrow();
    }

    void changeSettings(MailboxId id, MailboxSettings settings) {
        MailboxRecord r = record(id);
        stores.mailboxes().update(r.withSettings(settings), List.of(), false, Instant.now());
    }

    void changePassword(MailboxId id, String password) {
        MailboxRecord r = record(id);
        stores.mailboxes().update(r.withConnection(r.username(), cipher.encrypt(Secret.of(password)), r.imap(), r.smtp()),
                List.of(), true, Instant.now());
    }

    // ------------------------------------------------------------------ messages

    /** About {@code bytes} of text in lines of 78 characters and CRLF, numbered, ending with "{@code name}, the end." */
    static String text(String name, int bytes) {
        StringBuilder sb = new StringBuilder(bytes + 100);
        for (int line = 1; sb.length() < bytes; line++) {
            String start = name + " line " + line + " ";
            sb.append(start).append("x".repeat(Math.max(0, 78 - start.length()))).append("\r\n");
        }
        return sb.append(name).append(", the end.\r\n").toString();
    }

    private static String header(String messageId, String subject) {
        return "From: bob@example.com\r\nTo: Anna <anna@postroom.test>\r\nSubject: " + subject + "\r\n"
                + "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\nMessage-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n";
    }

    /** A text/plain message of about {@code bytes} of text. */
    static String plainMessage(String messageId, int bytes) {
        return header(messageId, "Plain " + messageId) + "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
                + text(messageId, bytes);
    }

    /** A multipart/alternative message: a plain and an HTML part of about {@code bytes} of text each. */
    static String alternativeMessage(String messageId, int bytes) {
        return header(messageId, "Alternative " + messageId)
                + "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text(messageId, bytes) + "\r\n"
                + "--b1\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<html><body><p>" + text(messageId, bytes)
                + "</p></body></html>\r\n--b1--\r\n";
    }

    /**
     * A multipart/mixed message of {@code parts} inline text/plain parts of about {@code bytes} of
     * text each, part n written as {@code <messageId>-n}.
     */
    static String mixedMessage(String messageId, int parts, int bytes) {
        StringBuilder sb = new StringBuilder(header(messageId, "Mixed " + messageId))
                .append("Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n");
        for (int i = 1; i <= parts; i++) {
            sb.append("--b1\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").append(text(messageId + "-" + i, bytes))
                    .append("\r\n");
        }
        return sb.append("--b1--\r\n").toString();
    }

    // ------------------------------------------------------------------ what the CRM holds

    long count(String sql, MailboxId id) {
        return db.queryForLong(sql.replace(":mailbox", Long.toString(id.value())));
    }

    long messages(MailboxId id) {
        return count("SELECT COUNT(*) FROM message WHERE mailbox_id = :mailbox", id);
    }

    /** UID to Message-ID (in angle brackets, null without) of each stored location of a folder. */
    TreeMap<Long, String> located(MailboxId id, String folder) {
        return located(db.dataSource(), id, folder);
    }

    static TreeMap<Long, String> located(DataSource ds, MailboxId id, String folder) {
        TreeMap<Long, String> result = new TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT l.uid, m.message_id_hdr FROM message_location l JOIN folder_state f ON f.id = l.folder_id"
                        + " JOIN message m ON m.id = l.message_id WHERE f.mailbox_id = ? AND f.name = ?")) {
            ps.setLong(1, id.value());
            ps.setString(2, folder);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String mid = rs.getString(2);
                    result.put(rs.getLong(1), mid == null ? null : "<" + mid + ">");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }

    /** Message-IDs (in angle brackets) of the mailbox's records; records without one are left out. */
    Set<String> storedMessageIds(MailboxId id) {
        Set<String> ids = new java.util.TreeSet<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT message_id_hdr FROM message WHERE mailbox_id = ? AND message_id_hdr IS NOT NULL")) {
            ps.setLong(1, id.value());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add("<" + rs.getString(1) + ">");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    /**
     * Nothing half-written: every record has its body and, unless it was deleted on the server,
     * a location; no two records share a key; no location points to a record of another mailbox.
     */
    void assertConsistent(MailboxId id) {
        assertThat(count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = :mailbox"
                + " AND NOT EXISTS (SELECT 1 FROM message_body b WHERE b.message_id = m.id)", id)).as("records without body").isZero();
        assertThat(count("SELECT COUNT(*) FROM message m WHERE m.mailbox_id = :mailbox AND m.deleted_on_server = FALSE"
                + " AND NOT EXISTS (SELECT 1 FROM message_location l WHERE l.message_id = m.id)", id))
                .as("records without location").isZero();
        assertThat(count("SELECT COUNT(*) FROM (SELECT message_key FROM message WHERE mailbox_id = :mailbox"
                + " GROUP BY message_key HAVING COUNT(*) > 1) d", id)).as("duplicate records").isZero();
    }
}

package io.postroom.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.persistence.internal.SchemaMigrator;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

/** Migrations keep the data they find, on each database (subclasses name it). */
abstract class MigrationContract {
    private final ClassLoader loader = getClass().getClassLoader();

    abstract DatabaseKind kind();

    @Test
    void upgradeFromVersion1KeepsEveryRow() {
        try (TestDatabase db = TestDatabases.create(kind())) {
            MigrateResult v1 = SchemaMigrator.migrate(db.dataSource(), loader, "1", List.of());
            assertThat(v1.targetSchemaVersion).isEqualTo("1");
            // rows as version 1 knew them, written in SQL so this test stays valid when entities change
            db.execute("INSERT INTO mailbox (id, row_version, tenant_id, owner_id, address, address_key, active_address_key,"
                    + " preset, username, sealed_password, imap_host, imap_port, imap_security, smtp_host, smtp_port,"
                    + " smtp_security, sender_name, name_template, access_level, visibility, private_messages, crm_linking,"
                    + " keep_policy, sync_period, state, inactive_reason, verified, consecutive_failures, last_failure,"
                    + " created_at, updated_at) VALUES (7, 3, 't1', 'alice', 'Alice@example.com', 'alice@example.com',"
                    + " 'alice@example.com', 'gmail', 'alice@example.com', 'v1:sealed', 'imap.gmail.com', 993, 'SSL',"
                    + " 'smtp.gmail.com', 587, 'STARTTLS', 'Alice', '{{first_name}}', 'SHARED', 'EVERYONE', TRUE, TRUE,"
                    + " 'SENT', 'MONTH_1', 'ACTIVE', NULL, TRUE, 2, 'IMAP timeout', TIMESTAMP WITH TIME ZONE"
                    + " '2026-01-02 03:04:05+00', TIMESTAMP WITH TIME ZONE '2026-01-03 03:04:05+00')");
            db.execute("INSERT INTO mailbox_share (mailbox_id, user_id) VALUES (7, 'bob')");
            db.execute("INSERT INTO mailbox_allowed_sender (mailbox_id, user_id) VALUES (7, 'bob')");
            db.execute("INSERT INTO mailbox_folder (mailbox_id, folder_order, folder_name) VALUES (7, 0, 'INBOX')");
            db.execute("INSERT INTO mailbox_folder (mailbox_id, folder_order, folder_name) VALUES (7, 1, '[Gmail]/Sent Mail')");
            db.execute("INSERT INTO postroom_user (tenant_id, user_id, default_mailbox_id) VALUES ('t1', 'alice', 7)");

            try (Stores stores = Stores.open(db.dataSource())) {
                MailboxRecord m = stores.mailboxes().find(7).orElseThrow();
                assertThat(m.version()).isEqualTo(3);
                assertThat(m.tenant()).isEqualTo(TenantId.of("t1"));
                assertThat(m.owner()).isEqualTo(UserId.of("alice"));
                assertThat(m.address()).isEqualTo(EmailAddress.of("Alice@example.com"));
                assertThat(m.imap()).isEqualTo(new Endpoint("imap.gmail.com", 993, Security.SSL));
                assertThat(m.settings().accessLevel()).isEqualTo(AccessLevel.SHARED);
                assertThat(m.settings().sharedWith()).containsExactly(UserId.of("bob"));
                assertThat(m.settings().allowedSenders()).containsExactly(UserId.of("bob"));
                assertThat(m.settings().visibility()).isEqualTo(MessageVisibility.EVERYONE);
                assertThat(m.settings().keep()).isEqualTo(KeepPolicy.SENT);
                assertThat(m.settings().syncPeriod()).isEqualTo(SyncPeriod.MONTH_1);
                assertThat(m.settings().folders()).containsExactly("INBOX", "[Gmail]/Sent Mail");
                assertThat(m.state()).isEqualTo(MailboxState.ACTIVE);
                assertThat(m.verified()).isTrue();
                assertThat(m.consecutiveFailures()).isEqualTo(2);
                assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
                assertThat(stores.mailboxes().defaultForSending(TenantId.of("t1"), UserId.of("alice"))).contains(7L);
            }
        }
    }

    @Test
    void laterMigrationsRewriteExistingDataAndVendorFoldersRunOnTheirDatabaseOnly() {
        try (TestDatabase db = TestDatabases.create(kind())) {
            long id;
            try (Stores stores = Stores.open(db.dataSource())) {
                assertThat(stores.schema().version()).isEqualTo("4");
                assertThat(stores.schema().database()).isEqualTo(kind() == DatabaseKind.H2 ? "H2" : "PostgreSQL");
                id = stores.mailboxes().create(new MailboxDraft(TenantId.of("t1"), UserId.of("alice"),
                        EmailAddress.of("alice@example.com"), "custom", "alice", "v1:x",
                        new Endpoint("imap.example.com", 993, Security.SSL), new Endpoint("smtp.example.com", 465, Security.SSL),
                        new io.postroom.api.mailbox.MailboxSettings("Alice", "", AccessLevel.PERSONAL, Set.of(),
                                MessageVisibility.OWNER_ONLY, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DAYS_14,
                                List.of("INBOX")), Instant.now()), List.of()).id();
            }

            MigrateResult later = SchemaMigrator.migrate(db.dataSource(), loader, null,
                    List.of("classpath:db/upgrade-test", "classpath:db/upgrade-test-vendor/{vendor}"));

            assertThat(later.migrationsExecuted).isEqualTo(2);
            assertThat(db.queryForLong("SELECT COUNT(*) FROM mailbox WHERE upgrade_note = 'kept'")).isEqualTo(1);
            String vendor = kind() == DatabaseKind.H2 ? "h2" : "postgresql";
            assertThat(db.queryForLong("SELECT COUNT(*) FROM upgrade_vendor WHERE vendor = '" + vendor + "'")).isEqualTo(1);
            assertThat(db.count("upgrade_vendor")).isEqualTo(1);
            try (Stores stores = Stores.open(db.dataSource())) {
                MailboxRecord m = stores.mailboxes().find(id).orElseThrow();
                assertThat(m.settings().senderName()).isEqualTo("Alice (migrated)");
                assertThat(m.settings().folders()).containsExactly("INBOX");
            }
        }
    }
}

package io.postroom.sync.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.Secret;
import io.postroom.api.TenantId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mailbox.internal.MailboxConnectionsImpl;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnectors;
import io.postroom.secrets.SecretCipher;
import io.postroom.secrets.SecretCiphers;
import io.postroom.sync.RunReport;
import io.postroom.sync.SyncEngine;
import io.postroom.sync.SyncEngines;
import io.postroom.sync.SyncSettings;
import io.postroom.testing.db.DatabaseKind;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import io.postroom.testing.dovecot.BulkLoad;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.host.RecordingEventAdmin;
import io.postroom.testing.host.TestHost;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;

/**
 * A rough measurement, not a test (no assertions, not run by surefire): initial sync of generated
 * mail from a private Dovecot into in-memory H2 (or PostgreSQL), against a raw
 * {@code UID FETCH 1:* (BODY.PEEK[])}. Shows how to drive the engine outside OSGi.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.postroom.sync.internal.ThroughputProbe 3000 REALISTIC H2
 * </pre>
 */
public final class ThroughputProbe {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        SizeProfile profile = args.length > 1 ? SizeProfile.valueOf(args[1]) : SizeProfile.REALISTIC;
        DatabaseKind kind = args.length > 2 ? DatabaseKind.valueOf(args[2]) : DatabaseKind.H2;
        Path keys = Files.createTempDirectory("probe-keys");
        try (Dovecot dovecot = Dovecot.start(); TestDatabase db = TestDatabases.create(kind);
             Stores stores = Stores.open(db.dataSource())) {
            DovecotUser user = dovecot.newUser();
            BulkLoad load = dovecot.bulkLoad(user.name(), "INBOX", MailGenerator.builder().seed(7).count(count)
                    .lastDays(12).sizes(profile).build().messages());
            System.out.println("Loaded: " + load);

            long rawStart = System.nanoTime();
            long rawMessages = rawFetch(dovecot, user);
            double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
            System.out.printf("Raw UID FETCH 1:* (BODY.PEEK[]): %d messages in %.2f s = %.0f msg/s%n",
                    rawMessages, rawSeconds, rawMessages / rawSeconds);

            TestHost host = new TestHost();
            TenantId tenant = host.newTenant("probe");
            SecretCipher cipher = SecretCiphers.fromKeyFile(keys.resolve("k"));
            String address = user.name() + "@postroom.test";
            long id = stores.mailboxes().create(new MailboxDraft(tenant, TestHost.ANNA, EmailAddress.of(address), "custom",
                    user.name(), cipher.encrypt(Secret.of(user.password())), new Endpoint(Dovecot.HOST, dovecot.imapPort(),
                    Security.NONE), new Endpoint(Dovecot.HOST, 25, Security.NONE),
                    SyncFixture.mailboxSettings(List.of("INBOX"), SyncPeriod.MONTH_1, KeepPolicy.BOTH, Set.of()),
                    Instant.now()), List.of()).id();
            MailboxConnections mailboxes = new MailboxConnectionsImpl(stores.mailboxes(), cipher, host, host,
                    new RecordingEventAdmin(), SyncFixture.mailboxConfig());
            try (SyncEngine engine = SyncEngines.builder()
                    .connector(MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts(Dovecot.HOST)
                            .withPlaintextHosts(Dovecot.HOST).withAllowedPorts()))
                    .mailboxes(mailboxes)
                    .stores(stores)
                    .settings(SyncSettings.defaults().withNodeId("probe"))
                    .build()) {
                var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
                long cpuStart = os.getProcessCpuTime();
                long start = System.nanoTime();
                RunReport r = engine.syncNow(MailboxId.of(id));
                double seconds = (System.nanoTime() - start) / 1e9;
                double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
                System.out.printf("JVM CPU during the sync: %.2f s = %.2f ms per message (%.0f msg/s per core if CPU-bound)%n",
                        cpu, 1000 * cpu / r.messagesStored(), r.messagesStored() / cpu);
                System.out.printf("Initial sync into %s: %s, %d messages in %.2f s = %.0f msg/s (%.0f %% of raw)%n", kind,
                        r.outcome(), r.messagesStored(), seconds, r.messagesStored() / seconds,
                        100.0 * (r.messagesStored() / seconds) / (rawMessages / rawSeconds));
                long again = System.nanoTime();
                RunReport idle = engine.syncNow(MailboxId.of(id));
                System.out.printf("No-change resync: %s, %d IMAP commands, %.1f ms (connect and login included)%n",
                        idle.outcome(), idle.imapCommands(), (System.nanoTime() - again) / 1e6);
            }
        }
    }

    private static long rawFetch(Dovecot dovecot, DovecotUser user) throws Exception {
        Session session = Session.getInstance(dovecot.imapProperties(io.postroom.testing.dovecot.ImapSecurity.PLAIN));
        try (Store store = session.getStore("imap")) {
            store.connect(Dovecot.HOST, dovecot.imapPort(), user.name(), user.password());
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            long uidNext = inbox.getUIDNext();
            Object n = inbox.doCommand(p -> {
                long messages = 0;
                // in slices of 200: Angus holds a command's whole answer in memory
                for (long from = 1; from < uidNext; from += 200) {
                    for (var r : p.command("UID FETCH " + from + ":" + (from + 199) + " (BODY.PEEK[])", null)) {
                        if (r instanceof FetchResponse) {
                            messages++;
                        }
                    }
                }
                return messages;
            });
            inbox.close(false);
            return (Long) n;
        }
    }
}

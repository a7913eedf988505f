package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.persistence.FolderRecord;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.dovecot.StoredMessage;
import io.postroom.testing.mail.Mail;
import io.postroom.testing.mail.MailGenerator;
import io.postroom.testing.mail.SizeProfile;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Sync tests against a real Dovecot, with the check "the CRM holds exactly the server's messages". */
abstract class DovecotFixture extends SyncFixture {

    abstract Dovecot dovecot();

    MailboxId mailbox(DovecotUser u, int port, List<String> folders) {
        return mailbox(u.name() + "@postroom.test", u.name(), u.password(), port,
                mailboxSettings(folders, SyncPeriod.DAYS_14, KeepPolicy.BOTH, Set.of()));
    }

    /** Small messages over the last 10 days (within the default period), one in ten without Message-ID. */
    static MailGenerator generator(long seed, int count) {
        return MailGenerator.builder().seed(seed).count(count).lastDays(10).sizes(SizeProfile.SMALL)
                .noMessageIdPerMille(100).build();
    }

    /** The UIDs from {@code from} to {@code to} whose remainder by 3 is {@code remainder}, as a UID set of single UIDs. */
    static String everyThird(long from, long to, int remainder) {
        return java.util.stream.LongStream.rangeClosed(from, to).filter(n -> n % 3 == remainder)
                .mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(","));
    }

    static Mail raw(String messageId, String from, String subject) {
        String text = "From: " + from + "\r\nTo: someone@example.com\r\nSubject: " + subject + "\r\n"
                + (messageId == null ? "" : "Message-ID: <" + messageId + ">\r\n")
                + "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\n\r\nHello " + subject + "\r\n";
        return Mail.of(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The CRM holds exactly the server's messages: per folder the same UIDs with the same
     * Message-IDs and flags (none lost), each message one record (none twice), nothing half-written.
     */
    void assertMirrors(MailboxId id, DovecotUser u, String... folders) {
        for (String folder : folders) {
            TreeMap<Long, String> server = new TreeMap<>();
            Map<Long, Set<String>> flags = new HashMap<>();
            for (StoredMessage m : dovecot().messages(u.name(), folder)) {
                server.put(m.uid(), m.messageId());
                flags.put(m.uid(), m.flags());
            }
            assertThat(located(id, folder)).as("CRM locations of " + folder).isEqualTo(server);
            Map<Long, Set<String>> crmFlags = new HashMap<>();
            FolderRecord f = stores.folders().list(id.value()).stream().filter(r -> r.name().equals(folder)).findFirst()
                    .orElseThrow();
            stores.folders().locations(f.id()).forEach(l -> crmFlags.put(l.uid(), l.flags()));
            assertThat(crmFlags).as("flags in " + folder).isEqualTo(flags);
        }
        assertConsistent(id);
    }

    Map<Long, Set<String>> serverFlags(DovecotUser u, String folder) {
        Map<Long, Set<String>> flags = new HashMap<>();
        dovecot().messages(u.name(), folder).forEach(m -> flags.put(m.uid(), m.flags()));
        return flags;
    }

    /** The mailbox's record ids by message key (Message-ID or fingerprint). */
    Map<String, Long> recordsByKey(MailboxId id) {
        Map<String, Long> result = new HashMap<>();
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT message_key, id FROM message WHERE mailbox_id = ?")) {
            ps.setLong(1, id.value());
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return result;
    }
}

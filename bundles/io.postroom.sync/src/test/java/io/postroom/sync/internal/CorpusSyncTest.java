package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageFilter;
import io.postroom.persistence.MessageRecord;
import io.postroom.sync.RunReport;
import io.postroom.testing.corpus.EnabledIfCorpus;
import io.postroom.testing.corpus.SharedCorpus;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotExtension;
import io.postroom.testing.dovecot.DovecotUser;
import io.postroom.testing.dovecot.StoredMessage;
import io.postroom.testing.mail.HostileMail;
import io.postroom.testing.mail.Mail;
import io.postroom.testing.proxy.FaultProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Real-world and hostile mail: every message of the shared corpus and every generated hostile
 * message is stored (what cannot be decoded is flagged, nothing is dropped or quarantined), and a
 * 50 MB attachment is described without being downloaded.
 */
class CorpusSyncTest extends SyncFixture {
    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.shared();

    Dovecot dovecot() {
        return DOVECOT.dovecot();
    }

    MailboxId mailbox(DovecotUser u, int port) {
        return mailbox(u.name() + "@postroom.test", u.name(), u.password(), port,
                mailboxSettings(List.of("INBOX"), SyncPeriod.YEAR_1, KeepPolicy.BOTH, Set.of()));
    }

    /** Every UID of the server's INBOX has its record; nothing waits in quarantine. */
    void assertAllStored(MailboxId id, DovecotUser u, RunReport r) {
        assertThat(r.outcome()).as(r.error()).isEqualTo(SyncOutcome.SUCCEEDED);
        Set<Long> server = new TreeSet<>();
        for (StoredMessage m : dovecot().messages(u.name(), "INBOX")) {
            server.add(m.uid());
        }
        assertThat(located(id, "INBOX").keySet()).isEqualTo(server);
        assertThat(stores.quarantine().list(id.value())).isEmpty();
        assertConsistent(id);
    }

    List<MessageDetail> all(MailboxId id) {
        List<MessageDetail> result = new ArrayList<>();
        for (MessageRecord m : stores.messages().list(new MessageFilter(List.of(id.value()), null, null, 1000)).messages()) {
            result.add(stores.messages().find(m.id()).orElseThrow());
        }
        return result;
    }

    @Test
    @EnabledIfCorpus
    void everyMessageOfTheSharedCorpusIsStored() {
        List<Path> files = SharedCorpus.messages();
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", files.stream().map(Mail::of).toList());
        MailboxId id = mailbox(u, dovecot().imapPort());

        RunReport r = engine().syncNow(id);

        assertAllStored(id, u, r);
        assertThat(located(id, "INBOX")).hasSize(dovecot().messages(u.name(), "INBOX").size());
        List<MessageDetail> stored = all(id);
        assertThat(stored.stream().filter(m -> !m.summary().problems().isEmpty()).count())
                .as("undecodable parts are flagged").isPositive();
        assertThat(stored).allSatisfy(m -> assertThat(m.summary().date()).isNotNull());
    }

    @Test
    void everyHostileMessageIsStoredAndFlagged() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", new ArrayList<Mail>(HostileMail.small()));
        MailboxId id = mailbox(u, dovecot().imapPort());

        RunReport r = engine().syncNow(id);

        assertAllStored(id, u, r);
        assertThat(messages(id)).isEqualTo(HostileMail.small().size());
        List<MessageDetail> stored = all(id);
        MessageDetail unknown = only(stored, "hostile-unknown-charset@postroom.test");
        assertThat(unknown.summary().problems()).contains("UNKNOWN_CHARSET");
        assertThat(unknown.text()).contains("nuqneH");
        MessageDetail noIds = stored.stream().filter(m -> m.summary().messageIdHeader() == null).findFirst().orElseThrow();
        assertThat(noIds.summary().problems()).contains("MISSING_MESSAGE_ID", "MISSING_DATE");
        assertThat(noIds.summary().subject()).isEqualTo("no date, no id");
        assertThat(only(stored, "hostile-nul-bytes@postroom.test").summary().subject()).doesNotContain("\0");
        assertThat(only(stored, "hostile-encoded-crlf-in-subject@postroom.test").summary().subject())
                .doesNotContain("\r").doesNotContain("\n");
        assertThat(only(stored, "hostile-undeclared-8bit-headers@postroom.test").summary().subject()).contains("Köln");
        assertThat(engine().syncNow(id).messagesStored()).as("stored once, never again").isZero();
    }

    private static MessageDetail only(List<MessageDetail> stored, String messageId) {
        return stored.stream().filter(m -> messageId.equals(m.summary().messageIdHeader())).findFirst()
                .orElseThrow(() -> new AssertionError("not stored: " + messageId));
    }

    @Test
    void aFiftyMegabyteAttachmentIsDescribedButNotDownloaded() {
        DovecotUser u = dovecot().newUser();
        dovecot().bulkLoad(u.name(), "INBOX", List.of(HostileMail.HUGE_ATTACHMENT));
        try (FaultProxy proxy = FaultProxy.start(dovecot().imapPort())) {
            MailboxId id = mailbox(u, proxy.port());

            RunReport r = engine().syncNow(id);

            assertAllStored(id, u, r);
            assertThat(proxy.bytesFromServer()).as("bytes received for a message of ~68 MB").isLessThan(100_000);
            MessageDetail m = all(id).get(0);
            assertThat(m.text()).contains("A 50 MB attachment follows.");
            assertThat(m.summary().size()).isGreaterThan(HostileMail.HUGE_ATTACHMENT_BYTES);
            assertThat(m.attachments()).singleElement().satisfies(a -> {
                assertThat(a.fileName()).isEqualTo("backup.zip");
                assertThat(a.size()).isGreaterThan(HostileMail.HUGE_ATTACHMENT_BYTES);
                assertThat(a.part()).isEqualTo("2");
                assertThat(a.transferEncoding()).isEqualTo("base64");
            });
            assertThat(m.summary().hasAttachments()).isTrue();
        }
    }
}

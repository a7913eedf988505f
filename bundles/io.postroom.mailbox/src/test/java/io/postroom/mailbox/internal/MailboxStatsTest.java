package io.postroom.mailbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.message.Direction;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncTrigger;
import io.postroom.persistence.Claim;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.MessageDraft;
import io.postroom.persistence.RunEnd;
import io.postroom.persistence.ScheduleTarget;
import io.postroom.testing.host.TestHost;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host's mailbox list shows the sync's statistics (written here through the sync's stores). */
class MailboxStatsTest extends ServiceFixture {

    @Test
    void viewsCarryTheSyncStatistics() {
        Mailbox m = create(TestHost.ALICE, newAccount("alice"));
        assertThat(m.stats()).isEqualTo(MailboxStats.EMPTY);

        long id = m.id().value();
        stores.schedule().ensureScheduled(List.of(new ScheduleTarget(id, tenant, Duration.ofMinutes(10))));
        Claim claim = stores.schedule().claimMailbox("node-1", id, ClaimKind.REGULAR, Duration.ofMinutes(1)).orElseThrow();
        long run = stores.runs().start(claim.lease(), SyncTrigger.MANUAL);
        FolderRecord inbox = stores.folders().open(id, "INBOX", null);
        Instant now = Instant.now();
        stores.messages().write(MessageBatch.of(claim.lease(), run, inbox.id(), 1, List.of(
                new MessageDraft(1, Set.of(), null, "a@x", "fp-a", Direction.RECEIVED, "A", "a", List.of(), now, now, 10,
                        null, null, List.of(), List.of(), "text", null, List.of(), Set.of())), null));
        stores.schedule().release(claim.lease(), new RunEnd(SyncOutcome.FAILED, "IMAP login failed: check the password.",
                Duration.ofMinutes(10), 1, false));

        for (Mailbox view : List.of(service.get(actor(TestHost.ALICE), m.id()),
                service.list(actor(TestHost.ALICE)).stream().filter(x -> x.id().equals(m.id())).findFirst().orElseThrow())) {
            assertThat(view.stats().messagesDownloaded()).isEqualTo(1);
            assertThat(view.stats().messagesAssigned()).isZero();
            assertThat(view.stats().lastSyncStarted()).isNotNull();
            assertThat(view.stats().lastSyncFinished()).isNotNull();
            assertThat(view.stats().lastSyncError()).isEqualTo("IMAP login failed: check the password.");
        }
    }
}
